"""The numbers behind the insights screens, as plain data (the views and the
exports only present them). Everything is read from daily aggregates."""

import datetime
from types import SimpleNamespace

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Page

from community import moderation
from community.comments.models import Comment
from community.insights.aggregates import WEEK, day_bounds, range_rows
from community.insights.metrics import (
    ENGAGEMENT_PERMISSION,
    bucket,
    buckets,
    distinct_keys,
    metric_total,
    metrics_for,
    top_keys,
)
from community.insights.models import DailyMetric, KeywordGroup, Mention, Source
from community.insights.rollups import KEY_LENGTH, parse_mention_key
from community.posts.models import Post

GRANULARITIES = ("day", "week")


def engagement(user, start, end, granularity="day"):
    """Per metric the editor may see: totals per bucket and per key, the top
    pages by engagement and the top contributors."""
    slots = buckets(start, end, granularity)
    results = []
    top = {}
    for metric in metrics_for(user):
        series = metric.series(start, end, granularity)
        per_bucket = dict.fromkeys(slots, 0)
        per_key = {}
        for (slot, key), value in series.items():
            per_bucket[slot] = per_bucket.get(slot, 0) + value
            if metric.keyed:
                per_key.setdefault(key, dict.fromkeys(slots, 0))[slot] = value
        labels = metric.key_labels(per_key) if per_key else {}
        keys = sorted(per_key, key=lambda k: (-sum(per_key[k].values()), k))
        results.append(
            SimpleNamespace(
                id=metric.id,
                label=str(metric.label),
                values=[per_bucket[slot] for slot in slots],
                total=metric_total(metric, start, end, series),
                keys=[
                    SimpleNamespace(
                        key=key,
                        label=labels.get(key, key),
                        values=[per_key[key][slot] for slot in slots],
                        total=sum(per_key[key].values()),
                    )
                    for key in keys
                ],
            )
        )
        for item, value in metric.top_items(start, end).items():
            top.setdefault(item, {})[metric.id] = value
    return SimpleNamespace(
        start=start,
        end=end,
        granularity=granularity,
        buckets=slots,
        metrics=results,
        rows=[
            SimpleNamespace(slot=slot, values=[m.values[index] for m in results])
            for index, slot in enumerate(slots)
        ],
        top_items=name_items(
            top, [m for m in results if m.id in _top_ids(top)], user=user
        ),
        top_contributors=top_contributors(user, start, end),
    )


def _top_ids(top):
    return {metric_id for values in top.values() for metric_id in values}


