"""Pictures from visitors (avatars, post photos): decoded with Pillow from their
content, never trusted by name or declared type; size and pixel limits,
decompression bombs refused; stored as WebP renditions without metadata."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format ids for what visitors may upload (GIF: first frame only).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


def not_an_image_error():
    return ValidationError(
        _("This file is not a picture we can use. Upload a JPEG, PNG, WebP or GIF."),
        code="invalid_image",
    )


def too_large_message(max_bytes):
    return _("This file is too large. Upload a picture of at most %(size)s MB.") % {
        "size": round(max_bytes / (1024 * 1024), 1)
    }


def open_upload(uploaded, *, max_bytes, max_pixels):
    """The decoded first frame of `uploaded` (a file object) as a Pillow image,
    or ValidationError with a message the visitor understands."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="file_too_large")
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="file_too_large")
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
        raise not_an_image_error() from error
    return image


def clean_pixels(image):
    """`image` turned upright as the camera meant, with every piece of metadata
    (EXIF with GPS position, XMP, ICC, comments) forgotten."""
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def webp_bytes(image, quality=85):
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=quality, method=4)
    return out.getvalue()


def square_webp(image, side):
    square = ImageOps.fit(clean_pixels(image), (side, side), Image.Resampling.LANCZOS)
    return webp_bytes(square)


def fitted_webp(image, longest_side):
    """(bytes, width, height): `image` scaled down to fit `longest_side`."""
    clean = clean_pixels(image)
    clean.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    return webp_bytes(clean), clean.width, clean.height


def delete_files(names):
    """Delete stored files by name (blank names skipped): pictures replaced or
    left behind, called once the transaction that dropped them commits."""

    for name in names:
        if name:
            default_storage.delete(name)
