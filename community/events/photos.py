"""An event's photo board: a community board (community.posts, when it is
installed) chosen on the event, where its attendees post their pictures.

Only the event's registered members may post there, once the event has
started (the posts app asks through its "community_posts_posting_denied"
hook); the event page shows the latest pictures after the event. The posts
app's models are looked up by label, so the events app works without it.
"""

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from community.events.models import EventPage, Registration

#: Pictures shown on an event's page after it ends.
SHOWN = 6


def posting_denied(board, user):
    """None when `user` may post on `board`, else why not: a photo board of
    events takes posts from their registered members, once an event has
    started. Boards of no event are left alone."""
    events = list(EventPage.objects.filter(photo_board_id=board.pk))
    if not events:
        return None
    if not user.is_authenticated:
        return _("Only the event's attendees can post photos here.")
    attended = Registration.objects.filter(
        event__in=events, user=user, status=Registration.Status.REGISTERED
    ).select_related("event")
    if not attended:
        return _("Only the event's attendees can post photos here.")
    now = timezone.now()
    if all(registration.event.start_at > now for registration in attended):
        return _("Photos can be posted here once the event has started.")
    return None


def latest_photos(event, limit=SHOWN):
    """The latest published posts with pictures on the event's photo board
    (none without a board or without the posts app)."""
    if not event.photo_board_id or not apps.is_installed("community.posts"):
        return []
    post_model = apps.get_model("community_posts", "Post")
    return list(
        post_model.objects.published()
        .filter(board_id=event.photo_board_id, images__isnull=False)
        .distinct()
        .select_related("author__community_profile", "board")
        .prefetch_related("images", "tags")
        .order_by("-published_at", "-pk")[:limit]
    )
