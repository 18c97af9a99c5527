"""Discourse analysis over coded claims, pure (no ORM): the stance matrix, agreements and disagreements, and the
networks of Leifeld's Discourse Network Analyzer (actor x concept x agreement) with tags as concepts and stances
as agreement.

Who the actor of a claim is depends on `by`, and is decided once, in `attribution`:

- ``by="speaker"``: who holds the view, as DNA codes it: the speaker when there is one, otherwise each of the
  paper's authors. Names are matched case- and space-insensitively, so a quoted "pan guang" and the author
  "Pan Guang" are one actor (shown with the author's spelling).
- every other `by` groups the paper's own voice: ``author`` (each author), ``byline`` (the co-authors
  together, "Su Hao & Li Xin"), ``country`` and ``affiliation`` (of the authors, each distinct one),
  ``paper``, ``year`` and ``decade`` (of the paper). A claim with a `speaker` is a view the paper *reports*
  (a quoted official, a cited scholar): it is counted apart, as a report of those actors, and never as their
  own stance (not in a cell's balance, nor in agreements, disagreements or networks).

A claim counts under the tags it carries itself (not their parent tags), once for each of its actors; the
stance it takes on a tag comes from `stance_on`, the one place that decides it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations

STANCES = ("affirms", "denies", "qualifies")
BY = ("author", "byline", "country", "affiliation", "paper", "year", "decade", "speaker")
NETWORKS = ("author-tag", "congruence", "conflict")
DISAGREEING = ("conflicts",)  # link relations that make a disagreement
AGREEING = ("supports", "restates")  # and an agreement

# What the columns are called on the page, per `by`.
BY_NAMES = {
    "author": "authors",
    "byline": "papers' co-authors together",
    "country": "authors' countries",
    "affiliation": "authors' affiliations",
    "paper": "papers",
    "year": "years",
    "decade": "decades",
    "speaker": "speakers (who holds the view)",
}
# How the actors are counted under each `by`, in one line: the API docs, the compare answer and its page.
REPORTS_APART = "claims in someone else's voice (a speaker) count apart, as reports, not in the stance balance."
COUNTING = {
    "author": f"Each author of a paper, for the claims the paper makes in its own voice; {REPORTS_APART}",
    "byline": f"A paper's authors together (“Su Hao & Li Xin”), one actor per byline; {REPORTS_APART}",
    "country": f"The countries of a paper's authors (each distinct one); {REPORTS_APART}",
    "affiliation": f"The affiliations of a paper's authors (each distinct one); {REPORTS_APART}",
    "paper": f"The paper itself; {REPORTS_APART}",
    "year": f"The year of the paper; {REPORTS_APART}",
    "decade": f"The decade of the paper; {REPORTS_APART}",
    "speaker": "Who holds the view, as the Discourse Network Analyzer codes it: the speaker when a claim has "
    "one, otherwise each author of the paper.",
}
UNKNOWN = {
    "author": "(no author)",
    "byline": "(no author)",
    "country": "(country unknown)",
    "affiliation": "(affiliation unknown)",
    "year": "(year unknown)",
    "decade": "(year unknown)",
    "speaker": "(no author)",
}


@dataclass(frozen=True)
class ClaimRow:
    id: str
    paper: str
    authors: tuple[str, ...]
    speaker: str  # "" when the paper's authors hold the view
    stance: str
    tags: tuple[str, ...]
    status: str = "approved"
    exact: str = ""
    statement: str = ""
    countries: tuple[str, ...] = ()  # of the authors, in byline order ("" when unknown)
    affiliations: tuple[str, ...] = ()
    year: int | None = None
    codings: Mapping[str, str] | None = None  # tag slug -> the stance on that tag, when it has its own


@dataclass(frozen=True)
class LinkRow:
    id: str
    source: str
    target: str
    relation: str
    status: str = "approved"


@dataclass(frozen=True)
class TagRow:
    slug: str
    name: str = ""
    colour: str = "#888888"
    parent: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Whom a claim is counted for under one `by`, and whether it is their own view or one they report."""

    actors: tuple[str, ...]
    reported: bool = False


@dataclass
class Network:
    """A network ready for a presenter: nodes and undirected edges with scalar attributes (GraphML-safe)."""

    kind: str
    by: str
    nodes: list[dict] = field(default_factory=list)  # each: id, label, type, ...
    edges: list[dict] = field(default_factory=list)  # each: source, target, weight, ...
    description: str = ""


