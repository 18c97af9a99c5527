"""Discourse analysis over coded claims, pure (no ORM): the stance matrix, disagreements, and the networks of
Leifeld's Discourse Network Analyzer (actor x concept x agreement) with tags as concepts and stances as agreement.

Who the actor of a claim is depends on `by`, and is decided once, in `actors_of`:

- ``by="author"``: the paper's authors, each of them, for the claims the paper makes in its own voice (no
  `speaker`). Claims with a speaker are a view the paper *reports* (a quoted official, a cited scholar), not
  the authors' own, so they are left out of the author view and counted in ``excluded``; see them with
  ``by="speaker"``.
- ``by="speaker"``: who holds the view, as DNA codes it: the speaker when there is one, otherwise each of the
  paper's authors. Names are matched case- and space-insensitively, so a quoted "pan guang" and the author
  "Pan Guang" are one actor (shown with the author's spelling).
- ``by="paper"``: the paper (its slug), whoever speaks in it.

A claim counts under the tags it carries itself (not their parent tags), once for each of its actors, with
the stance it takes on each tag (`stance_on`: the tag's own coding, else the claim's stance).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

STANCES = ("affirms", "denies", "qualifies")
BY = ("author", "speaker", "paper")
NETWORKS = ("author-tag", "congruence", "conflict")


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


def actors_of(claims: Sequence[ClaimRow], by: str) -> dict[str, tuple[str, ...]]:
    """Claim id -> the labels of its actors under `by` (empty tuple: the claim does not count in this view)."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    labels: dict[str, str] = {}
    # Authors first, so that a speaker who is also an author is shown with the author's own spelling.
    for claim in claims:
        for author in claim.authors:
            labels.setdefault(_key(author), author)
    result: dict[str, tuple[str, ...]] = {}
    for claim in claims:
        if by == "paper":
            result[claim.id] = (claim.paper,)
        elif claim.speaker.strip():
            if by == "author":
                result[claim.id] = ()
            else:
                label = labels.setdefault(_key(claim.speaker), " ".join(claim.speaker.split()))
                result[claim.id] = (label,)
        else:
            result[claim.id] = tuple(labels[_key(author)] for author in claim.authors)
    return result


def _columns(claims: Sequence[ClaimRow], actors: dict[str, tuple[str, ...]]) -> list[str]:
    seen = {actor for claim in claims for actor in actors[claim.id]}
    return sorted(seen, key=lambda label: (_key(label), label))


def _empty_cell() -> dict:
    return {"affirms": 0, "denies": 0, "qualifies": 0, "total": 0, "balance": None, "claims": []}


def stance_matrix(claims: Sequence[ClaimRow], tags: Sequence[TagRow], by: str) -> dict:
    """Rows are the codebook's tags, columns the actors under `by`; each cell counts the claims per stance.

    `balance` is (affirms - denies) / total, from -1 (all deny) to 1 (all affirm); qualifications pull it
    toward 0. A row is `contested` when one column leans to affirming (affirms > denies) and another leans to
    denying (denies > affirms).
    """
    actors = actors_of(claims, by)
    columns = _columns(claims, actors)
    index = {label: i for i, label in enumerate(columns)}
    known = {tag.slug for tag in tags}
    cells: dict[str, list[dict]] = {tag.slug: [_empty_cell() for _ in columns] for tag in tags}
    column_claims = [0] * len(columns)
    excluded = 0
    for claim in claims:
        who = actors[claim.id]
        counted_tags = [slug for slug in claim.tags if slug in known]
        if not who or not counted_tags:
            excluded += 1
            continue
        for actor in who:
            column_claims[index[actor]] += 1
            for slug in counted_tags:
                cell = cells[slug][index[actor]]
                cell[stance_on(claim, slug)] += 1
                cell["total"] += 1
                cell["claims"].append(claim.id)
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
                "contested": {1, -1} <= leans,
                "cells": row_cells,
            }
        )
    return {
        "by": by,
        "columns": [{"key": label, "label": label, "claims": column_claims[i]} for i, label in enumerate(columns)],
        "rows": rows,
        "excluded": excluded,
    }


def disagreements(
    claims: Sequence[ClaimRow], links: Iterable[LinkRow], tags: Sequence[TagRow], by: str, limit: int = 500
) -> tuple[list[dict], int]:
    """Pairs of claims by different actors (no actor in common under `by`) that disagree, and how many there are.

    Two kinds: a `conflicts` link between them (`kind="link"`, `a` its source, `b` its target), or opposite
    stances on the same tag (`kind="stance"`, `a` affirms and `b` denies `tag`). A pair that disagrees on two
    tags is listed once per tag. Links come first, then tags in codebook order, claims in the order given.
    At most `limit` are listed; the total is counted without listing them all.
    """
    actors = actors_of(claims, by)
    by_id = {claim.id: claim for claim in claims}
    items: list[dict] = []
    total = 0
    for link in links:
        if link.relation != "conflicts" or link.source not in by_id or link.target not in by_id:
            continue
        a, b = set(actors[link.source]), set(actors[link.target])
        if a and b and not a & b:
            total += 1
            if len(items) < limit:
                items.append({"kind": "link", "link": link.id, "tag": None, "a": link.source, "b": link.target})
    for tag in tags:
        affirm = [c for c in claims if tag.slug in c.tags and stance_on(c, tag.slug) == "affirms" and actors[c.id]]
        deny = [c for c in claims if tag.slug in c.tags and stance_on(c, tag.slug) == "denies" and actors[c.id]]
        if not affirm or not deny:
            continue
        # Count pairs by groups of identical actor sets: cheap however many claims there are.
        affirm_groups = Counter(frozenset(actors[c.id]) for c in affirm)
        deny_groups = Counter(frozenset(actors[c.id]) for c in deny)
        total += sum(na * nd for ga, na in affirm_groups.items() for gd, nd in deny_groups.items() if not ga & gd)
        if len(items) >= limit:
            continue
        for a in affirm:
            for b in deny:
                if len(items) >= limit:
                    break
                if not set(actors[a.id]) & set(actors[b.id]):
                    items.append({"kind": "stance", "link": None, "tag": tag.slug, "a": a.id, "b": b.id})
    return items, total


