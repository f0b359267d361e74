"""Suspending members: for a while (until a date) or until a moderator lifts
it, with a reason the member reads in their language (a reason template of
COMMUNITY_SUSPENSION_REASONS, the moderator's own words, or both). The member
is told by e-mail, in their language, when suspended, when the suspension
changes and when it is lifted early."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task
from wagtail.models import Site

from community.formats import human_datetime
from community.models import Profile
from community.notifications import send

SUSPENDED = "suspended"
REINSTATED = "reinstated"


def suspend(profile, *, reason="", template="", until=None, notify=True):
    """Suspend the member of `profile` now, until `until` (None: until a
    moderator lifts it); they hear of it by e-mail after the commit."""
    profile.suspend(reason, until=until, template=template)
    if notify:
        notify_member(profile, SUSPENDED)


def lift(profile, *, notify=True):
    """Lift the suspension; the member hears of it if it was still on."""
    was_suspended = profile.is_suspended
    profile.lift_suspension()
    if notify and was_suspended:
        notify_member(profile, REINSTATED)


def notify_member(profile, event):
    """E-mail the member about `event` (SUSPENDED or REINSTATED), in the
    background once the current transaction commits."""
    transaction.on_commit(lambda: send_suspension_notice.enqueue(profile.pk, event))


def member_language(profile):
    """The language the member last used the site in, else the site's."""
    language = profile.language or settings.LANGUAGE_CODE
    return language if translation.check_for_language(language) else None


@task()
def send_suspension_notice(profile_id, event):
    """Tell the member they are suspended (why, until when) or reinstated.
    Nothing is sent when the state changed again since, or without an
    e-mail address."""
    profile = Profile.objects.select_related("user").filter(pk=profile_id).first()
    if profile is None or not profile.user.email or not profile.user.is_active:
        return False
    if (event == SUSPENDED) != profile.is_suspended:
        return False
    site = Site.objects.filter(is_default_site=True).first()
    language = member_language(profile)
    with translation.override(language):
        context = {
            "profile": profile,
            "name": profile.name,
            "reason": profile.suspension_message,
            "until": human_datetime(profile.suspended_until)
            if profile.suspended_until
            else "",
            "site_name": site.site_name if site and site.site_name else "",
            "site_url": site.root_url if site else "",
        }
    send(f"community/email/member_{event}", profile.user.email, language, context)
    return True
