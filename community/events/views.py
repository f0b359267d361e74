"""Views of events: routed by `EventIndexPage` and `EventPage` (list,
calendar, feeds, registration), plus the member's registrations and the
check-in page at the door (`community.events.urls`). Every write is a POST,
rate-limited, and checks who asks; bad input gets a message, never a 500."""

import calendar as month_calendar
import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import ratelimit
from community.events import app_settings, ical, photos, services, tickets
from community.events.forms import RegistrationForm
from community.events.models import EventPage, Registration
from community.events.structured_data import event_json_ld
from sharing import pagecache

CHECK_IN_PERMISSION = "community_events.check_in"
SCAN_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def clean_param(value, max_length=80):
    """A query-string value without NUL bytes and surrounding space."""
    value = (value or "").replace("\x00", "").strip()
    return value[:max_length]


def paginate(request, items):
    paginator = Paginator(items, app_settings.PER_PAGE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(max(paginator.num_pages, 1))


# The index: list, calendar, feed.


def event_index(request, index):
    now = timezone.now()
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    city = clean_param(request.GET.get("city"))
    events = index.events()
    cities = sorted({c for c in events.values_list("city", flat=True) if c})
    if city:
        events = events.filter(city=city)
    if when == "past":
        events = events.filter(end_at__lte=now).order_by("-start_at")
    else:
        events = events.filter(end_at__gt=now).order_by("start_at")
    page = paginate(request, events)
    return index.render(
        request,
        context_overrides={
            "events": page.object_list,
            "paginator_page": page,
            "when": when,
            "city": city,
            "cities": cities,
        },
    )


def parse_month(value, today):
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return year, month
    return today.year, today.month


def event_calendar(request, index):
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    city = clean_param(request.GET.get("city"))
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, month_calendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tz)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tz
    )
    events = (
        index.events().filter(start_at__lt=end, end_at__gt=start).order_by("start_at")
    )
    if city:
        events = events.filter(city=city)
    by_day = {}
    for event in events:
        day = event.local_start().date()
        by_day.setdefault(day, []).append(event)
    weeks = [
        [
            {"date": day, "in_month": day.month == month, "events": by_day.get(day, [])}
            for day in week
        ]
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(
            year, month
        )
    ]
    previous = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    following = (last + datetime.timedelta(days=1)).strftime("%Y-%m")
    return TemplateResponse(
        request,
        "community_events/event_calendar.html",
        {
            "page": index,
            "self": index,
            "weeks": weeks,
            "month": first,
            "previous_month": previous,
            "next_month": following,
            "city": city,
            "events": events,
            "weekdays": [formats.date_format(day["date"], "D") for day in weeks[0]],
        },
    )


def event_index_ical(request, index):
    since = timezone.now() - datetime.timedelta(days=90)
    events = index.events().filter(end_at__gte=since).order_by("start_at")
    return HttpResponse(
        ical.calendar(events, name=index.title),
        content_type="text/calendar; charset=utf-8",
    )


# One event.


def _registration(request, event):
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def event_detail(request, event, form=None, invitation=None, status=200):
    pagecache.depend(request, services.registrations_tag(event.pk))
    registration = _registration(request, event)
    shown_photos = []
    if event.photo_board_id and event.is_past:
        # The posts app takes this tag out of the cache on a change to the
        # board's posts.
        pagecache.depend(request, f"community_posts.board-posts:{event.photo_board_id}")
        shown_photos = photos.latest_photos(event)
    context = {
        "photos": shown_photos,
        "photo_board": event.photo_board if event.photo_board_id else None,
        "registration": registration,
        "form": form or RegistrationForm(event),
        "places_left": event.places_left(),
        "structured_data": event_json_ld(event, request),
        "invitation": invitation,
        "denied": None,
    }
    if registration is None and request.user.is_authenticated:
        context["denied"] = services.registration_denied(
            event, request.user, invited=invitation is not None, request=request
        )
    if (
        registration is not None
        and registration.status == Registration.Status.REGISTERED
    ):
        token = tickets.ticket_token(registration)
        context["ticket_qr"] = tickets.qr_svg(token)
    response = event.render(request, context_overrides=context)
    response.status_code = status
    return response


def _rate_limited(request):
    return not ratelimit.consume(
        request, "event_registration", app_settings.RATE_LIMITS
    )


def event_register(request, event, invitation=None):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    if _rate_limited(request):
        messages.error(request, _("Too many requests. Wait a minute and try again."))
        return event_detail(request, event, status=429)
    form = RegistrationForm(event, request.POST)
    if not form.is_valid():
        return event_detail(
            request, event, form=form, invitation=invitation, status=400
        )
    try:
        registration = services.register(
            event,
            request.user,
            answers=form.answers(),
            invitation=invitation,
            request=request,
        )
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event.url)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(
            request, _("You are registered. Your ticket is below and in your e-mail.")
        )
    else:
        messages.info(
            request,
            _(
                "The event is full: you are on the waitlist. We will e-mail you "
                "if a place frees up."
            ),
        )
    return redirect(event.url + "#registration")


