"""Words of a text, in English and Chinese, for listening.

English (and any Latin script) is split on letters and digits, lower-cased.
Chinese has no spaces between words, so it is segmented with jieba's
dictionary (`rjieba`, the Python binding of jieba-rs: the dictionary ships in
the wheel, nothing is downloaded).

**Keyword matching.** A Chinese keyword matches where the text contains it
*and* both its ends fall on word boundaries of jieba's search-mode
segmentation: the boundaries of the words of the default segmentation plus
those of the dictionary sub-words jieba finds inside longer words. So

- "龙井" matches "西湖龙井茶": the text is segmented 西湖 | 龙井茶, and search
  mode finds the sub-word 龙井 at the start of 龙井茶;
- "西湖龙井" matches it too (西湖 + 龙井, each on boundaries);
- "龙" does not match "恐龙" (dinosaur) nor "龙的传人": 恐龙 is one word
  and no dictionary sub-word of it ends or starts at that 龙.

Each keyword is added to the segmenter's dictionary first, so that a brand
name jieba does not know ("茗心") is kept whole. Latin keywords stay
case-insensitive whole words (``KeywordGroup.pattern``).

**Terms.** What the report counts as the words of a mention: Latin words of
two letters or more and Chinese words of two characters or more, without the
stop words of ``lexicon/stopwords_en.txt`` and ``lexicon/stopwords_zh.txt``
and without numbers.
"""

import functools
import re
import threading
from pathlib import Path

import rjieba

from community.cjk import CJK_RUN

LEXICON = Path(__file__).parent / "lexicon"
LATIN_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’][^\W\d_])*", re.UNICODE)
#: Terms longer than this are not words (a URL, a hash): left out of counts.
MAX_TERM_LENGTH = 40

_lock = threading.Lock()
_known = set()


@functools.cache
def _segmenter():
    # jieba-rs objects are not shareable across threads while a word is
    # being added: every call goes through `_lock`.
    return rjieba.Jieba()


def learn(words):
    """Add `words` (Chinese keywords) to the segmenter's dictionary, so that
    each is segmented as one word where the text allows."""
    new = [w for w in words if len(w) > 1 and CJK_RUN.fullmatch(w) and w not in _known]
    if not new:
        return
    with _lock:
        segmenter = _segmenter()
        for word in new:
            if word not in _known:
                segmenter.add_word(word, None, None)
                _known.add(word)


def cut(text):
    """The words of `text` by jieba's default (accurate) mode."""
    with _lock:
        return _segmenter().cut(text)


def search_spans(text):
    """(word, start, end) of the default segmentation and of the dictionary
    sub-words inside longer words (jieba's search mode)."""
    with _lock:
        return _segmenter().tokenize(text, "search", True)


class Segmented:
    """A text with its word boundaries, computed once for all the keywords
    looked for in it."""

    def __init__(self, text):
        self.text = text
        self._boundaries = None

    @property
    def boundaries(self):
        if self._boundaries is None:
            bounds = set()
            for run in CJK_RUN.finditer(self.text):
                offset = run.start()
                bounds.update((offset, run.end()))
                for _word, start, end in search_spans(run.group()):
                    bounds.update((offset + start, offset + end))
            self._boundaries = bounds
        return self._boundaries

    def contains(self, keyword):
        """Whether the Chinese `keyword` occurs on word boundaries."""
        start = self.text.find(keyword)
        while start != -1:
            end = start + len(keyword)
            if start in self.boundaries and end in self.boundaries:
                return True
            start = self.text.find(keyword, start + 1)
        return False


@functools.cache
def stop_words(language):
    """The stop words of lexicon/stopwords_<language>.txt."""
    path = LEXICON / f"stopwords_{language}.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#"):
            words.add(word)
    return frozenset(words)


def latin_words(text):
    """The Latin-script words of `text`, lower-cased ("don't" is one word)."""
    return [word.replace("’", "'") for word in LATIN_WORD.findall(text.lower())]


def terms(text):
    """The distinct terms of `text` worth counting, in order of appearance."""
    english, chinese = stop_words("en"), stop_words("zh")
    seen = {}
    for word in latin_words(CJK_RUN.sub(" ", text)):
        if 1 < len(word) <= MAX_TERM_LENGTH and word not in english:
            seen.setdefault(word, None)
    for run in CJK_RUN.findall(text):
        for word in cut(run):
            if 1 < len(word) <= MAX_TERM_LENGTH and word not in chinese:
                seen.setdefault(word, None)
    return list(seen)


def language_of(text):
    """ "zh" when Chinese characters make up at least a fifth of the letters
    of `text`, "en" when it has Latin letters, "" otherwise."""
    cjk = sum(len(run) for run in CJK_RUN.findall(text))
    latin = sum(len(word) for word in LATIN_WORD.findall(CJK_RUN.sub(" ", text)))
    if cjk and cjk * 5 >= cjk + latin:
        return "zh"
    if latin:
        return "en"
    return ""
