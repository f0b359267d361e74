"""Event pages, their index, members' registrations and editors' invitations.

An `EventPage` takes registrations up to its capacity, then a waitlist
(`community.events.services` does every change, in a transaction that locks
the event's row); a registration's ticket is a signed token
(`community.events.tickets`) shown as a QR code and scanned at the door.
"""

import secrets
import zoneinfo
from urllib.parse import quote, urlencode

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from community.adapter import get_adapter
from community.events.blocks import QUESTION_BLOCKS
from community.events.tickets import invitation_token
from sharing.models import ShareablePageMixin

#: Largest capacity an editor may set (an integer column's range is far above).
MAX_CAPACITY = 1_000_000


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def default_time_zone():
    return settings.TIME_ZONE


def board_page_type():
    """What the photo board chooser offers: the posts app's boards when it is
    installed (events work without it), else any page."""
    if apps.is_installed("community.posts"):
        return "community_posts.CommunityBoardPage"
    return "wagtailcore.Page"


def new_ticket_nonce():
    return secrets.token_urlsafe(12)


class RoutedPage(RoutablePageMixin, Page):
    """Routes are thin wrappers over the views of `views_module`, looked up by
    name when a request comes (the views import the services, which import
    this module), as the posts app's boards do."""

    views_module = "community.events.views"

    class Meta:
        abstract = True

    def route_view(self, name):
        return import_string(f"{self.views_module}.{name}")


