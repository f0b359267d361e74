"""The listening report over the site and external sources: counts by
source and sentiment, share of voice, terms, authors, the latest mentions
with their links, the filters, the exports and the query budget."""

import csv
import datetime
import hashlib
import io
import itertools

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from community.insights import aggregates, listening, reports
from community.insights.models import ExternalPost, KeywordGroup, Source
from tests.community.insights.insights_helpers import comment_at, superuser

DAY = datetime.date(2026, 3, 10)
_numbers = itertools.count(1)


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def external(source, text, moment, *, language="", author="", reach=None, url=None):
    """An item fetched from `source`, listened to like the fetcher does."""
    number = next(_numbers)
    url = f"https://example.org/item/{number}" if url is None else url
    post = ExternalPost.objects.create(
        source=source,
        url=url,
        text_hash=hashlib.sha256(f"{number}{text}".encode()).hexdigest(),
        author_handle=author,
        text=text,
        published_at=moment,
        language=language,
        reach=reach,
    )
    listening.index_item(
        post,
        text,
        moment,
        origin=source,
        language=language,
        reach=reach,
        author=author,
        url=url,
    )
    return post


@pytest.fixture
def setup(page):
    brand = KeywordGroup.objects.create(
        name="Cloudmist", kind="brand", keywords_en="Cloudmist", keywords_zh="云雾"
    )
    rival = KeywordGroup.objects.create(
        name="Jade Leaf", kind="competitor", keywords_en="Jade Leaf", keywords_zh="玉叶"
    )
    industry = KeywordGroup.objects.create(
        name="Tea market", kind="industry", keywords_zh="龙井"
    )
    weibo = Source.objects.create(name="Weibo search", connector="weibo")
    news = Source.objects.create(name="Tea news", connector="rss")
    return {
        "brand": brand,
        "rival": rival,
        "industry": industry,
        "weibo": weibo,
        "news": news,
        "page": page,
    }


def fill(setup):
    """Mentions on DAY: one on the site, four from Weibo, two from the news."""
    weibo, news = setup["weibo"], setup["news"]
    comment = comment_at(setup["page"], at(DAY, 9), text="I love Cloudmist tea")
    listening.index_item(comment, comment.comment, comment.submit_date)
    external(
        weibo,
        "云雾的西湖龙井茶很好喝，推荐给大家",
        at(DAY, 10),
        language="zh",
        author="@teafan",
        reach=50_000,
    )
    external(
        weibo,
        "玉叶的茶太贵了，有点失望。",
        at(DAY, 11),
        language="zh",
        author="@critic",
        reach=900_000,
    )
    external(
        weibo,
        "云雾涨价了，客服态度很差，再也不买了",
        at(DAY, 12),
        language="zh",
        author="@small",
        reach=10,
    )
    external(weibo, "云雾涨价了吗？", at(DAY, 13), language="zh")
    external(
        news,
        "Jade Leaf opens a new shop",
        at(DAY, 14),
        language="en",
        author="Tea Times",
        reach=1_000,
    )
    external(news, "Cloudmist prices rise; 云雾涨价", at(DAY, 15), language="en")
    aggregates.refresh_range(DAY - datetime.timedelta(days=1), DAY)


def test_report_counts_every_source_by_sentiment(setup):
    fill(setup)
    report = reports.listening(DAY, DAY)
    by_name = {entry.group.name: entry for entry in report.groups}
    assert by_name["Cloudmist"].total == 5
    assert by_name["Jade Leaf"].total == 2
    assert by_name["Tea market"].total == 1  # 龙井 inside 西湖龙井茶
    sources = {line.label: line.total for line in report.sources}
    assert sources == {"This site": 1, "Weibo search": 5, "Tea news": 2}
    moods = {line.id: line.total for line in report.sentiments}
    assert sum(moods.values()) == report.total == 8
    assert moods["negative"] >= 2
    # Share of voice: the brand against its competitors, every source.
    voice = {item.label: item.percent for item in report.voice}
    assert voice == {"Cloudmist": pytest.approx(71.4), "Jade Leaf": pytest.approx(28.6)}
    terms = {item.term: item.count for item in report.terms}
    # Terms count mentions: the item naming Cloudmist and 龙井 counts twice.
    assert terms["涨价"] == 3 and terms["西湖"] == 2
    assert "了" not in terms and "the" not in terms
    authors = [author.author for author in report.authors]
    assert authors == ["@critic", "@teafan", "Tea Times", "@small"]
    assert report.authors[0].source == "Weibo search"
    latest = report.latest[0]
    assert latest.excerpt.startswith("Cloudmist prices rise")
    assert latest.external_url.startswith("https://example.org/item/")
    assert latest.source_label == "Tea news"


def test_rising_terms_compare_with_the_period_before(setup):
    weibo = setup["weibo"]
    before = DAY - datetime.timedelta(days=1)
    external(weibo, "云雾的包装很好看", at(before), language="zh")
    for hour in (9, 10, 11):
        external(weibo, f"云雾包装涨价了{hour}", at(DAY, hour), language="zh")
    aggregates.refresh_range(before, DAY)
    report = reports.listening(DAY, DAY)
    rising = {item.term: item for item in report.rising}
    assert rising["涨价"].previous == 0 and rising["涨价"].change is None
    assert rising["包装"].previous == 1 and rising["包装"].change == 200