def _profile(claims: Sequence[ClaimRow], actors: dict[str, tuple[str, ...]], known: set[str]):
    """actor -> (tag, stance) -> number of claims; and actor -> number of claims (tagged or not).

    Every actor of the view is a node, even one whose claims carry no tag: a `conflicts` link can tie it."""
    held: dict[str, Counter] = defaultdict(Counter)
    counts: Counter = Counter()
    for claim in claims:
        tagged = [slug for slug in claim.tags if slug in known]
        for actor in actors[claim.id]:
            counts[actor] += 1
            for slug in tagged:
                held[actor][(slug, stance_on(claim, slug))] += 1
    return held, counts


def _actor_nodes(counts: Counter, node_id=lambda label: label) -> list[dict]:
    ordered = sorted(counts, key=lambda label: (_key(label), label))
    return [{"id": node_id(label), "label": label, "type": "actor", "claims": counts[label]} for label in ordered]


def author_tag_network(claims: Sequence[ClaimRow], tags: Sequence[TagRow], by: str) -> Network:
    """The two-mode (affiliation) network: actors and tags, an edge where an actor makes claims on a tag.

    Edge `weight` is the number of the actor's claims on the tag; `affirms`, `denies`, `qualifies` split it;
    `stance` is the one stance they all take, or `mixed`; `balance` is (affirms - denies) / weight.
    Node ids are `actor:NAME` and `tag:SLUG`; `bipartite` is 0 for actors and 1 for tags (networkx's convention).
    """
    actors = actors_of(claims, by)
    known = {tag.slug for tag in tags}
    held, counts = _profile(claims, actors, known)
    nodes = [dict(node, bipartite=0) for node in _actor_nodes(counts, lambda label: f"actor:{label}")]
    tag_claims = Counter(slug for claim in claims if actors[claim.id] for slug in set(claim.tags) if slug in known)
    nodes += [
        {"id": f"tag:{tag.slug}", "label": tag.slug, "type": "tag", "claims": tag_claims[tag.slug], "bipartite": 1,
         "name": tag.name}
        for tag in tags
    ]  # fmt: skip
    edges = []
    for node in _actor_nodes(counts):
        actor = node["label"]
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
    actors = actors_of(claims, by)
    order = {tag.slug: i for i, tag in enumerate(tags)}
    held, counts = _profile(claims, actors, set(order))
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for actor in sorted(held):
        for pair in held[actor]:
            holders[pair].append(actor)
    ties: dict[tuple[str, str], dict] = {}
    for (slug, stance), who in sorted(holders.items(), key=lambda item: (order[item[0][0]], item[0][1])):
        for i, j in combinations(sorted(who, key=lambda label: (_key(label), label)), 2):
            tie = ties.setdefault((i, j), {"weight": 0, "claim_pairs": 0, "tags": []})
            tie["weight"] += 1
            tie["claim_pairs"] += held[i][(slug, stance)] * held[j][(slug, stance)]
            tie["tags"].append(f"{slug}:{stance}")
    return Network(
        kind="congruence",
        by=by,
        nodes=_actor_nodes(counts),
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
    actors = actors_of(claims, by)
    order = {tag.slug: i for i, tag in enumerate(tags)}
    held, counts = _profile(claims, actors, set(order))
    ties: dict[tuple[str, str], dict] = {}

    def tie(i: str, j: str) -> dict:
        pair = tuple(sorted((i, j), key=lambda label: (_key(label), label)))
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
    by_id = {claim.id: claim for claim in claims}
    for link in links:
        if link.relation != "conflicts" or link.source not in by_id or link.target not in by_id:
            continue
        for i in actors[link.source]:
            for j in actors[link.target]:
                if i != j:
                    tie(i, j)["conflict_links"] += 1
    for t in ties.values():
        t["weight"] = t["opposed_tags"] + t["conflict_links"]
    return Network(
        kind="conflict",
        by=by,
        nodes=_actor_nodes(counts),
        edges=_edges(ties),
        description="Conflict network: weight = opposed_tags (one affirms, the other denies) + conflict_links.",
    )


def _edges(ties: dict[tuple[str, str], dict]) -> list[dict]:
    edges = []
    for (i, j), tie in sorted(ties.items(), key=lambda item: (_key(item[0][0]), _key(item[0][1]), item[0])):
        edges.append({"source": i, "target": j, **tie, "tags": ";".join(tie["tags"])})
    return edges


def network(kind: str, claims: Sequence[ClaimRow], links: Iterable[LinkRow], tags: Sequence[TagRow], by: str):
    if kind == "author-tag":
        return author_tag_network(claims, tags, by)
    if kind == "congruence":
        return congruence_network(claims, tags, by)
    if kind == "conflict":
        return conflict_network(claims, links, tags, by)
    raise ValueError(f"kind must be one of {', '.join(NETWORKS)}, not {kind!r}")
