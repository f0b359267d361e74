"""Post pictures: checked by their header in the request, decoded and
rendered in a background task (`community.posts.tasks.process_post_pictures`)
with bounded memory, through `community.images`."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from community.images import (
    check_upload,
    decode_bounded,
    delete_files,
    fitted_webp,
    not_an_image_error,
    square_webp,
)
from community.posts import app_settings
from community.posts.models import Post, PostImage

logger = logging.getLogger(__name__)

DETAIL_SIDE = 1600
THUMBNAIL_SIDE = 480


def check_post_upload(uploaded):
    """ValidationError unless `uploaded` says, in its header, that it is a
    picture within the posts' limits. Nothing is decoded."""
    return check_upload(
        uploaded,
        max_bytes=app_settings.IMAGE_MAX_UPLOAD_SIZE,
        max_pixels=app_settings.IMAGE_MAX_PIXELS,
    )


def render_post_image(source):
    """{"image", "thumbnail" (bytes), "width", "height"}: WebP renditions of
    `source` (a file object) without metadata, or ValidationError. Checked by
    its header, then decoded with bounded memory. Nothing is written."""
    check_post_upload(source)
    image = decode_bounded(
        source,
        max_pixels=app_settings.IMAGE_MAX_PIXELS,
        longest=DETAIL_SIDE,
        shortest=THUMBNAIL_SIDE,
    )
    try:
        detail, width, height = fitted_webp(image, DETAIL_SIDE)
        return {
            "image": detail,
            "thumbnail": square_webp(image, THUMBNAIL_SIDE),
            "width": width,
            "height": height,
        }
    except (OSError, ValueError) as error:
        raise not_an_image_error() from error


def _render_one(picture):
    """Make `picture`'s renditions from its kept upload; False when the
    upload cannot be used (the picture is then deleted)."""
    try:
        with picture.upload.open("rb") as source:
            rendered = render_post_image(source)
    except (ValidationError, OSError) as error:
        logger.info("Post picture %s dropped: %s", picture.pk, error)
        upload = picture.upload.name
        picture.delete()
        transaction.on_commit(lambda: delete_files([upload]))
        return False
    written = []
    try:
        with transaction.atomic():
            picture.image.save(
                "picture.webp", ContentFile(rendered["image"]), save=False
            )
            written.append(picture.image.name)
            picture.thumbnail.save(
                "thumb.webp", ContentFile(rendered["thumbnail"]), save=False
            )
            written.append(picture.thumbnail.name)
            picture.width, picture.height = rendered["width"], rendered["height"]
            upload = picture.upload.name
            picture.upload = ""
            picture.save()
    except Exception:
        delete_files(written)
        raise
    transaction.on_commit(lambda: delete_files([upload]))
    return True


def process_pending(post_id):
    """Render every picture of the post still waiting, one at a time; drop
    those that cannot be decoded (their names are kept on the post for its
    author), then show the post."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return
    pending = PostImage.all_objects.filter(post=post, image="").exclude(upload="")
    dropped = [
        picture.upload_display_name()
        for picture in pending.order_by("sort_order", "pk")
        if not _render_one(picture)
    ]
    names = post.dropped_picture_names() + dropped
    Post.objects.filter(pk=post.pk).update(
        processing_pictures=False, dropped_pictures="\n".join(names)[:500]
    )
