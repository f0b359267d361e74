"""The filters of a survey's results in the admin: a segment of the
responses (region, interest, dates, words in the free-text answers) and the
two questions to cross. Bad input is a message on the form, never an error
page; what was valid still applies."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.widgets import AdminDateInput

from community.campaigns import surveys

# A typed year 1 or 9999 would take the day arithmetic out of Python's dates.
FIRST_DATE = datetime.date(1970, 1, 1)
LAST_DATE = datetime.date(9000, 12, 31)


class SurveyResultsForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    interest = forms.ChoiceField(label=_("Interest"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=AdminDateInput,
    )
    until = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=AdminDateInput
    )
    search = forms.CharField(
        label=_("Free-text answers containing"), required=False, max_length=100
    )
    row = forms.ChoiceField(label=_("Cross the answers to"), required=False)
    column = forms.ChoiceField(
        label=pgettext_lazy("cross-tabulation", "with"), required=False
    )

    def __init__(self, page, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        regions, interests = surveys.segment_choices(page)
        self.fields["region"].choices = [("", _("Any region"))] + [
            (name, name) for name in regions
        ]
        self.fields["interest"].choices = [("", _("Any interest"))] + [
            (name, name) for name in interests
        ]
        crossable = [
            (q.key, q.text[:80])
            for q in surveys.questions(page)
            if q.kind in surveys.CROSSTAB_KINDS
        ]
        self.fields["row"].choices = [("", "—")] + crossable
        self.fields["column"].choices = [("", "—")] + crossable

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            value = data.get(name)
            if value is not None and not FIRST_DATE <= value <= LAST_DATE:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {"first": FIRST_DATE, "last": LAST_DATE},
                )
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The start date is after the end date."))
        row, column = data.get("row"), data.get("column")
        if row and column and row == column:
            self.add_error("column", _("Choose two different questions."))
        return data

    def valid_data(self):
        """What was valid of the input (a field with an error is left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name not in self.errors}

    def segment(self):
        data = self.valid_data()
        return surveys.Segment(
            region=data.get("region") or "",
            interest=data.get("interest") or "",
            since=data.get("since"),
            until=data.get("until"),
            search=(data.get("search") or "").strip(),
        )

    def crossed(self):
        """(row key, column key), or None."""
        data = self.valid_data()
        if data.get("row") and data.get("column"):
            return data["row"], data["column"]
        return None
