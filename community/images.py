"""Pictures from visitors (avatars, post photos): decoded with Pillow from their
content, never trusted by name or declared type; size and pixel limits,
decompression bombs refused; stored as WebP renditions without metadata.

Two steps, so a request never pays for decoding:

- `check_upload` (in the request) reads only what the file says about itself:
  its format, its width and height from the header, and whether it is
  complete (PNG chunk checksums, a JPEG's end marker, a WebP's RIFF length).
  No pixel is decoded.
- `decode_bounded` (in a background task) decodes one picture at a time per
  process (`DECODE_SLOTS`) and never holds it whole at full size when it can
  help it: JPEGs are decoded already scaled down by the codec (`draft`, 1/2
  to 1/8); PNGs (all but interlaced and 16-bit colour ones) are inflated and
  decoded strip by strip (`_png_strips`), each strip reduced into the small
  working image at once, so a 6000 × 6000 PNG costs a few MB instead of one
  144 MB frame. Pictures that must be decoded whole (GIF, WebP, the other
  PNGs) are refused by their header when that frame would take more than
  `DECODE_MEMORY` (`WHOLE_FRAME_COST`, measured: Pillow's WebP decoder holds
  about four copies of the frame), then converted and reduced strip by strip,
  never copied whole. `bench/pictures.py` measures it.

Decoding in a subprocess under RLIMIT_AS was considered: a hard cap, but a
Python start per picture, `preexec_fn` is unsafe in threaded servers, and the
address-space limit counts glibc's per-thread arenas, so the cap would have to
be set far above what the decode needs.
"""

import io
import struct
import threading
import warnings
import zlib

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
# RGBA is ~6 MB), and inflated and decoded at a time from a PNG (~1.5 MB).
STRIP_ROWS = 256
PNG_STRIP_ROWS = 64

# The most memory a picture decoded whole may take, and what each format
# costs per pixel when decoded whole (the frame, the codec's buffers and the
# strips converted from it; measured with Pillow 13: a WebP keeps about four
# copies of its frame). JPEGs are decoded scaled down and most PNGs strip by
# strip: see the module's note.
DECODE_MEMORY = 128 * 1024 * 1024
WHOLE_FRAME_COST = {"PNG": 5, "WEBP": 15, "GIF": 2}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Samples per pixel of each PNG colour type.
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# For each filter unit (bytes per pixel, at least 1), a PNG colour type of 8
# bits per sample with that many bytes per pixel, and its Pillow mode: a
# strip decoded as it gives back its rows' bytes without their filters.
PNG_UNFILTER_AS = {1: (0, "L"), 2: (4, "LA"), 3: (2, "RGB"), 4: (6, "RGBA")}

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
    whole_frame_pixels = _whole_frame_max_pixels(image)
    if whole_frame_pixels is not None and width * height > whole_frame_pixels:
        raise ValidationError(
            _(
                "This picture is too large (%(width)s × %(height)s pixels) "
                "for its file format. Save it as a JPEG, or use one of at most "
                "%(megapixels)s megapixels."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": max(1, int(whole_frame_pixels / 1_000_000)),
            },
            code="too_many_pixels",
        )
    return image


def _png_streamable(image):
    """Whether `image` (an opened PNG) can be decoded strip by strip: not
    interlaced, at most 4 bytes per pixel (not 16-bit colour)."""
    return (
        image.format == "PNG"
        and not image.info.get("interlace")
        and image.tile[0].args not in ("RGB;16B", "RGBA;16B")
    )


def _whole_frame_max_pixels(image):
    """The most pixels `image` (opened) may have when it has to be decoded
    whole, or None when it is not decoded whole (JPEG, most PNGs)."""
    cost = WHOLE_FRAME_COST.get(image.format)
    if cost is None or _png_streamable(image):
        return None
    return DECODE_MEMORY // cost


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