def stance_on(claim: ClaimRow, tag: str) -> str:
    """The stance `claim` takes on `tag`: the tag's own coding when it has one, else the claim's stance.
    Every count of this module reads stances through here."""
    if claim.codings and tag in claim.codings:
        return claim.codings[tag]
    return claim.stance


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _order(label: str) -> tuple:
    # "(country unknown)" and its kind after the named actors.
    return (label.startswith("("), _key(label), label)


def _check_by(by: str) -> None:
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")


def attribution(claims: Sequence[ClaimRow], by: str) -> dict[str, Attribution]:
    """Claim id -> its actors under `by` and whether the claim is a report (see the module docstring).
    Every claim has at least one actor: what is not known is an actor of its own, "(country unknown)"."""
    _check_by(by)
    labels: dict[str, str] = {}

    def label(value: str) -> str:
        # The first spelling met stands for all; authors come first, so a speaker who is also an author is
        # shown as the author is.
        return labels.setdefault(_key(value), " ".join(value.split()))

    for authors in dict.fromkeys(claim.authors for claim in claims):
        for author in authors:
            label(author)

    def distinct(values: Iterable[str]) -> tuple[str, ...]:
        found = tuple(dict.fromkeys(label(value) if value.strip() else UNKNOWN[by] for value in values))
        return found or (UNKNOWN[by],)

    def own(claim: ClaimRow) -> tuple[str, ...]:
        if by in ("author", "speaker"):
            return distinct(claim.authors)
        if by == "byline":
            return (" & ".join(label(a) for a in claim.authors),) if claim.authors else (UNKNOWN[by],)
        if by == "country":
            return distinct(claim.countries)
        if by == "affiliation":
            return distinct(claim.affiliations)
        if by == "paper":
            return (claim.paper,)
        if claim.year is None:
            return (UNKNOWN[by],)
        return (str(claim.year),) if by == "year" else (f"{claim.year // 10 * 10}s",)

    # The claims of one paper share their actors: work them out once per paper (thousands of claims, few papers).
    per_paper: dict[tuple, tuple[Attribution, Attribution]] = {}
    result: dict[str, Attribution] = {}
    for claim in claims:
        if by == "speaker" and claim.speaker.strip():
            result[claim.id] = Attribution((label(claim.speaker),))
            continue
        key = (claim.paper, claim.authors, claim.countries, claim.affiliations, claim.year)
        if key not in per_paper:
            actors = own(claim)
            per_paper[key] = (Attribution(actors), Attribution(actors, reported=by != "speaker"))
        result[claim.id] = per_paper[key][bool(claim.speaker.strip())]
    return result


def actors_of(claims: Sequence[ClaimRow], by: str) -> dict[str, tuple[str, ...]]:
    """Claim id -> the actors whose own view it is under `by` (empty for a report)."""
    return {claim_id: () if a.reported else a.actors for claim_id, a in attribution(claims, by).items()}


def _empty_cell() -> dict:
    return {
        "affirms": 0, "denies": 0, "qualifies": 0, "total": 0, "balance": None, "claims": [],
        "reports": 0, "reported": [], "pending": 0,
    }  # fmt: skip


