"""Pictures are decoded within a memory budget (security issue 20, item 1;
found by bench/pictures.py): PNGs strip by strip, giving exactly Pillow's
pixels; what can only be decoded whole (WebP, interlaced and 16-bit colour
PNGs) is refused by its header above what its decode would cost."""

import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageDraw

from community import images

CLEAR_REFS = Path("/proc/self/clear_refs")
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 40_000_000}


def chunk(kind, payload):
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_of(header, raw):
    """A PNG of IHDR fields `header` and the (filtered) row bytes `raw`
    (which may be too few: only the header is read)."""
    return (
        images.PNG_SIGNATURE
        + chunk(b"IHDR", struct.pack(">IIBBBBB", *header))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def noise(mode, size, seed=7):
    rnd = random.Random(seed)
    rgba = Image.frombytes("RGBA", size, rnd.randbytes(size[0] * size[1] * 4))
    # Smooth areas too, so the encoder picks every kind of row filter.
    ImageDraw.Draw(rgba).ellipse((2, 2, size[0] - 3, size[1] // 2), fill="#2a8")
    if mode == "P4":
        return rgba.convert("RGB").quantize(16)
    if mode == "P":
        return rgba.convert("RGB").quantize(200)
    if mode == "I;16":
        return rgba.convert("I").point(lambda v: v * 257).convert("I;16")
    return rgba.convert(mode)


def saved(image, **options):
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def joined(strips, image):
    whole = Image.new(image.mode, image.size)
    top = 0
    for strip in strips:
        assert strip.mode == image.mode
        whole.paste(strip, (0, top))
        top += strip.height
    assert top == image.height
    return whole


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("RGB", {}),
        ("RGBA", {}),
        ("L", {}),
        ("LA", {}),
        ("P", {"transparency": 5}),
        ("P4", {"bits": 4}),
        ("1", {}),
        ("I;16", {}),
    ],
)
def test_png_strips_give_pillows_pixels(mode, options):
    data = saved(noise(mode, (301, 211)), **options)
    expected = Image.open(io.BytesIO(data))
    expected.load()
    opened = Image.open(io.BytesIO(data))
    assert images._png_streamable(opened)
    strips = list(images._png_strips(opened, data, 16))
    assert len(strips) == 14
    assert joined(strips, opened).tobytes() == expected.tobytes()
    if opened.mode == "P":
        strip = strips[0]
        assert strip.getpalette() == expected.getpalette()
        assert strip.info.get("transparency") == expected.info.get("transparency")


@pytest.mark.parametrize("rows", [1, 3, 64])
def test_png_strips_of_a_flat_picture(rows):
    """Long runs of one colour: zlib's output far outgrows its input, and
    each strip asks for only a few rows of it."""
    image = Image.new("RGB", (3000, 40), (200, 180, 120))
    image.paste((10, 20, 30), (0, 20, 3000, 21))
    data = saved(image, compress_level=9)
    opened = Image.open(io.BytesIO(data))
    strips = list(images._png_strips(opened, data, rows))
    assert joined(strips, opened).tobytes() == image.tobytes()


def test_png_strips_across_many_data_chunks():
    data = saved(noise("RGBA", (400, 300)))
    assert data.count(b"IDAT") > 1
    opened = Image.open(io.BytesIO(data))
    expected = Image.open(io.BytesIO(data)).convert("RGBA")
    assert joined(images._png_strips(opened, data, 7), opened).tobytes() == (
        expected.tobytes()
    )


def test_a_png_decoded_in_strips_looks_like_the_original():
    original = noise("RGB", (2000, 1500))
    working = images.decode_bounded(
        io.BytesIO(saved(original)), max_pixels=40_000_000, longest=500
    )
    expected = original.resize((500, 375), Image.Resampling.LANCZOS)
    assert working.size == (500, 375) and working.mode == "RGB"
    # Reduced by 4 first, then resized: the same picture to the eye.
    for point in [(10, 10), (250, 60), (400, 300)]:
        got, want = working.getpixel(point), expected.getpixel(point)
        assert all(abs(a - b) < 40 for a, b in zip(got, want, strict=True))


def test_a_transparent_palette_png_stays_transparent():
    image = Image.new("P", (600, 400), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    ImageDraw.Draw(image).rectangle((300, 0, 599, 399), fill=1)
    data = saved(image, transparency=0)
    working = images.decode_bounded(io.BytesIO(data), max_pixels=10**7, longest=300)
    assert working.mode == "RGBA"
    assert working.getpixel((10, 10))[3] == 0
    assert working.getpixel((290, 10)) == (0, 0, 255, 255)


def test_the_png_orientation_is_read_without_decoding():
    image = Image.new("RGB", (400, 200), (200, 0, 0))
    image.paste((0, 0, 200), (0, 0, 200, 200))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = 6
    data = saved(image, exif=exif)
    working = images.decode_bounded(io.BytesIO(data), max_pixels=10**7, longest=400)
    assert working.size == (200, 400)
    assert working.getpixel((100, 10))[2] > 150  # the blue half is on top now


def test_png_pixel_data_that_ends_early_is_not_a_picture():
    """Every chunk is whole (its checksum right), the stream inside is not."""
    raw = b"".join(b"\x00" + bytes(300 * 3) for _ in range(200))
    stream = zlib.compress(raw)
    data = (
        images.PNG_SIGNATURE
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 300, 200, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", stream[: len(stream) // 2])
        + chunk(b"IEND", b"")
    )
    images.check_upload(io.BytesIO(data), **LIMITS)  # its header is fine
    with pytest.raises(ValidationError):
        images.decode_bounded(io.BytesIO(data), max_pixels=10**7, longest=100)


def interlaced_png(size, colour=(30, 160, 90)):
    """An Adam7-interlaced RGB PNG of one colour (Pillow writes none)."""
    width, height = size
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4)]
    passes += [(0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        columns = len(range(x0, width, dx))
        rows = len(range(y0, height, dy))
        if columns and rows:
            raw += (b"\x00" + bytes(colour) * columns) * rows
    return png_of((width, height, 8, 2, 0, 0, 1), bytes(raw))


def test_an_interlaced_png_is_decoded_whole():
    data = interlaced_png((37, 29))
    opened = Image.open(io.BytesIO(data))
    assert not images._png_streamable(opened)
    working = images.decode_bounded(io.BytesIO(data), max_pixels=10**6, longest=37)
    assert working.size == (37, 29)
    assert working.getpixel((36, 28)) == (30, 160, 90)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            png_of((6000, 6000, 8, 2, 0, 0, 1), b"\x00" * 18001), id="interlaced-png"
        ),
        pytest.param(
            png_of((6000, 6000, 16, 2, 0, 0, 0), b"\x00" * 12001), id="16-bit-png"
        ),
    ],
)
def test_whole_frame_pngs_are_refused_above_their_budget(data):
    with pytest.raises(ValidationError) as refused:
        images.check_upload(io.BytesIO(data), **LIMITS)
    message = refused.value.messages[0]
    assert "for its file format" in message and "at most 26 megapixels" in message


