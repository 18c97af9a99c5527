"""The argument map's answer, pure: the documented full shape (every field of every claim) and the compact
shape the /map/ page loads first (tables of papers, tags and speakers, claims and links as short rows, a label
of bounded length instead of the quote and the statement, which the page fetches when a claim is opened).
"""

from collections.abc import Sequence

from .attribution import STANCES, ClaimRow, LinkRow

RELATIONS = ("supports", "conflicts", "restates")
STATUSES = ("approved", "pending")
LABEL_LENGTH = 80  # code points of a compact node's label: legible on the canvas, bounded in the payload
NODE_COLUMNS = ("id", "paper", "stance", "status", "tags", "speaker", "label")
EDGE_COLUMNS = ("source", "target", "relation", "status")


def linked_only(claims: Sequence[ClaimRow], links: Sequence[LinkRow]) -> list[ClaimRow]:
    """The claims at an end of one of `links`: what a relation or tag filter leaves worth drawing."""
    ends = {link.source for link in links} | {link.target for link in links}
    return [claim for claim in claims if claim.id in ends]


def label(text: str, length: int = LABEL_LENGTH) -> str:
    """`text` on one line, cut to `length` code points (an ellipsis marks the cut)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def full_map(claims: Sequence[ClaimRow], links: Sequence[LinkRow]) -> dict:
    """The documented shape: `{nodes: [{id, paper, authors, speaker, stance, status, tags, exact, statement}],
    edges: [{id, source, target, relation, status}]}`."""
    nodes = [
        {
            "id": c.id,
            "paper": c.paper,
            "authors": list(c.authors),
            "speaker": c.speaker or None,
            "stance": c.stance,
            "status": c.status,
            "tags": list(c.tags),
            "exact": c.exact,
            "statement": c.statement,
        }
        for c in claims
    ]
    edges = [
        {"id": link.id, "source": link.source, "target": link.target, "relation": link.relation, "status": link.status}
        for link in links
    ]
    return {"nodes": nodes, "edges": edges}


def _index(values: dict[str, int], value: str) -> int:
    return values.setdefault(value, len(values))


def compact_map(claims: Sequence[ClaimRow], links: Sequence[LinkRow]) -> dict:
    """The compact shape (`shape: "compact"`), about a fifth of the full one: each node a row
    `[id, paper, stance, status, tags, speaker, label]` where paper, stance, status, each tag and speaker are
    indexes into `papers` (`{slug, authors}`), `stances`, `statuses`, `tags` and `speakers` (speaker `null`: the
    paper's authors); each edge a row `[source, target, relation, status]` of indexes into `nodes`, `relations`
    and `statuses`. Links have no id here: the full shape has them."""
    papers: dict[str, int] = {}
    authors: dict[str, list[str]] = {}
    tags: dict[str, int] = {}
    speakers: dict[str, int] = {}
    stances = {stance: i for i, stance in enumerate(STANCES)}
    statuses = {status: i for i, status in enumerate(STATUSES)}
    relations = {relation: i for i, relation in enumerate(RELATIONS)}
    position: dict[str, int] = {}
    nodes = []
    # A relation or status of no table yet (the model allows none) is added rather than lost.
    for relation in sorted({link.relation for link in links} - relations.keys()):
        _index(relations, relation)
    for status in sorted({link.status for link in links} - statuses.keys()):
        _index(statuses, status)
    for i, c in enumerate(claims):
        position[c.id] = i
        if c.paper not in papers:
            authors[c.paper] = list(c.authors)
        nodes.append(
            [
                c.id,
                _index(papers, c.paper),
                _index(stances, c.stance),
                _index(statuses, c.status),
                [_index(tags, slug) for slug in c.tags],
                _index(speakers, c.speaker) if c.speaker else None,
                label(c.statement),
            ]
        )
    # Every relation and status the model allows is in the tables already: a plain lookup per link (30,000).
    edges = [
        [position[link.source], position[link.target], relations[link.relation], statuses[link.status]]
        for link in links
        if link.source in position and link.target in position
    ]
    return {
        "shape": "compact",
        "node_columns": list(NODE_COLUMNS),
        "edge_columns": list(EDGE_COLUMNS),
        "papers": [{"slug": slug, "authors": authors[slug]} for slug in papers],
        "tags": list(tags),
        "speakers": list(speakers),
        "stances": list(stances),
        "statuses": list(statuses),
        "relations": list(relations),
        "nodes": nodes,
        "edges": edges,
    }
