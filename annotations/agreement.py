"""Inter-coder agreement, pure (plain data in, plain data out; no ORM): how far independent analysts who coded
the same papers agree on where the claims are, how they are tagged, which stance they take, and how claims
across papers are linked.

Measures, each returned as a `Measure` (the value, or None with the `reason` it is not defined, the number of
`units` it rests on, and a `warning` when they are few):

- `nominal_alpha`: Krippendorff's alpha for nominal data from reliability data (unit -> {coder: value}, values
  may be missing), through the coincidence matrix (Krippendorff 2019, *Content Analysis*, 4th ed., sec. 12.3).
- `cohen_kappa` (two coders, the units both coded), `fleiss_kappa` (any number of coders; Fleiss' formula needs
  the same number of ratings on every unit, so it uses the units every coder coded: complete cases, as
  statsmodels' `fleiss_kappa` assumes), `gwet_ac1` (Gwet 2008/2014, the multi-rater form, which allows missing
  ratings: agreement over the units rated at least twice, category prevalence over all rated units).
- `unitizing_alpha` and `cu_alpha`: the unitizing coefficients of Krippendorff, Mathet, Bouvry & Widlöcher
  (2016), "On the reliability of unitizing textual continua: Further developments", Quality & Quantity 50,
  and Krippendorff (2019, sec. 12.6.4-12.6.5): |u-alpha, the binary distinction between marked matter and the gaps, and
  cu-alpha, the values given to the code points that two coders both marked. Both rest on coincidences of
  lengths (code points) of intersecting segments, with expected coincidences corrected for a unit pairing
  with itself (a unit of length l contributes l**2 such pairs, a gap only l: a gap can be cut anywhere).
- `alpha_u_1995`: Krippendorff's earlier alpha_U (1995, Sociological Methodology 25; 2004, *Content Analysis*,
  2nd ed., sec. 11.6), a distance between unit boundaries; the measure INCEpTION reports (through DKPro
  Statistics). Kept to compare with them and to check our arithmetic against the worked examples published
  with it; the report uses the 2016 family, which behaves as expected with more than two coders.
- `match_units`, `link_alpha`, `pairwise` and `report`: see their docstrings and docs/agreement.md.

Nothing here divides by zero: a measure whose expected disagreement is zero (one category only, fewer than two
coders, nothing marked) is not defined, and says why.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

# Below this many units a figure swings with a single unit. It is our floor for a warning, not a sufficiency test:
# Krippendorff's sample-size guidance (Content Analysis, 2019, ch. 12) asks for far more when a category is rare.
FEW_UNITS = 10
# Two claims of different coders are one unit when they share at least this share of the code points either
# covers (Jaccard); see `match_units`.
MATCH_JACCARD = 0.5
SYMMETRIC_RELATIONS = frozenset({"restates", "conflicts"})
NO_LINK = "none"
DISAGREEMENTS_LISTED = 500


@dataclass(frozen=True)
class Measure:
    """One agreement figure. `value` is None when the measure is not defined, and `reason` says why."""

    measure: str
    value: float | None
    units: int
    reason: str = ""
    warning: str = ""
    observed_disagreement: float | None = None
    expected_disagreement: float | None = None
    extra: Mapping = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {
            "measure": self.measure,
            "value": None if self.value is None else round(self.value, 4),
            "units": self.units,
            "reason": self.reason,
            "warning": self.warning,
        }
        data.update(self.extra)
        return data


def _measure(name: str, value: float | None, units: int, reason: str = "", **kwargs) -> Measure:
    warning = ""
    if value is not None and units < FEW_UNITS:
        warning = f"rests on {units} unit{'s' if units != 1 else ''} only (fewer than {FEW_UNITS}): read it as anecdote"
    return Measure(name, value, units, reason, warning, **kwargs)


def _not_defined(name: str, units: int, reason: str, **kwargs) -> Measure:
    return Measure(name, None, units, reason, "", **kwargs)


# --- Coding of predefined units ---------------------------------------------------------------------------------

Reliability = Mapping[Hashable, Mapping[Hashable, Hashable | None]]  # unit -> {coder: value}; None = missing


def _present(units: Reliability) -> dict[Hashable, dict[Hashable, Hashable]]:
    return {unit: {c: v for c, v in values.items() if v is not None} for unit, values in units.items()}


def _coders(units: Mapping[Hashable, Mapping[Hashable, Hashable]]) -> set:
    return {coder for values in units.values() for coder in values}


def nominal_alpha(units: Reliability) -> Measure:
    """Krippendorff's alpha, nominal metric. Units coded by fewer than two coders are not pairable and are left
    out; `units` counts the pairable ones."""
    coders: set = set()
    coincidences: Counter = Counter()
    pairable = 0
    for by_coder in units.values():
        values = [v for v in by_coder.values() if v is not None]
        if not values:
            continue
        coders.update(c for c, v in by_coder.items() if v is not None)
        m = len(values)
        if m < 2:
            continue
        pairable += 1
        if m == 2:  # most units: two coders, one pair each way
            coincidences[values[0], values[1]] += 1
            coincidences[values[1], values[0]] += 1
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                coincidences[c, k] += n_c * (n_k - (c == k)) / (m - 1)
    return _alpha_from_coincidences(coincidences, pairable, len(coders))


ALPHA_NAME = "Krippendorff's alpha (nominal)"


def _alpha_from_coincidences(coincidences: Mapping[tuple, float], pairable: int, coders: int) -> Measure:
    if coders < 2:
        return _not_defined(ALPHA_NAME, 0, "fewer than two coders")
    if not pairable:
        return _not_defined(ALPHA_NAME, 0, "no unit was coded by two coders")
    margins: Counter = Counter()
    for (c, _k), o in coincidences.items():
        margins[c] += o
    if len(margins) < 2:
        return _not_defined(ALPHA_NAME, pairable, "one category only: agreement cannot be told from chance")
    n = sum(margins.values())
    observed = n - sum(coincidences.get((c, c), 0) for c in margins)
    expected = (n * n - sum(v * v for v in margins.values())) / (n - 1)
    return _measure(
        ALPHA_NAME,
        1 - observed / expected,
        pairable,
        observed_disagreement=observed / n,
        expected_disagreement=expected / n,
    )


def presence_alpha(units: Iterable[Sequence[Collection]], category: Hashable) -> Measure:
    """Nominal alpha of "carries `category` or not" over units, each given as the category sets of the coders
    who coded it (a unit coded by fewer than two is not pairable). The same figure as `nominal_alpha` on
    True/False values, counted without building them (the report asks it for every tag)."""
    with_it = without = mixed = 0.0
    pairable = 0
    for sets in units:
        m = len(sets)
        if m < 2:
            continue
        pairable += 1
        k = sum(category in s for s in sets)
        with_it += k * (k - 1) / (m - 1)
        without += (m - k) * (m - k - 1) / (m - 1)
        mixed += k * (m - k) / (m - 1)
    coincidences = {(True, True): with_it, (False, False): without, (True, False): mixed, (False, True): mixed}
    return _alpha_from_coincidences({key: o for key, o in coincidences.items() if o}, pairable, coders=2)


def _two_coders(present: Mapping, coders: Sequence | None) -> tuple | None:
    found = sorted(_coders(present), key=str)
    if coders is not None:
        return tuple(coders) if len(coders) == 2 else None
    return tuple(found) if len(found) == 2 else None


def cohen_kappa(units: Reliability, coders: Sequence[Hashable] | None = None) -> Measure:
    """Cohen's kappa for two coders (given, or the only two in the data) over the units both coded."""
    name = "Cohen's kappa"
    present = _present(units)
    pair = _two_coders(present, coders)
    if pair is None:
        return _not_defined(name, 0, "Cohen's kappa compares exactly two coders")
    a, b = pair
    both = [(v[a], v[b]) for v in present.values() if a in v and b in v]
    if not both:
        return _not_defined(name, 0, "no unit was coded by both coders")
    n = len(both)
    first, second = Counter(x for x, _ in both), Counter(y for _, y in both)
    if len(first | second) < 2:
        return _not_defined(name, n, "one category only: agreement cannot be told from chance")
    observed = sum(x == y for x, y in both) / n
    chance = sum(first[c] * second[c] for c in first) / (n * n)
    if chance == 1:
        return _not_defined(name, n, "each coder used one category only: agreement cannot be told from chance")
    return _measure(name, (observed - chance) / (1 - chance), n)


