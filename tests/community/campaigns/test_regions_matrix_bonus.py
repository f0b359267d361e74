"""Who may take part by region (entries, votes, survey responses), matrix
questions, the survey results in the admin (segments, cross-tabulation,
search, listening keywords, filtered exports), and bonus votes for
referrals."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page

from community.campaigns import referrals, services, surveys
from community.campaigns.blocks import MatrixBlock
from community.campaigns.models import (
    CampaignPage,
    Entry,
    ReferralCode,
    ReferralSignup,
    SurveyPage,
    SurveyResponse,
    Vote,
)
from community.insights.models import KeywordGroup
from community.models import Profile
from community.posts.models import Post
from tests.factories import MemberFactory

from .campaign_helpers import (
    DAY,
    HOUR,
    home_page,
    make_campaign,
    make_entry,
    make_index,
    voter,
)

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
JSON = {"HTTP_ACCEPT": "application/json", **BROWSER}

MATRIX_SURVEY = [
    {
        "type": "single_choice",
        "value": {
            "key": "buys_tea",
            "question": "Do you buy our tea?",
            "required": True,
            "choices": ["Yes", "No"],
        },
    },
    {
        "type": "matrix",
        "value": {
            "key": "rate",
            "question": "How do you find our tea?",
            "required": True,
            "rows": ["Taste", "Price", "Packaging"],
            "columns": ["Poor", "Fair", "Good"],
            "show_if_key": "buys_tea",
            "show_if_answer": "Yes",
        },
    },
    {
        "type": "matrix",
        "value": {
            "key": "shops",
            "question": "How are our shops?",
            "required": False,
            "rows": ["Staff", "Queue"],
            "columns": ["Bad", "OK"],
        },
    },
    {
        "type": "free_text",
        "value": {
            "key": "price_why",
            "question": "Why?",
            "required": False,
            "max_length": 200,
            "show_if_key": "rate",
            "show_if_answer": "Price: Poor",
        },
    },
    {
        "type": "nps",
        "value": {"key": "nps", "question": "Recommend us?", "required": False},
    },
]


def make_survey(**fields):
    fields.setdefault("survey", MATRIX_SURVEY)
    page = SurveyPage(
        title="Tea opinions", slug=f"tea-opinions-{Page.objects.count()}", **fields
    )
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def member_of(region, **fields):
    member = voter(**fields)
    profile = Profile.for_user(member)
    profile.region = region
    profile.save()
    return member


def vote_url(campaign, entry):
    return f"{campaign.url}{entry.post.pk}/vote/"


# Who may take part: members of a region


def test_the_region_rule_reads_regions_loosely():
    page = SurveyPage(regions="Shanghai\n  shanghai \n\nZhe  jiang\n")
    assert page.region_list() == ["Shanghai", "Zhe jiang"]
    assert page.region_denied(member_of(" SHANGHAI ")) is None
    assert page.region_denied(member_of("zhe jiang")) is None
    message = page.region_denied(member_of("Beijing"))
    assert "Shanghai, Zhe jiang" in message and "Beijing" in message
    assert "Add your region to your profile" in page.region_denied(member_of(""))
    assert SurveyPage(regions="").region_denied(member_of("")) is None


def test_only_members_of_the_regions_enter(client):
    campaign = make_campaign(make_index(), regions="Shanghai")
    outsider = member_of("Beijing")
    client.force_login(outsider)
    response = client.get(f"{campaign.url}new/", **BROWSER)
    assert response.status_code == 403
    assert "Only members of Shanghai take part" in response.content.decode()
    before = Post.objects.filter(board=campaign).count()
    response = client.post(
        f"{campaign.url}new/", {"kind": "story", "title": "Mine", "body": "Tea."}
    )
    assert response.status_code == 403
    assert Post.objects.filter(board=campaign).count() == before
    assert services.entry_denied(campaign, member_of("shanghai")) is None


def test_only_members_of_the_regions_vote(client):
    campaign = make_campaign(make_index(), regions="Shanghai\nHangzhou")
    entry = make_entry(campaign)
    client.force_login(member_of(""))
    response = client.post(vote_url(campaign, entry), **JSON)
    assert response.status_code == 403
    assert "Shanghai, Hangzhou" in response.json()["message"]
    client.force_login(member_of("Beijing"))
    assert client.post(vote_url(campaign, entry), **JSON).status_code == 403
    assert not Vote.objects.filter(entry=entry).exists()
    client.force_login(member_of("hangzhou"))
    response = client.post(vote_url(campaign, entry), **JSON)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_only_members_of_the_regions_answer_the_survey(client):
    survey = make_survey(regions="Shanghai")
    data = {"q_buys_tea": "No"}
    response = client.post(survey.url, data, **BROWSER)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(member_of("Beijing"))
    page = client.get(survey.url, **BROWSER).content.decode()
    assert "Only members of Shanghai take part" in page
    assert 'name="q_buys_tea"' not in page
    response = client.post(survey.url, data, **JSON)
    assert response.status_code == 403
    assert "Only members of Shanghai" in response.json()["message"]
    assert not SurveyResponse.objects.filter(page_id=survey.pk).exists()
    client.force_login(member_of("Shanghai"))
    assert client.post(survey.url, data, **BROWSER).status_code == 302
    assert SurveyResponse.objects.get(page_id=survey.pk).region == "Shanghai"


def test_an_anonymous_survey_cannot_be_limited_to_regions(client):
    page = SurveyPage(
        title="x", survey=MATRIX_SURVEY, survey_respondents="anyone", regions="Shanghai"
    )
    with pytest.raises(ValidationError) as raised:
        page.clean()
    assert "survey_respondents" in raised.value.message_dict
    # Set anyway (e.g. in code): visitors are still asked to sign in.
    survey = make_survey(survey_respondents="anyone")
    SurveyPage.objects.filter(pk=survey.pk).update(regions="Shanghai")
    response = client.post(survey.url, {"q_buys_tea": "No"}, **BROWSER)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not SurveyResponse.objects.filter(page_id=survey.pk).exists()


# Matrix questions


def test_matrix_answers_are_read_row_by_row():
    survey = make_survey()
    rate = {q.key: q for q in surveys.questions(survey)}["rate"]
    assert [name for _n, _row, name in rate.matrix_rows] == [
        "q_rate__0",
        "q_rate__1",
        "q_rate__2",
    ]
    answers, errors = surveys.parse(
        survey,
        QueryDict(
            "q_buys_tea=Yes&q_rate__0=Good&q_rate__1=Poor&q_rate__2=Fair"
            "&q_shops__1=OK&q_price_why=Too+dear"
        ),
    )
    assert errors == {}
    assert answers["rate"] == {"Taste": "Good", "Price": "Poor", "Packaging": "Fair"}
    # Optional: some rows may stay empty.
    assert answers["shops"] == {"Queue": "OK"}
    # Shown on a matrix row's answer ("row: point").
    assert answers["price_why"] == "Too dear"


@pytest.mark.parametrize(
    "query, error",
    [
        # Required: every row.
        ("q_buys_tea=Yes&q_rate__0=Good", "Answer every row."),
        ("q_buys_tea=Yes", "This question needs an answer."),
        ("q_buys_tea=Yes&q_rate__0=Great&q_rate__1=Poor&q_rate__2=Fair", "scale"),
        ("q_buys_tea=Yes&q_rate__0=%00&q_rate__1=Poor&q_rate__2=Fair", "scale"),
    ],
)
def test_bad_matrix_answers_get_a_message(query, error):
    _answers, errors = surveys.parse(make_survey(), QueryDict(query))
    assert error in errors["rate"]


def test_a_hidden_matrix_is_neither_required_nor_kept():
    answers, errors = surveys.parse(
        make_survey(), QueryDict("q_buys_tea=No&q_rate__0=Good&q_price_why=x")
    )
    assert errors == {}
    assert answers == {"buys_tea": "No"}


def test_the_matrix_block_needs_rows_and_two_points():
    block = MatrixBlock()
    value = block.to_python(
        {"key": "m", "question": "Q", "rows": [], "columns": ["Only one"]}
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    value = block.to_python(
        {"key": "m", "question": "Q", "rows": ["A"], "columns": ["x", "x"]}
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    value = block.to_python(
        {"key": "m", "question": "Q", "rows": ["A"], "columns": ["x", "y"]}
    )
    assert list(block.clean(value)["rows"]) == ["A"]


def test_a_matrix_is_answered_on_the_page_and_shown_again_on_errors(client):
    survey = make_survey()
    client.force_login(MemberFactory())
    page = client.get(survey.url, **BROWSER).content.decode()
    assert page.count('name="q_rate__1"') == 3
    assert "Packaging" in page
    response = client.post(
        survey.url, {"q_buys_tea": "Yes", "q_rate__0": "Good"}, **BROWSER
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer every row." in html
    assert 'name="q_rate__0" value="Good" data-row="Taste" checked' in html
    assert not SurveyResponse.objects.filter(page_id=survey.pk).exists()
    response = client.post(
        survey.url,
        {"q_buys_tea": "Yes", "q_rate__0": "Good", "q_rate__1": "Fair"}
        | {"q_rate__2": "Fair"},
        **BROWSER,
    )
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(page_id=survey.pk)
    assert saved.answers["rate"]["Price"] == "Fair"


def test_matrix_results_and_exports():
    survey = make_survey()
    for rate in (
        {"Taste": "Good", "Price": "Poor", "Packaging": "Good"},
        {"Taste": "Good", "Price": "Fair", "Packaging": "=HYPERLINK()"},
    ):
        SurveyResponse.objects.create(
            page_id=survey.pk, answers={"buys_tea": "Yes", "rate": rate}
        )
    item = {r["question"].key: r for r in surveys.results(survey)}["rate"]
    assert item["answered"] == 2
    rows = {row: (cells, answered) for row, cells, answered in item["matrix"]}
    assert rows["Taste"] == ([("Poor", 0, 0), ("Fair", 0, 0), ("Good", 2, 100)], 2)
    assert rows["Price"][0] == [("Poor", 1, 50), ("Fair", 1, 50), ("Good", 0, 0)]
    # A value not on the scale (stored by other means) is not counted.
    assert rows["Packaging"] == ([("Poor", 0, 0), ("Fair", 0, 0), ("Good", 1, 50)], 2)
    table = list(csv.reader(io.StringIO(surveys.export_csv(survey))))
    header = table[0]
    assert header[3:8] == [
        "buys_tea",
        "rate[Taste]",
        "rate[Price]",
        "rate[Packaging]",
        "shops[Staff]",
    ]
    assert table[1][5] == "Poor"
    assert table[2][6] == "'=HYPERLINK()"
    sheet = load_workbook(io.BytesIO(surveys.export_xlsx(survey))).active
    values = list(sheet.values)
    assert values[0][4] == "rate[Taste]" and values[2][5] == "Fair"


# Survey results in the admin


@pytest.fixture
def answered():
    """A survey answered by members of two regions with their interests, on
    three days, with free-text answers naming a product."""
    survey = make_survey()
    now = timezone.now()
    rows = [
        ("Shanghai", ["green tea"], 3, "Yes", 10, "Yunwu tea is too dear"),
        ("Shanghai", ["oolong"], 2, "No", 3, ""),
        ("Beijing", ["green tea", "oolong"], 1, "Yes", 9, "love yunwu"),
        ("Beijing", [], 0, "No", 6, "meh"),
    ]
    for region, interests, days_ago, buys, nps, why in rows:
        answers = {"buys_tea": buys, "nps": nps}
        if why:
            answers["price_why"] = why
        SurveyResponse.objects.create(
            page_id=survey.pk,
            answers=answers,
            region=region,
            interests=interests,
            created_at=now - datetime.timedelta(days=days_ago),
        )
    return survey


def test_responses_are_filtered_by_segment(answered):
    def count(**fields):
        return len(surveys.segment_responses(answered, surveys.Segment(**fields)))

    today = timezone.localdate()
    assert count() == 4
    assert count(region="shanghai") == 2
    assert count(interest="Oolong") == 2
    assert count(region="Beijing", interest="oolong") == 1
    assert count(since=today - datetime.timedelta(days=1)) == 2
    assert count(until=today - datetime.timedelta(days=2)) == 2
    assert count(search="YUNWU") == 2
    assert count(search="nothing like it") == 0


def test_two_questions_are_crossed(answered):
    table = surveys.crosstab(answered, "buys_tea", "nps")
    cells = {label: (counts, total) for label, counts, total in table["cells"]}
    assert table["columns"] == [str(n) for n in range(11)]
    assert cells["Yes"][0][9:] == [1, 1] and cells["Yes"][1] == 2
    assert cells["No"][0][3] == 1 and cells["No"][0][6] == 1
    assert table["totals"][10] == 1
    # Questions that cannot be crossed, or a question with itself.
    assert surveys.crosstab(answered, "buys_tea", "rate") is None
    assert surveys.crosstab(answered, "buys_tea", "buys_tea") is None
    assert surveys.crosstab(answered, "buys_tea", "nosuchkey") is None


def test_free_text_answers_are_counted_by_keyword_groups(answered):
    group = KeywordGroup.objects.create(
        name="Yunwu", kind="product", keywords_en="yunwu\nyunwu tea"
    )
    KeywordGroup.objects.create(name="Rival", keywords_en="rivaltea")
    responses = surveys.segment_responses(answered)
    counts = surveys.keyword_counts(answered, responses)
    assert counts["price_why"] == [(group, 2)]
    shanghai = surveys.segment_responses(answered, surveys.Segment(region="Shanghai"))
    assert surveys.keyword_counts(answered, shanghai)["price_why"] == [(group, 1)]


def test_the_admin_filters_crosses_and_exports_a_segment(client, answered):
    KeywordGroup.objects.create(name="Yunwu", keywords_en="yunwu")
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    url = f"/admin/campaigns/survey/{answered.pk}/"
    html = client.get(url, {"region": "Beijing", "row": "buys_tea", "column": "nps"})
    assert html.status_code == 200
    text = html.content.decode()
    assert "2 responses in this selection." in text
    assert "campaign-report__crosstab" in text
    assert "Yunwu: 1" in text
    exported = client.get(url, {"region": "Beijing", "export": "survey-csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert len(rows) == 3 and {row[1] for row in rows[1:]} == {"Beijing"}
    exported = client.get(url, {"interest": "oolong", "export": "survey-xlsx"})
    assert len(list(load_workbook(io.BytesIO(exported.content)).active.values)) == 3
    found = client.get(url, {"search": "dear"}).content.decode()
    assert "1 response in this selection." in found
    assert "Yunwu tea is too dear" in found


@pytest.mark.parametrize(
    "query",
    [
        {"since": "9999-12-31"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"since": "not a date", "region": "Nowhere"},
        {"search": "x\x00y"},
        {"search": "x" * 500},
        {"row": "buys_tea", "column": "buys_tea"},
        {"row": "<script>", "column": "nps"},
    ],
)
def test_bad_filters_get_a_message_not_an_error_page(client, answered, query):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/campaigns/survey/{answered.pk}/", query)
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode()
    # What was wrong is left out: the selection is all responses.
    assert "4 responses in this selection." in response.content.decode()


# Bonus votes for referrals


def refer(referrer, count, *, when=None):
    """`count` new members signed up through `referrer`'s link."""
    code = ReferralCode.objects.get(code=referrals.code_for(referrer))
    for _ in range(count):
        signup = ReferralSignup.objects.create(
            code=code, user=MemberFactory(), path="/"
        )
        if when is not None:
            ReferralSignup.objects.filter(pk=signup.pk).update(created_at=when)


