"""Pictures from visitors (avatars, post photos): decoded with Pillow from their
content, never trusted by name or declared type; size and pixel limits,
decompression bombs refused; stored as WebP renditions without metadata.

Two steps, so a request never pays for decoding:

- `check_upload` (in the request) reads only what the file says about itself:
  its format, its width and height from the header, and whether it is
  complete (PNG chunk checksums, a JPEG's end marker, a WebP's RIFF length).
  No pixel is decoded.
- `decode_bounded` (in a background task) decodes one picture at a time per
  process (`DECODE_SLOTS`) and holds it at full size at most once: JPEGs are
  decoded already scaled down by the codec (`draft`, 1/2 to 1/8), other
  formats are converted and reduced strip by strip into the small working
  image, never copied whole. A 6000 × 6000 PNG costs one decoded frame
  (~144 MB in RGB) instead of four.

Decoding in a subprocess under RLIMIT_AS was considered: a hard cap, but a
Python start per picture, `preexec_fn` is unsafe in threaded servers, and the
address-space limit counts glibc's per-thread arenas, so the cap would have to
be set far above what the decode needs.
"""

import io
import threading
import warnings

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# Pillow's format ids for what visitors may upload (GIF: first frame only).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

# Longest side Pillow may be asked to decode, whatever the pixel limit.
MAX_SIDE = 10_000

# Decodes at the same time in one process: one full-size frame at a time.
DECODE_CONCURRENCY = 1
DECODE_SLOTS = threading.BoundedSemaphore(DECODE_CONCURRENCY)

# Rows converted and reduced at a time (a strip of a 6000 px wide picture in
# RGBA is ~6 MB).
STRIP_ROWS = 256

# EXIF orientation -> the transpose that makes the picture upright.
ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def not_an_image_error():
    return ValidationError(
        _("This file is not a picture we can use. Upload a JPEG, PNG, WebP or GIF."),
        code="invalid_image",
    )


def too_large_message(max_bytes):
    return _("This file is too large. Upload a picture of at most %(size)s MB.") % {
        "size": round(max_bytes / (1024 * 1024), 1)
    }


def too_many_pixels_error(max_pixels):
    return ValidationError(
        _(
            "This picture has too many pixels. Use one of at most "
            "%(megapixels)s megapixels."
        )
        % {"megapixels": round(max_pixels / 1_000_000)},
        code="too_many_pixels",
    )


def _open(source, max_pixels):
    """`source` opened by Pillow (header only, nothing decoded), its size
    within `max_pixels`; else ValidationError. Pillow's decompression-bomb
    warning is an error here."""
    with warnings.catch_warnings():
        # Pillow warns above Image.MAX_IMAGE_PIXELS and raises at twice that.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(source, formats=ACCEPTED_FORMATS)
    width, height = image.size
    if width * height > max_pixels or width > MAX_SIDE or height > MAX_SIDE:
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
    if not width or not height:
        raise not_an_image_error()
    return image


def _is_complete(image, data):
    """Whether the file holds all it announces, judged without decoding it."""
    if image.format == "PNG":
        image.verify()  # every chunk's checksum, up to IEND; no inflating
        return True
    if image.format == "JPEG":
        # Entropy-coded data escapes 0xFF, so an end marker after the first
        # scan means the file was not cut.
        scan = data.find(b"\xff\xda")
        return scan >= 0 and data.find(b"\xff\xd9", scan) >= 0
    if image.format == "WEBP":
        return int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True


def check_upload(uploaded, *, max_bytes, max_pixels):
    """(format, width, height) of `uploaded` (a file object), read from its
    header without decoding a pixel; or ValidationError with a message the
    visitor understands."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="file_too_large")
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    uploaded.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="file_too_large")
    try:
        image = _open(io.BytesIO(data), max_pixels)
        found = (image.format, *image.size)
        complete = _is_complete(image, data)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels_error(max_pixels) from error
    except DECODE_ERRORS as error:
        raise not_an_image_error() from error
    if not complete:
        raise not_an_image_error()
    return found


def _working_size(size, longest, shortest):
    """The size to decode to: the longest side down to `longest` unless that
    makes the shortest side smaller than `shortest` (square crops); never
    larger than the picture."""
    width, height = size
    scale = min(1.0, max(longest / max(width, height), shortest / min(width, height)))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrink(image, target):
    """`image` (loaded) converted to RGB or RGBA and scaled to `target`,
    strip by strip: never a second full-size copy."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if transparent else "RGB"
    width, height = image.size
    factor = max(1, min(width // target[0], height // target[1]))
    rows = factor * max(1, STRIP_ROWS // factor)
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        if strip.mode != mode:
            strip = strip.convert(mode)
        if factor > 1:
            strip = strip.reduce(factor)
        out.paste(strip, (0, top // factor))
    if out.size != target:
        out = out.resize(target, Image.Resampling.LANCZOS)
    return out


def decode_bounded(source, *, max_pixels, longest, shortest=0):
    """The first frame of `source` (a file object or path), upright, in RGB or
    RGBA, scaled down to fit `longest` (keeping the shortest side at least
    `shortest`) and without any metadata; or ValidationError.

    At most DECODE_CONCURRENCY decodes run at once in a process, and each
    holds the picture at full size once at most (see the module's note)."""
    with DECODE_SLOTS:
        try:
            image = _open(source, max_pixels)
            image.seek(0)  # GIF, animated WebP: the first frame
            target = _working_size(image.size, longest, shortest)
            image.draft(None, target)  # JPEG: let the codec scale it down
            image.load()
            orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
            working = _shrink(image, target)
            image.close()
            del image
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_many_pixels_error(max_pixels) from error
        except (*DECODE_ERRORS, MemoryError) as error:
            raise not_an_image_error() from error
    if orientation in ORIENTATIONS:
        working = working.transpose(ORIENTATIONS[orientation])
    return working


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
