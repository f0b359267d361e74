import datetime
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.models import Page, Site

from community.events.models import EventIndexPage, EventPage
from tests.factories import MemberFactory

_numbers = itertools.count(1)


@pytest.fixture
def home(db):
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_page()


@pytest.fixture
def event_index(home):
    index = EventIndexPage(title="Events", slug=f"events-{next(_numbers)}-test")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_event(event_index):
    def make(**fields):
        start = (timezone.now() + datetime.timedelta(days=3)).replace(
            second=0, microsecond=0
        )
        defaults = {
            "title": "Longjing tasting",
            "slug": f"tasting-{next(_numbers)}",
            "description": "<p>Taste the spring harvest.</p>",
            "start_at": start,
            "end_at": start + datetime.timedelta(hours=2),
            "time_zone": "Asia/Shanghai",
            "city": "Hangzhou",
            "venue_name": "Cloudmist tea house",
            "venue_address": "1 Longjing Road, Hangzhou",
            "capacity": 20,
            "who_may_register": "members",
        }
        defaults.update(fields)
        event = EventPage(**defaults)
        event_index.add_child(instance=event)
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def staff(db):
    user = MemberFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="community_events", codename="check_in"
        )
    )
    return user


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits(execute=True):` runs what waits for the commit (the
    e-mails) at the end of the block."""
    return django_capture_on_commit_callbacks
