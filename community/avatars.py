"""Avatar uploads: decoded with Pillow from their content, never trusted by name
or declared type; stored as fixed square WebP renditions without metadata."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import app_settings

# Pillow's format ids for what visitors may upload (GIF: first frame only).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
RENDITIONS = {"avatar": 256, "avatar_small": 64}


def render_avatar(uploaded):
    """Validate `uploaded` (a file object) and return {"avatar": bytes,
    "avatar_small": bytes}, WebP squares; or raise ValidationError with a message
    the visitor understands. Nothing is written anywhere."""
    max_bytes = app_settings.AVATAR_MAX_UPLOAD_SIZE
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="file_too_large")
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="file_too_large")
    not_an_image = ValidationError(
        _("This file is not a picture we can use. Upload a JPEG, PNG, WebP or GIF."),
        code="invalid_image",
    )
    max_pixels = app_settings.AVATAR_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns above Image.MAX_IMAGE_PIXELS and raises at twice that.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = image.size
            if width * height > max_pixels or width > 10_000 or height > 10_000:
                raise ValidationError(
                    _(
                        "This picture is too large (%(width)s × %(height)s pixels). "
                        "Use one of at most %(megapixels)s megapixels."
                    )
                    % {
                        "width": width,
                        "height": height,
                        "megapixels": round(max_pixels / 1_000_000),
                    },
                    code="too_many_pixels",
                )
            image.seek(0)  # GIF, animated WebP: the first frame
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _(
                "This picture has too many pixels. Use one of at most "
                "%(megapixels)s megapixels."
            )
            % {"megapixels": round(max_pixels / 1_000_000)},
            code="too_many_pixels",
        ) from error
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise not_an_image from error
    try:
        return {name: _square_webp(image, side) for name, side in RENDITIONS.items()}
    except (OSError, ValueError) as error:
        raise not_an_image from error


def too_large_message(max_bytes):
    return _("This file is too large. Upload a picture of at most %(size)s MB.") % {
        "size": round(max_bytes / (1024 * 1024), 1)
    }


def _square_webp(image, side):
    # Turn the picture upright as the camera meant, then forget every piece of
    # metadata (EXIF with GPS position, XMP, ICC, comments).
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    pixels = upright.convert(mode)
    square = ImageOps.fit(pixels, (side, side), Image.Resampling.LANCZOS)
    clean = Image.new(mode, square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()
