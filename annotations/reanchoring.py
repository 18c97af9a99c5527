"""Re-anchor claims when a paper's text is revised: pure functions over two texts, no ORM.

For each anchor on the old text, in this order:

1. **Diff.** Old and new texts are aligned (lines, then words, with difflib; then characters inside the
   changed stretches with rapidfuzz's Indel opcodes, a longest common subsequence). An anchor whose quoted
   span lies inside one unchanged run is on the very same characters in the new text: it is *kept* if its
   offsets and context are unchanged, else *exact* (moved by the run's shift, context refreshed). A
   quote+context found elsewhere never overrides this: a claim whose own words were not edited stays on them.
2. **Quote with its full context.** For an anchor touched by an edit, `prefix + exact + suffix` found
   verbatim in the new text (nearest to where the diff puts the old place, if several) → *exact*.
3. **Fuzzy, near the old place.** Candidate passages around where the diff puts the old place (the
   diff's own image of the span, verbatim occurrences of the quote, rapidfuzz's best partial alignment)
   are scored by `similarity` (quote and context together); the best one at or above `THRESHOLD` →
   *fuzzy* with its score.
4. Otherwise *orphaned*: no new anchor; the best score found (below the threshold) is reported.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import accumulate

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .anchoring import CONTEXT_LENGTH, Anchor, anchor_at, occurrences

# A fuzzy placement is accepted when quote and context together are at least this similar (see
# `similarity`): a verbatim quote of 45 code points needs part of its context around it, a verbatim quote of
# a few hundred does not; a quote with a word of five changed passes if its context is intact.
THRESHOLD = 0.75
QUOTE_WEIGHT = 0.5


class Kind(StrEnum):
    KEPT = "kept"
    EXACT = "exact"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Outcome:
    """What became of one anchor: the new anchor (None when orphaned) and, for fuzzy or orphaned, the score
    of the best passage found (None when there was no candidate at all)."""

    kind: Kind
    anchor: Anchor | None
    score: float | None = None


@dataclass(frozen=True)
class Run:
    """old[old : old + size] == new[new : new + size], and the diff says these are the same characters."""

    old: int
    new: int
    size: int


# Levels of the diff: whole lines, then words (with their trailing spaces), then characters.
_SPLITTERS = (
    lambda text: text.splitlines(keepends=True),
    lambda text: re.findall(r"\S+\s*|\s+", text),
)
# Below this size a changed block goes straight to the character level.
_SMALL_BLOCK = 2000


def _aligned(old: str, new: str, level: int = 0) -> Iterator[tuple[int, int, int]]:
    """(old offset, new offset, size) of each unchanged stretch, coarse levels first."""
    if level >= len(_SPLITTERS) or (len(old) <= _SMALL_BLOCK and len(new) <= _SMALL_BLOCK):
        # Indel (insertions and deletions only) aligns on a longest common subsequence: it never trades
        # matching characters for substitutions, as a Levenshtein alignment may.
        for op in Indel.opcodes(old, new):
            if op.tag == "equal":
                yield op.src_start, op.dest_start, op.src_end - op.src_start
        return
    split = _SPLITTERS[level]
    old_parts, new_parts = split(old), split(new)
    old_at = [0, *accumulate(len(part) for part in old_parts)]
    new_at = [0, *accumulate(len(part) for part in new_parts)]
    matcher = SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        o1, o2, n1, n2 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
        if tag == "equal":
            yield o1, n1, o2 - o1
        elif o1 < o2 and n1 < n2:
            for o, n, size in _aligned(old[o1:o2], new[n1:n2], level + 1):
                yield o1 + o, n1 + n, size


def unchanged_runs(old: str, new: str) -> list[Run]:
    """The runs of characters the diff between `old` and `new` leaves unchanged, in order, merged.

    Lines first, then words inside changed blocks, then characters (difflib on lines and words, rapidfuzz's
    C implementation on characters): on a 200 KB paper with scattered edits this takes a fraction of a
    second, where one character-level diff of the whole text takes many seconds.
    """
    runs: list[Run] = []
    for o, n, size in _aligned(old, new):
        if size <= 0:
            continue
        if runs and runs[-1].old + runs[-1].size == o and runs[-1].new + runs[-1].size == n:
            last = runs.pop()
            runs.append(Run(last.old, last.new, last.size + size))
        else:
            runs.append(Run(o, n, size))
    return runs


class _Map:
    """Old offsets to new ones through the unchanged runs."""

    def __init__(self, runs: list[Run], old_length: int, new_length: int):
        self.runs = runs
        self.starts = [run.old for run in runs]
        self.old_length, self.new_length = old_length, new_length

    def _run_before(self, position: int) -> int:
        """Index of the last run starting at or before `position` (-1 if none)."""
        return bisect_right(self.starts, position) - 1

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The new span of old[start:end] if it lies inside one unchanged run, else None."""
        i = self._run_before(start)
        if i < 0:
            return None
        run = self.runs[i]
        if end <= run.old + run.size:
            shift = run.new - run.old
            return start + shift, end + shift
        return None

    def _gap(self, i: int) -> tuple[int, int, int, int]:
        """The changed gap after run i (i = -1: before the first run): old [o1, o2) became new [n1, n2)."""
        o1, n1 = (0, 0) if i < 0 else (self.runs[i].old + self.runs[i].size, self.runs[i].new + self.runs[i].size)
        if i + 1 < len(self.runs):
            o2, n2 = self.runs[i + 1].old, self.runs[i + 1].new
        else:
            o2, n2 = self.old_length, self.new_length
        return o1, o2, n1, n2

    def character(self, position: int) -> list[int]:
        """Where the old character at `position` is now: one place if unchanged, else the candidate places
        in the gap it was edited into (its start, its end, the same distance into it)."""
        i = self._run_before(position)
        if i >= 0 and position < self.runs[i].old + self.runs[i].size:
            return [self.runs[i].new + position - self.runs[i].old]
        o1, _o2, n1, n2 = self._gap(i)
        return sorted({n1, n2, n1 + min(position - o1, n2 - n1)})

    def starts_of(self, start: int) -> list[int]:
        return self.character(start)

    def ends_of(self, end: int) -> list[int]:
        """Candidate new ends for an old (exclusive) end: where the character before it went, plus one."""
        i = self._run_before(end - 1)
        if i >= 0 and end - 1 < self.runs[i].old + self.runs[i].size:
            return [self.runs[i].new + end - self.runs[i].old]
        o1, _o2, n1, n2 = self._gap(i)
        return sorted({n1, n2, n1 + min(end - o1, n2 - n1)})