def stance_matrix(claims: Sequence[ClaimRow], tags: Sequence[TagRow], by: str) -> dict:
    """Rows are the codebook's tags, columns the actors under `by`; each cell counts its actor's own claims per
    stance (`affirms`, `denies`, `qualifies`, `total`, their ids in `claims`) and, apart, the claims the actor
    reports in someone else's voice (`reports`, ids in `reported`); `pending` counts the pending claims of both.

    `balance` is (affirms - denies) / total, from -1 (all deny) to 1 (all affirm), null without claims of its
    own; qualifications pull it toward 0. A row is `contested` when one column leans to affirming (affirms >
    denies) and another leans to denying. `excluded` counts the claims in no cell (no tag of the codebook).
    """
    attributed = attribution(claims, by)
    columns = sorted({actor for a in attributed.values() for actor in a.actors}, key=_order)
    index = {label: i for i, label in enumerate(columns)}
    known = {tag.slug for tag in tags}
    cells: dict[str, list[dict]] = {tag.slug: [_empty_cell() for _ in columns] for tag in tags}
    column_claims = [0] * len(columns)
    column_reports = [0] * len(columns)
    excluded = 0
    for claim in claims:
        who = attributed[claim.id]
        counted_tags = [slug for slug in claim.tags if slug in known]
        if not counted_tags:
            excluded += 1
            continue
        for actor in who.actors:
            i = index[actor]
            if who.reported:
                column_reports[i] += 1
            else:
                column_claims[i] += 1
            for slug in counted_tags:
                cell = cells[slug][i]
                if who.reported:
                    cell["reports"] += 1
                    cell["reported"].append(claim.id)
                else:
                    cell[stance_on(claim, slug)] += 1
                    cell["total"] += 1
                    cell["claims"].append(claim.id)
                cell["pending"] += claim.status == "pending"
    rows = []
    for tag in tags:
        row_cells = cells[tag.slug]
        for cell in row_cells:
            if cell["total"]:
                cell["balance"] = round((cell["affirms"] - cell["denies"]) / cell["total"], 3)
        leans = {(cell["affirms"] > cell["denies"]) - (cell["denies"] > cell["affirms"]) for cell in row_cells}
        rows.append(
            {
                "tag": tag.slug,
                "name": tag.name,
                "colour": tag.colour,
                "parent": tag.parent,
                "total": sum(cell["total"] for cell in row_cells),
                "reports": sum(cell["reports"] for cell in row_cells),
                "contested": {1, -1} <= leans,
                "cells": row_cells,
            }
        )
    return {
        "by": by,
        "columns": [
            {"key": label, "label": label, "claims": column_claims[i], "reports": column_reports[i]}
            for i, label in enumerate(columns)
        ],
        "rows": rows,
        "excluded": excluded,
    }


# --- Agreements and disagreements: pairs of claims -------------------------------------------------------------


def opposed(a: str, b: str) -> bool:
    """Two stances on one tag disagree when one affirms and the other denies (qualifying opposes nothing)."""
    return {a, b} == {"affirms", "denies"}


def same(a: str, b: str) -> bool:
    """Two stances on one tag agree when they are the same (two qualifications agree too, as in DNA)."""
    return a == b


def _subsets(items: Sequence) -> Iterable[tuple]:
    return chain.from_iterable(combinations(items, n) for n in range(1, len(items) + 1))


def _count_stance_pairs(profiles: list[tuple[frozenset, tuple]], match: Callable[[str, str], bool]) -> int:
    """How many pairs of claims, with no actor in common, take matching stances on at least one common tag.

    Each claim is (its actors, its ((tag, stance), ...) sorted by tag). A pair is counted once however many
    tags it matches on, without listing pairs: inclusion-exclusion over the sets of tags S two claims match on
    (+ for one tag, - for two, ...), and within each S over the sets of actors they share. The cost grows with
    the claims times 2^(tags of a claim) times 2^(actors of a claim), not with the pairs.
    """
    # (S, stances on S) -> number of claims; and -> actor subset T -> number of claims whose actors hold T.
    holders: dict[tuple, int] = Counter()
    sharing: dict[tuple, Counter] = defaultdict(Counter)
    for (actors, coded), n in Counter(profiles).items():
        ordered_actors = sorted(actors)
        for subset in _subsets(coded):
            key = (tuple(tag for tag, _ in subset), tuple(stance for _, stance in subset))
            holders[key] += n
            counter = sharing[key]
            for common in _subsets(ordered_actors):
                counter[common] += n
    ordered_pairs = 0
    for (tags, stances), n in holders.items():
        for partner in _partners(stances, match):
            m = holders.get((tags, partner), 0)
            if not m:
                continue
            mine, theirs = sharing[(tags, stances)], sharing[(tags, partner)]
            # Pairs sharing at least one actor, by inclusion-exclusion over the actor sets both hold.
            shared = sum((-1) ** (len(common) + 1) * count * theirs.get(common, 0) for common, count in mine.items())
            sign = 1 if len(tags) % 2 else -1
            ordered_pairs += sign * (n * m - shared)
    return ordered_pairs // 2  # every pair was counted from both ends


def _partners(stances: tuple[str, ...], match: Callable[[str, str], bool]) -> Iterable[tuple[str, ...]]:
    """The stance vectors that match `stances` tag by tag."""
    options = [[other for other in STANCES if match(stance, other)] for stance in stances]
    vectors: list[tuple[str, ...]] = [()]
    for choice in options:
        vectors = [(*vector, other) for vector in vectors for other in choice]
    return vectors


