"""Admin forms of the API app."""

from django import forms
from django.utils.translation import gettext_lazy as _
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
