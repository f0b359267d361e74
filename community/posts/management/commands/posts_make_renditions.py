"""Make the renditions a post picture lacks (pictures stored before the
800 px, JPEG and link-preview renditions existed), from its stored 1600 px
picture. Idempotent: a picture with all its renditions is left alone.

    manage.py posts_make_renditions
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from community.posts.models import PostImage
from community.posts.pictures import remake_missing_renditions


class Command(BaseCommand):
    help = "Make the renditions that stored post pictures lack."

    def handle(self, *args, **options):
        made = failed = 0
        for picture in PostImage.objects.order_by("pk").iterator(chunk_size=200):
            try:
                made += remake_missing_renditions(picture)
            except (OSError, ValueError, ValidationError) as error:
                failed += 1
                self.stderr.write(f"Picture {picture.pk}: {error}")
        self.stdout.write(f"{made} renditions made, {failed} pictures failed.")
