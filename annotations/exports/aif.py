"""Claims and links in the Argument Interchange Format, as AIFdb writes it (JSON).

    {"nodes": [{"nodeID", "text", "type", "timestamp"}], "edges": [{"edgeID", "fromID", "toID"}],
     "locutions": [{"nodeID", "personID", ...}], "participants": [{"participantID", "firstname", "surname"}]}

Each claim is an I-node (its statement; the quote, paper and its stable identifier, positions, stance, tags
and the stance on each tag as `codings` kept alongside), said by one locution per holder of the view: an
L-node ("holder: quote") joined to the I-node through a YA node ("Asserting"), so an argument-mining tool can
trace every proposition to the words of the text. The holder is the named speaker, or else each author of
the paper: one participant per author and per speaker, names as given (never split into first and last). Each link is a scheme node
between two I-nodes (I → S → I): RA for supports, CA for conflicts, MA for restates.

The presenter reads the claims three times (nodes, edges, locutions), so it takes functions that give a
fresh iterator each time: nothing is held in memory but the list of speakers.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC
from itertools import chain
from typing import Any

from ..identifiers import paper_identifier
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


def holders_of(claim, paper_authors: dict[int, list[str]]) -> list[str]:
    """Each participant holding the view: the named speaker, or else each of the paper's authors (names as given)."""
    if claim.speaker:
        return [claim.speaker]
    return paper_authors.get(claim.paper_id) or [claim.paper_slug]


def _locution_ids(claim, number: int) -> tuple[str, str]:
    """The L and YA nodes of the claim's `number`th holder (the first keeps the ids of one-holder files)."""
    tail = "" if number == 1 else f"-{number}"
    return f"L-{claim.id}{tail}", f"YA-{claim.id}{tail}"


def claim_nodes(
    claim, paper_authors: dict[int, list[str]], identifiers: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    when = timestamp(claim.created_at)
    codings = codings_of(claim)
    nodes = [
        {
            "nodeID": str(claim.id),
            "text": claim.statement,
            "type": "I",
            "timestamp": when,
            "quote": claim.exact,
            "paper": claim.paper_slug,
            "paper_identifier": (identifiers or {}).get(claim.paper_id, paper_identifier(slug=claim.paper_slug)),
            "start": claim.start,
            "end": claim.end,
            "stance": claim.stance,
            "tags": [coding["tag"] for coding in codings],
            "codings": codings,
        }
    ]
    for number, holder in enumerate(holders_of(claim, paper_authors), 1):
        l_node, ya_node = _locution_ids(claim, number)
        nodes.append({"nodeID": l_node, "text": f"{holder}: {claim.exact}", "type": "L", "timestamp": when})
        nodes.append({"nodeID": ya_node, "text": ILLOCUTION, "type": "YA", "timestamp": when})
    return nodes


def link_node(link) -> dict[str, Any]:
    kind, text = SCHEMES[link.relation]
    return {"nodeID": str(link.id), "text": text, "type": kind, "timestamp": timestamp(link.created_at)}


def _edge(from_id: str, to_id: str) -> dict[str, Any]:
    return {"edgeID": f"{from_id}>{to_id}", "fromID": from_id, "toID": to_id, "formEdgeID": None}


def claim_edges(claim, paper_authors: dict[int, list[str]]) -> list[dict[str, Any]]:
    edges = []
    for number in range(1, len(holders_of(claim, paper_authors)) + 1):
        l_node, ya_node = _locution_ids(claim, number)
        edges += [_edge(l_node, ya_node), _edge(ya_node, str(claim.id))]
    return edges


def link_edges(link) -> list[dict[str, Any]]:
    return [_edge(str(link.source_id), str(link.id)), _edge(str(link.id), str(link.target_id))]


def _participant(participant_id: int, name: str) -> dict[str, Any]:
    # Names as given: "Pan Guang" (family name first) or "ASEAN Secretariat" split into first and last names
    # would be wrong, so the whole name is the surname and `name` says it again.
    return {"participantID": participant_id, "firstname": "", "surname": name, "name": name}


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
    identifiers: dict[int, str] | None = None,
) -> Iterator[str]:
    """The AIF document as text chunks; `claims` and `links` each give a fresh iterator when called.
    `identifiers`: paper id → its stable identifier (identifiers.paper_identifier)."""
    identifiers = identifiers or {}
    yield '{"nodes": ['
    yield from _list(
        chain(
            (node for claim in claims() for node in claim_nodes(claim, paper_authors, identifiers)),
            (link_node(link) for link in links()),
        )
    )
    yield '\n], "edges": ['
    yield from _list(
        chain(
            (edge for claim in claims() for edge in claim_edges(claim, paper_authors)),
            (edge for link in links() for edge in link_edges(link)),
        )
    )
    yield '\n], "locutions": ['
    participants: dict[str, int] = {}

    def locutions():
        for claim in claims():
            for number, holder in enumerate(holders_of(claim, paper_authors), 1):
                person = participants.setdefault(holder, len(participants) + 1)
                yield {
                    "nodeID": _locution_ids(claim, number)[0],
                    "personID": person,
                    "timestamp": timestamp(claim.created_at),
                    "start": None,
                    "end": None,
                    "source": identifiers.get(claim.paper_id, paper_identifier(slug=claim.paper_slug)),
                    "paper": claim.paper_slug,
                    "textStart": claim.start,
                    "textEnd": claim.end,
                }

    yield from _list(locutions())
    yield '\n], "participants": ['
    yield from _list(_participant(number, name) for name, number in participants.items())
    yield "\n]}\n"