def test_bonus_votes_follow_the_sign_ups_brought():
    campaign = make_campaign(
        make_index(), votes_per_day=2, referral_bonus_signups=2, referral_bonus_max=2
    )
    member = voter()
    assert services.votes_allowed(campaign, member) == 2
    refer(member, 1)
    assert services.votes_allowed(campaign, member) == 2
    refer(member, 1)
    assert services.votes_allowed(campaign, member) == 3
    refer(member, 10)
    assert services.votes_allowed(campaign, member) == 4  # at most 2 more
    # Sign-ups from before the campaign opened do not count.
    other = voter()
    refer(other, 4, when=campaign.starts_at - DAY)
    assert services.votes_allowed(campaign, other) == 2
    # Without the rule, no bonus.
    plain = make_campaign(make_index(), votes_per_day=2)
    assert services.votes_allowed(plain, member) == 2


def test_the_vote_endpoint_gives_the_bonus_votes(client):
    campaign = make_campaign(make_index(), votes_per_day=1, referral_bonus_signups=1)
    entries = [make_entry(campaign) for _ in range(3)]
    member = voter()
    refer(member, 1)
    client.force_login(member)
    assert client.post(vote_url(campaign, entries[0]), **JSON).status_code == 200
    assert client.post(vote_url(campaign, entries[1]), **JSON).status_code == 200
    response = client.post(vote_url(campaign, entries[2]), **JSON)
    assert response.status_code == 429
    assert "(2)" in response.json()["message"]
    assert Vote.objects.filter(campaign=campaign, user=member).count() == 2