def webp(size):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 120)).save(out, "WEBP", lossless=True)
    return out.getvalue()


def test_a_large_webp_is_refused_by_its_header():
    data = webp((6000, 6000))
    assert len(data) < 10_000  # 36 megapixels in a few kilobytes
    with pytest.raises(ValidationError) as refused:
        images.check_upload(io.BytesIO(data), **LIMITS)
    assert "at most 8 megapixels" in refused.value.messages[0]


def test_a_webp_within_its_budget_is_taken():
    data = webp((2800, 2800))
    assert images.check_upload(io.BytesIO(data), **LIMITS) == ("WEBP", 2800, 2800)
    working = images.decode_bounded(io.BytesIO(data), max_pixels=10**8, longest=100)
    assert working.size == (100, 100)


def _status_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


@pytest.mark.skipif(not CLEAR_REFS.exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_maximal_png_is_decoded_in_a_few_megabytes(mode):
    """The red team's picture: 6000 × 6000 in ~120 KB. Decoded whole it is a
    144 MB frame (and took +180 MB); in strips it takes about the working
    image and a strip."""
    image = Image.new(mode, (6000, 6000), (200, 180, 120, 255)[: len(mode)])
    ImageDraw.Draw(image).ellipse((2800, 2800, 3200, 3200), fill="#285")
    data = saved(image)
    del image
    CLEAR_REFS.write_text("5")
    before = _status_kb("VmRSS")
    working = images.decode_bounded(
        io.BytesIO(data), max_pixels=40_000_000, longest=1600, shortest=480
    )
    peak_mb = (_status_kb("VmHWM") - before) / 1024
    assert working.size == (1600, 1600)
    assert working.getpixel((800, 800)) != working.getpixel((5, 5))
    assert peak_mb < 64, peak_mb
