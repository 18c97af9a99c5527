"""Cut a paper's verbatim text into sentences and short windows of them, with code-point offsets.

Offsets are Python string indices, i.e. Unicode code points, like every other offset in the project, so
`text[start:end]` is the passage's exact quote. Nothing is normalised: a passage is a slice of the text.
"""

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (or …), possibly followed by closing quotes, brackets, footnote markers
# (digits, superscripts, <sup>n</sup>) — and then whitespace. Line breaks always end a sentence: the
# corpus has headings, list items and page breaks on lines of their own.
_END = re.compile(
    r"[.!?…]+(?:[\"'\u201d\u2019»)\]*_]|<sup>\d+</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]|\d{1,2}(?=\s+[A-Z“\"]))*(?=\s)"
    r"|\n"
)
# Words after which a full stop is not the end of a sentence ("Vol. 3", "pp. 86", "e.g. the").
_ABBREVIATIONS = frozenset(
    [
        "no",
        "vol",
        "pp",
        "p",
        "ed",
        "eds",
        "e.g",
        "i.e",
        "cf",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "etc",
        "al",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
    ]
)
_LETTER = re.compile(r"\w", re.UNICODE)
MAX_WINDOW_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Span:
    """A passage: [start, end) in code points, made of sentences first..last (inclusive)."""

    start: int
    end: int
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) code-point spans, in order, not overlapping, trimmed of
    surrounding whitespace; every character that is not whitespace lies in exactly one span."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _END.finditer(text):
        if match.group() != "\n":
            dot = match.start()
            following = text[match.end() :].lstrip()[:1]
            if text[dot] == "." and (_ends_with_abbreviation(text, dot) or (following and following.islower())):
                continue
        _append_trimmed(text, position, match.end(), spans)
        position = match.end()
    _append_trimmed(text, position, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def word_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences that carry at least one letter or digit (not rules such as '---')."""
    return [(s, e) for s, e in sentences(text) if _LETTER.search(text, s, e)]


def passages(text: str, max_sentences: int = 2) -> list[Span]:
    """Sentences that carry words, and windows of up to `max_sentences` consecutive ones (kept under
    MAX_WINDOW_CHARS), so that a claim split over two sentences, or by a page break, can still be found.
    `first`/`last` number the sentences of `word_sentences(text)`."""
    cut = word_sentences(text)
    spans: list[Span] = []
    for first in range(len(cut)):
        for size in range(1, max_sentences + 1):
            last = first + size - 1
            if last >= len(cut):
                break
            start, end = cut[first][0], cut[last][1]
            if size > 1 and end - start > MAX_WINDOW_CHARS:
                break
            spans.append(Span(start, end, first, last))
    return spans
