"""Post pictures: checked by their header in the request, decoded and
rendered in a background task (`community.posts.tasks.process_post_pictures`)
with bounded memory, through `community.images`."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from community.images import (
    check_upload,
    cropped,
    decode_bounded,
    delete_files,
    fitted,
    jpeg_bytes,
    not_an_image_error,
    webp_bytes,
)
from community.posts import app_settings, invalidation
from community.posts.models import Post, PostImage

logger = logging.getLogger(__name__)

DETAIL_SIDE = PostImage.DETAIL_SIDE
THUMBNAIL_SIDE = PostImage.THUMBNAIL_SIDE


def check_post_upload(uploaded):
    """ValidationError unless `uploaded` says, in its header, that it is a
    picture within the posts' limits. Nothing is decoded."""
    return check_upload(
        uploaded,
        max_bytes=app_settings.IMAGE_MAX_UPLOAD_SIZE,
        max_pixels=app_settings.IMAGE_MAX_PIXELS,
    )


def render_post_image(source):
    """{"image", "thumbnail" (WebP bytes), "renditions" ({key: bytes}, see
    `PostImage.RENDITIONS`), "width", "height"}: the renditions of `source`
    (a file object) without metadata, or ValidationError. Checked by its
    header, then decoded with bounded memory. Nothing is written."""
    check_post_upload(source)
    image = decode_bounded(
        source,
        max_pixels=app_settings.IMAGE_MAX_PIXELS,
        longest=DETAIL_SIDE,
        shortest=THUMBNAIL_SIDE,
    )
    try:
        return renditions_of(image)
    except (OSError, ValueError) as error:
        raise not_an_image_error() from error


def renditions_of(image):
    """Every rendition of a decoded picture (see `render_post_image`)."""
    detail = fitted(image, DETAIL_SIDE)
    medium = fitted(detail, PostImage.MEDIUM_SIDE)
    thumbnail = cropped(image, (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    share = cropped(
        detail, PostImage(width=detail.width, height=detail.height).share_size()
    )
    return {
        "image": webp_bytes(detail),
        "thumbnail": webp_bytes(thumbnail),
        "renditions": {
            "medium": webp_bytes(medium),
            "medium_jpeg": jpeg_bytes(medium),
            "share": jpeg_bytes(share),
            "thumbnail_jpeg": jpeg_bytes(thumbnail),
        },
        "width": detail.width,
        "height": detail.height,
    }


def store_renditions(picture, rendered):
    """Write `rendered` (from `render_post_image`) as `picture`'s files and
    set its size; the picture itself is not saved. Returns the names
    written; on failure deletes them and raises."""
    written = []
    try:
        picture.image.save("picture.webp", ContentFile(rendered["image"]), save=False)
        written.append(picture.image.name)
        picture.thumbnail.save(
            "thumb.webp", ContentFile(rendered["thumbnail"]), save=False
        )
        written.append(picture.thumbnail.name)
        for key, data in rendered["renditions"].items():
            written += store_rendition(picture, key, data)
        picture.width, picture.height = rendered["width"], rendered["height"]
    except Exception:
        delete_files(written)
        raise
    return written


def store_rendition(picture, key, data):
    """Write one derived rendition under its name; returns [name]."""
    name = picture.rendition_name(key)
    stored = picture.image.storage.save(name, ContentFile(data))
    if stored != name:
        # Templates find the file by its name: a storage that renamed it
        # would break the link.
        delete_files([stored])
        raise OSError(f"Storage saved {name!r} as {stored!r}")
    return [stored]


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
            written = store_renditions(picture, rendered)
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
    # The post shows now: on its page and in its lists.
    invalidation.invalidate_posts(Post.objects.filter(pk=post.pk))


def remake_missing_renditions(picture):
    """Make from `picture`'s stored `image` the derived renditions it lacks
    (see `PostImage.RENDITIONS`); returns how many were made."""
    storage = picture.image.storage
    missing = [
        key
        for key in PostImage.RENDITIONS
        if not storage.exists(picture.rendition_name(key))
    ]
    if not missing:
        return 0
    with picture.image.open("rb") as source:
        image = decode_bounded(
            source,
            max_pixels=app_settings.IMAGE_MAX_PIXELS,
            longest=DETAIL_SIDE,
            shortest=THUMBNAIL_SIDE,
        )
    renditions = renditions_of(image)["renditions"]
    for key in missing:
        store_rendition(picture, key, renditions[key])
    return len(missing)
