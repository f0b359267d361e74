"""Brand listening: which keyword groups a text names, and how it sounds.

Matching: Latin keywords are case-insensitive whole words; Chinese keywords
match on word boundaries of jieba's segmentation, so "龙井" is found in
"西湖龙井茶" but "龙" is not found in "恐龙" (``segmentation``). Sentiment:
VADER for English and pysenti for Chinese (``sentiment``), chosen by their
accuracy on the labelled sentences of ``evaluation/``. The small lexicon of
``lexicon/positive.txt`` and ``negative.txt`` (``lexicon_sentiment``) is
kept as the baseline the benchmark compares them with.
"""

import functools
import html
import re
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import strip_tags

from community.cjk import CJK_RUN
from community.insights import segmentation
from community.insights import sentiment as sentiment_analysis
from community.insights.models import LATIN, KeywordGroup, Mention

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


def lexicon_sentiment(text):
    """The former word-list sentiment (the benchmark's baseline)."""
    text = strip_tags(text or "")
    score = _latin_score(text) + _cjk_score(text)
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "neutral"


def sentiment(text, language=""):
    """ "positive", "negative" or "neutral" for a comment, a post or an
    external item (``community.insights.sentiment``)."""
    return sentiment_analysis.sentiment(text, language)


@functools.lru_cache(maxsize=256)
def _latin_pattern(keywords):
    escaped = (re.escape(keyword).replace(r"\ ", r"\s+") for keyword in keywords)
    parts = [rf"(?<!{LATIN}){keyword}(?!{LATIN})" for keyword in escaped]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def split_keywords(group):
    """(Latin or mixed keywords, Chinese keywords) of a keyword group."""
    latin, chinese = [], []
    for keyword in group.keywords():
        (chinese if CJK_RUN.fullmatch(keyword) else latin).append(keyword)
    return tuple(latin), tuple(chinese)


def matching_groups(text, groups):
    """The groups among `groups` that `text` names: a Latin keyword as a
    whole word (case-insensitive), a Chinese one on word boundaries."""
    text = strip_tags(text or "")
    groups = [(group, *split_keywords(group)) for group in groups]
    segmentation.learn(word for _g, _l, chinese in groups for word in chinese)
    segmented = segmentation.Segmented(text)
    found = []
    for group, latin, chinese in groups:
        pattern = _latin_pattern(latin)
        if (pattern is not None and pattern.search(text)) or any(
            keyword in text and segmented.contains(keyword) for keyword in chinese
        ):
            found.append(group)
    return found


def plain_text(rendered):
    """The words of rendered Markdown (a comment's or a post's HTML): no tags,
    no link targets, entities decoded, so that listening reads what visitors
    read."""
    return html.unescape(strip_tags(rendered or ""))


def excerpt(text, length=280):
    text = " ".join(strip_tags(text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def index_item(
    obj,
    text,
    created_at,
    *,
    listen=True,
    groups=None,
    origin=None,
    language="",
    reach=None,
    author="",
    url="",
):
    """Record (or refresh) the mentions in one item: any model instance with a
    text, e.g. a comment, a community post or an external post (then `origin`
    is its source, and `language`, `reach`, `author` and `url` what is known
    of it; an empty `language` is guessed from the text). With
    `listen=False` (the item was removed or marked as spam) its mentions are
    dropped. Returns the days whose aggregates changed."""
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
            plain = strip_tags(text or "")
            language = (language or segmentation.language_of(plain))[:8]
            mood = sentiment(plain, language)
            Mention.objects.bulk_create(
                Mention(
                    group=group,
                    content_type=content_type,
                    object_id=object_id,
                    created_at=created_at,
                    sentiment=mood,
                    excerpt=excerpt(plain),
                    origin=origin,
                    language=language,
                    reach=reach,
                    author=(author or "")[:150],
                    url=(url or "")[:500],
                )
                for group in found
            )
            days.add(created_at)
    return days
