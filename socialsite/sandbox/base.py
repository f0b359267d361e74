"""What every imitation server shares: its Social application, the checks of
an authorization request, the consent page and the way back to the site."""

from urllib.parse import urlencode

from allauth.socialaccount.models import SocialApp
from django import forms
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from community.providers.icons import provider_icon, provider_icon_path
from community.sites import site_name

from . import grants
from .identities import NICKNAME_MAX_LENGTH, Identity, clean_nickname, presets

PREFIX = "/sandbox-oauth/"


class AuthorizeError(Exception):
    """A request the real service refuses with an error page (never a
    redirect: the redirect URI itself may be what is wrong)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class ConsentForm(forms.Form):
    identity = forms.ChoiceField(label=_("Sign in as"), required=False)
    nickname = forms.CharField(
        label=_("Another nickname"),
        help_text=_("Typed here, it replaces the choice above."),
        max_length=NICKNAME_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identity"].choices = [(i.nickname, i.nickname) for i in presets()]

    def clean(self):
        data = super().clean()
        typed = (data.get("nickname") or "").strip()
        if typed:
            nickname = clean_nickname(typed)
            if not nickname:
                self.add_error(
                    "nickname",
                    _("Use letters or digits, without < and >."),
                )
                return data
        else:
            nickname = data.get("identity") or ""
        if not nickname:
            raise forms.ValidationError(_("Choose who to sign in as."))
        data["person"] = Identity(nickname)
        return data


class ImitationServer:
    """One imitated service. Subclasses set the attributes, `urlpatterns`
    (its API) and the answers of `allowed()` and `denied()`."""

    #: allauth's provider id.
    id = ""
    #: The URL segment under /sandbox-oauth/ (default: the id).
    segment = None
    name = ""
    client_id = ""
    secret = "sandbox-secret"  # noqa: S105 - a dummy key, by design
    #: The query parameter that names the client (WeChat says "appid").
    client_param = "client_id"
    scopes = set()
    #: What the site receives, shown on the consent page.
    shares = _("your nickname and profile picture")

    def base_url(self, request):
        return request.build_absolute_uri(f"{PREFIX}{self.segment or self.id}")

    def app_settings(self, base_url):
        return {}

    def social_app(self, request):
        """The Social application that points the provider at this imitation
        (unsaved: nothing in the database)."""
        return SocialApp(
            provider=self.id,
            name=str(self.name),
            client_id=self.client_id,
            secret=self.secret,
            settings={"sandbox": True, **self.app_settings(self.base_url(request))},
        )

    def callback_url(self, request):
        return request.build_absolute_uri(reverse(f"{self.id}_callback"))

    @property
    def icon(self):
        return provider_icon(self.id)

    @property
    def favicon(self):
        return provider_icon_path(self.id)

    # The authorization request.

    def check(self, request, query):
        """Refuse what the real service refuses, with its error code."""
        if query.get(self.client_param) != self.client_id:
            raise AuthorizeError("invalid_client", f"unknown {self.client_param}")
        if query.get("redirect_uri") != self.callback_url(request):
            raise AuthorizeError("redirect_uri_mismatch", "redirect_uri mismatch")
        if query.get("response_type") != "code":
            raise AuthorizeError("unsupported_response_type", "response_type")
        requested = set(query.get("scope", "").replace(",", " ").split())
        if not requested or not requested <= self.scopes:
            raise AuthorizeError("invalid_scope", "scope")

    def allowed(self, request, query, person):
        """The parameters the real service adds to the redirect URI when the
        visitor allows: a code for `person` and the state."""
        raise NotImplementedError

    def denied(self, query):
        """The parameters it adds when the visitor denies."""
        return {"error": "access_denied", "state": query.get("state", "")}

    def issue_code(self, query, person, **extra):
        return grants.issue_code(
            self.id,
            client=self.client_id,
            redirect_uri=query["redirect_uri"],
            nickname=person.nickname,
            **extra,
        )


def back_to(redirect_uri, params):
    separator = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(redirect_uri + separator + urlencode(params))


@never_cache
def authorize(request, server):
    """The authorize endpoint: the consent page, then back to the site."""
    query = request.GET
    context = {
        "server": server,
        "site_name": site_name(request),
        "presets": presets(),
    }
    try:
        server.check(request, query)
    except AuthorizeError as error:
        context["error"] = error
        return render(request, "sandbox/error.html", context, status=400)
    form = ConsentForm(
        request.POST or None, initial={"identity": presets()[0].nickname}
    )
    if request.method == "POST":
        if request.POST.get("decision") == "deny":
            return back_to(query["redirect_uri"], server.denied(query))
        if form.is_valid():
            params = server.allowed(request, query, form.cleaned_data["person"])
            return back_to(query["redirect_uri"], params)
    context["form"] = form
    return render(
        request, "sandbox/consent.html", context, status=400 if form.errors else 200
    )


def json(data, status=200, content_type="application/json", **headers):
    response = JsonResponse(
        data,
        status=status,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Content-Type"] = content_type
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response
