"""The demo's events: upcoming and past tea tastings in Hangzhou and Shanghai,
in both languages, the past ones with their attendance, survey and photo
board; loading again adds nothing."""

import io

from django.core.management import call_command
from django.utils import timezone

from community.events.models import EventIndexPage, EventPage, Registration
from community.events.services import attendance
from community.posts.models import Post
from socialsite.website.demo.events import EVENTS, PHOTOS
from tests.rich_results import json_ld, problems


def test_demo_events_in_both_languages_and_cities(demo_site, client):
    now = timezone.now()
    for language, cities in (
        ("en", {"Hangzhou", "Shanghai"}),
        ("zh-hans", {"杭州", "上海"}),
    ):
        events = EventPage.objects.live().filter(locale__language_code=language)
        upcoming = events.filter(start_at__gt=now)
        past = events.filter(end_at__lt=now)
        assert set(upcoming.values_list("city", flat=True)) == cities
        assert set(past.values_list("city", flat=True)) == cities
        index = EventIndexPage.objects.get(
            locale__language_code=language, slug="events"
        )
        html = client.get(index.url).content.decode()
        for event in upcoming:
            assert event.title in html
        page = client.get(upcoming.first().url).content.decode()
        [data] = [item for item in json_ld(page) if item.get("@type") == "Event"]
        assert problems(data) == []
    past_event = EventPage.objects.get(
        locale__language_code="en", slug="autumn-oolong-tasting-hangzhou"
    )
    numbers = attendance(past_event)
    assert numbers["present"] == 3 and numbers["registered"] == 4
    assert numbers["no_show_rate"] == 25.0


def test_past_demo_events_have_a_survey_and_their_photos(demo_site, client):
    now = timezone.now()
    past = EventPage.objects.live().filter(end_at__lt=now)
    assert past.count() == 4
    for event in past:
        assert event.survey_page is not None and event.survey_page.live
        assert event.photo_board is not None
        assert event.photo_board.locale_id == event.locale_id
        assert event.survey_page.locale_id == event.locale_id
    page = client.get(
        EventPage.objects.get(
            locale__language_code="en", slug="autumn-oolong-tasting-hangzhou"
        ).url
    ).content.decode()
    for _slug, language, _member, title in PHOTOS:
        if language == "en":
            assert title in page
    upcoming = EventPage.objects.live().filter(start_at__gt=now)
    assert not upcoming.filter(photo_board__isnull=False).exists()


def demo_counts():
    slugs = [spec[0] for spec in EVENTS]
    return (
        EventPage.objects.filter(slug__in=slugs).count(),
        Registration.objects.filter(event__slug__in=slugs).count(),
        Post.objects.filter(board__slug="tasting-photos").count(),
    )


def test_loading_the_demo_again_adds_no_events(demo_site):
    before = demo_counts()
    assert before[0] == 2 * len(EVENTS)
    call_command("load_demo_data", stdout=io.StringIO())
    assert demo_counts() == before
