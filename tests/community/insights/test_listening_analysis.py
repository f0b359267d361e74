"""Listening's analysis: Chinese segmentation and keyword matching on word
boundaries, English tokens, terms without stop words, and the accuracy of
the sentiment methods on the shipped evaluation sets."""

import pytest

from community.insights import evaluation, listening, segmentation, sentiment
from community.insights.models import KeywordGroup


def groups(**keywords):
    """Unsaved keyword groups: name → (English keywords, Chinese keywords)."""
    return [
        KeywordGroup(name=name, keywords_en=en, keywords_zh=zh)
        for name, (en, zh) in keywords.items()
    ]


def names(text, candidates):
    return {group.name for group in listening.matching_groups(text, candidates)}


# Chinese keywords on word boundaries -------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "text", "expected"),
    [
        # The keyword is a dictionary sub-word at the start of a longer word.
        ("龙井", "我最喜欢西湖龙井茶了", True),
        # It spans two words (西湖 + the sub-word 龙井 of 龙井茶).
        ("西湖龙井", "我最喜欢西湖龙井茶了", True),
        # A sub-word at the end of a longer word: 龙井 | 茶.
        ("茶", "西湖龙井茶", True),
        # A whole word.
        ("龙井", "今天泡了一壶龙井。", True),
        # Inside a word whose dictionary segmentation does not contain it.
        ("龙", "恐龙博物馆开门了", False),
        ("龙", "我们都是龙的传人", False),
        ("井", "西湖龙井茶", False),
        # A brand jieba does not know is learnt, so it stays one word.
        ("茗心", "茗心的茶很好喝", True),
        ("茗心", "他的茗心茶馆开业了", True),
        # Not in the text at all.
        ("龙井", "碧螺春也不错", False),
    ],
)
def test_chinese_keywords_match_on_word_boundaries(keyword, text, expected):
    candidates = groups(Brand=("", keyword))
    assert (names(text, candidates) == {"Brand"}) is expected


def test_latin_keywords_stay_whole_words_and_mix_with_chinese():
    candidates = groups(
        Cloudmist=("Cloudmist\ncloud mist", "云雾"),
        Rival=("TeaCo", "茶公司"),
        Industry=("green tea", "绿茶"),
    )
    assert names("喜欢Cloudmist的云雾茶", candidates) == {"Cloudmist"}
    assert names("cloudmisty mornings", candidates) == set()
    assert names("Cloud   Mist is fine", candidates) == {"Cloudmist"}
    assert names("这家茶公司的服务很慢", candidates) == {"Rival"}
    assert names("GREEN TEA prices are up; 绿茶涨价了", candidates) == {"Industry"}
    assert names("<b>TeaCo</b> &amp; more", candidates) == {"Rival"}


def test_industry_keyword_groups_match_like_the_others():
    industry = KeywordGroup(
        name="Tea market", kind=KeywordGroup.Kind.INDUSTRY, keywords_zh="茶叶市场"
    )
    assert listening.matching_groups("今年茶叶市场很热", [industry]) == [industry]


# Tokens, terms, language ----------------------------------------------------


def test_english_tokens_and_terms_without_stop_words():
    assert segmentation.latin_words("Don’t buy THE tea-set, it's 2x!") == [
        "don't",
        "buy",
        "the",
        "tea",
        "set",
        "it's",
        "x",
    ]
    assert segmentation.terms("The tea is great, the TEA is fresh") == [
        "tea",
        "great",
        "fresh",
    ]


def test_chinese_terms_are_words_without_stop_words():
    terms = segmentation.terms("我们觉得西湖龙井茶非常好喝，但是价格有点贵")
    assert "西湖" in terms and "龙井茶" in terms and "价格" in terms
    assert "我们" not in terms and "觉得" not in terms and "非常" not in terms
    # Single characters (mostly particles) are never terms.
    assert all(len(term) > 1 for term in terms)


def test_language_of_a_text():
    assert segmentation.language_of("这个龙井真好喝 Cloudmist") == "zh"
    assert segmentation.language_of("Cloudmist tea is great 好") == "en"
    assert segmentation.language_of("2026 !!!") == ""


def test_hostile_text_is_handled():
    candidates = groups(Brand=("Cloudmist", "云雾"))
    hostile = "\x00云雾\ud800" + "茶" * 20_000 + "<script>Cloudmist</script>"
    assert names(hostile, candidates) == {"Brand"}
    assert sentiment.sentiment(hostile) in ("positive", "neutral", "negative")
    assert sentiment.sentiment("") == "neutral"
    assert segmentation.terms("\x00\x01") == []


# Sentiment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love this tea, the best Longjing", "positive"),
        ("Terrible service and stale leaves", "negative"),
        ("The tea is not good", "negative"),
        ("这个龙井很好喝，推荐给大家", "positive"),
        ("今天下午泡了一壶龙井。", "neutral"),
        ("太贵了，而且很失望", "negative"),
        ("客服态度很差，再也不买了", "negative"),
    ],
)
def test_sentiment_in_both_languages(text, expected):
    assert sentiment.sentiment(text) == expected


def test_the_evaluation_sets_are_large_enough_and_labelled():
    for language in evaluation.LANGUAGES:
        data = evaluation.load(language)
        assert len(data) >= 300
        assert {label for label, _text in data} == set(evaluation.CLASSES)
        assert len({text for _label, text in data}) == len(data)


@pytest.mark.parametrize("language", evaluation.LANGUAGES)
def test_sentiment_accuracy_does_not_fall_below_the_recorded_figures(language):
    """The chosen methods on the shipped sets (bench/sentiment.py prints the
    comparison; the figures are in bench/RESULTS.md)."""
    result = evaluation.evaluate(sentiment.sentiment, sentiment.polarity, language)
    recorded = evaluation.RECORDED[language]
    assert result.two_class_accuracy >= recorded["two_class_accuracy"]
    assert result.accuracy >= recorded["accuracy"]
    assert result.macro_f1 >= recorded["macro_f1"]
    assert result.two_class_accuracy >= 0.80


def test_the_measures():
    pairs = [("positive", "positive"), ("negative", "positive"), ("neutral", "neutral")]
    assert evaluation.macro_f1(pairs) == pytest.approx((2 / 3 + 1 + 0) / 3)