@pytest.mark.parametrize(
    ("filters", "groups", "total"),
    [
        ({"source": "site"}, {"Cloudmist": 1, "Jade Leaf": 0}, 1),
        ({"language": "en"}, {"Cloudmist": 2, "Jade Leaf": 1}, 3),
        ({"language": "zh"}, {"Cloudmist": 3, "Jade Leaf": 1}, 5),
        ({"group": "rival"}, {"Jade Leaf": 2}, 2),
    ],
)
def test_filters(setup, filters, groups, total):
    fill(setup)
    values = {"source": "", "language": "", "group": "", "sentiment": ""}
    values.update(filters)
    if values["group"]:
        values["group"] = str(setup[values["group"]].pk)
    chosen = reports.empty_filters()
    chosen.__dict__.update(values)
    report = reports.listening(DAY, DAY, filters=chosen)
    by_name = {entry.group.name: entry.total for entry in report.groups}
    assert {name: by_name[name] for name in groups} == groups
    assert report.total == total
    assert len(report.latest) == total


def test_sentiment_and_source_filters_on_the_latest_mentions(setup):
    fill(setup)
    chosen = reports.empty_filters()
    chosen.sentiment = "negative"
    chosen.source = str(setup["weibo"].pk)
    report = reports.listening(DAY, DAY, filters=chosen)
    assert report.latest
    assert {m.sentiment for m in report.latest} == {"negative"}
    assert {m.origin_id for m in report.latest} == {setup["weibo"].pk}
    assert report.total == len(report.latest)


def test_pages_of_latest_mentions(setup):
    weibo = setup["weibo"]
    for minute in range(25):
        external(
            weibo,
            f"Cloudmist news {minute}",
            at(DAY) + datetime.timedelta(minutes=minute),
            language="en",
        )
    first = reports.listening(DAY, DAY).page
    assert (len(first.mentions), first.has_previous, first.has_next) == (
        20,
        False,
        True,
    )
    assert first.mentions[0].excerpt == "Cloudmist news 24"
    second = reports.listening(DAY, DAY, page="2").page
    assert (len(second.mentions), second.has_previous, second.has_next) == (
        5,
        True,
        False,
    )
    for hostile in ("abc", "-3", "\x00", "9" * 50):
        page = reports.listening(DAY, DAY, page=hostile).page
        assert page.number >= 1


def test_admin_screen_escapes_text_and_links_out_safely(client, setup):
    weibo = setup["weibo"]
    external(
        weibo,
        "<script>alert(1)</script> Cloudmist 1 < 2",
        at(DAY, 9),
        author='<b onclick="x()">Bold</b>',
        reach=7,
        url="https://example.org/a?b=1&c=2",
    )
    external(weibo, "Cloudmist again", at(DAY, 10), url="javascript:alert(1)")
    aggregates.refresh_range(DAY, DAY)
    client.force_login(superuser())
    response = client.get(f"/admin/insights/listening/?start={DAY}&end={DAY}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "alert(1) Cloudmist 1 &lt; 2" in html  # tags dropped, text escaped
    assert '<b onclick="x()">' not in html
    assert "&lt;b onclick=&quot;x()&quot;&gt;Bold&lt;/b&gt;" in html
    assert 'href="https://example.org/a?b=1&amp;c=2" rel="noopener nofollow' in html
    assert "javascript:alert" not in html
    assert "Top authors by reach" in html and "Rising terms" in html


def test_admin_screen_with_filters_and_bad_input(client, setup):
    fill(setup)
    client.force_login(superuser())
    url = f"/admin/insights/listening/?start={DAY}&end={DAY}"
    response = client.get(f"{url}&source={setup['weibo'].pk}&language=zh")
    assert response.status_code == 200
    assert response.context["report"].total == 5
    for bad in (
        "source=999999",
        "language=%00",
        "group=abc",
        "sentiment=angry",
        "start=99999-01-01",
    ):
        response = client.get(f"{url}&{bad}")
        assert response.status_code == 200, bad
        assert response.context["form"].errors, bad
        assert response.context["report"].filters.source == ""
    response = client.get(f"{url}&page=%ff%fe")
    assert response.status_code == 200
    assert response.context["report"].page.number == 1


def test_listening_report_query_budget(client, setup, django_assert_max_num_queries):
    fill(setup)
    client.force_login(superuser())
    url = f"/admin/insights/listening/?start={DAY - datetime.timedelta(days=364)}"
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url + "&granularity=week")
    assert response.status_code == 200
    # The report itself: groups, sources, the day rows, the terms of the period
    # and of the one before, the authors (two), a page of mentions and the
    # links of the site's ones; never one query per group, source or day.
    with django_assert_max_num_queries(12):
        reports.listening(DAY - datetime.timedelta(days=364), DAY, "week")


def test_empty_report(client, page):
    client.force_login(superuser())
    html = client.get("/admin/insights/listening/").content.decode()
    assert "No keyword groups yet" in html
    assert "No terms in this period." in html
    assert "No author with a known reach in this period." in html


def test_mention_exports_guard_against_formulas(client, setup):
    weibo = setup["weibo"]
    external(
        weibo, '=HYPERLINK("http://evil") Cloudmist', at(DAY, 9), author="@x", reach=5
    )
    external(weibo, "Cloudmist \x01 bell", at(DAY, 10), author="  -2+3")
    aggregates.refresh_range(DAY, DAY)
    client.force_login(superuser())
    url = f"/admin/insights/listening/?start={DAY}&end={DAY}&table=mentions"
    response = client.get(url + "&export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["date", "keyword group", "source"]
    excerpts = {row[8] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil") Cloudmist' in excerpts
    assert "'  -2+3" in {row[5] for row in rows[1:]}
    response = client.get(url + "&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(values_only=True))[1:]
    assert all(not str(cell).startswith("=") for row in cells for cell in row if cell)
    assert "Cloudmist  bell" in {row[8] for row in cells}
    summary = client.get(url.replace("&table=mentions", "") + "&export=csv")
    heading = next(csv.reader(io.StringIO(summary.content.decode())))
    assert "source: Weibo search" in heading and "sentiment: negative" in heading
