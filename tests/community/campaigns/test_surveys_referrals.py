"""Surveys (logic, one response per member or browser, results, exports) and
referral links (visits and sign-ups attributed end to end, the leaderboard,
the insights metrics)."""

import io

import pytest
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page

from community.campaigns import referrals, surveys
from community.campaigns.insights import campaign_metrics
from community.campaigns.models import (
    ReferralSignup,
    ReferralVisit,
    SurveyPage,
    SurveyResponse,
)
from tests.factories import MemberFactory

from .campaign_helpers import DAY, home_page, make_campaign, make_index, voter

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}

SURVEY = [
    {
        "type": "single_choice",
        "value": {
            "key": "drinks_tea",
            "question": "Do you drink tea?",
            "required": True,
            "choices": ["Yes", "No"],
        },
    },
    {
        "type": "multiple_choice",
        "value": {
            "key": "kinds",
            "question": "Which kinds?",
            "required": True,
            "choices": ["Green", "Black", "Oolong"],
            "show_if_key": "drinks_tea",
            "show_if_answer": "Yes",
        },
    },
    {"type": "page_break", "value": None},
    {
        "type": "rating",
        "value": {"key": "taste", "question": "Taste?", "required": False, "scale": 5},
    },
    {
        "type": "nps",
        "value": {"key": "nps", "question": "Recommend us?", "required": True},
    },
    {
        "type": "free_text",
        "value": {
            "key": "why",
            "question": "Why?",
            "required": False,
            "max_length": 20,
        },
    },
]


def make_survey(**fields):
    page = SurveyPage(
        title="Tea habits",
        slug=f"tea-habits-{Page.objects.count()}",
        survey=SURVEY,
        **fields,
    )
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def survey():
    return make_survey()


def test_questions_steps_and_conditions(survey):
    steps = surveys.steps(survey)
    assert [[q.key for q in step] for step in steps] == [
        ["drinks_tea", "kinds"],
        ["taste", "nps", "why"],
    ]
    answers, errors = surveys.parse(survey, QueryDict("q_drinks_tea=No&q_nps=9"))
    assert errors == {}
    assert answers == {"drinks_tea": "No", "nps": 9}
    # A condition met makes its question required.
    answers, errors = surveys.parse(survey, QueryDict("q_drinks_tea=Yes&q_nps=9"))
    assert set(errors) == {"kinds"}
    # An answer to a hidden question is not kept.
    answers, errors = surveys.parse(
        survey, QueryDict("q_drinks_tea=No&q_kinds=Green&q_nps=10")
    )
    assert "kinds" not in answers


@pytest.mark.parametrize(
    "query, key",
    [
        ("q_drinks_tea=Maybe&q_nps=9", "drinks_tea"),
        ("q_drinks_tea=No&q_nps=11", "nps"),
        ("q_drinks_tea=No&q_nps=%EF%BC%99", "nps"),
        ("q_drinks_tea=No&q_nps=99999999999999999999", "nps"),
        ("q_drinks_tea=No&q_nps=5&q_why=" + "x" * 30, "why"),
        ("q_drinks_tea=No", "nps"),
    ],
)
def test_bad_answers_get_a_message(survey, query, key):
    _answers, errors = surveys.parse(survey, QueryDict(query))
    assert key in errors


def test_a_member_answers_once(client, survey):
    member = MemberFactory()
    client.force_login(member)
    data = {
        "q_drinks_tea": "Yes",
        "q_kinds": ["Green", "Oolong"],
        "q_nps": "10",
        "q_why": "Tasty\x00!",
    }
    response = client.post(survey.url, data, **BROWSER)
    assert response.status_code == 302
    stored = SurveyResponse.objects.get(page_id=survey.pk, user=member)
    assert stored.answers == {
        "drinks_tea": "Yes",
        "kinds": ["Green", "Oolong"],
        "nps": 10,
        "why": "Tasty!",
    }
    again = client.post(survey.url, data, **BROWSER)
    assert again.status_code == 302
    assert SurveyResponse.objects.filter(page_id=survey.pk, user=member).count() == 1
    html = client.get(survey.url, **BROWSER).content.decode()
    assert "You have answered this survey" in html


def test_errors_show_again_and_nothing_is_saved(client, survey):
    client.force_login(MemberFactory())
    response = client.post(survey.url, {"q_drinks_tea": "Yes"}, **BROWSER)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This question needs an answer." in html
    assert 'value="Yes" checked' in html
    assert not SurveyResponse.objects.filter(page_id=survey.pk).exists()


def test_members_only_surveys_send_visitors_to_sign_in(client, survey):
    response = client.post(survey.url, {"q_drinks_tea": "No", "q_nps": "3"}, **BROWSER)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_anonymous_surveys_take_one_response_per_browser(survey):
    survey.survey_respondents = "anyone"
    survey.save_revision().publish()
    browser = Client(REMOTE_ADDR="10.77.0.1")
    data = {"q_drinks_tea": "No", "q_nps": "3"}
    assert browser.post(survey.url, data, **BROWSER).status_code == 302
    assert browser.post(survey.url, data, **BROWSER).status_code == 302
    assert SurveyResponse.objects.filter(page_id=survey.pk).count() == 1
    other = Client(REMOTE_ADDR="10.77.0.2")
    other.post(survey.url, data, **BROWSER)
    assert SurveyResponse.objects.filter(page_id=survey.pk).count() == 2