def claim_pairs(
    claims: Sequence[ClaimRow],
    links: Iterable[LinkRow],
    tags: Sequence[TagRow],
    by: str,
    *,
    relations: Sequence[str],
    match: Callable[[str, str], bool],
    limit: int = 500,
) -> tuple[list[dict], int]:
    """Pairs of claims by different actors (no actor in common under `by`; reports left out) related by a link
    of `relations` or by stances that `match` on a tag both carry, each pair ONCE with every reason, and how
    many such pairs there are (counted without listing them all).

    A pair: ``{"claims": [a, b], "reasons": [...], "pending": bool}``, `a` before `b` in the order the claims
    are given. Reasons: ``{"kind": "link", "relation", "link", "source", "status"}`` for each link between
    them (`source` says its direction), then ``{"kind": "stance", "tags": [...], "stances": {tag: [stance of
    a, stance of b]}}`` for the tags, in codebook order, on which their stances match. `pending` is true when a
    claim or a link of the pair is pending. Pairs joined by a link come first (in the links' order), then the
    others, tag by tag in codebook order. At most `limit` are listed.
    """
    attributed = attribution(claims, by)
    order = {tag.slug: i for i, tag in enumerate(tags)}
    held = [claim for claim in claims if not attributed[claim.id].reported]
    position = {claim.id: i for i, claim in enumerate(held)}
    actors = {claim.id: frozenset(attributed[claim.id].actors) for claim in held}
    # Claim id -> {tag: its stance on it}, the codebook's tags only, in codebook order.
    coded = {
        claim.id: {slug: stance_on(claim, slug) for slug in sorted(set(claim.tags) & order.keys(), key=order.get)}
        for claim in held
    }

    def matching_tags(a: str, b: str) -> list[str]:
        return [slug for slug, stance in coded[a].items() if slug in coded[b] and match(stance, coded[b][slug])]

    linked: dict[tuple[str, str], list[LinkRow]] = {}
    for link in links:
        if link.relation not in relations or link.source not in position or link.target not in position:
            continue
        if actors[link.source] & actors[link.target]:
            continue
        pair = tuple(sorted((link.source, link.target), key=position.__getitem__))
        linked.setdefault(pair, []).append(link)

    status = {claim.id: claim.status for claim in held}

    def item(pair: tuple[str, str]) -> dict:
        a, b = pair
        reasons: list[dict] = [
            {"kind": "link", "relation": link.relation, "link": link.id, "source": link.source, "status": link.status}
            for link in linked.get(pair, ())
        ]
        matched = matching_tags(a, b)
        if matched:
            reasons.append(
                {
                    "kind": "stance",
                    "tags": matched,
                    "stances": {slug: [coded[a][slug], coded[b][slug]] for slug in matched},
                }
            )
        pending = "pending" in (status[a], status[b]) or any(r.get("status") == "pending" for r in reasons)
        return {"claims": [a, b], "reasons": reasons, "pending": pending}

    by_stance = _count_stance_pairs(
        [(actors[claim.id], tuple(sorted(coded[claim.id].items()))) for claim in held], match
    )
    total = by_stance + sum(1 for a, b in linked if not matching_tags(a, b))

    items = [item(pair) for pair in list(linked)[:limit]]
    listed = set(linked)
    for tag in tags:
        if len(items) >= limit:
            break
        # Claims on this tag in groups of the same actors and stance: only groups that match and share no
        # actor are paired, so the work is what is listed, not every pair of claims.
        groups: dict[tuple[frozenset, str], list[str]] = {}
        for claim in held:
            if tag.slug in coded[claim.id]:
                groups.setdefault((actors[claim.id], coded[claim.id][tag.slug]), []).append(claim.id)
        for (first_actors, first_stance), first in groups.items():
            for (second_actors, second_stance), second in groups.items():
                if len(items) >= limit or first_actors & second_actors or not match(first_stance, second_stance):
                    continue
                # Each pair is met from both groups: take it where its first claim comes first.
                pairs = ((a, b) for a in first for b in second if position[a] < position[b])
                for pair in pairs:
                    if len(items) >= limit:
                        break
                    if pair not in listed:
                        listed.add(pair)
                        items.append(item(pair))
    return items, total


def disagreements(
    claims: Sequence[ClaimRow], links: Iterable[LinkRow], tags: Sequence[TagRow], by: str, limit: int = 500
) -> tuple[list[dict], int]:
    """Pairs of claims by different actors that disagree: a `conflicts` link, opposite stances (one affirms,
    the other denies) on tags both carry, or both; see `claim_pairs`."""
    return claim_pairs(claims, links, tags, by, relations=DISAGREEING, match=opposed, limit=limit)