def _reduction(size, target, rows=STRIP_ROWS):
    """(factor, rows): the whole-number reduction on the way to `target`, and
    the rows of a strip (about `rows`, a multiple of the factor)."""
    factor = max(1, min(size[0] // target[0], size[1] // target[1]))
    return factor, factor * max(1, rows // factor)


def _assemble(strips, image, factor, target):
    """The strips of `image` (images of its width, top to bottom) converted
    to RGB or RGBA, each reduced by `factor` as it comes, then scaled to
    `target`: never a second full-size copy."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if transparent else "RGB"
    width, height = image.size
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    top = 0
    for strip in strips:
        if strip.mode != mode:
            strip = strip.convert(mode)
        if factor > 1:
            strip = strip.reduce(factor)
        out.paste(strip, (0, top))
        top += strip.height
    if out.size != target:
        out = out.resize(target, Image.Resampling.LANCZOS)
    return out


def _shrink(image, target):
    """`image` (loaded) converted to RGB or RGBA and scaled to `target`,
    strip by strip: never a second full-size copy."""
    width, height = image.size
    factor, rows = _reduction(image.size, target)
    strips = (
        image.crop((0, top, width, min(height, top + rows)))
        for top in range(0, height, rows)
    )
    return _assemble(strips, image, factor, target)


def _png_chunks(data):
    """(type, payload) of each chunk of the PNG `data`, up to IEND."""
    view = memoryview(data)
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(view):
        length = int.from_bytes(view[pos : pos + 4], "big")
        kind = bytes(view[pos + 4 : pos + 8])
        yield kind, view[pos + 8 : pos + 8 + length]
        if kind == b"IEND":
            return
        pos += 12 + length


def _png_chunk(kind, payload):
    crc = zlib.crc32(payload, zlib.crc32(kind))
    return b"".join(
        (struct.pack(">I", len(payload)), kind, payload, struct.pack(">I", crc))
    )


def _inflate(inflater, sources, size):
    """Up to `size` more bytes of the zlib stream whose pieces `sources`
    yields: never more than asked, however well the data compresses."""
    out = bytearray()
    while len(out) < size and not inflater.eof:
        source = inflater.unconsumed_tail
        if not source:
            # Output zlib still holds from input it has taken, then new input.
            pending = inflater.decompress(b"", size - len(out))
            if pending:
                out += pending
                continue
            source = next(sources, None)
            if source is None:
                break
        out += inflater.decompress(source, size - len(out))
    return out


def _png_strips(image, data, rows):
    """The pixels of `image`, a PNG opened from `data` that `_png_streamable`
    accepts, as images of `rows` rows (the last one shorter), in the image's
    mode; each inflated and decoded only when the one before is used.

    Pillow decodes a PNG only whole, so each strip becomes a small PNG of its
    own: its rows as filtered in the file, after the row above them without
    a filter (a PNG filter refers to the row above), in a colour type of 8
    bits per sample with as many bytes per pixel; Pillow's decode of it gives
    the rows' bytes without filters, which the PNG's own raw mode (the same
    Pillow's PNG decoder uses) turns into pixels."""
    chunks = list(_png_chunks(data))
    header = next(payload for kind, payload in chunks if kind == b"IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    row_bytes = (width * depth * PNG_CHANNELS[colour] + 7) // 8
    unit = max(1, depth * PNG_CHANNELS[colour] // 8)
    fake_colour, fake_mode = PNG_UNFILTER_AS[unit]
    fake_header = (row_bytes // unit, 8, fake_colour, 0, 0, 0)
    rawmode = image.tile[0].args
    sources = (bytes(payload) for kind, payload in chunks if kind == b"IDAT")
    inflater = zlib.decompressobj()
    above = bytes(row_bytes)  # the first row's filters see a black row
    for top in range(0, height, rows):
        count = min(rows, height - top)
        filtered = _inflate(inflater, sources, count * (row_bytes + 1))
        if len(filtered) < count * (row_bytes + 1):
            raise OSError("The PNG's pixel data ends early.")
        filtered[0:0] = b"\x00" + above
        small = b"".join(
            (
                PNG_SIGNATURE,
                _png_chunk(
                    b"IHDR",
                    struct.pack(
                        ">IIBBBBB", fake_header[0], count + 1, *fake_header[1:]
                    ),
                ),
                _png_chunk(b"IDAT", zlib.compress(filtered, 0)),
                _png_chunk(b"IEND", b""),
            )
        )
        del filtered
        with Image.open(io.BytesIO(small), formats=["PNG"]) as unfiltered:
            raw = unfiltered.tobytes("raw", fake_mode)
        del small
        above = raw[-row_bytes:]
        strip = Image.frombytes(
            image.mode, (width, count), raw[row_bytes:], "raw", rawmode
        )
        del raw
        if image.palette is not None and image.mode == "P":
            strip.putpalette(image.palette.palette, image.palette.rawmode or "RGB")
        if "transparency" in image.info:
            strip.info["transparency"] = image.info["transparency"]
        yield strip


def _png_orientation(data):
    """The EXIF orientation of the PNG `data` (its eXIf chunk), read without
    decoding: Pillow's getexif() decodes a PNG whole to find the chunk."""
    for kind, payload in _png_chunks(data):
        if kind == b"eXIf":
            exif = Image.Exif()
            exif.load(bytes(payload))
            return exif.get(ExifTags.Base.Orientation, 1)
    return 1


def _read(source):
    """All the bytes of `source` (a file object or path), from its start."""
    if hasattr(source, "read"):
        source.seek(0)
        return source.read()
    with open(source, "rb") as file:
        return file.read()


def decode_bounded(source, *, max_pixels, longest, shortest=0):
    """The first frame of `source` (a file object or path), upright, in RGB or
    RGBA, scaled down to fit `longest` (keeping the shortest side at least
    `shortest`) and without any metadata; or ValidationError.

    At most DECODE_CONCURRENCY decodes run at once in a process, and each
    holds the picture at full size once at most, most PNGs never (see the
    module's note)."""
    with DECODE_SLOTS:
        try:
            image = _open(source, max_pixels)
            target = _working_size(image.size, longest, shortest)
            if _png_streamable(image):
                data = _read(source)
                factor, rows = _reduction(image.size, target, PNG_STRIP_ROWS)
                strips = _png_strips(image, data, rows)
                working = _assemble(strips, image, factor, target)
                orientation = _png_orientation(data)
                del data, strips
            else:
                image.seek(0)  # GIF, animated WebP: the first frame
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
        except (*DECODE_ERRORS, MemoryError, zlib.error, StopIteration) as error:
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


def jpeg_bytes(image, quality=82):
    """`image` as a progressive JPEG (the fallback of browsers without WebP,
    and what every link-preview crawler reads); transparency on white."""
    if image.mode in ("RGBA", "LA", "PA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def fitted(image, longest_side):
    """`image` without metadata, scaled down to fit `longest_side`."""
    clean = clean_pixels(image)
    clean.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    return clean


def cropped(image, size):
    """`image` without metadata, cropped and scaled to fill `size`."""
    return ImageOps.fit(clean_pixels(image), size, Image.Resampling.LANCZOS)


def delete_files(names):
    """Delete stored files by name (blank names skipped): pictures replaced or
    left behind, called once the transaction that dropped them commits."""

    for name in names:
        if name:
            default_storage.delete(name)
