"""Admin forms of the API app."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.validators import AllowedURIValidator
from wagtail.admin.forms import WagtailAdminModelForm

from community.api.webhooks import event_choices


class ApiKeyForm(WagtailAdminModelForm):
    class Meta:
        fields = ["name", "active"]


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Deliveries are POSTed here as JSON."),
    )
    new_secret = forms.BooleanField(
        label=_("Make a new secret"),
        required=False,
        help_text=_(
            "The secret signs every delivery; it is shown once, after saving. "
            "A new endpoint always gets one."
        ),
    )

    class Meta:
        fields = ["name", "url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter an http(s) URL."))
        return url


# Redirect URIs: how many one app may list, and how long one may be.
MAX_REDIRECT_URIS = 20
MAX_REDIRECT_URI_LENGTH = 2000

_URI_PROBLEMS = {
    "fragment not allowed": _("it must not have a #fragment"),
    "missing host": _("it has no host name"),
    "invalid URI": _("it is not a valid address"),
}


def _short(value, length=120):
    return value if len(value) <= length else value[: length - 1] + "…"


class OAuthAppForm(WagtailAdminModelForm):
    """An OAuth 2 client (django-oauth-toolkit's Application) as the site
    supports it: a name, the client type, redirect URIs; the grant type is
    always the authorization code (with PKCE), the algorithm DOT's default.
    The client secret is made by the site, never typed in."""

    name = forms.CharField(
        label=pgettext_lazy("object name", "Name"),
        max_length=255,
        help_text=_("Shown to members when they are asked to allow the app."),
    )
    client_type = forms.ChoiceField(
        label=_("Client type"),
        choices=[
            (
                "public",
                _(
                    "Public: a mobile app, mini-program or browser app; it signs "
                    "members in with PKCE and keeps no secret"
                ),
            ),
            (
                "confidential",
                _(
                    "Confidential: an app with its own server, which also sends "
                    "a client secret"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        initial="public",
    )
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REDIRECT_URIS * 200,
        help_text=_(
            "One per line: where the site sends members back with the code, "
            "exactly as the app sends it as redirect_uri."
        ),
    )
    new_secret = forms.BooleanField(
        label=_("Generate a new client secret"),
        required=False,
        help_text=_(
            "Confidential apps only. The new secret is shown once, after "
            "saving; the old one stops working at once."
        ),
    )

    class Meta:
        fields = ["name", "client_type", "redirect_uris"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The only grant the site supports; PKCE (S256) is required for it.
        self.instance.authorization_grant_type = "authorization-code"
        if self.instance.pk:
            self.initial["redirect_uris"] = "\n".join(
                self.instance.redirect_uris.split()
            )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_redirect_uris(self):
        uris = list(dict.fromkeys(self.cleaned_data["redirect_uris"].split()))
        if not uris:
            raise forms.ValidationError(_("Enter at least one redirect URI."))
        if len(uris) > MAX_REDIRECT_URIS:
            raise forms.ValidationError(
                _("Enter at most %(count)d redirect URIs."),
                params={"count": MAX_REDIRECT_URIS},
            )
        # The same check (and the same setting) DOT applies when it saves an
        # application: OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"].
        schemes = [s.lower() for s in self.instance.get_allowed_schemes()]
        validator = AllowedURIValidator(
            schemes,
            name="redirect uri",
            allow_path=True,
            allow_query=True,
            allow_hostname_wildcard=oauth2_settings.ALLOW_URI_WILDCARDS,
        )
        errors = []
        for uri in uris:
            if len(uri) > MAX_REDIRECT_URI_LENGTH:
                errors.append(
                    forms.ValidationError(
                        _("“%(uri)s” is too long."), params={"uri": _short(uri)}
                    )
                )
                continue
            try:
                validator(uri)
            except forms.ValidationError as exc:
                cause = str((exc.params or {}).get("cause", ""))
                if cause == "invalid_scheme":
                    errors.append(
                        forms.ValidationError(
                            _(
                                "“%(uri)s” is not allowed: a redirect URI must "
                                "start with %(schemes)s."
                            ),
                            params={
                                "uri": _short(uri),
                                "schemes": ", ".join(f"{s}:" for s in schemes),
                            },
                        )
                    )
                else:
                    errors.append(
                        forms.ValidationError(
                            _("“%(uri)s” is not a valid redirect URI: %(problem)s."),
                            params={
                                "uri": _short(uri),
                                "problem": _URI_PROBLEMS.get(
                                    cause, _URI_PROBLEMS["invalid URI"]
                                ),
                            },
                        )
                    )
        if errors:
            raise forms.ValidationError(errors)
        return " ".join(uris)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("new_secret") and cleaned_data.get("client_type") == (
            "public"
        ):
            self.add_error(
                "new_secret",
                _("A public app has no secret: it signs members in with PKCE alone."),
            )
        return cleaned_data

    def add_error(self, field, error):
        # The model's own clean() (DOT's) checks the redirect URIs again, in
        # English; a field the form has already explained keeps the form's
        # message, and errors on fields the form does not show (algorithm,
        # hash_client_secret) become errors of the whole form, not a crash.
        if field is None and hasattr(error, "error_dict"):
            rekeyed = {}
            for name, errors in error.error_dict.items():
                if name != NON_FIELD_ERRORS and name in self._errors:
                    continue
                key = name if name in self.fields else NON_FIELD_ERRORS
                rekeyed.setdefault(key, []).extend(errors)
            if not rekeyed:
                return
            error = forms.ValidationError(rekeyed)
        super().add_error(field, error)
