"""An editor raising the capacity moves the waitlist up; invitations record
their editor; after the event, the members who came get the survey link once,
in their language (by frozen time), and post their pictures on the event's
photo board, which the event page shows once it has ended."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale, Page

from community.events import services
from community.events.checks import check_events
from community.events.models import Invitation, Registration
from community.models import Profile
from community.posts.models import PostImage
from community.posts.services import posting_denied
from tests.community.posts.post_helpers import make_board
from tests.factories import MemberFactory, PostFactory

# Raising the capacity.


def waitlist(event):
    return list(
        Registration.objects.filter(event=event, status="waitlisted")
        .order_by("queued_at", "pk")
        .values_list("user_id", flat=True)
    )


def subjects_to(member):
    return [m.subject for m in mail.outbox if m.to == [member.email]]


def publish(event, **fields):
    for name, value in fields.items():
        setattr(event, name, value)
    event.save_revision().publish()


def test_raised_capacity_promotes_the_waitlist_in_order(make_event, commits):
    event = make_event(capacity=2)
    members = [MemberFactory() for _ in range(5)]
    for member in members:
        services.register(event, member)
    first, second, third = waitlist(event)
    mail.outbox.clear()

    with commits(execute=True):
        publish(event, capacity=4)
    assert waitlist(event) == [third]
    promoted = [m for m in members if m.pk in (first, second)]
    for member in promoted:
        assert subjects_to(member) == [f"A place is yours: {event.title}"]
    assert Registration.objects.filter(event=event, status="registered").count() == 4

    # Publishing again without a change moves nobody; no limit takes everyone.
    with commits(execute=True):
        publish(event, title=event.title)
    assert waitlist(event) == [third]
    with commits(execute=True):
        publish(event, capacity=None)
    assert waitlist(event) == []


def test_lowered_capacity_demotes_nobody(make_event):
    event = make_event(capacity=3)
    for _ in range(4):
        services.register(event, MemberFactory())
    publish(event, capacity=1)
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status="registered").count() == 3
    assert rows.filter(status="waitlisted").count() == 1


def test_cancelled_or_started_event_promotes_nobody(make_event):
    event = make_event(capacity=1)
    services.register(event, MemberFactory())
    waiting = MemberFactory()
    services.register(event, waiting)
    publish(event, capacity=5, cancelled=True)
    assert Registration.objects.get(user=waiting).status == "waitlisted"
    publish(event, cancelled=False, capacity=1)
    with time_machine.travel(event.start_at + datetime.timedelta(minutes=5)):
        publish(event, capacity=5)
    assert Registration.objects.get(user=waiting).status == "waitlisted"


# Invitations.


def test_invitation_records_its_editor_and_the_admin_shows_it(client, event):
    editor = MemberFactory(
        is_staff=True, is_superuser=True, first_name="Mei", last_name="Lin"
    )
    client.force_login(editor)
    add = reverse("wagtailsnippets_community_events_invitation:add")
    response = client.post(add, {"event": event.pk, "note": "Tea master"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(event=event, note="Tea master")
    assert invitation.created_by == editor

    listing = client.get(
        reverse("wagtailsnippets_community_events_invitation:list")
    ).content.decode()
    assert "Created by" in listing and str(editor) in listing
    inspect = client.get(
        reverse(
            "wagtailsnippets_community_events_invitation:inspect",
            args=[invitation.pk],
        )
    ).content.decode()
    assert str(editor) in inspect


# The post-event survey.


@pytest.fixture
def survey(home):
    page = Page(title="How was the tasting?", slug=f"survey-{Page.objects.count()}")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def attended(event, member, present=True):
    registration = services.register(event, member)
    if present:
        Registration.objects.filter(pk=registration.pk).update(
            checked_in_at=event.start_at
        )
    return registration


def surveys_to(member):
    return [m for m in mail.outbox if m.to == [member.email] and "coming" in m.subject]


def test_survey_link_goes_once_to_who_came_after_the_end(make_event, survey):
    event = make_event(survey_page=survey)
    came, stayed_home, left = MemberFactory(), MemberFactory(), MemberFactory()
    attended(event, came)
    attended(event, stayed_home, present=False)
    attended(event, left)
    services.cancel(event, left)
    mail.outbox.clear()

    with time_machine.travel(event.end_at - datetime.timedelta(minutes=1), tick=False):
        call_command("events_send_surveys", stdout=None)
    assert surveys_to(came) == []

    with time_machine.travel(event.end_at + datetime.timedelta(hours=1), tick=False):
        for _ in range(3):
            call_command("events_send_surveys", stdout=None)
    [message] = surveys_to(came)
    assert message.subject == f"Thank you for coming: {event.title}"
    assert survey.get_full_url() in message.body
    assert survey.get_full_url() in message.alternatives[0][0]
    assert message.attachments == []
    assert surveys_to(stayed_home) == [] and surveys_to(left) == []


def test_no_survey_without_a_live_page_or_long_after(make_event, survey):
    no_survey = make_event()
    attended(no_survey, MemberFactory())
    old = make_event(survey_page=survey)
    member = MemberFactory()
    attended(old, member)
    mail.outbox.clear()
    with time_machine.travel(old.end_at + datetime.timedelta(days=8), tick=False):
        call_command("events_send_surveys", stdout=None)
    assert mail.outbox == []
    assert Registration.objects.get(user=member).survey_sent_at is None


def test_survey_in_the_members_language(make_event, survey):
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    translated = survey.copy_for_translation(zh, copy_parents=True)
    translated.title = "品鉴会感受如何？"
    translated.save_revision().publish()
    event = make_event(survey_page=survey, title="龙井品鉴会")
    member = MemberFactory()
    profile = Profile.for_user(member)
    profile.language = "zh-hans"
    profile.save()
    registration = attended(event, member)
    Registration.objects.filter(pk=registration.pk).update(language="")
    mail.outbox.clear()
    with time_machine.travel(event.end_at + datetime.timedelta(hours=2), tick=False):
        call_command("events_send_surveys", stdout=None)
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    start = event.local_start()
    assert f"{start.year}年{start.month}月{start.day}日" in message.body
    translated.refresh_from_db()
    assert translated.get_full_url() in message.body
    assert survey.get_full_url() not in message.body


# The photo board.


@pytest.fixture
def board(home):
    return make_board(home, who_may_post="members", allow_photos=True)


def test_only_attendees_post_on_the_photo_board_once_it_started(
    make_event, board, home
):
    event = make_event(photo_board=board)
    outsider, going, waiting = MemberFactory(), MemberFactory(), MemberFactory()
    publish(event, capacity=1)
    services.register(event, going)
    services.register(event, waiting)

    assert "attendees" in str(posting_denied(board, outsider))
    assert "once the event has started" in str(posting_denied(board, going))
    with time_machine.travel(event.start_at + datetime.timedelta(minutes=10)):
        assert posting_denied(board, going) is None
        assert "attendees" in str(posting_denied(board, waiting))
        assert "attendees" in str(posting_denied(board, outsider))
    # A board of no event is left to its own rules.
    other = make_board(home, who_may_post="members")
    assert posting_denied(other, outsider) is None


def test_board_page_tells_an_outsider_why_not(client, make_event, board):
    make_event(photo_board=board)
    client.force_login(MemberFactory())
    page = client.get(board.url).content.decode()
    assert "Only the event&#x27;s attendees can post photos here." in page


def test_event_page_shows_the_photos_after_the_end(client, make_event, board):
    event = make_event(photo_board=board)
    member = MemberFactory()
    services.register(event, member)
    post = PostFactory(board=board, author=member, kind="photo", title="Steam")
    PostImage.objects.create(
        post=post,
        image="community/posts/steam.webp",
        thumbnail="community/posts/steam-t.webp",
    )
    PostFactory(board=board, title="Words only")
    client.force_login(member)
    before = client.get(event.url).content.decode()
    assert "Steam" not in before and "Photos" not in before
    with time_machine.travel(event.end_at + datetime.timedelta(hours=1)):
        after = client.get(event.url).content.decode()
    assert "Steam" in after and "Words only" not in after
    assert board.url in after and "Post your photos" in after


@pytest.mark.parametrize("value", [0, -5, "7 days", True])
def test_bad_survey_within_is_a_system_error(settings, value):
    settings.COMMUNITY_EVENTS_SURVEY_WITHIN = value
    assert "community_events.E004" in [e.id for e in check_events(None)]


def test_good_survey_within_passes(settings):
    settings.COMMUNITY_EVENTS_SURVEY_WITHIN = 3600
    assert "community_events.E004" not in [e.id for e in check_events(None)]
