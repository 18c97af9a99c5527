"""Claims and links for network tools: GraphML (Gephi, networkx, igraph) and a CSV of claims (R, pandas).

`graphml()` is a streaming writer for any attributed graph: give it the attribute keys and iterators of
nodes and edges. The claim network (claims as nodes, links as directed edges) is one use of it; the
discourse networks (author-tag, congruence, conflict) are others: each is a pair of functions that
turn claims into `Node`s and `Edge`s, passed to the same writer.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..codings import pairs
from ..pages import page_label
from . import csv_row, iso
from .aif import speaker_of
from .native import codings_of
from .xmltext import xml_attr, xml_text


@dataclass(frozen=True)
class Key:
    """A GraphML attribute: `name` on the graph, nodes or edges, of type string, int, double or boolean."""

    name: str
    domain: str  # "graph" | "node" | "edge"
    type: str = "string"


@dataclass
class Node:
    id: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Edge:
    source: str
    target: str
    data: dict[str, Any] = field(default_factory=dict)
    id: str | None = None


def _data(keys: dict[tuple[str, str], str], domain: str, data: dict[str, Any]) -> str:
    return "".join(
        f"<data key={xml_attr(keys[(domain, name)])}>{xml_text(value)}</data>"
        for name, value in data.items()
        if value is not None
    )


def graphml(
    *,
    keys: list[Key],
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    directed: bool = True,
    graph_data: dict[str, Any] | None = None,
) -> Iterator[str]:
    """A GraphML document as text chunks, one per node or edge; the one GraphML writer of the project."""
    ids = {(key.domain, key.name): f"{key.domain[0]}_{key.name}" for key in keys}
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for key in keys:
        yield (
            f"<key id={xml_attr(ids[(key.domain, key.name)])} for={xml_attr(key.domain)} "
            f"attr.name={xml_attr(key.name)} attr.type={xml_attr(key.type)}/>\n"
        )
    yield f'<graph id="G" edgedefault="{"directed" if directed else "undirected"}">'
    yield _data(ids, "graph", graph_data or {}) + "\n"
    for node in nodes:
        yield f"<node id={xml_attr(node.id)}>{_data(ids, 'node', node.data)}</node>\n"
    for edge in edges:
        edge_id = f" id={xml_attr(edge.id)}" if edge.id else ""
        yield (
            f"<edge{edge_id} source={xml_attr(edge.source)} target={xml_attr(edge.target)}>"
            f"{_data(ids, 'edge', edge.data)}</edge>\n"
        )
    yield "</graph>\n</graphml>\n"


CLAIM_KEYS = [
    Key("paper", "node"),
    Key("authors", "node"),
    Key("speaker", "node"),
    Key("stance", "node"),
    Key("status", "node"),
    Key("tags", "node"),
    Key("codings", "node"),
    Key("statement", "node"),
    Key("exact", "node"),
    Key("start", "node", "int"),
    Key("end", "node", "int"),
    Key("created_by", "node"),
    Key("label", "node"),
    Key("relation", "edge"),
    Key("status", "edge"),
    Key("rationale", "edge"),
]


def _codings(claim) -> dict[str, str]:
    return {coding["tag"]: coding["stance"] for coding in codings_of(claim)}


def _claim_values(claim, paper_authors: dict[int, list[str]]) -> dict[str, Any]:
    """What the GraphML node and the CSV row say of a claim, by column (`speaker` as stored: empty for the
    paper's authors)."""
    codings = _codings(claim)
    return {
        "id": str(claim.id),
        "paper": claim.paper_slug,
        "authors": "; ".join(paper_authors.get(claim.paper_id, [])),
        "speaker": claim.speaker,
        "stance": claim.stance,
        "tags": ";".join(sorted(codings)),
        "status": claim.status,
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
        "statement": claim.statement,
        "created_by": claim.created_by,
        "created_at": iso(claim.created_at),
        "codings": ";".join(pairs(codings)),
        "pages": page_label(claim.pages),
    }


NODE_DATA = ("paper", "authors", "speaker", "stance", "status", "tags", "codings", "statement", "exact", "start", "end")


def claim_node(claim, paper_authors: dict[int, list[str]]) -> Node:
    values = _claim_values(claim, paper_authors)
    values["speaker"] = speaker_of(claim, paper_authors)  # a graph names whoever holds the view
    data = {key: values[key] for key in NODE_DATA}
    return Node(id=values["id"], data={**data, "created_by": values["created_by"], "label": claim.statement})


def link_edge(link) -> Edge:
    return Edge(
        id=str(link.id),
        source=str(link.source_id),
        target=str(link.target_id),
        data={"relation": link.relation, "status": link.status, "rationale": link.rationale},
    )


def claim_graph(*, claims: Iterable[Any], links: Iterable[Any], paper_authors: dict[int, list[str]]) -> Iterator[str]:
    """The claim network: claims as nodes, links as directed edges carrying their relation."""
    return graphml(
        keys=CLAIM_KEYS,
        nodes=(claim_node(claim, paper_authors) for claim in claims),
        edges=(link_edge(link) for link in links),
    )


CSV_COLUMNS = [
    "id", "paper", "authors", "speaker", "stance", "tags", "status", "start", "end", "exact", "statement",
    "created_by", "created_at", "codings", "pages",
]  # fmt: skip


def claim_row(claim, paper_authors: dict[int, list[str]]) -> list[Any]:
    # `codings`, then `pages` last, so that readers of the older columns by position are not thrown off.
    values = _claim_values(claim, paper_authors)
    return [values[column] for column in CSV_COLUMNS]


def claims_csv(*, claims: Iterable[Any], paper_authors: dict[int, list[str]]) -> Iterator[str]:
    """One row per claim under a header row; `speaker` is empty when the paper's authors hold the view."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(CSV_COLUMNS))
    for claim in claims:
        writer.writerow(csv_row(claim_row(claim, paper_authors)))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
