"""Shared pieces of the posts tests: a fresh board, pictures (with EXIF),
uploads."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.posts.models import CommunityBoardPage


def make_board(home, **fields):
    defaults = {
        "title": "Test board",
        "slug": f"test-board-{CommunityBoardPage.objects.count()}",
        "allow_stories": True,
        "allow_photos": True,
        "allow_reviews": True,
        "allow_questions": True,
        "moderation": "post",
        "who_may_post": "verified",
    }
    defaults.update(fields)
    board = CommunityBoardPage(**defaults)
    home.add_child(instance=board)
    board.save_revision().publish()
    return board


def jpeg_with_gps(size=(800, 600), colour=(40, 120, 80)):
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png(size=(300, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 120)).save(out, format="PNG")
    return out.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
