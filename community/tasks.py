"""Background work of the community app (django-tasks)."""

import io
import logging

import requests
from django.core.exceptions import ValidationError
from django_tasks import task

from community import app_settings
from community.avatars import render_avatar
from community.models import Profile

logger = logging.getLogger(__name__)


@task()
def fetch_provider_picture(profile_id):
    """Copy a social account's picture into the member's avatar renditions,
    through the same checks as an upload. Failing quietly is fine: the member
    keeps the initial-letter avatar and can upload one."""

    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None or not profile.picture_url or profile.avatar:
        return
    limit = app_settings.AVATAR_MAX_UPLOAD_SIZE
    try:
        with requests.get(profile.picture_url, timeout=10, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(limit + 1, decode_content=True)
        renditions = render_avatar(io.BytesIO(data))
    except (requests.RequestException, ValidationError, OSError) as error:
        logger.info("No avatar from %s: %s", profile.picture_url, error)
        return
    profile.set_avatar(renditions)
