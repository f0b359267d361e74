"""Background work of the community app (django-tasks)."""

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django_tasks import task

from community.avatars import render_avatar
from community.fetch import FetchError, fetch_picture
from community.images import delete_files
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
    try:
        data = fetch_picture(profile.picture_url)
        renditions = render_avatar(io.BytesIO(data))
    except (FetchError, ValidationError, OSError) as error:
        logger.info("No avatar from %s: %s", profile.picture_url, error)
        return
    profile.set_avatar(renditions)


@task()
def process_avatar(profile_id, upload_name):
    """Render an uploaded avatar (stored as it came by
    `community.avatars.keep_upload`, already checked by its header) into the
    member's renditions, then delete the upload. A picture that cannot be
    decoded is dropped: the member keeps the avatar they had."""

    try:
        profile = Profile.objects.filter(pk=profile_id).first()
        if profile is None or not default_storage.exists(upload_name):
            return
        try:
            with default_storage.open(upload_name, "rb") as source:
                renditions = render_avatar(source)
        except (ValidationError, OSError) as error:
            logger.info("Avatar upload of profile %s dropped: %s", profile_id, error)
            return
        profile.set_avatar(renditions)
    finally:
        delete_files([upload_name])
