"""Views of campaigns and surveys (routed by `CampaignPage` and served by
`SurveyPage`). The board's other routes (editing and deleting one's entry,
likes, reports) are community.posts' own views. Campaign pages show dates,
a countdown and a member's own state, so they are never stored in the page
cache."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from community.campaigns import app_settings, referrals, services, surveys
from community.responses import refuse, wants_json


def _private(response):
    patch_cache_control(response, private=True, no_cache=True)
    return response


def survey_context(request, page, *, errors=None, answers=None):
    """What a survey form shows: its steps, whether it is open, whether this
    member or browser answered it already."""
    if not page.has_survey:
        return {}
    denied, sign_in = None, False
    if not page.survey_open():
        denied = _("This survey is closed.")
    elif not request.user.is_authenticated and (
        # Only members say their region (a rule the page's validation keeps).
        not page.survey_anonymous or page.region_list()
    ):
        denied, sign_in = _("Sign in to answer this survey."), True
    elif page.region_list():
        denied = page.region_denied(request.user)
    return {
        "survey_steps": surveys.steps(page),
        "survey_denied": denied,
        "survey_sign_in": sign_in,
        "survey_answered": surveys.already_answered(page, request),
        "survey_errors": errors or {},
        "survey_answers": answers or {},
    }


def campaign_context(request, campaign):
    now = timezone.now()
    sort = services.clean_sort(request.GET.get("sort"))
    context = {
        "now": now,
        "state": campaign.state(now),
        "state_label": campaign.State(campaign.state(now)).label,
        "next_moment": campaign.next_moment(now),
        "voting_open": campaign.voting_open(now),
        "entries_open": campaign.entries_open(now),
    }
    if campaign.is_contest:
        seed = services.shuffle_seed(request) if sort == "random" else 1
        page = services.gallery_page(
            request,
            campaign,
            services.gallery(campaign, sort=sort, seed=seed),
            app_settings.PER_PAGE,
        )
        entries = list(page.object_list)
        for entry in entries:
            entry.post.board = campaign
        context.update(
            {
                "entries": entries,
                "entries_page": page,
                "sort": sort,
                "sorts": list(services.SORT_LABELS.items()),
                "pagination_query": urlencode({"sort": sort}),
                "voted": services.voted_ids(request.user, entries),
                "entry_denied": services.entry_denied(
                    campaign, request.user, request=request, now=now
                ),
                "vote_denied": services.vote_denied(
                    campaign, request.user, request=request, now=now
                ),
                "winners": services.winners(campaign)
                if campaign.winners_announced_at
                else [],
            }
        )
    if request.user.is_authenticated:
        context["share_link"] = referrals.share_link(
            campaign.get_full_url(request) or request.build_absolute_uri(campaign.url),
            request.user,
        )
    context["leaderboard"] = referrals.leaderboard(campaign.url or "/", limit=5)
    return context


def campaign_index(request, campaign):
    context = campaign_context(request, campaign)
    context.update(survey_context(request, campaign))
    return _private(campaign.render(request, context_overrides=context))


def campaign_ranking(request, campaign):
    """The public ranking: votes per entry once voting has closed or the
    winners are out (during voting only the order "most voted" shows)."""
    if not campaign.is_contest or (
        campaign.voting_open() and not campaign.winners_announced_at
    ):
        raise Http404
    return _private(
        campaign.render(
            request,
            template="community_campaigns/ranking.html",
            context_overrides={
                "ranking": services.ranking(campaign),
                "page_title": _("Ranking"),
            },
        )
    )


def entry_create(request, campaign):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    denied = services.entry_denied(campaign, request.user, request=request)
    if denied:
        return TemplateResponse(
            request,
            "community_posts/post_message.html",
            {
                "message": denied,
                "board": campaign,
                "page_title": _("Enter the contest"),
            },
            status=403,
        )
    return campaign.route_view("post_create")(request, campaign)


def entry_detail(request, campaign, pk):
    response = campaign.route_view("post_detail")(request, campaign, pk)
    if not isinstance(response, TemplateResponse) or response.is_rendered:
        return response
    post = response.context_data["post"]
    entry = getattr(post, "campaign_entry", None)
    response.context_data.update(
        {
            "entry": entry,
            "campaign": campaign,
            "voted": bool(entry and services.voted_ids(request.user, [entry])),
            "vote_denied": services.vote_denied(
                campaign, request.user, request=request
            ),
            "state": campaign.state(),
        }
    )
    response.template_name = "community_campaigns/entry.html"
    return _private(response)


def entry_vote(request, campaign, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = campaign.url
    if request.POST.get("next") == "entry":
        back = campaign.url + campaign.reverse_subpage("post", args=[pk])
    try:
        count = services.cast_vote(request, campaign, pk)
    except services.Refused as refusal:
        if refusal.status == 401 and not wants_json(request):
            return redirect_to_login(campaign.url)
        return refuse(request, refusal.message, refusal.status, back=back)
    if wants_json(request):
        return JsonResponse({"ok": True, "count": count})
    messages.success(request, _("Thank you for your vote!"))
    return redirect(back)


def _survey_post(request, page, render_page):
    """Check and save a survey response; `render_page(context, status)`
    shows the page again with the errors."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    context = survey_context(request, page)
    if not context:
        raise Http404
    if context["survey_denied"]:
        if context["survey_sign_in"]:
            return redirect_to_login(page.url)
        return refuse(request, context["survey_denied"], 403, back=page.url)
    if context["survey_answered"]:
        return refuse(
            request,
            _("You have already answered this survey. Thank you!"),
            409,
            back=page.url,
        )
    answers, errors = surveys.parse(page, request.POST)
    if errors:
        context = survey_context(request, page, errors=errors, answers=request.POST)
        return render_page(context, 400)
    browser, cookie = None, None
    if not request.user.is_authenticated:
        browser, cookie = surveys.browser_key(request), None
        if browser is None:
            browser, cookie = surveys.new_browser_key()
    try:
        surveys.respond(page, request, answers, browser=browser)
    except services.Refused as refusal:
        return refuse(request, refusal.message, refusal.status, back=page.url)
    messages.success(request, _("Thank you for your answers!"))
    response = redirect(page.url + "#survey")
    if cookie:
        response.set_cookie(
            surveys.BROWSER_COOKIE,
            cookie,
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def survey_submit(request, campaign):
    def render_page(context, status):
        context.update(campaign_context(request, campaign))
        response = campaign.render(request, context_overrides=context)
        response.status_code = status
        return _private(response)

    return _survey_post(request, campaign, render_page)


def survey_page(request, page):
    """`SurveyPage.serve`: the survey, or a response posted to it."""

    def render_page(context, status):
        response = TemplateResponse(
            request,
            page.get_template(request),
            {**page.get_context(request), **context},
        )
        response.status_code = status
        return _private(response)

    if request.method == "POST":
        return _survey_post(request, page, render_page)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render_page(survey_context(request, page), 200)


def export_response(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def my_referrals(request):
    """The member's personal link to the site and what it brought."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    code = referrals.code_for(request.user)
    home = request.build_absolute_uri("/")
    response = TemplateResponse(
        request,
        "community_campaigns/my_referrals.html",
        {
            "page_title": _("Your personal link"),
            "share_link": referrals.share_link(home, request.user),
            "visits": referrals.ReferralVisit.objects.filter(code__code=code).count(),
            "signups": referrals.ReferralSignup.objects.filter(code__code=code).count(),
        },
    )
    return _private(response)
