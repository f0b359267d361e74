"""How a mention sounds: "positive", "neutral" or "negative", in English or
Chinese, from maintained libraries that ship their lexicon or model (nothing
is downloaded at run time):

- English (and any text that is not mostly Chinese): VADER
  (``vaderSentiment``, MIT), a lexicon and rules tuned for social media;
  compound score ≥ 0.05 is positive, ≤ −0.05 negative (VADER's own
  thresholds).
- Chinese: pysenti's naive Bayes model (``pysenti``, Apache-2.0), trained
  on product and service reviews; a positive probability ≥ 0.55 is positive,
  ≤ 0.45 negative.

They were chosen by their accuracy on the labelled sentences shipped in
``evaluation/`` (``bench/sentiment.py`` prints the comparison with the other
candidates; figures in bench/RESULTS.md).
"""

import functools

from django.utils.html import strip_tags
from pysenti import ModelClassifier
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from community.insights.segmentation import language_of

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
VADER_THRESHOLD = 0.05
BAYES_BAND = 0.05
#: Longer texts are judged on their beginning (the models are sentence-level;
#: a 5 MB item must not hold a worker).
MAX_LENGTH = 5000


@functools.cache
def _vader():
    return SentimentIntensityAnalyzer()


@functools.cache
def _bayes():
    return ModelClassifier()


def english_score(text):
    """VADER's compound score, −1 … 1."""
    return _vader().polarity_scores(text)["compound"]


def chinese_score(text):
    """pysenti's probability that the text is positive, mapped to −1 … 1."""
    return 2 * _bayes().classify(text)["positive_prob"] - 1


def score(text, language=""):
    """(language used, score −1 … 1) of `text`."""
    text = strip_tags(text or "")[:MAX_LENGTH]
    language = language or language_of(text)
    if not text.strip():
        return language, 0.0
    if language.startswith("zh"):
        return language, chinese_score(text)
    return language, english_score(text)


def polarity(text, language=""):
    """ "positive" or "negative": the sign of the score (two classes)."""
    return POSITIVE if score(text, language)[1] >= 0 else NEGATIVE


def sentiment(text, language=""):
    """ "positive", "neutral" or "negative" for a comment, a post or an
    external item; `language` ("en", "zh", "zh-hans"…) when known."""
    language, value = score(text, language)
    threshold = 2 * BAYES_BAND if language.startswith("zh") else VADER_THRESHOLD
    if value >= threshold:
        return POSITIVE
    if value <= -threshold:
        return NEGATIVE
    return NEUTRAL
