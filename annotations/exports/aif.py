"""Claims and links in the Argument Interchange Format, as AIFdb writes it (JSON).

    {"nodes": [{"nodeID", "text", "type", "timestamp"}], "edges": [{"edgeID", "fromID", "toID"}],
     "locutions": [{"nodeID", "personID", ...}], "participants": [{"participantID", "firstname", "surname"}]}

Each claim is an I-node (its statement; the quote, paper, positions, stance, tags and the stance on each
tag as `codings` kept alongside), said by a
locution: an L-node ("speaker: quote") joined to the I-node through a YA node ("Asserting"), so an
argument-mining tool can trace every proposition to the words of the text. Each link is a scheme node
between two I-nodes (I → S → I): RA for supports, CA for conflicts, MA for restates.

The presenter reads the claims three times (nodes, edges, locutions), so it takes functions that give a
fresh iterator each time: nothing is held in memory but the list of speakers.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC
from itertools import chain
from typing import Any

from .native import codings_of

SCHEMES = {
    "supports": ("RA", "Default Inference"),
    "conflicts": ("CA", "Default Conflict"),
    "restates": ("MA", "Default Rephrase"),
}
ILLOCUTION = "Asserting"


def timestamp(moment) -> str:
    """AIFdb's format: "YYYY-MM-DD HH:MM:SS" (UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def speaker_of(claim, paper_authors: dict[int, list[str]]) -> str:
    """Who holds the view: the named speaker, or else the paper's authors."""
    return claim.speaker or ", ".join(paper_authors.get(claim.paper_id, [])) or claim.paper_slug


def _ids(claim) -> tuple[str, str, str]:
    return str(claim.id), f"L-{claim.id}", f"YA-{claim.id}"


def claim_nodes(claim, paper_authors: dict[int, list[str]]) -> list[dict[str, Any]]:
    i_node, l_node, ya_node = _ids(claim)
    when = timestamp(claim.created_at)
    codings = codings_of(claim)
    return [
        {
            "nodeID": i_node,
            "text": claim.statement,
            "type": "I",
            "timestamp": when,
            "quote": claim.exact,
            "paper": claim.paper_slug,
            "start": claim.start,
            "end": claim.end,
            "stance": claim.stance,
            "tags": [coding["tag"] for coding in codings],
            "codings": codings,
        },
        {
            "nodeID": l_node,
            "text": f"{speaker_of(claim, paper_authors)}: {claim.exact}",
            "type": "L",
            "timestamp": when,
        },
        {"nodeID": ya_node, "text": ILLOCUTION, "type": "YA", "timestamp": when},
    ]


def link_node(link) -> dict[str, Any]:
    kind, text = SCHEMES[link.relation]
    return {"nodeID": str(link.id), "text": text, "type": kind, "timestamp": timestamp(link.created_at)}


def _edge(from_id: str, to_id: str) -> dict[str, Any]:
    return {"edgeID": f"{from_id}>{to_id}", "fromID": from_id, "toID": to_id, "formEdgeID": None}


def claim_edges(claim) -> list[dict[str, Any]]:
    i_node, l_node, ya_node = _ids(claim)
    return [_edge(l_node, ya_node), _edge(ya_node, i_node)]


def link_edges(link) -> list[dict[str, Any]]:
    return [_edge(str(link.source_id), str(link.id)), _edge(str(link.id), str(link.target_id))]


def _participant(participant_id: int, name: str) -> dict[str, Any]:
    first, _, last = name.rpartition(" ")
    return {"participantID": participant_id, "firstname": first, "surname": last}


def _list(items: Iterable[dict]) -> Iterator[str]:
    separator = "\n"
    for item in items:
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"


def render(
    *,
    claims: Callable[[], Iterable[Any]],
    links: Callable[[], Iterable[Any]],
    paper_authors: dict[int, list[str]],
) -> Iterator[str]:
    """The AIF document as text chunks; `claims` and `links` each give a fresh iterator when called."""
    yield '{"nodes": ['
    yield from _list(
        chain(
            (node for claim in claims() for node in claim_nodes(claim, paper_authors)),
            (link_node(link) for link in links()),
        )
    )
    yield '\n], "edges": ['
    yield from _list(
        chain(
            (edge for claim in claims() for edge in claim_edges(claim)),
            (edge for link in links() for edge in link_edges(link)),
        )
    )
    yield '\n], "locutions": ['
    participants: dict[str, int] = {}

    def locutions():
        for claim in claims():
            speaker = speaker_of(claim, paper_authors)
            person = participants.setdefault(speaker, len(participants) + 1)
            yield {
                "nodeID": f"L-{claim.id}",
                "personID": person,
                "timestamp": timestamp(claim.created_at),
                "start": None,
                "end": None,
                "source": claim.paper_slug,
                "textStart": claim.start,
                "textEnd": claim.end,
            }

    yield from _list(locutions())
    yield '\n], "participants": ['
    yield from _list(_participant(number, name) for name, number in participants.items())
    yield "\n]}\n"
