"""Claims of several analysts: matching them into units, the agreement on their links, and the report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .measures import (
    DISAGREEMENTS_LISTED,
    MATCH_JACCARD,
    NO_LINK,
    SYMMETRIC_RELATIONS,
    Measure,
    Reliability,
    _not_defined,
    coder_matrix,
    gwet_ac1,
    kappa,
    nominal_alpha,
    presence_alpha,
)
from .unitizing import CU_NAME, CuTally, cu_measure, cu_tally, unitizing_alpha


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
