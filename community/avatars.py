"""Avatar uploads: checked by their header in the request (`check_avatar`),
decoded in the background (`community.tasks.process_avatar`) through
`community.images` and stored as fixed square WebP renditions without
metadata."""

import uuid

from django.core.files.storage import default_storage

from community import app_settings
from community.images import (  # noqa: F401 (re-exported for callers)
    ACCEPTED_FORMATS,
    check_upload,
    decode_bounded,
    not_an_image_error,
    square_webp,
    too_large_message,
)

RENDITIONS = {"avatar": 256, "avatar_small": 64}


def check_avatar(uploaded):
    """ValidationError unless `uploaded` says, in its header, that it is a
    picture within the avatar limits. Nothing is decoded."""
    return check_upload(
        uploaded,
        max_bytes=app_settings.AVATAR_MAX_UPLOAD_SIZE,
        max_pixels=app_settings.AVATAR_MAX_PIXELS,
    )


def keep_upload(uploaded):
    """Store the checked upload as it came, under a random name, until the
    background task renders it; returns the stored name."""
    uploaded.seek(0)
    return default_storage.save(f"community/uploads/{uuid.uuid4().hex}", uploaded)


def render_avatar(source):
    """{"avatar": bytes, "avatar_small": bytes}, WebP squares of `source` (a
    file object); or ValidationError with a message the visitor understands.
    Checked again, then decoded with bounded memory; nothing is written
    anywhere."""
    check_avatar(source)
    image = decode_bounded(
        source,
        max_pixels=app_settings.AVATAR_MAX_PIXELS,
        longest=max(RENDITIONS.values()),
        shortest=max(RENDITIONS.values()),
    )
    try:
        return {name: square_webp(image, side) for name, side in RENDITIONS.items()}
    except (OSError, ValueError) as error:
        raise not_an_image_error() from error


def admin_avatar_url(user, size=50):
    """The Wagtail admin's avatar of `user` (its `get_avatar_url` hook): the
    member's own avatar, served by the site, when they have one and no Wagtail
    avatar of their own; else None, and Wagtail shows its built-in picture
    (WAGTAIL_GRAVATAR_PROVIDER_URL = None: no e-mail hash sent to Gravatar)."""
    wagtail_profile = getattr(user, "wagtail_userprofile", None)
    if wagtail_profile is not None and wagtail_profile.avatar:
        return None
    profile = getattr(user, "community_profile", None)
    if profile is None or not profile.avatar:
        return None
    if size <= RENDITIONS["avatar_small"] and profile.avatar_small:
        return profile.avatar_small.url
    return profile.avatar.url