def test_the_vote_endpoint_stays_within_its_query_budget(
    client, django_assert_max_num_queries
):
    campaign = make_campaign(
        make_index(), votes_per_day=50, referral_bonus_signups=1, regions="Shanghai"
    )
    entries = [make_entry(campaign) for _ in range(4)]
    member = member_of("Shanghai")
    refer(member, 3)
    client.force_login(member)
    assert client.post(vote_url(campaign, entries[0]), **JSON).status_code == 200
    for entry in entries:
        for _ in range(30):
            Vote.objects.create(campaign=campaign, entry=entry, user=voter())
    refer(member, 20)
    for entry in entries[1:]:
        with django_assert_max_num_queries(25):
            assert client.post(vote_url(campaign, entry), **JSON).status_code == 200


# States by frozen time, through the pages


def test_each_state_by_frozen_time(client):
    """The clock moves through a campaign's life; the page says the state,
    entries and votes are taken only in their windows."""
    campaign = make_campaign(make_index(), opened=DAY, closes=3 * DAY)
    CampaignPage.objects.filter(pk=campaign.pk).update(
        voting_starts_at=campaign.starts_at + DAY,
        voting_ends_at=campaign.ends_at + 2 * DAY,
    )
    campaign.refresh_from_db()
    entry = make_entry(campaign)
    member = voter(date_joined=campaign.starts_at - 10 * DAY)
    client.force_login(member)
    start = campaign.starts_at
    moments = [
        # (moment, state label, may enter, may vote)
        (start - HOUR, "Upcoming", False, False),
        (start + HOUR, "Open for entries", True, False),
        (start + DAY + HOUR, "Open for entries", True, True),
        (campaign.ends_at + HOUR, "Voting", False, True),
        (campaign.voting_end + HOUR, "Closed", False, False),
    ]
    for moment, label, may_enter, may_vote in moments:
        with time_machine.travel(moment, tick=False):
            html = client.get(campaign.url, **BROWSER).content.decode()
            assert label in html, moment
            assert (services.entry_denied(campaign, member) is None) == may_enter
            response = client.post(vote_url(campaign, entry), **JSON)
            assert (response.status_code == 200) == may_vote, (moment, response)
            Vote.objects.filter(user=member).delete()
            Entry.objects.filter(pk=entry.pk).update(vote_count=0)
    entry.winner_rank = 1
    entry.save()
    with time_machine.travel(campaign.voting_end + DAY, tick=False):
        services.announce_winners(campaign)
        html = client.get(campaign.url, **BROWSER).content.decode()
        assert "Winners announced" in html
        assert client.get(f"{campaign.url}ranking/", **BROWSER).status_code == 200