def name_items(top, metrics, limit=10, user=None):
    """The most engaging items (sum of their counts), with titles and links:
    pages ("page" keys) and community posts ("post" keys). A post that is not
    published is named only for editors who moderate posts."""
    ranked = sorted(top.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    ranked = ranked[:limit]

    def ids(kind):
        return [int(oid) for (k, oid), _v in ranked if k == kind and oid.isdigit()]

    pages = Page.objects.filter(pk__in=ids("page")).specific(defer=True).in_bulk()
    posts = Post.objects.filter(pk__in=ids("post")).select_related("board").in_bulk()
    rows = []
    for (kind, object_id), values in ranked:
        number = int(object_id) if object_id.isdigit() else None
        page = pages.get(number) if kind == "page" else None
        post = posts.get(number) if kind == "post" else None
        if page is not None:
            label, url = page.title, page.url
            edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        elif post is not None:
            moderator = user is not None and moderates(Post, user)
            label = post.title
            if not (post.is_published or moderator):
                label = _("Post #%(id)s (not published)") % {"id": post.pk}
            url = post.get_absolute_url() if post.is_published else ""
            edit_url = moderate_url(Post, post.pk) if moderator else ""
        else:
            label, url, edit_url = f"{kind} #{object_id}", "", ""
        rows.append(
            SimpleNamespace(
                kind=kind,
                object_id=object_id,
                label=label,
                url=url or "",
                edit_url=edit_url,
                values=[values.get(metric.id, 0) for metric in metrics],
                total=sum(values.values()),
            )
        )
    return SimpleNamespace(metrics=[m.label for m in metrics], rows=rows)


def top_contributors(user, start, end, limit=10):
    if not user.has_perm(ENGAGEMENT_PERMISSION):
        return []
    totals = top_keys("contributor", start, end, limit)
    users = (
        get_user_model()
        .objects.filter(pk__in=[int(key) for key in totals])
        .select_related("community_profile")
        .in_bulk()
    )
    result = []
    for key, total in totals.items():
        member = users.get(int(key))
        if member is None:
            continue
        profile = getattr(member, "community_profile", None)
        name = (profile.display_name if profile else "") or member.get_username()
        result.append(SimpleNamespace(name=name, user=member, total=total))
    return result


def distinct_contributors(start, end):
    return distinct_keys("contributor", start, end)


def week_comparison(user, today=None):
    """Each visible metric over the last 7 days against the 7 before."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=13)
    middle = today - datetime.timedelta(days=6)
    rows = []
    for metric in metrics_for(user):
        previous = current = 0
        if getattr(metric, "total", None) is not None:
            current = metric.total(middle, today)
            previous = metric.total(start, middle - datetime.timedelta(days=1))
        else:
            for (day, _key), value in metric.series(start, today).items():
                if day >= middle:
                    current += value
                else:
                    previous += value
        change = round((current - previous) * 100 / previous) if previous else None
        rows.append(
            SimpleNamespace(
                id=metric.id,
                label=str(metric.label),
                current=current,
                previous=previous,
                change=change,
                trend=(
                    "up"
                    if current > previous
                    else "down"
                    if current < previous
                    else "same"
                ),
            )
        )
    return rows


LATEST_PER_PAGE = 20
TOP_TERMS = 20
RISING_TERMS = 10
#: A rising term occurs in at least this many mentions of the period.
RISING_MIN = 3
TOP_AUTHORS = 10
SENTIMENTS = ("positive", "neutral", "negative")
LANGUAGES = ("en", "zh", "other")
VOICE_KINDS = (KeywordGroup.Kind.BRAND, KeywordGroup.Kind.COMPETITOR)


def empty_filters():
    return SimpleNamespace(source="", language="", group="", sentiment="")


def language_matches(wanted, language):
    """Whether a mention's `language` ("en", "zh-hans", "") is in the
    filter's choice ("en", "zh", "other", or "" for any)."""
    if not wanted:
        return True
    family = language.split("-")[0].lower()
    if wanted == "other":
        return family not in ("en", "zh")
    return family == wanted


def source_matches(wanted, origin):
    """`origin` is a key's source id ("0": the site); `wanted` is "",
    "site" or a source id."""
    if not wanted:
        return True
    return origin == ("0" if wanted == "site" else wanted)


def listening(
    start,
    end,
    granularity="day",
    latest=LATEST_PER_PAGE,
    user=None,
    filters=None,
    page=1,
):
    """The listening report over [start, end] (dates), with `filters`
    (source, language, group, sentiment; empty strings for all): mentions
    per keyword group, per sentiment and per source per bucket, the share of
    voice of the brand against its competitors, the top and the rising
    terms, the far-reaching authors, and a page of the latest mentions.
    Counts come from the daily rows of ``rollups``; the latest mentions from
    the mentions themselves."""
    filters = filters or empty_filters()
    slots = buckets(start, end, granularity)
    groups = list(KeywordGroup.objects.all())
    by_id = {str(group.pk): group for group in groups}
    sources = {str(source.pk): source for source in Source.objects.all()}

    def moods():
        return dict.fromkeys(SENTIMENTS, 0)

    stats = {
        key: SimpleNamespace(group=group, values=dict.fromkeys(slots, 0), **moods())
        for key, group in by_id.items()
        if not filters.group or key == filters.group
    }
    per_mood = {mood: dict.fromkeys(slots, 0) for mood in SENTIMENTS}
    per_source = {}
    voice_totals = {}

    def accept(key):
        """(group id, source id, sentiment) of a row key within the
        filters, or None."""
        try:
            group_id, origin, language, mood = parse_mention_key(key)
        except ValueError:
            return None
        if group_id not in by_id or mood not in SENTIMENTS:
            return None
        if not (
            source_matches(filters.source, origin)
            and language_matches(filters.language, language)
            and (not filters.sentiment or mood == filters.sentiment)
        ):
            return None
        return group_id, origin, mood

    # A year holds tens of thousands of rows but a few hundred keys: each
    # key is parsed once, each day put in its bucket once.
    accepted, slot_of, sums = {}, {}, {}
    rows = listening_rows(start, end, granularity).values_list("day", "key", "value")
    for day, key, value in raw_rows(rows.order_by()):
        if key not in accepted:
            accepted[key] = accept(key)
        found = accepted[key]
        if found is None:
            continue
        if day not in slot_of:
            slot_of[day] = bucket(as_date(day), granularity)
        slot = (slot_of[day], found)
        sums[slot] = sums.get(slot, 0) + value
    for (slot, (group_id, origin, mood)), value in sums.items():
        if by_id[group_id].kind in VOICE_KINDS:
            voice_totals[group_id] = voice_totals.get(group_id, 0) + value
        if group_id not in stats:
            continue
        entry = stats[group_id]
        entry.values[slot] = entry.values.get(slot, 0) + value
        setattr(entry, mood, getattr(entry, mood) + value)
        per_mood[mood][slot] = per_mood[mood].get(slot, 0) + value
        if origin not in per_source:
            per_source[origin] = dict.fromkeys(slots, 0)
        per_source[origin][slot] = per_source[origin].get(slot, 0) + value
    series = []
    for entry in stats.values():
        entry.total = entry.positive + entry.neutral + entry.negative
        entry.values = [entry.values[slot] for slot in slots]
        series.append(entry)
    voice_total = sum(voice_totals.values())
    voice = [
        SimpleNamespace(
            label=group.name,
            kind=group.get_kind_display(),
            total=voice_totals.get(key, 0),
            percent=(
                round(voice_totals.get(key, 0) * 100 / voice_total, 1)
                if voice_total
                else 0
            ),
        )
        for key, group in by_id.items()
        if group.kind in VOICE_KINDS
    ]
    voice.sort(key=lambda item: (-item.total, item.label))
    labels = dict(Mention.Sentiment.choices)
    sentiments = [
        SimpleNamespace(
            id=mood,
            label=str(labels[mood]),
            values=[per_mood[mood][slot] for slot in slots],
            total=sum(per_mood[mood].values()),
        )
        for mood in SENTIMENTS
    ]
    source_lines = [
        SimpleNamespace(
            id=origin,
            label=source_label(origin, sources),
            values=[values[slot] for slot in slots],
            total=sum(values.values()),
        )
        for origin, values in per_source.items()
    ]
    source_lines.sort(key=lambda line: (-line.total, line.label))
    top, rising = term_tables(start, end, filters)
    page_of_mentions = latest_mentions(start, end, filters, latest, page, user)
    return SimpleNamespace(
        start=start,
        end=end,
        granularity=granularity,
        buckets=slots,
        filters=filters,
        groups=series,
        sentiments=sentiments,
        sources=source_lines,
        total=sum(line.total for line in sentiments),
        voice=voice,
        terms=top,
        rising=rising,
        authors=top_authors(start, end, filters, sources, by_id),
        page=page_of_mentions,
        latest=page_of_mentions.mentions,
    )


def listening_rows(start, end, granularity):
    """The "listening" rows that cover [start, end] once: per week, the
    weekly sums of the whole weeks inside the range (on their Mondays) and
    the day rows of the partial weeks at its edges; per day, the day rows."""
    days = Q(metric="listening", day__gte=start, day__lte=end)
    if granularity != "week":
        return DailyMetric.objects.filter(days)
    first = start + datetime.timedelta(days=-start.weekday() % 7)
    mondays = []
    monday = first
    while monday + datetime.timedelta(days=6) <= end:
        mondays.append(monday)
        monday += datetime.timedelta(days=7)
    if not mondays:
        return DailyMetric.objects.filter(days)
    after = mondays[-1] + datetime.timedelta(days=7)
    return DailyMetric.objects.filter(
        Q(metric=f"listening/{WEEK}", day__in=mondays)
        | Q(metric="listening", day__gte=start, day__lt=first)
        | Q(metric="listening", day__gte=after, day__lte=end)
    )


def raw_rows(queryset):
    """The rows of a values_list() queryset as the database driver returns
    them, without Django's conversions (a year of the listening rows is tens
    of thousands of tuples; SQLite returns their dates as strings)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            yield from batch


def as_date(value):
    return (
        value
        if isinstance(value, datetime.date)
        else datetime.date.fromisoformat(value)
    )


def source_label(origin, sources):
    if origin in ("0", "", None):
        return str(pgettext("listening source", "This site"))
    source = sources.get(str(origin))
    return source.name if source else f"#{origin}"


def term_counts(start, end, filters):
    """{term: mentions} over [start, end] within the group and language
    filters (weekly and monthly sums where they cover the range)."""
    counts = {}
    rows = range_rows("listening_terms", start, end).values("key")
    for row in rows.annotate(total=Sum("value")).order_by():
        group_id, _sep, rest = row["key"].partition(":")
        language, _sep, term = rest.partition(":")
        if not term or (filters.group and group_id != filters.group):
            continue
        if not language_matches(filters.language, "" if language == "-" else language):
            continue
        counts[term] = counts.get(term, 0) + row["total"]
    return counts


def term_tables(start, end, filters):
    """The period's most frequent terms, and those that rose the most
    against the period of the same length just before."""
    current = term_counts(start, end, filters)
    length = end - start
    before_end = start - datetime.timedelta(days=1)
    previous = term_counts(before_end - length, before_end, filters)
    top = sorted(current.items(), key=lambda item: (-item[1], item[0]))[:TOP_TERMS]
    rising = []
    for term, count in current.items():
        was = previous.get(term, 0)
        if count >= RISING_MIN and count > was:
            rising.append((term, count, was, (count + 1) / (was + 1)))
    rising.sort(key=lambda item: (-item[3], -item[1], item[0]))
    return (
        [SimpleNamespace(term=term, count=count) for term, count in top],
        [
            SimpleNamespace(
                term=term,
                count=count,
                previous=was,
                change=round((count - was) * 100 / was) if was else None,
            )
            for term, count, was, _ratio in rising[:RISING_TERMS]
        ],
    )


def top_authors(start, end, filters, sources, groups):
    """The authors with the largest reach who mentioned the groups in the
    period (group and source filters apply), with the groups they named.
    The database ranks the rows: an author has at most one row per group,
    so the first TOP_AUTHORS × groups rows hold the TOP_AUTHORS authors."""
    chosen = [filters.group] if filters.group else list(groups)
    if filters.source:
        origin = "0" if filters.source == "site" else filters.source
        prefixes = [f"{group_id}:{origin}:" for group_id in chosen]
    else:
        prefixes = [f"{group_id}:" for group_id in chosen]
    if not prefixes:
        return []
    condition = Q()
    for prefix in prefixes:
        condition |= Q(key__startswith=prefix)
    period = DailyMetric.objects.filter(
        metric="listening_authors", day__gte=start, day__lte=end
    )
    rows = (
        period.filter(condition)
        .values("key")
        .annotate(reach=Max("value"))
        .order_by("-reach", "key")[: TOP_AUTHORS * len(chosen)]
    )
    authors = {}
    for row in rows:
        group_id, _sep, rest = row["key"].partition(":")
        origin, _sep, author = rest.partition(":")
        if not author or group_id not in groups:
            continue
        if (origin, author) not in authors:
            authors[(origin, author)] = SimpleNamespace(
                author=author,
                origin=origin,
                reach=row["reach"],
                source=source_label(origin, sources),
            )
    ranked = sorted(authors.values(), key=lambda a: (-a.reach, a.author))
    ranked = ranked[:TOP_AUTHORS]
    named = {}
    keys = [
        f"{group_id}:{entry.origin}:{entry.author}"[:KEY_LENGTH]
        for entry in ranked
        for group_id in chosen
    ]
    for key in period.filter(key__in=keys).values_list("key", flat=True).distinct():
        group_id, _sep, rest = key.partition(":")
        named.setdefault(rest, set()).add(groups[group_id].name)
    for entry in ranked:
        entry.groups = sorted(named.get(f"{entry.origin}:{entry.author}", ()))
    return ranked


def safe_url(url):
    """`url` when it is an http(s) link, else "" (an external item's URL
    comes from outside: never a javascript: or data: link)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def latest_mentions(start, end, filters, per_page, page, user=None):
    """One page of the period's mentions, newest first, with links: no
    count of all the rows (a year can hold a million), only whether there
    is a newer and an older page."""
    try:
        number = max(1, min(int(page or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    first, last = day_range_bounds(start, end)
    mentions = Mention.objects.filter(created_at__gte=first, created_at__lt=last)
    if filters.group:
        mentions = mentions.filter(group_id=filters.group)
    if filters.sentiment:
        mentions = mentions.filter(sentiment=filters.sentiment)
    if filters.source == "site":
        mentions = mentions.filter(origin__isnull=True)
    elif filters.source:
        mentions = mentions.filter(origin_id=filters.source)
    if filters.language == "other":
        mentions = mentions.exclude(language__startswith="en").exclude(
            language__startswith="zh"
        )
    elif filters.language:
        mentions = mentions.filter(language__startswith=filters.language)
    offset = (number - 1) * per_page
    rows = list(
        # Newest first by the date alone: the index on it gives the order.
        mentions.select_related("group", "origin", "content_type").order_by(
            "-created_at"
        )[offset : offset + per_page + 1]
    )
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    link_mentions(rows, user)
    for mention in rows:
        mention.external_url = safe_url(mention.url) if mention.origin_id else ""
        mention.source_label = (
            mention.origin.name
            if mention.origin_id
            else str(pgettext("listening source", "This site"))
        )
    return SimpleNamespace(
        number=number,
        mentions=rows,
        has_previous=number > 1,
        previous_number=number - 1,
        has_next=has_next,
        next_number=number + 1,
    )


def export_mentions(start, end, filters, limit=10_000):
    """The newest `limit` mentions of the period (the filters apply), for
    the CSV and XLSX exports."""
    return latest_mentions(start, end, filters, limit, 1).mentions


def day_range_bounds(start, end):
    return day_bounds(start)[0], day_bounds(end)[1]


def link_mentions(mentions, user=None):
    """Give each mention the URL of its item, and of the screens to moderate
    it and reply to it: for a comment its moderation screen and its thread,
    for a post the post's moderation screen and its comments. Moderation
    links only for editors who may moderate that kind of item (`user` None:
    no permission check, e.g. the digest to a subscribed editor)."""

    def model_of(mention):
        return mention.content_type.model_class()

    def ids(model):
        return [
            int(m.object_id)
            for m in mentions
            if m.object_id.isdigit()
            and model_of(m) is not None
            and issubclass(model_of(m), model)
        ]

    comments = Comment.objects.filter(pk__in=ids(Comment)).in_bulk()
    posts = Post.objects.filter(pk__in=ids(Post)).select_related("board").in_bulk()
    for mention in mentions:
        mention.item_url = mention.moderate_url = mention.reply_url = ""
        model = model_of(mention)
        number = int(mention.object_id) if mention.object_id.isdigit() else None
        if model is None or number is None:
            continue
        if issubclass(model, Comment) and number in comments:
            comment = comments[number]
            try:
                mention.item_url = comment.get_absolute_url()
            except AttributeError:
                mention.item_url = ""
            mention.moderate_url = moderate_url(Comment, number, user)
            mention.reply_url = mention.item_url
        elif issubclass(model, Post) and number in posts:
            post = posts[number]
            mention.item_url = post.get_absolute_url() if post.is_published else ""
            mention.moderate_url = moderate_url(Post, number, user)
            if mention.item_url:
                mention.reply_url = mention.item_url + "#comments"


def moderates(model, user):
    """Whether `user` may moderate items of `model` (its registered
    moderator's permission)."""
    moderator = moderation.registry.get(model)
    return moderator is not None and moderator.may_moderate(user)


def moderate_url(model, pk, user=None):
    """The admin screen to moderate item `pk` of `model` (its queue's inspect
    view), or "" when `user` may not moderate it (`user` None: no check) or
    the model has no such screen."""
    if model not in moderation.registry:
        return ""
    if user is not None and not moderates(model, user):
        return ""
    viewset = getattr(model, "snippet_viewset", None)
    if viewset is None or not viewset.inspect_view_enabled:
        return ""
    return reverse(viewset.get_url_name("inspect"), args=[quote(pk)])
