import datetime
from types import SimpleNamespace

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.widgets import AdminDateInput

from community.insights.models import (
    DigestSubscription,
    KeywordGroup,
    Mention,
    Source,
)

MAX_DAYS = 366
# Reports count days within these dates: a typed year 1 or 9999 would take
# the period's arithmetic out of Python's dates (an error page).
FIRST_DATE = datetime.date(1970, 1, 1)
LAST_DATE = datetime.date(9000, 12, 31)


class PeriodForm(forms.Form):
    """The date range and granularity of a report; bad input falls back to
    the last 30 days with an explanation, never an error page."""

    start = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=AdminDateInput,
    )
    end = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=AdminDateInput
    )
    granularity = forms.ChoiceField(
        label=_("Per"),
        choices=[
            ("day", pgettext_lazy("granularity", "Day")),
            ("week", pgettext_lazy("granularity", "Week")),
        ],
        required=False,
    )

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            value = data.get(name)
            if value is not None and not FIRST_DATE <= value <= LAST_DATE:
                raise forms.ValidationError(
                    _("Choose a date between %(first)s and %(last)s.")
                    % {
                        "first": formats.date_format(FIRST_DATE, "DATE_FORMAT"),
                        "last": formats.date_format(LAST_DATE, "DATE_FORMAT"),
                    }
                )
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)s days.") % {"days": MAX_DAYS}
            )
        data.update(start=start, end=end, granularity=data.get("granularity") or "day")
        return data

    def period(self):
        """(start, end, granularity): the valid choice or the default."""
        if self.is_valid():
            data = self.cleaned_data
            return data["start"], data["end"], data["granularity"]
        today = timezone.localdate()
        return today - datetime.timedelta(days=29), today, "day"


class ListeningForm(PeriodForm):
    """The listening report's period and filters: source (the site or one
    listening source), language, keyword group and sentiment. A choice
    that is not offered (a deleted source, a hand-made URL) is an error
    shown above the report, which then shows everything."""

    source = forms.ChoiceField(
        label=pgettext_lazy("listening source", "Source"), required=False
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    group = forms.ChoiceField(label=_("Keyword group"), required=False)
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False)

    FILTERS = ("source", "language", "group", "sentiment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", pgettext_lazy("filter", "All"))]
        self.fields["source"].choices = [
            *everything,
            ("site", pgettext_lazy("listening source", "This site")),
            *((str(pk), name) for pk, name in Source.objects.values_list("pk", "name")),
        ]
        self.fields["language"].choices = [
            *everything,
            ("en", _("English")),
            ("zh", _("Chinese")),
            ("other", pgettext_lazy("language", "Other")),
        ]
        self.fields["group"].choices = [
            *everything,
            *(
                (str(pk), name)
                for pk, name in KeywordGroup.objects.values_list("pk", "name")
            ),
        ]
        self.fields["sentiment"].choices = [*everything, *Mention.Sentiment.choices]

    def filters(self):
        """SimpleNamespace(source, language, group, sentiment): the valid
        choices, or no filter."""
        valid = self.is_valid()
        return SimpleNamespace(
            **{
                name: (self.cleaned_data.get(name) or "") if valid else ""
                for name in self.FILTERS
            }
        )


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Send me the listening digest"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = DigestSubscription.Frequency.choices
        self.fields["frequency"].widget = forms.RadioSelect(
            choices=DigestSubscription.Frequency.choices
        )