def similarity(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How similar text[start:end] and its context are to the anchor's quote and context, 0 to 1.

    Half the quote alone, half the quote in its context: `prefix + exact + suffix` against the same
    stretch of the text around the passage (as many code points each side as were recorded). Scoring the
    context together with the quote, rather than each side apart, keeps a few letters shared by chance
    between a truncated passage's new neighbours and the old context from outweighing the quote itself.
    """
    quote = Indel.normalized_similarity(anchor.exact, text[start:end])
    around = text[max(0, start - len(anchor.prefix)) : end + len(anchor.suffix)]
    whole = Indel.normalized_similarity(anchor.prefix + anchor.exact + anchor.suffix, around)
    return QUOTE_WEIGHT * quote + (1 - QUOTE_WEIGHT) * whole


def _nearest(places: Iterable[int], expected: int) -> int:
    return min(places, key=lambda place: (abs(place - expected), place))


def _full_context_place(anchor: Anchor, new: str, expected: int) -> int | None:
    places = occurrences(new, anchor.prefix + anchor.exact + anchor.suffix)
    if not places:
        return None
    return _nearest(places, expected - len(anchor.prefix)) + len(anchor.prefix)


def _fuzzy_candidates(anchor: Anchor, new: str, starts: list[int], ends: list[int]) -> set[tuple[int, int]]:
    candidates = {(s, e) for s in starts for e in ends if s < e}
    slack = max(2 * CONTEXT_LENGTH, len(anchor.exact))
    low, high = max(0, min(starts) - slack), min(len(new), max(ends) + slack)
    window = new[low:high]
    for place in occurrences(window, anchor.exact):
        candidates.add((low + place, low + place + len(anchor.exact)))
    if 0 < len(anchor.exact) <= len(window):
        found = fuzz.partial_ratio_alignment(anchor.exact, window)
        if found is not None and found.dest_start < found.dest_end:
            candidates.add((low + found.dest_start, low + found.dest_end))
    return candidates


_REFINED = 3
_REFINE_STEPS = 64


def _refine(anchor: Anchor, new: str, start: int, end: int, score: float) -> tuple[float, int, int]:
    """Move the passage's edges one code point at a time while that makes it more similar."""
    for _ in range(_REFINE_STEPS):
        best = (score, start, end)
        for s, e in ((start - 1, end), (start + 1, end), (start, end - 1), (start, end + 1)):
            if 0 <= s < e <= len(new):
                candidate = similarity(anchor, new, s, e)
                if candidate > best[0]:
                    best = (candidate, s, e)
        if best == (score, start, end):
            break
        score, start, end = best
    return score, start, end


def _search(anchor: Anchor, new: str, starts: list[int], ends: list[int]) -> Outcome:
    """Steps 2 to 4 of the module docstring, for an anchor the diff cannot carry over as it is."""
    expected = starts[0]
    place = _full_context_place(anchor, new, expected)
    if place is not None:
        return Outcome(Kind.EXACT, anchor_at(new, place, place + len(anchor.exact)))
    candidates = _fuzzy_candidates(anchor, new, starts, ends)
    if not candidates:
        return Outcome(Kind.ORPHANED, None, None)
    scored = sorted(((similarity(anchor, new, s, e), s, e) for s, e in candidates), reverse=True)
    # The diff and the partial alignment find the right neighbourhood but not always the right edges
    # (a longest common subsequence may pair letters across a deleted paragraph): refine the best few.
    refined = {_refine(anchor, new, s, e, score) for score, s, e in scored[:_REFINED]}
    # Best score first; on a tie, the passage closer to the quote itself (then nearer the old place)
    # wins, so that a verbatim copy of the quote is not passed over for a truncated one.
    score, _, _, negative_start, negative_end = max(
        (score, Indel.normalized_similarity(anchor.exact, new[s:e]), -abs(s - expected), -s, -e)
        for score, s, e in refined
    )
    start, end = -negative_start, -negative_end
    if score >= THRESHOLD:
        return Outcome(Kind.FUZZY, anchor_at(new, start, end), score)
    return Outcome(Kind.ORPHANED, None, score)


def reanchor(old: str, new: str, anchors: Sequence[Anchor], runs: list[Run] | None = None) -> list[Outcome]:
    """The outcome of each anchor (placed on `old`) when `old` is replaced by `new`, in the same order."""
    mapping = _Map(unchanged_runs(old, new) if runs is None else runs, len(old), len(new))
    outcomes = []
    for anchor in anchors:
        consistent = 0 <= anchor.start < anchor.end <= len(old) and old[anchor.start : anchor.end] == anchor.exact
        if not consistent:
            # Offsets that do not hold the quote (a hand-edited row, say): search by the quote alone,
            # starting from where the offsets point.
            guess = min(max(anchor.start, 0), len(old))
            starts = mapping.character(min(guess, max(len(old) - 1, 0))) if old else [0]
            outcomes.append(_search(anchor, new, starts, [s + len(anchor.exact) for s in starts]))
            continue
        span = mapping.span(anchor.start, anchor.end)
        if span is not None:
            moved = anchor_at(new, *span)
            outcomes.append(Outcome(Kind.KEPT if moved == anchor else Kind.EXACT, moved))
            continue
        outcomes.append(_search(anchor, new, mapping.starts_of(anchor.start), mapping.ends_of(anchor.end)))
    return outcomes
