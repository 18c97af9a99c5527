"""The networks of Leifeld's Discourse Network Analyzer: author x tag, congruence and conflict."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from .attribution import (
    DISAGREEING,
    NETWORKS,
    STANCES,
    Attribution,
    ClaimRow,
    LinkRow,
    Network,
    TagRow,
    _order,
    attribution,
    stance_on,
)


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
    description = (
        "Congruence network: weight = (tag, stance) pairs both actors hold; claim_pairs = agreeing claim pairs."
    )
    return _actor_network("congruence", by, counts, reports, ties, description)


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
    description = "Conflict network: weight = opposed_tags (one affirms, the other denies) + conflict_links."
    return _actor_network("conflict", by, counts, reports, ties, description)


def _actor_network(kind: str, by: str, counts: Counter, reports: Counter, ties: dict, description: str) -> Network:
    """A network of actors (congruence, conflict): one node per actor, one edge per tie."""
    return Network(kind=kind, by=by, nodes=_actor_nodes(counts, reports), edges=_edges(ties), description=description)


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