def fleiss_kappa(units: Reliability) -> Measure:
    """Fleiss' kappa over the units coded by every coder (Fleiss' formula needs an equal number of ratings per
    unit; units some coder left out are dropped, and `extra["dropped"]` counts them)."""
    name = "Fleiss' kappa"
    present = _present(units)
    coders = _coders(present)
    if len(coders) < 2:
        return _not_defined(name, 0, "fewer than two coders")
    complete = [values for values in present.values() if len(values) == len(coders)]
    dropped = sum(1 for values in present.values() if 0 < len(values) < len(coders))
    extra = {"dropped": dropped}
    if not complete:
        return _not_defined(name, 0, "no unit was coded by every coder", extra=extra)
    m, n = len(coders), len(complete)
    totals: Counter = Counter()
    per_unit = 0.0
    for values in complete:
        counts = Counter(values.values())
        totals.update(counts)
        per_unit += (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
    if len(totals) < 2:
        return _not_defined(name, n, "one category only: agreement cannot be told from chance", extra=extra)
    observed = per_unit / n
    chance = sum((t / (n * m)) ** 2 for t in totals.values())
    return _measure(name, (observed - chance) / (1 - chance), n, extra=extra)


def gwet_ac1(units: Reliability, categories: Iterable[Hashable] | None = None) -> Measure:
    """Gwet's AC1 (multi-rater form, missing ratings allowed). `categories` is the set of possible values
    (default: those used); AC1's chance agreement depends on how many there are."""
    name = "Gwet's AC1"
    present = _present(units)
    if len(_coders(present)) < 2:
        return _not_defined(name, 0, "fewer than two coders")
    rated = [Counter(values.values()) for values in present.values() if values]
    q = set(categories or ()) | {c for counts in rated for c in counts}
    paired = [counts for counts in rated if sum(counts.values()) >= 2]
    if not paired:
        return _not_defined(name, 0, "no unit was coded by two coders")
    if len(q) < 2:
        return _not_defined(name, len(paired), "one category only: agreement cannot be told from chance")
    observed = 0.0
    for counts in paired:
        r = sum(counts.values())
        observed += sum(c * (c - 1) for c in counts.values()) / (r * (r - 1))
    observed /= len(paired)
    shares: Counter = Counter()
    for counts in rated:
        r = sum(counts.values())
        for k, c in counts.items():
            shares[k] += c / r
    prevalence = {k: shares[k] / len(rated) for k in q}
    chance = sum(p * (1 - p) for p in prevalence.values()) / (len(q) - 1)
    return _measure(name, (observed - chance) / (1 - chance), len(paired))


def kappa(units: Reliability) -> Measure:
    """Cohen's kappa when two coders coded, Fleiss' kappa when more did."""
    return cohen_kappa(units) if len(_coders(_present(units))) == 2 else fleiss_kappa(units)


def coder_matrix(coders: Sequence[Hashable], measure_for: Callable[[tuple], Measure]) -> dict:
    """`measure_for((a, b))` for each pair of coders: ``{"measure", "coders", "matrix"}``, the value above the
    diagonal (row before column) and the number of units it rests on below it; None on the diagonal."""
    order = list(coders)
    matrix: list[list] = [[None] * len(order) for _ in order]
    name = ""
    for i, j in combinations(range(len(order)), 2):
        result = measure_for((order[i], order[j]))
        name = result.measure
        matrix[i][j] = None if result.value is None else round(result.value, 4)
        matrix[j][i] = result.units
    return {"measure": name, "coders": order, "matrix": matrix}


def pairwise(
    units: Reliability, measure: Callable[[Reliability], Measure] = nominal_alpha, coders: Sequence | None = None
) -> dict:
    """`measure` on the reliability data of each pair of coders; see `coder_matrix`."""
    present = _present(units)
    order = list(coders) if coders is not None else sorted(_coders(present), key=str)
    return coder_matrix(
        order,
        lambda pair: measure({u: {c: v for c, v in values.items() if c in pair} for u, values in present.items()}),
    )


# --- Unitizing a continuum --------------------------------------------------------------------------------------

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
    return _measure(
        name,
        1 - observed / expected,
        units,
        observed_disagreement=observed / total,
        expected_disagreement=expected / total,
        extra=extra,
    )


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
    return _measure(
        CU_NAME,
        1 - observed / expected,
        units,
        observed_disagreement=observed / total,
        expected_disagreement=expected / total,
        extra=extra,
    )


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


# --- Claims of several analysts: units, links, the report -------------------------------------------------------


@dataclass(frozen=True)
class CodedClaim:
    """A claim as one analyst coded it: its span in code points of the paper's text and its tags with the
    stance it takes on each."""

    id: Hashable
    coder: Hashable
    paper: Hashable
    start: int
    end: int
    codings: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodedLink:
    coder: Hashable
    source: Hashable  # claim ids
    target: Hashable
    relation: str


def _key(value) -> tuple:
    return (type(value).__name__, str(value))


def jaccard(a: CodedClaim, b: CodedClaim) -> float:
    """Shared code points over code points covered by either claim."""
    shared = max(0, min(a.end, b.end) - max(a.start, b.start))
    covered = (a.end - a.start) + (b.end - b.start) - shared
    return shared / covered if covered else 0.0


def match_units(claims: Iterable[CodedClaim], threshold: float = MATCH_JACCARD) -> list[dict]:
    """Group one paper's claims into units, at most one claim of each coder in a unit: the pairs of claims by
    different coders whose Jaccard overlap (code points) is at least `threshold` are joined, best overlap first,
    and two groups join only if EVERY pair of claims across them reaches the threshold (so a unit never chains
    two claims that do not themselves match). Ties are broken by position and coder, so the result does not
    depend on the order of the input. A claim no other claim matches is a unit of its own.

    Returns the units in text order, each a dict coder -> claim."""
    ordered = sorted(claims, key=lambda c: (c.start, c.end, _key(c.coder), _key(c.id)))
    candidates = []
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if b.start >= a.end:
                break
            if a.coder != b.coder and (score := jaccard(a, b)) >= threshold:
                candidates.append((-score, i, j))
    candidates.sort()
    group = list(range(len(ordered)))  # claim index -> group id
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    for _score, i, j in candidates:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        left, right = members[gi], members[gj]
        if {ordered[x].coder for x in left} & {ordered[y].coder for y in right}:
            continue
        if any(jaccard(ordered[x], ordered[y]) < threshold for x in left for y in right):
            continue
        for y in right:
            group[y] = gi
        left.extend(right)
        del members[gj]
    units = [{ordered[x].coder: ordered[x] for x in sorted(xs)} for xs in members.values()]
    return sorted(units, key=lambda u: min((c.start, c.end, _key(c.coder)) for c in u.values()))


def _unit_span(unit: Mapping[Hashable, CodedClaim]) -> tuple[int, int]:
    return min(c.start for c in unit.values()), max(c.end for c in unit.values())


def _tag_value(claim: CodedClaim) -> str:
    return " + ".join(sorted(claim.codings)) or "(no tag)"


def _link_values(
    links: Iterable[CodedLink], unit_of: Mapping[Hashable, tuple], placed: Mapping[Hashable, set]
) -> dict[tuple, dict[Hashable, str]]:
    """Reliability data over pairs of units: for each pair of units at least one coder linked, each coder who
    placed a claim in both units gives the relation between them (`none` when they did not link them).
    The pair is ordered (by paper and position); `supports` says the first supports the second and
    `supported by` the reverse; symmetric relations (restates, conflicts) have no direction. Several links by one
    coder between the same two units give one value, their relations joined with ' + '."""
    relations: dict[tuple, dict[Hashable, set]] = defaultdict(lambda: defaultdict(set))
    for link in links:
        u, v = unit_of.get(link.source), unit_of.get(link.target)
        if u is None or v is None or u == v:
            continue
        pair = (u, v) if u < v else (v, u)
        if link.relation in SYMMETRIC_RELATIONS:
            value = link.relation
        else:
            value = link.relation if u == pair[0] else f"{link.relation}-by"
            value = value.replace("supports-by", "supported by")
        relations[pair][link.coder].add(value)
    data = {}
    for pair, by_coder in relations.items():
        data[pair] = {
            coder: " + ".join(sorted(by_coder[coder])) if coder in by_coder else NO_LINK
            for coder, units in placed.items()
            if pair[0] in units and pair[1] in units
        }
    return data


def link_alpha(
    links: Iterable[CodedLink], unit_of: Mapping[Hashable, tuple], placed: Mapping[Hashable, set]
) -> Measure:
    """Nominal alpha over pairs of units, on whether and how they are linked (see `_link_values`). Pairs that no
    coder linked do not enter: counting every unlinked pair as agreement on `none` would let the number of
    claims, not the coders, decide the figure."""
    return _link_measure(_link_values(links, unit_of, placed))


def _link_measure(values: Reliability) -> Measure:
    return replace(nominal_alpha(values), measure="link alpha (nominal, pairs of claims)")


STANCE_CATEGORIES = ("affirms", "denies", "qualifies")


def report(
    claims: Iterable[CodedClaim],
    links: Iterable[CodedLink] = (),
    *,
    lengths: Mapping[Hashable, int],
    coders: Sequence[Hashable] | None = None,
    threshold: float = MATCH_JACCARD,
    listed: int = DISAGREEMENTS_LISTED,
) -> dict:
    """Every agreement figure for the papers in `lengths` (paper -> length of its text in code points), as plain
    data (the shape is in docs/agreement.md). `coders` are the analysts who coded every one of these papers
    (default: every coder with a claim here); a coder with no claim on a paper marked nothing on it, which
    counts for unitizing. Claims on papers not in `lengths` are left out."""
    claims = [c for c in claims if c.paper in lengths]
    links = list(links)
    order = list(coders) if coders is not None else sorted({c.coder for c in claims}, key=_key)
    claims = [c for c in claims if c.coder in order]
    papers = sorted(lengths, key=_key)
    by_paper: dict[Hashable, list[CodedClaim]] = defaultdict(list)
    for claim in claims:
        by_paper[claim.paper].append(claim)
    tags = sorted({tag for claim in claims for tag in claim.codings})

    units: list[tuple[Hashable, int, dict]] = []  # (paper, index in paper, coder -> claim)
    for paper in papers:
        units += [(paper, i, unit) for i, unit in enumerate(match_units(by_paper[paper], threshold))]
    unit_of = {claim.id: (papers.index(paper), i) for paper, i, unit in units for claim in unit.values()}
    placed: dict[Hashable, set] = {coder: set() for coder in order}
    for paper, i, unit in units:
        for coder in unit:
            placed[coder].add((papers.index(paper), i))

    def tag_data(subset=None, coders_=order):
        return {
            (paper, i): {c: _tag_value(claim) for c, claim in unit.items() if c in coders_}
            for paper, i, unit in (units if subset is None else subset)
        }

    def stance_data(subset=None):
        return {
            (paper, i, tag): {c: claim.codings[tag] for c, claim in unit.items() if tag in claim.codings}
            for paper, i, unit in (units if subset is None else subset)
            for tag in sorted({t for claim in unit.values() for t in claim.codings})
        }

    # One continuum for all papers, each paper after the last: units never cross a paper's end. Each claim is a
    # segment per tag it carries (for cu-alpha and the per-tag figures), or one "(no tag)" segment.
    offsets, cursor = {}, 0
    for paper in papers:
        offsets[paper] = cursor
        cursor += lengths[paper]
    continuum = cursor
    pooled: dict[Hashable, list] = {coder: [] for coder in order}
    own: dict[Hashable, dict[Hashable, list]] = {paper: {coder: [] for coder in order} for paper in papers}
    per_tag: dict[str, dict[Hashable, list]] = {tag: {coder: [] for coder in order} for tag in tags}
    for claim in claims:
        shift = offsets[claim.paper]
        for slug in claim.codings or ["(no tag)"]:
            pooled[claim.coder].append((claim.start + shift, claim.end + shift, slug))
            own[claim.paper][claim.coder].append((claim.start, claim.end, slug))
            if slug in per_tag:
                per_tag[slug][claim.coder].append((claim.start + shift, claim.end + shift, slug))

    def only(segments: Mapping, pair: tuple) -> dict:
        return {coder: segments[coder] for coder in pair}

    tags_reliability = tag_data()
    stances = stance_data()
    tag_sets = [[claim.codings.keys() for claim in unit.values()] for _, _, unit in units if len(unit) >= 2]
    tallies = {paper: cu_tally(own[paper], lengths[paper]) for paper in papers}
    per_paper = []
    for paper in papers:
        mine = [u for u in units if u[0] == paper]
        per_paper.append(
            {
                "paper": paper,
                "length": lengths[paper],
                "claims": len(by_paper[paper]),
                "units": sum(1 for _, _, unit in mine if len(unit) >= 2),
                "unitizing_alpha": unitizing_alpha(own[paper], lengths[paper]).as_dict(),
                "cu_alpha": _cu_or_not(tallies[paper], lengths[paper], len(order)).as_dict(),
                "tag_alpha": nominal_alpha(tag_data(mine)).as_dict(),
                "stance_alpha": nominal_alpha(stance_data(mine)).as_dict(),
            }
        )

    link_values = _link_values(links, unit_of, placed)
    return {
        "coders": order,
        "papers": len(papers),
        "claims": len(claims),
        "match_rule": f"claims of different analysts are one unit when their Jaccard overlap in code points is at least {threshold}",
        "units": {
            "matched": sum(1 for _, _, unit in units if len(unit) >= 2),
            "unmatched": sum(1 for _, _, unit in units if len(unit) == 1),
            "by_all": sum(1 for _, _, unit in units if len(unit) == len(order)),
        },
        "unitizing_alpha": unitizing_alpha(pooled, continuum).as_dict(),
        "cu_alpha": _cu_or_not(
            sum(tallies.values(), start=CuTally(len(order), Counter(), Counter(), 0)), continuum, len(order)
        ).as_dict(),
        "per_tag": {
            tag: {
                "unitizing_alpha": unitizing_alpha(per_tag[tag], continuum).as_dict(),
                "presence_alpha": presence_alpha(tag_sets, tag).as_dict(),
            }
            for tag in tags
        },
        "tag_alpha": nominal_alpha(tags_reliability).as_dict(),
        "tag_kappa": kappa(tags_reliability).as_dict(),
        "tag_ac1": gwet_ac1(tags_reliability).as_dict(),
        "stance_alpha": nominal_alpha(stances).as_dict(),
        "stance_kappa": kappa(stances).as_dict(),
        "stance_ac1": gwet_ac1(stances, STANCE_CATEGORIES).as_dict(),
        "link_alpha": _link_measure(link_values).as_dict(),
        "pairwise": [
            coder_matrix(order, lambda pair: unitizing_alpha(only(pooled, pair), continuum)),
            coder_matrix(order, lambda pair: nominal_alpha(tag_data(coders_=pair))),
        ],
        "per_paper": per_paper,
        **_disagreements(units, papers, tags_reliability, stances, link_values, order, listed),
    }


def _cu_or_not(tally: CuTally, length: int, coders: int) -> Measure:
    if coders < 2:
        return _not_defined(CU_NAME, 0, "fewer than two coders", extra={"length": length})
    return cu_measure(tally, length)


def _disagreements(units, papers, tag_values, stances, link_values, order, listed) -> dict:
    """The units coders disagree on, in text order: a claim only some coders marked (`unmatched`), different
    tags (`tags`), a different stance on a tag (`stance`), then pairs linked differently (`link`)."""
    items = []
    spans = {(paper, i): (paper, *_unit_span(unit)) for paper, i, unit in units}
    stances_of: dict[tuple, list] = defaultdict(list)
    for (p, j, tag), by_coder in stances.items():
        stances_of[p, j].append((tag, by_coder))
    for paper, i, unit in units:
        where = {"paper": paper, "start": spans[paper, i][1], "end": spans[paper, i][2]}
        ids = {str(c): str(claim.id) for c, claim in unit.items()}
        if len(unit) < len(order):
            items.append(
                {"kind": "unmatched", **where, "claims": ids, "missing": [str(c) for c in order if c not in unit]}
            )
        values = tag_values[paper, i]
        if len(set(values.values())) > 1:
            items.append({"kind": "tags", **where, "claims": ids, "values": {str(c): v for c, v in values.items()}})
        for tag, by_coder in stances_of[paper, i]:
            if len(by_coder) >= 2 and len(set(by_coder.values())) > 1:
                values = {str(c): v for c, v in by_coder.items()}
                items.append({"kind": "stance", **where, "tag": tag, "claims": ids, "values": values})
    for (u, v), by_coder in sorted(link_values.items()):
        if len(by_coder) >= 2 and len(set(by_coder.values())) > 1:
            first, second = (papers[u[0]], u[1]), (papers[v[0]], v[1])
            items.append(
                {
                    "kind": "link",
                    "units": [list(spans[first]), list(spans[second])],
                    "values": {str(c): value for c, value in by_coder.items()},
                }
            )
    return {"disagreements": items[:listed], "disagreements_total": len(items)}
