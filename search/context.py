"""Keyword in context: where a query's words stand in a passage, and the line that shows them. Pure.

Hits are found again here, in Python, with the query's own tokens (letters and digits, case and accents
folded), so both engines give the same highlights; they are offsets (code points), which the page and the
API's clients render as text, never as markup."""

import unicodedata
from dataclasses import dataclass

from .query import Node, Term, positive_terms, words

CONTEXT_CHARS = 90


def fold(word: str) -> str:
    """A word as compared: lower case, accents removed (as FTS5's remove_diacritics does)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matches(term: Term, folded: list[str], at: int) -> bool:
    wanted = [fold(token) for token in term.tokens]
    if at + len(wanted) > len(folded):
        return False
    for offset, token in enumerate(wanted):
        word = folded[at + offset]
        last = offset == len(wanted) - 1
        if not (word == token or (last and term.prefix and word.startswith(token))):
            return False
    return True


def hits(text: str, query: Node) -> list[tuple[int, int]]:
    """The spans of `text` that a positive term of `query` matches (a phrase as one span), in order, merged
    where they overlap."""
    spans = words(text)
    folded = [fold(text[s:e]) for s, e in spans]
    terms = positive_terms(query)
    found = []
    for at in range(len(spans)):
        for term in terms:
            if _matches(term, folded, at):
                found.append((spans[at][0], spans[at + len(term.tokens) - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True)
class Context:
    """A line of a passage around its first hit: `text` (with … where it was cut) and the hits in it, as
    [start, end) code points into `text`; `offset` is where `text` begins in the passage (after any …)."""

    text: str
    highlights: list[tuple[int, int]]
    offset: int


def in_context(text: str, found: list[tuple[int, int]], width: int = CONTEXT_CHARS) -> Context:
    """The line of `text` around its first hit (about `width` code points on each side, cut at spaces), with
    the hits inside it."""
    if not found:
        start, end = 0, min(len(text), 2 * width)
    else:
        start = max(0, found[0][0] - width)
        end = min(len(text), found[0][1] + width)
    if start > 0:
        space = text.find(" ", start, found[0][0] if found else end)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", found[0][1] if found else start, end)
        end = space if space > start else end
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(lead) - start
    inside = [(s + shift, e + shift) for s, e in found if s >= start and e <= end]
    return Context(lead + text[start:end] + tail, inside, start)
