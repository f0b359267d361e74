"""Avatar uploads: validated by `community.images` and stored as fixed square
WebP renditions without metadata."""

from community import app_settings
from community.images import (  # noqa: F401 (too_large_message: kept for callers)
    ACCEPTED_FORMATS,
    not_an_image_error,
    open_upload,
    square_webp,
    too_large_message,
)

RENDITIONS = {"avatar": 256, "avatar_small": 64}


def render_avatar(uploaded):
    """Validate `uploaded` (a file object) and return {"avatar": bytes,
    "avatar_small": bytes}, WebP squares; or raise ValidationError with a message
    the visitor understands. Nothing is written anywhere."""
    image = open_upload(
        uploaded,
        max_bytes=app_settings.AVATAR_MAX_UPLOAD_SIZE,
        max_pixels=app_settings.AVATAR_MAX_PIXELS,
    )
    try:
        return {name: square_webp(image, side) for name, side in RENDITIONS.items()}
    except (OSError, ValueError) as error:
        raise not_an_image_error() from error
