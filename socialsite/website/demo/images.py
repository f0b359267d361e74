"""Pictures for the demo site, drawn with Pillow at load time (no downloads).

Every picture is a deterministic function of its seed, so re-running the loader
produces the same bytes."""

import io
import math
import random

import segno
from PIL import Image, ImageDraw, ImageFilter


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def landscape(seed, sky_top, sky_bottom, hills, size=(1600, 1000)):
    """Layered misty hills with tea terraces, in the given palette."""
    rng = random.Random(seed)
    width, height = size
    img = Image.new("RGB", size, sky_top)
    draw = ImageDraw.Draw(img)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_bottom, y / height))
    sun_x, sun_y, sun_r = rng.randint(200, width - 200), rng.randint(120, 300), 70
    draw.ellipse(
        [sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r],
        fill=_mix(sky_bottom, (255, 250, 235), 0.7),
    )
    for layer, colour in enumerate(hills):
        base = height * (0.42 + layer * 0.14)
        amplitude = 60 + layer * 25
        phase = rng.random() * math.tau
        freq = 1.5 + rng.random() * 1.5
        points = [(0, height)]
        for x in range(0, width + 20, 20):
            y = base - amplitude * math.sin(phase + freq * x / width * math.tau) * 0.6
            y -= amplitude * 0.4 * math.sin(phase * 2 + 5 * x / width * math.tau)
            points.append((x, y))
        points.append((width, height))
        hill = Image.new("RGBA", size, (0, 0, 0, 0))
        hill_draw = ImageDraw.Draw(hill)
        hill_draw.polygon(points, fill=(*colour, 255))
        if layer == len(hills) - 1:
            # Tea terraces: rows of bushes on the nearest hill.
            row_colour = (*_mix(colour, (0, 0, 0), 0.18), 255)
            for row in range(int(base) - 40, height, 34):
                hill_draw.arc(
                    [-200, row, width + 200, row + 220],
                    180,
                    360,
                    fill=row_colour,
                    width=9,
                )
            hill = Image.composite(hill, Image.new("RGBA", size, (0, 0, 0, 0)), hill)
        img.paste(hill, (0, 0), hill)
        # Mist between the layers.
        mist = Image.new("RGBA", size, (0, 0, 0, 0))
        mist_draw = ImageDraw.Draw(mist)
        mist_y = int(base + 30)
        mist_draw.rectangle([0, mist_y, width, mist_y + 60], fill=(255, 255, 255, 70))
        mist = mist.filter(ImageFilter.GaussianBlur(30))
        img.paste(mist, (0, 0), mist)
    return _jpeg(img)


def tea_tin(seed, body_colour, label_colour, size=(1200, 1200)):
    """A tea caddy on a soft background: the product shot."""
    rng = random.Random(seed)
    width, height = size
    background = _mix(body_colour, (250, 246, 236), 0.85)
    img = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    # Shadow.
    shadow = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse(
        [width * 0.25, height * 0.82, width * 0.78, height * 0.9], fill=(0, 0, 0, 70)
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(18))
    img.paste(shadow, (0, 0), shadow)
    left, right = width * 0.3, width * 0.7
    top, bottom = height * 0.22, height * 0.85
    draw.rounded_rectangle([left, top, right, bottom], radius=40, fill=body_colour)
    draw.rounded_rectangle(
        [left - 12, top - 60, right + 12, top + 30],
        radius=24,
        fill=_mix(body_colour, (0, 0, 0), 0.25),
    )
    label_top = top + (bottom - top) * 0.32
    draw.rectangle(
        [left, label_top, right, label_top + (bottom - top) * 0.36], fill=label_colour
    )
    # A leaf on the label.
    cx, cy = width / 2, label_top + (bottom - top) * 0.18
    leaf = [
        (cx + 70 * math.sin(t) * math.sin(t / 2) ** 0.3, cy - 90 * math.cos(t))
        for t in [i / 40 * math.tau for i in range(41)]
    ]
    draw.polygon(leaf, fill=body_colour)
    draw.line([(cx, cy - 80), (cx, cy + 85)], fill=label_colour, width=5)
    # Loose leaves scattered in front.
    for _ in range(9):
        x = rng.uniform(width * 0.15, width * 0.85)
        y = rng.uniform(height * 0.86, height * 0.96)
        draw.ellipse([x, y, x + 34, y + 12], fill=_mix(body_colour, (60, 90, 40), 0.5))
    return _jpeg(img)


def _jpeg(img):
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()


def qr_code(text, size=1000):
    """A QR code of `text` (segno), as a JPEG like the other demo pictures."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=20, border=3)
    buffer.seek(0)
    img = Image.open(buffer).convert("RGB").resize((size, size), Image.NEAREST)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()