def agreements(
    claims: Sequence[ClaimRow], links: Iterable[LinkRow], tags: Sequence[TagRow], by: str, limit: int = 500
) -> tuple[list[dict], int]:
    """Pairs of claims by different actors that agree: a `supports` or `restates` link, the same stance on
    tags both carry, or both; see `claim_pairs`."""
    return claim_pairs(claims, links, tags, by, relations=AGREEING, match=same, limit=limit)


# --- Networks ---------------------------------------------------------------------------------------------------


def _profile(claims: Sequence[ClaimRow], attributed: dict[str, Attribution], known: set[str]):
    """actor -> (tag, stance) -> number of the actor's own claims; actor -> number of own claims (tagged or
    not); actor -> number of claims reported.

    Every actor of the view is a node, even one whose claims carry no tag: a `conflicts` link can tie it."""
    held: dict[str, Counter] = defaultdict(Counter)
    counts: Counter = Counter()
    reports: Counter = Counter()
    for claim in claims:
        who = attributed[claim.id]
        for actor in who.actors:
            if who.reported:
                reports[actor] += 1
                counts[actor] += 0  # a node, with no claim of its own
                continue
            counts[actor] += 1
            for slug in claim.tags:
                if slug in known:
                    held[actor][(slug, stance_on(claim, slug))] += 1
    return held, counts, reports


def _actor_nodes(counts: Counter, reports: Counter, node_id=lambda label: label) -> list[dict]:
    return [
        {"id": node_id(label), "label": label, "type": "actor", "claims": counts[label], "reports": reports[label]}
        for label in sorted(counts, key=_order)
    ]


def author_tag_network(claims: Sequence[ClaimRow], tags: Sequence[TagRow], by: str) -> Network:
    """The two-mode (affiliation) network: actors and tags, an edge where an actor makes claims on a tag.

    Edge `weight` is the number of the actor's own claims on the tag; `affirms`, `denies`, `qualifies` split
    it; `stance` is the one stance they all take, or `mixed`; `balance` is (affirms - denies) / weight.
    Node ids are `actor:NAME` and `tag:SLUG`; `bipartite` is 0 for actors and 1 for tags (networkx's convention).
    """
    attributed = attribution(claims, by)
    known = {tag.slug for tag in tags}
    held, counts, reports = _profile(claims, attributed, known)
    nodes = [dict(node, bipartite=0) for node in _actor_nodes(counts, reports, lambda label: f"actor:{label}")]
    tag_claims = Counter(
        slug for claim in claims if not attributed[claim.id].reported for slug in set(claim.tags) if slug in known
    )
    nodes += [
        {"id": f"tag:{tag.slug}", "label": tag.slug, "type": "tag", "claims": tag_claims[tag.slug], "bipartite": 1,
         "name": tag.name}
        for tag in tags
    ]  # fmt: skip
    edges = []
    for actor in sorted(counts, key=_order):
        for tag in tags:
            split = {stance: held[actor][(tag.slug, stance)] for stance in STANCES}
            weight = sum(split.values())
            if not weight:
                continue
            present = [stance for stance in STANCES if split[stance]]
            edges.append(
                {
                    "source": f"actor:{actor}",
                    "target": f"tag:{tag.slug}",
                    "weight": weight,
                    **split,
                    "stance": present[0] if len(present) == 1 else "mixed",
                    "balance": round((split["affirms"] - split["denies"]) / weight, 3),
                }
            )
    return Network(
        kind="author-tag",
        by=by,
        nodes=nodes,
        edges=edges,
        description="Two-mode network: actors x tags; weight = the actor's claims on the tag, split by stance.",
    )


