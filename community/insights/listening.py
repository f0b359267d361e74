"""Brand listening: which keyword groups a text names, and how it sounds.

Matching: Latin keywords are case-insensitive whole words, Chinese keywords
match anywhere (Chinese has no spaces between words). Sentiment: a small
lexicon in both languages shipped with the app (``lexicon/*.txt``), with
negation ("not good", "不好") flipping a word; no model, no download.
"""

import functools
import html
import re
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import strip_tags

from community.cjk import CJK_RUN
from community.insights.models import KeywordGroup, Mention

LEXICON = Path(__file__).parent / "lexicon"
NEGATIONS_EN = {"not", "no", "never", "hardly", "isn't", "wasn't", "don't", "didn't"}
NEGATIONS_ZH = ("不", "没", "没有", "别", "未")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@functools.cache
def lexicon(name):
    """(latin words, CJK words) of lexicon/<name>.txt."""
    latin, cjk = set(), set()
    for line in (LEXICON / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#"):
            (cjk if CJK_RUN.fullmatch(word) else latin).add(word)
    return frozenset(latin), tuple(sorted(cjk, key=len, reverse=True))


def _latin_score(text):
    words = WORD.findall(text.lower())
    positive, _cjk = lexicon("positive")
    negative, _cjk = lexicon("negative")
    phrases = " ".join(words)
    score = 0
    for index, word in enumerate(words):
        value = (word in positive) - (word in negative)
        if value and NEGATIONS_EN & set(words[max(0, index - 2) : index]):
            value = -value
        score += value
    score -= sum(1 for phrase in negative if " " in phrase and phrase in phrases)
    return score


def _cjk_score(text):
    score = 0
    for run in CJK_RUN.findall(text):
        taken = [False] * len(run)
        for words, sign in ((lexicon("negative")[1], -1), (lexicon("positive")[1], 1)):
            for word in words:
                start = run.find(word)
                while start != -1:
                    end = start + len(word)
                    if not any(taken[start:end]):
                        taken[start:end] = [True] * len(word)
                        before = run[max(0, start - 2) : start]
                        negated = any(before.endswith(neg) for neg in NEGATIONS_ZH)
                        score += -sign if negated else sign
                    start = run.find(word, end)
    return score


def sentiment(text):
    """ "positive", "negative" or "neutral" for a comment or post."""
    text = strip_tags(text or "")
    score = _latin_score(text) + _cjk_score(text)
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "neutral"


def matching_groups(text, groups):
    """The groups among `groups` that `text` names."""
    text = strip_tags(text or "")
    return [group for group in groups if (p := group.pattern()) and p.search(text)]


def plain_text(rendered):
    """The words of rendered Markdown (a comment's or a post's HTML): no tags,
    no link targets, entities decoded, so that listening reads what visitors
    read."""
    return html.unescape(strip_tags(rendered or ""))


def excerpt(text, length=280):
    text = " ".join(strip_tags(text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def index_item(obj, text, created_at, *, listen=True, groups=None):
    """Record (or refresh) the mentions in one item: any model instance with a
    text, e.g. a comment or a community post. With `listen=False` (the item
    was removed or marked as spam) its mentions are dropped. Returns the days
    whose aggregates changed."""
    content_type = ContentType.objects.get_for_model(obj)
    object_id = str(obj.pk)
    if groups is None:
        groups = list(KeywordGroup.objects.filter(active=True))
    found = matching_groups(text, groups) if listen else []
    with transaction.atomic():
        existing = Mention.objects.filter(
            content_type=content_type, object_id=object_id
        )
        days = {mention.created_at for mention in existing.only("created_at")}
        existing.delete()
        if found:
            mood = sentiment(text)
            Mention.objects.bulk_create(
                Mention(
                    group=group,
                    content_type=content_type,
                    object_id=object_id,
                    created_at=created_at,
                    sentiment=mood,
                    excerpt=excerpt(text),
                )
                for group in found
            )
            days.add(created_at)
    return days
