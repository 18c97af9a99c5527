"""The measures' common shape (`Measure`) and agreement on the coding of predefined units: Krippendorff's alpha
(nominal), Cohen's and Fleiss' kappas, Gwet's AC1, and the coder-by-coder matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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


def alpha_measure(name: str, observed: float, expected: float, units: int, *, scale: float, **kwargs) -> Measure:
    """An alpha: 1 - observed / expected disagreement, both disagreements reported divided by `scale`."""
    return _measure(
        name,
        1 - observed / expected,
        units,
        observed_disagreement=observed / scale,
        expected_disagreement=expected / scale,
        **kwargs,
    )


def _not_defined(name: str, units: int, reason: str, **kwargs) -> Measure:
    return Measure(name, None, units, reason, "", **kwargs)


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
    return alpha_measure(ALPHA_NAME, observed, expected, pairable, scale=n)


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