def event_cancel(request, event):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    back = request.POST.get("next") or event.url
    if back != event.url and back != _my_url():
        back = event.url
    if _rate_limited(request):
        messages.error(request, _("Too many requests. Wait a minute and try again."))
        return redirect(back)
    try:
        services.cancel(event, request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(back)


def event_ical(request, event):
    response = HttpResponse(
        ical.calendar([event]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response


def event_invitation(request, event):
    """An editor's invitation link: the event page with a form that
    registers past capacity (GET shows it, POST registers)."""
    try:
        invitation = services.use_invitation_token(request.GET.get("key", ""))
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect(event.url)
    if invitation.event_id != event.pk:
        messages.error(request, _("This invitation is for another event."))
        return redirect(event.url)
    if request.method == "POST":
        return event_register(request, event, invitation=invitation)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if invitation.used_by_id not in (None, request.user.pk):
        messages.error(request, _("This invitation has already been used."))
        return redirect(event.url)
    return event_detail(request, event, invitation=invitation)


# The member's registrations.


def _my_url():
    return reverse("community_events:mine")


@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("-event__start_at")
    )
    now = timezone.now()
    return TemplateResponse(
        request,
        "community_events/my_registrations.html",
        {
            "upcoming": [r for r in registrations if r.event.end_at > now],
            "past": [r for r in registrations if r.event.end_at <= now],
            "page_title": _("My events"),
        },
    )


@login_required
def ticket(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event"),
        pk=pk,
        user=request.user,
        status=Registration.Status.REGISTERED,
    )
    return TemplateResponse(
        request,
        "community_events/ticket.html",
        {
            "registration": registration,
            "event": registration.event,
            "ticket_qr": tickets.qr_svg(tickets.ticket_token(registration)),
            "page_title": _("Ticket"),
        },
    )


# At the door.


def _staff_event(request, pk):
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not request.user.has_perm(CHECK_IN_PERMISSION):
        raise PermissionDenied(
            _("Only staff with the check-in permission can do this.")
        )
    event = EventPage.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


@require_http_methods(["GET", "POST"])
def check_in_page(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _staff_event(request, pk)
    outcome = None
    if request.method == "POST":
        if not ratelimit.consume(request, "event_check_in", app_settings.RATE_LIMITS):
            outcome = services.CheckIn("refused", _("Too many scans. Wait a minute."))
        else:
            registration = None
            raw = clean_param(request.POST.get("registration"), 20)
            if raw.isascii() and raw.isdigit() and len(raw) < 19:
                registration = (
                    Registration.objects.select_related("user", "event")
                    .filter(pk=int(raw), event=event)
                    .first()
                )
            if registration is None:
                outcome = services.CheckIn(
                    "refused", _("No such registration for this event.")
                )
            else:
                outcome = services.check_in(registration, request.user)
    query = clean_param(request.GET.get("q") or request.POST.get("q"), 100)
    results = []
    if query:
        results = list(
            Registration.objects.filter(event=event)
            .exclude(status=Registration.Status.CANCELLED)
            .filter(models_q_name(query))
            .select_related("user", "user__community_profile")
            .order_by("user__username")[:20]
        )
    response = TemplateResponse(
        request,
        "community_events/check_in.html",
        {
            "event": event,
            "outcome": outcome,
            "query": query,
            "results": results,
            "counts": services.attendance(event),
            "page_title": _("Check-in: %(event)s") % {"event": event.title},
        },
        status=200 if outcome is None or outcome.ok else 409,
    )
    # The scanner needs the camera, which a site's Permissions-Policy may
    # keep off elsewhere (the project's middleware reads this attribute).
    response._permissions_policy_update = {"camera": ["self"]}
    return response


def models_q_name(query):
    return (
        Q(user__community_profile__display_name__icontains=query)
        | Q(user__username__icontains=query)
        | Q(user__first_name__icontains=query)
        | Q(user__last_name__icontains=query)
        | Q(user__email__iexact=query)
    )


@require_POST
def check_in_scan(request, pk):
    """A scanned ticket, from the check-in page's script: JSON in, JSON out."""
    if not request.user.is_authenticated or not request.user.has_perm(
        CHECK_IN_PERMISSION
    ):
        return JsonResponse(
            {
                "ok": False,
                "state": "refused",
                "message": _("Only staff with the check-in permission can do this."),
            },
            status=403,
        )
    event = _staff_event(request, pk)
    if not ratelimit.consume(request, "event_check_in", app_settings.RATE_LIMITS):
        return JsonResponse(
            {
                "ok": False,
                "state": "refused",
                "message": _("Too many scans. Wait a minute."),
            },
            status=429,
        )
    token = request.POST.get("token", "")
    scan_id = request.POST.get("scan_id", "")
    if not SCAN_ID.match(scan_id):
        scan_id = None
    outcome = services.check_in_token(event, token, request.user, scan_id=scan_id)
    return JsonResponse(outcome.as_dict(), status=200 if outcome.ok else 409)
