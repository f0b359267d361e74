"""The numbers behind the insights screens, as plain data (the views and the
exports only present them). Everything is read from daily aggregates."""

import datetime
from types import SimpleNamespace

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from community import moderation
from community.comments.models import Comment
from community.insights.aggregates import day_bounds
from community.insights.metrics import (
    ENGAGEMENT_PERMISSION,
    bucket,
    buckets,
    distinct_keys,
    metric_total,
    metrics_for,
    top_keys,
)
from community.insights.models import DailyMetric, KeywordGroup, Mention
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


def listening(start, end, granularity="day", latest=20, user=None):
    """Mentions per keyword group per bucket, by sentiment, the share of voice
    of the brand against its competitors, and the latest mentions."""
    slots = buckets(start, end, granularity)
    groups = list(KeywordGroup.objects.all())
    by_id = {str(group.pk): group for group in groups}
    stats = {
        str(group.pk): SimpleNamespace(
            group=group,
            values=dict.fromkeys(slots, 0),
            positive=0,
            neutral=0,
            negative=0,
        )
        for group in groups
    }
    rows = (
        DailyMetric.objects.filter(metric="mentions", day__gte=start, day__lte=end)
        .values("day", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        group_id, _sep, mood = row["key"].partition(":")
        if group_id not in stats:
            continue
        entry = stats[group_id]
        slot = bucket(row["day"], granularity)
        entry.values[slot] = entry.values.get(slot, 0) + row["total"]
        if mood in ("positive", "neutral", "negative"):
            setattr(entry, mood, getattr(entry, mood) + row["total"])
    series = []
    for entry in stats.values():
        entry.total = entry.positive + entry.neutral + entry.negative
        entry.values = [entry.values[slot] for slot in slots]
        series.append(entry)
    voice_total = sum(
        entry.total
        for entry in series
        if entry.group.kind in (KeywordGroup.Kind.BRAND, KeywordGroup.Kind.COMPETITOR)
    )
    voice = [
        SimpleNamespace(
            label=entry.group.name,
            kind=entry.group.get_kind_display(),
            total=entry.total,
            percent=round(entry.total * 100 / voice_total, 1) if voice_total else 0,
        )
        for entry in series
        if entry.group.kind in (KeywordGroup.Kind.BRAND, KeywordGroup.Kind.COMPETITOR)
    ]
    voice.sort(key=lambda item: -item.total)
    first, last = day_range_bounds(start, end)
    recent = list(
        Mention.objects.filter(created_at__gte=first, created_at__lt=last)
        .select_related("group", "content_type")
        .order_by("-created_at")[:latest]
    )
    for mention in recent:
        mention.group = by_id.get(str(mention.group_id), mention.group)
    link_mentions(recent, user)
    return SimpleNamespace(
        start=start,
        end=end,
        granularity=granularity,
        buckets=slots,
        groups=series,
        voice=voice,
        latest=recent,
    )


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