def test_closed_surveys_take_no_responses(client, survey):
    survey.closes_at = timezone.now()
    survey.save_revision().publish()
    client.force_login(MemberFactory())
    response = client.post(survey.url, {"q_drinks_tea": "No", "q_nps": "3"}, **BROWSER)
    assert response.status_code == 302
    assert not SurveyResponse.objects.filter(page_id=survey.pk).exists()


def test_results_and_exports(client, survey):
    for answers in (
        {"drinks_tea": "Yes", "kinds": ["Green"], "nps": 10},
        {"drinks_tea": "Yes", "kinds": ["Green", "Black"], "nps": 9, "why": "=cmd()"},
        {"drinks_tea": "No", "nps": 2},
    ):
        SurveyResponse.objects.create(page_id=survey.pk, answers=answers)
    results = {item["question"].key: item for item in surveys.results(survey)}
    assert results["drinks_tea"]["rows"] == [("Yes", 2, 67), ("No", 1, 33)]
    assert results["kinds"]["rows"][0] == ("Green", 2, 100)
    assert results["nps"]["nps"] == 33  # 2 promoters, 1 detractor of 3
    assert results["why"]["texts"] == ["=cmd()"]
    text = surveys.export_csv(survey)
    assert text.splitlines()[0] == (
        "answered_at,region,interests,drinks_tea,kinds,taste,nps,why"
    )
    assert "'=cmd()" in text
    workbook = load_workbook(io.BytesIO(surveys.export_xlsx(survey)))
    rows = list(workbook.active.values)
    assert len(rows) == 4
    editor = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    page = client.get(f"/admin/campaigns/survey/{survey.pk}/")
    assert page.status_code == 200
    assert "Do you drink tea?" in page.content.decode()
    assert client.get(
        f"/admin/campaigns/survey/{survey.pk}/", {"export": "survey-xlsx"}
    )["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_campaign_survey_is_answered_on_the_campaign(client):
    campaign = make_campaign(
        make_index(), allow_photos=False, allow_stories=False, survey=SURVEY
    )
    client.force_login(MemberFactory())
    response = client.post(
        f"{campaign.url}survey/", {"q_drinks_tea": "No", "q_nps": "7"}, **BROWSER
    )
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(page_id=campaign.pk).count() == 1
    late = make_campaign(make_index(), opened=-3 * DAY, closes=-DAY, survey=SURVEY)
    response = client.post(
        f"{late.url}survey/", {"q_drinks_tea": "No", "q_nps": "7"}, **BROWSER
    )
    assert not SurveyResponse.objects.filter(page_id=late.pk).exists()


# Referrals


def test_a_referral_visit_and_sign_up_are_attributed_end_to_end(settings):
    campaign = make_campaign(make_index())
    referrer = voter()
    link = referrals.share_link(f"http://testserver{campaign.url}", referrer)
    code = referrals.code_for(referrer)
    assert link.endswith(f"?ref={code}")
    visitor = Client(REMOTE_ADDR="10.88.0.1")
    assert visitor.get(f"{campaign.url}?ref={code}", **BROWSER).status_code == 200
    assert referrals.COOKIE in visitor.cookies
    # The same browser again: one visit.
    visitor.get(f"{campaign.url}?ref={code}", **BROWSER)
    assert ReferralVisit.objects.filter(code__code=code).count() == 1
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    response = visitor.post(
        "/accounts/signup/",
        {
            "email": "friend-of-a-member@example.com",
            "username": "friendofamember",
            "password1": "a-long-Password-123",
            "password2": "a-long-Password-123",
        },
        **BROWSER,
    )
    assert response.status_code in (200, 302)
    signup = ReferralSignup.objects.get(code__code=code)
    assert signup.user.email == "friend-of-a-member@example.com"
    assert signup.path == campaign.url
    board = referrals.leaderboard(campaign.url)
    assert board[0]["user"] == referrer
    assert (board[0]["signups"], board[0]["visits"]) == (1, 1)
    metrics = {metric.id: metric for metric in campaign_metrics()}
    today = timezone.localdate()
    assert sum(metrics["referral_signups"].series(today, today).values()) >= 1


def test_bad_or_unknown_codes_and_bots_record_nothing():
    campaign = make_campaign(make_index())
    visitor = Client(REMOTE_ADDR="10.88.0.2")
    for code in ("nosuchcode", "<script>", "a" * 500, "x\x00y"):
        response = visitor.get(campaign.url, {"ref": code}, **BROWSER)
        assert response.status_code in (200, 400)
    code = referrals.code_for(voter())
    Client(REMOTE_ADDR="10.88.0.3").get(f"{campaign.url}?ref={code}")  # no User-Agent
    assert not ReferralVisit.objects.filter(code__code=code).exists()


def test_a_forged_cookie_attributes_nothing():
    request = RequestFactory().get("/")
    request.COOKIES[referrals.COOKIE] = "forged:value"
    assert referrals.read_cookie(request) is None
    assert referrals.attribute_signup(request, voter()) is None


def test_members_see_their_link_on_the_campaign(client):
    campaign = make_campaign(make_index())
    member = voter()
    client.force_login(member)
    html = client.get(campaign.url, **BROWSER).content.decode()
    assert f"?ref={referrals.code_for(member)}" in html
    mine = client.get("/en/community/campaigns/referrals/", **BROWSER)
    assert mine.status_code == 200
