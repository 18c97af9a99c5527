"""Agreements and disagreements: pairs of claims whose actors hold opposed or the same stances on a tag."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, combinations

from .attribution import AGREEING, DISAGREEING, STANCES, ClaimRow, LinkRow, TagRow, attribution, stance_on


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