def congruence_network(claims: Sequence[ClaimRow], tags: Sequence[TagRow], by: str) -> Network:
    """Actors tied by what they agree on: the same stance on the same tag (DNA's congruence network).

    `weight` is the number of (tag, stance) pairs both actors hold, e.g. both affirm `not-an-alliance` and both
    deny `anti-us` gives 2 (DNA's default, unnormalised). Every stance is a level of agreement, so two actors
    who both qualify a tag are congruent on it too. `claim_pairs` is the finer count: the pairs of claims, one
    of each actor, with the same stance on the same tag (n_i x n_j summed over the shared pairs). `tags` lists
    the shared pairs as `tag:stance`. Co-authors share every claim of their joint paper, so they are congruent
    on all of its tags. Actors with no tie are kept as isolated nodes.
    """
    order = {tag.slug: i for i, tag in enumerate(tags)}
    held, counts, reports = _profile(claims, attribution(claims, by), set(order))
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for actor in sorted(held):
        for pair in held[actor]:
            holders[pair].append(actor)
    ties: dict[tuple[str, str], dict] = {}
    for (slug, stance), who in sorted(holders.items(), key=lambda item: (order[item[0][0]], item[0][1])):
        for i, j in combinations(sorted(who, key=_order), 2):
            tie = ties.setdefault((i, j), {"weight": 0, "claim_pairs": 0, "tags": []})
            tie["weight"] += 1
            tie["claim_pairs"] += held[i][(slug, stance)] * held[j][(slug, stance)]
            tie["tags"].append(f"{slug}:{stance}")
    return Network(
        kind="congruence",
        by=by,
        nodes=_actor_nodes(counts, reports),
        edges=_edges(ties),
        description="Congruence network: weight = (tag, stance) pairs both actors hold; claim_pairs = agreeing claim pairs.",
    )


def conflict_network(claims: Sequence[ClaimRow], links: Iterable[LinkRow], tags: Sequence[TagRow], by: str) -> Network:
    """Actors tied by what they disagree on (DNA's conflict network, plus the argument's `conflicts` links).

    `opposed_tags` is the number of tags on which one actor affirms and the other denies (qualifying opposes
    nothing); `claim_pairs` the pairs of claims behind them; `conflict_links` the `conflicts` links between a
    claim of one and a claim of the other (each pair of distinct actors, one at each end). `weight` is
    `opposed_tags + conflict_links`: the points of disagreement. `tags` lists the opposed tags.
    """
    attributed = attribution(claims, by)
    held, counts, reports = _profile(claims, attributed, {tag.slug for tag in tags})
    ties: dict[tuple[str, str], dict] = {}

    def tie(i: str, j: str) -> dict:
        pair = tuple(sorted((i, j), key=_order))
        return ties.setdefault(
            pair, {"weight": 0, "opposed_tags": 0, "claim_pairs": 0, "conflict_links": 0, "tags": []}
        )

    for tag in tags:
        affirmers = [actor for actor in sorted(held) if held[actor][(tag.slug, "affirms")]]
        deniers = [actor for actor in sorted(held) if held[actor][(tag.slug, "denies")]]
        for i in affirmers:
            for j in deniers:
                if i != j:
                    t = tie(i, j)
                    t["claim_pairs"] += held[i][(tag.slug, "affirms")] * held[j][(tag.slug, "denies")]
                    if tag.slug not in t["tags"]:
                        t["tags"].append(tag.slug)
                        t["opposed_tags"] += 1
    own = {claim.id for claim in claims if not attributed[claim.id].reported}
    for link in links:
        if link.relation not in DISAGREEING or link.source not in own or link.target not in own:
            continue
        for i in attributed[link.source].actors:
            for j in attributed[link.target].actors:
                if i != j:
                    tie(i, j)["conflict_links"] += 1
    for t in ties.values():
        t["weight"] = t["opposed_tags"] + t["conflict_links"]
    return Network(
        kind="conflict",
        by=by,
        nodes=_actor_nodes(counts, reports),
        edges=_edges(ties),
        description="Conflict network: weight = opposed_tags (one affirms, the other denies) + conflict_links.",
    )


def _edges(ties: dict[tuple[str, str], dict]) -> list[dict]:
    edges = []
    for (i, j), tie in sorted(ties.items(), key=lambda item: (_order(item[0][0]), _order(item[0][1]))):
        edges.append({"source": i, "target": j, **tie, "tags": ";".join(tie["tags"])})
    return edges


def counted_note(statuses: Sequence[str]) -> str:
    """The sentence a network's description ends with: what it counted."""
    return f" Counts {' and '.join(statuses)} claims and links; never rejected, orphaned or deleted ones."


def network(kind: str, claims: Sequence[ClaimRow], links: Iterable[LinkRow], tags: Sequence[TagRow], by: str):
    if kind == "author-tag":
        return author_tag_network(claims, tags, by)
    if kind == "congruence":
        return congruence_network(claims, tags, by)
    if kind == "conflict":
        return conflict_network(claims, links, tags, by)
    raise ValueError(f"kind must be one of {', '.join(NETWORKS)}, not {kind!r}")
