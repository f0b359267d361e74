"""Sentiment methods compared on the shipped evaluation sets
(community/insights/evaluation/), in English and Chinese (run by hand).

    .venv/bin/python bench/sentiment.py

Candidates: the former word list (``listening.lexicon_sentiment``), the
chosen methods (``community.insights.sentiment``: VADER for English, pysenti's
Bayes model for Chinese), and, when installed, TextBlob (English) and
SnowNLP and pysenti's rules (Chinese). Three classes: positive / neutral /
negative (accuracy and macro F1). Two classes: the sentences labelled
positive or negative, the method choosing a side by the sign of its score
(a lexicon that finds no word says "positive" there). Prints a Markdown
table for bench/RESULTS.md.
"""

import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import setup_django  # noqa: E402

setup_django()

from community.insights import evaluation, listening, sentiment  # noqa: E402


def three(value, threshold):
    if value >= threshold:
        return "positive"
    if value <= -threshold:
        return "negative"
    return "neutral"


def two(value):
    return "positive" if value >= 0 else "negative"


def lexicon_score(text):
    return {"positive": 1, "negative": -1}.get(listening.lexicon_sentiment(text), 0)


def candidates():
    """(language, name, score(text) → −1…1, threshold of the neutral band)."""
    found = [
        ("en", "word list (before)", lexicon_score, 1),
        ("en", "VADER (chosen)", sentiment.english_score, sentiment.VADER_THRESHOLD),
        ("zh", "word list (before)", lexicon_score, 1),
        (
            "zh",
            "pysenti Bayes model (chosen)",
            sentiment.chinese_score,
            2 * sentiment.BAYES_BAND,
        ),
    ]
    if importlib.util.find_spec("textblob"):
        textblob = importlib.import_module("textblob")
        found.append(
            ("en", "TextBlob", lambda t: textblob.TextBlob(t).sentiment.polarity, 0.05)
        )
    if importlib.util.find_spec("snownlp"):
        snownlp = importlib.import_module("snownlp")
        found.append(
            ("zh", "SnowNLP", lambda t: 2 * snownlp.SnowNLP(t).sentiments - 1, 0.1)
        )
    if importlib.util.find_spec("pysenti"):
        pysenti = importlib.import_module("pysenti")
        found.append(
            (
                "zh",
                "pysenti rules",
                lambda t: max(-1, min(1, pysenti.classify(t)["score"] / 5)),
                0.1,
            )
        )
    return found


def main():
    print("| Language | Method | 3-class accuracy | 3-class macro F1 |", end="")
    print(" 2-class accuracy | 2-class F1 | ms per sentence |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for language, name, score, threshold in candidates():
        cache = {}

        def scored(text, score=score, cache=cache):
            if text not in cache:
                cache[text] = score(text)
            return cache[text]

        started = time.perf_counter()
        result = evaluation.evaluate(
            lambda text, scored=scored, threshold=threshold: three(
                scored(text), threshold
            ),
            lambda text, scored=scored: two(scored(text)),
            language,
        )
        elapsed = (time.perf_counter() - started) * 1000 / result.sentences
        print(
            f"| {language} | {name} | {result.accuracy:.3f} | {result.macro_f1:.3f} "
            f"| {result.two_class_accuracy:.3f} | {result.two_class_f1:.3f} "
            f"| {elapsed:.1f} |"
        )
    sizes = {lang: len(evaluation.load(lang)) for lang in evaluation.LANGUAGES}
    print(f"\nSentences: {sizes}")


if __name__ == "__main__":
    main()
