"""Forms of the moderation toolkit that every moderated model's review page
may offer: suspending the author (for a while or until lifted, for a reason
they read in their language; `community.suspensions`)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import app_settings


def suspension_reason_choices():
    return [("", _("— no template: write the reason below —"))] + list(
        app_settings.SUSPENSION_REASONS.items()
    )


#: Days of a suspension chosen on a review page; 0: until a moderator lifts
#: it. A precise end is set on the member's page.
DURATIONS = [
    ("1", _("1 day")),
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("0", _("Until a moderator lifts it")),
]


class SuspendForm(forms.Form):
    """Suspend the author of what is being reviewed: how long, and why (a
    reason template, a note, or both)."""

    duration = forms.TypedChoiceField(
        label=_("For how long"), choices=DURATIONS, coerce=int, initial="7"
    )
    template = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=suspension_reason_choices,
        help_text=_("The member reads it in their own language."),
    )
    reason = forms.CharField(
        label=_("Note to the member"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("reason") and not self.errors:
            self.add_error("reason", _("Tell the member why they are suspended."))
        return data

    def until(self):
        """When the suspension ends (None: when a moderator lifts it)."""
        days = self.cleaned_data["duration"]
        return timezone.now() + timedelta(days=days) if days else None
