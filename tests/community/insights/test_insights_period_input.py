"""The report period as typed in the address bar (issue 19, item 21: found
by tests/socialsite/test_fuzz_forms.py): dates at the ends of the calendar
are refused with a message, never an error page."""

import datetime

import pytest
from django.utils import timezone

from community.insights.forms import PeriodForm
from tests.community.insights.insights_helpers import superuser


@pytest.mark.parametrize(
    "query",
    [
        {"end": "0001-01-05"},
        {"start": "0001-01-01", "end": "0001-01-02"},
        {"end": "9999-12-31"},
        {"start": "9999-12-25", "end": "9999-12-31", "granularity": "week"},
        {"start": "1969-12-31"},
    ],
)
def test_dates_out_of_range_fall_back_to_the_last_30_days(query):
    form = PeriodForm(query)
    today = timezone.localdate()
    assert form.period() == (today - datetime.timedelta(days=29), today, "day")
    assert "Choose a date between" in str(form.errors)


def test_dates_within_range_are_kept():
    form = PeriodForm({"start": "1970-01-01", "end": "1970-01-31"})
    assert form.period() == (
        datetime.date(1970, 1, 1),
        datetime.date(1970, 1, 31),
        "day",
    )


@pytest.mark.parametrize("url", ["/admin/insights/", "/admin/insights/listening/"])
@pytest.mark.parametrize(
    "query", ["end=0001-01-05", "start=9999-12-01&end=9999-12-31&granularity=week"]
)
def test_reports_of_odd_dates_answer(client, page, url, query):
    client.force_login(superuser())
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert "Choose a date between" in response.content.decode()