class EventIndexPage(ShareablePageMixin, RoutedPage):
    """The events below it: upcoming or past, by city, as a list or a month
    calendar, and as an iCalendar feed."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["community_events.EventPage"]
    template = "community_events/event_index_page.html"
    share_description_fallbacks = ("search_description", "intro_text")

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    def intro_text(self):
        return get_text_for_indexing(self.intro or "")

    def events(self):
        """The live events below this index in its language."""
        return EventPage.objects.live().child_of(self).specific()

    @path("")
    def index_route(self, request):
        return self.route_view("event_index")(request, self)

    @path("calendar/", name="calendar")
    def calendar_route(self, request):
        return self.route_view("event_calendar")(request, self)

    @path("ical/", name="ical")
    def ical_route(self, request):
        return self.route_view("event_index_ical")(request, self)


class EventPage(ShareablePageMixin, RoutedPage):
    """One event: where and when, who may come, how many; members register
    from the page, get a ticket, and are checked in at the door."""

    class Registrants(models.TextChoices):
        MEMBERS = "members", _("Every signed-in member")
        VERIFIED = "verified", _("Members with a confirmed e-mail address")
        INVITED = "invited", _("Invited members only")

    description = RichTextField(
        _("description"), features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    start_at = models.DateTimeField(_("starts at"))
    end_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        help_text=_("The times are shown in the time zone of the venue."),
    )
    city = models.CharField(
        _("city"), max_length=80, blank=True, help_text=_("Visitors filter by it.")
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Map links search for it on Amap, Baidu Maps and OpenStreetMap."),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_(
            "For online or hybrid events: where to join (shown to registered members)."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text=_("Empty: no limit. When full, members join a waitlist."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event starts."),
    )
    who_may_register = models.CharField(
        _("who may register"),
        max_length=10,
        choices=Registrants.choices,
        default=Registrants.VERIFIED,
    )
    questions = StreamField(
        QUESTION_BLOCKS,
        blank=True,
        verbose_name=_("registration questions"),
    )
    cancelled = models.BooleanField(
        _("event cancelled"),
        default=False,
        help_text=_("The page stays, marked as cancelled; nobody can register."),
    )
    survey_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("post-event survey"),
        help_text=_(
            "A page with a survey or form. After the event, the members who "
            "were checked in get a link to it by e-mail, once."
        ),
    )
    photo_board = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo board"),
        help_text=_(
            "A community board where attendees post their pictures: only the "
            "event's registered members may post there once it has started; "
            "the event page shows the latest after the event."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
                FieldPanel("time_zone"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [
                        FieldPanel("registration_opens_at"),
                        FieldPanel("registration_closes_at"),
                    ]
                ),
                FieldPanel("who_may_register"),
                FieldPanel("questions"),
                FieldPanel("cancelled"),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("survey_page"),
                PageChooserPanel("photo_board", page_type=board_page_type()),
            ],
            heading=_("After the event"),
        ),
    ]
    parent_page_types = ["community_events.EventIndexPage"]
    subpage_types = []
    template = "community_events/event_page.html"
    share_description_fallbacks = ("search_description", "description_text")

    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("venue_name"),
        index.SearchField("city"),
        index.FilterField("start_at"),
    ]

    class Meta:
        verbose_name = pgettext_lazy("offline event", "event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        try:
            zoneinfo.ZoneInfo(self.time_zone or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = _("Enter a time zone such as Asia/Shanghai.")
        if self.start_at and self.end_at and self.end_at < self.start_at:
            errors["end_at"] = _("The event cannot end before it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            errors["registration_closes_at"] = _(
                "Registration cannot close before it opens."
            )
        if not (self.venue_address or self.venue_name or self.online_url):
            errors["venue_name"] = _("Give a venue or an online link.")
        if errors:
            raise ValidationError(errors)

    # What the page shows.

    @property
    def tz(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return timezone.get_current_timezone()

    def local_start(self):
        return timezone.localtime(self.start_at, self.tz)

    def local_end(self):
        return timezone.localtime(self.end_at, self.tz)

    def description_text(self):
        return get_text_for_indexing(self.description or "")

    @property
    def is_past(self):
        return self.end_at <= timezone.now()

    @property
    def has_started(self):
        return self.start_at <= timezone.now()

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def is_offline(self):
        return bool(self.venue_name or self.venue_address)

    def registration_closes(self):
        return self.registration_closes_at or self.start_at

    def registration_state(self, now=None):
        """ "cancelled", "not_open", "closed" or "open"."""
        now = now or timezone.now()
        if self.cancelled:
            return "cancelled"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_open"
        if now >= self.registration_closes():
            return "closed"
        return "open"

    def map_links(self):
        """[(name, url)]: the address searched on each map, plain links
        (no third-party script on the page)."""
        query = self.venue_address or self.venue_name
        if not query:
            return []
        q = quote(query)
        return [
            (_("Amap"), f"https://uri.amap.com/search?keyword={q}"),
            (
                _("Baidu Maps"),
                f"https://api.map.baidu.com/geocoder?address={q}&output=html&src=socialsite",
            ),
            (_("OpenStreetMap"), f"https://www.openstreetmap.org/search?query={q}"),
        ]

    def registered_count(self):
        return self.registrations.filter(status=Registration.Status.REGISTERED).count()

    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count(), 0)

    # Routes.

    @path("")
    def index_route(self, request):
        return self.route_view("event_detail")(request, self)

    @path("register/", name="register")
    def register_route(self, request):
        return self.route_view("event_register")(request, self)

    @path("cancel/", name="cancel")
    def cancel_route(self, request):
        return self.route_view("event_cancel")(request, self)

    @path("ical/", name="ical")
    def ical_route(self, request):
        return self.route_view("event_ical")(request, self)

    @path("invitation/", name="invitation")
    def invitation_route(self, request):
        # The token goes in the query string: Wagtail's page URLs take only
        # letters, digits, "-" and "_" in a path segment.
        return self.route_view("event_invitation")(request, self)


class RegistrationQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    """A member's place at an event (or on its waitlist)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        EventPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=pgettext_lazy("offline event", "event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    invited = models.BooleanField(_("invited"), default=False)
    language = models.CharField(_("language"), max_length=15, blank=True)
    #: Changes on every new registration of the same member, so the token of a
    #: cancelled ticket never works again.
    ticket_nonce = models.CharField(max_length=32, default=new_ticket_nonce)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    #: The waitlist's order: when the member joined it.
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)
    survey_sent_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="community_events_one_per_member"
            )
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]
        permissions = [("check_in", _("Can check members in at the door"))]

    def __str__(self):
        return f"{self.user} · {self.event}"

    def author_name(self):
        return get_adapter().author_name(self.user)

    @property
    def member_email(self):
        return self.user.email


class Invitation(models.Model):
    """An editor's invitation: a link that registers one member, past the
    event's capacity and its "invited only" rule. Used once."""

    event = models.ForeignKey(
        EventPage,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=pgettext_lazy("offline event", "event"),
    )
    note = models.CharField(
        _("for"),
        max_length=200,
        blank=True,
        help_text=_("Whom the link is for (only editors see it)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("used by"),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    panels = [FieldPanel("event"), FieldPanel("note")]

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.event} · {self.note or self.pk}"

    def url(self):
        event = self.event.specific
        query = urlencode({"key": invitation_token(self)})
        return f"{event.get_full_url()}{event.reverse_subpage('invitation')}?{query}"
