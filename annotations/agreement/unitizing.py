"""Agreement on unitizing a continuum: Krippendorff's unitizing alpha, cu-alpha and the earlier alpha_U (1995)."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from .measures import Measure, _measure, _not_defined, alpha_measure

Segments = Mapping[Hashable, Iterable[tuple[int, int, Hashable]]]  # coder -> [(start, end, category)], end exclusive


def _union(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to [0, length), overlapping ones merged (one coder's overlapping claims are one stretch of
    marked matter); spans that only touch stay apart: they are two units."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Code points covered by both of two sorted lists of disjoint spans."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def unitizing_alpha(segments: Segments, length: int, category: Hashable | None = None) -> Measure:
    """|u-alpha: how reliably coders tell marked matter from the gaps between it, on a continuum of `length`
    code points. Marked matter is each coder's segments of `category`, or of any category when it is None
    ("any claim"); a coder's overlapping segments are merged (their union), and every coder in `segments` is
    taken to have read the whole continuum (a coder with no segment marked nothing).

    Observed: l_10, the code points one coder marked and another left as gap, over ordered pairs of coders
    divided by m - 1. Expected: e_10 = l_1. * l_0. / (l.. - S / l..), where S sums the squared lengths of the
    units and the lengths of the gaps. |u-alpha = 1 - l_10 / e_10 (Krippendorff et al. 2016, sec. 5.2)."""
    name = "|u-alpha (unitizing)"
    marked = {
        coder: _union(((s, e) for s, e, c in spans if category is None or c == category), length)
        for coder, spans in segments.items()
    }
    units = sum(len(spans) for spans in marked.values())
    extra = {"length": length}
    if len(marked) < 2:
        return _not_defined(name, units, "fewer than two coders", extra=extra)
    m = len(marked)
    sizes = {coder: sum(e - s for s, e in spans) for coder, spans in marked.items()}
    total = m * length
    l1 = sum(sizes.values())
    l0 = total - l1
    if l1 == 0:
        return _not_defined(name, 0, "nobody marked anything", extra=extra)
    if l0 == 0:
        return _not_defined(name, units, "every coder marked the whole text: there is no gap to agree on", extra=extra)
    mismatched = 0
    for a, b in combinations(marked, 2):
        both = _overlap(marked[a], marked[b])
        mismatched += sizes[a] - both + sizes[b] - both  # a marked, b not; and b marked, a not
    observed = 2 * mismatched / (m - 1)  # l_10 + l_01: each pair counted in both orders
    squares = sum((e - s) ** 2 for spans in marked.values() for s, e in spans) + l0
    expected = 2 * l1 * l0 / (total - squares / total)
    return alpha_measure(name, observed, expected, units, scale=total, extra=extra)


def _pieces(spans: Iterable[tuple[int, int, Hashable]], length: int) -> list[tuple[int, int, frozenset]]:
    """A coder's continuum cut at every boundary of their own segments; each piece is valued by the set of
    categories covering it (empty: a gap). So overlapping segments of different categories give pieces valued
    by both, and the partition the unitizing coefficients need (mutually exclusive segments) exists."""
    clipped = [(max(0, s), min(length, e), c) for s, e, c in spans if min(length, e) > max(0, s)]
    cuts = sorted({0, length, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    starting: dict[int, list] = defaultdict(list)
    ending: dict[int, list] = defaultdict(list)
    for s, e, c in clipped:
        starting[s].append(c)
        ending[e].append(c)
    covering: Counter = Counter()
    pieces = []
    for a, b in itertools.pairwise(cuts):
        for c in ending.get(a, ()):
            covering[c] -= 1
            if not covering[c]:
                del covering[c]
        for c in starting.get(a, ()):
            covering[c] += 1
        pieces.append((a, b, frozenset(covering)))
    return pieces


@dataclass(frozen=True)
class CuTally:
    """What cu-alpha needs from a continuum, additive over continua laid end to end (papers): coincidences of
    values over ordered pairs of coders (code points), each value's discount for pieces pairing with themselves
    (the sum of their squared weights), and the number of pieces shared with another coder."""

    coders: int
    coincidences: Counter
    self_pairs: Counter
    units: int

    def __add__(self, other: CuTally) -> CuTally:
        return CuTally(
            self.coders,
            self.coincidences + other.coincidences,
            self.self_pairs + other.self_pairs,
            self.units + other.units,
        )


def cu_tally(segments: Segments, length: int) -> CuTally:
    """Sweep the continuum once, piece boundary to piece boundary (see `cu_alpha`)."""
    partitions = {coder: _pieces(spans, length) for coder, spans in segments.items()}
    m = len(partitions)
    cuts = sorted({p[0] for pieces in partitions.values() for p in pieces} | {length})
    coders = list(partitions)
    position = dict.fromkeys(coders, 0)
    shared: dict[tuple, int] = defaultdict(int)  # (coder, piece index) -> code points shared, summed over others
    coincidences: Counter = Counter()
    for a, b in itertools.pairwise(cuts):
        marked = []
        for coder in coders:
            pieces = partitions[coder]
            while pieces[position[coder]][1] <= a:
                position[coder] += 1
            if pieces[position[coder]][2]:
                marked.append(coder)
        if len(marked) < 2:
            continue
        width = b - a
        for i in marked:
            shared[i, position[i]] += width * (len(marked) - 1)
            value = partitions[i][position[i]][2]
            for j in marked:
                if i != j:
                    coincidences[value, partitions[j][position[j]][2]] += width
    self_pairs: Counter = Counter()
    for (coder, index), points in shared.items():
        self_pairs[partitions[coder][index][2]] += (points / (m - 1)) ** 2
    return CuTally(m, coincidences, self_pairs, len(shared))


def cu_alpha(segments: Segments, length: int) -> Measure:
    """cu-alpha: how reliably coders give the same values to the matter they both marked (Krippendorff et al.
    2016, sec. 5.3). Only intersections of marked pieces count; a piece's value is the set of categories
    covering it (see `_pieces`). Nominal. Each marked piece weighs w = (the code points it shares with other
    coders' marked matter) / (m - 1), and the expected coincidences discount w**2 for its pairing with itself,
    as |u-alpha does with a unit's length; with two coders w is the piece's intersection with the other."""
    if len(segments) < 2:
        return _not_defined(CU_NAME, 0, "fewer than two coders", extra={"length": length})
    return cu_measure(cu_tally(segments, length), length)


CU_NAME = "cu-alpha (coding of what both marked)"


def cu_measure(tally: CuTally, length: int) -> Measure:
    m, coincidences, self_pairs, units = tally.coders, tally.coincidences, tally.self_pairs, tally.units
    extra = {"length": length}
    if not coincidences:
        return _not_defined(CU_NAME, 0, "no code point was marked by two coders", extra=extra)
    margins: Counter = Counter()
    for (c, _k), o in coincidences.items():
        margins[c] += o / (m - 1)
    if len(margins) < 2:
        return _not_defined(CU_NAME, units, "one value only on the matter both marked", extra=extra)
    total = sum(margins.values())
    denominator = total - sum(self_pairs.values()) / total
    observed = total - sum(coincidences[c, c] for c in margins) / (m - 1)
    expected = total - sum((margins[c] ** 2 - self_pairs[c]) / denominator for c in margins)
    return alpha_measure(CU_NAME, observed, expected, units, scale=total, extra=extra)


def alpha_u_1995(segments: Segments, length: int, category: Hashable) -> Measure:
    """Krippendorff's alpha_U (1995, p. 57ff; 2004, sec. 11.6) for one category: the squared differences of the
    boundaries of overlapping units (a unit against a gap containing it: its squared length), against what
    all placements of the same units and gaps would give. A coder's overlapping units are merged."""
    name = "alpha_U (Krippendorff 1995)"
    marked = {
        coder: _union(((s, e) for s, e, c in spans if c == category), length) for coder, spans in segments.items()
    }
    m = len(marked)
    units = [e - s for spans in marked.values() for s, e in spans]
    if m < 2:
        return _not_defined(name, len(units), "fewer than two coders")
    if not units:
        return _not_defined(name, 0, "nobody marked anything")

    def partition(spans):
        result, cursor = [], 0
        for s, e in spans:
            if s > cursor:
                result.append((cursor, s, False))
            result.append((s, e, True))
            cursor = e
        if cursor < length:
            result.append((cursor, length, False))
        return result

    parts = {coder: partition(spans) for coder, spans in marked.items()}
    distance = 0.0
    for a, b in combinations(parts, 2):
        for s1, e1, unit1 in parts[a]:
            for s2, e2, unit2 in parts[b]:
                if min(e1, e2) <= max(s1, s2):
                    continue  # only intersecting segments can differ
                if unit1 and unit2:
                    distance += (s1 - s2) ** 2 + (e1 - e2) ** 2
                elif unit1 and s2 <= s1 and e1 <= e2:
                    distance += (e1 - s1) ** 2
                elif unit2 and s1 <= s2 and e2 <= e1:
                    distance += (e2 - s2) ** 2
    observed = 2 * distance / (m * (m - 1) * length * length)
    gaps = [e - s for pieces in parts.values() for s, e, unit in pieces if not unit]
    n_units = len(units)
    expected_sum = 0.0
    for u in units:
        expected_sum += (n_units - 1) * (2 * u**3 - 3 * u**2 + u) / 3
        expected_sum += u * u * sum(g - u + 1 for g in gaps if g >= u)
    expected = (2 / length) * expected_sum / (m * length * (m * length - 1) - sum(u * (u - 1) for u in units))
    if expected == 0:
        return _not_defined(name, n_units, "no placement of these units could disagree")
    return _measure(
        name, 1 - observed / expected, n_units, observed_disagreement=observed, expected_disagreement=expected
    )
