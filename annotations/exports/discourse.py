"""Presenters for the discourse networks: GraphML (Gephi, visone, igraph, networkx) and CSV edge lists.

Pure: a `discourse.Network` in, bytes or text out; no queries. GraphML goes through the project's one
GraphML writer (`networks.graphml`), which removes what XML cannot carry and holds no native state.
"""

import csv
import io
from typing import Any

from ..discourse import Network
from . import csv_row
from .networks import Edge, Key, Node, graphml

CONTENT_TYPES = {"graphml": "application/graphml+xml; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def _graphml_type(values: list[Any]) -> str:
    """The GraphML type that holds every value of an attribute, as networkx infers numeric types."""
    if all(isinstance(value, bool) for value in values):
        return "boolean"
    if any(isinstance(value, bool) or not isinstance(value, int | float) for value in values):
        return "string"
    return "int" if all(isinstance(value, int) for value in values) else "double"


def _keys(domain: str, items: list[dict[str, Any]], skip: set[str]) -> list[Key]:
    values: dict[str, list[Any]] = {}
    for item in items:
        for name, value in item.items():
            if name not in skip and value is not None:
                values.setdefault(name, []).append(value)
    return [Key(name, domain, _graphml_type(found)) for name, found in values.items()]


def network_graphml(network: Network) -> bytes:
    """GraphML with every node (isolated actors too) and typed attributes; weights are numbers."""
    graph_data = {"kind": network.kind, "by": network.by, "description": network.description}
    keys = [
        *_keys("graph", [graph_data], set()),
        *_keys("node", network.nodes, {"id"}),
        *_keys("edge", network.edges, {"source", "target"}),
    ]
    nodes = [Node(str(node["id"]), {k: v for k, v in node.items() if k != "id"}) for node in network.nodes]
    edges = [
        Edge(str(edge["source"]), str(edge["target"]), {k: v for k, v in edge.items() if k not in {"source", "target"}})
        for edge in network.edges
    ]
    # Written whole, here: the response gets finished bytes, never a writer to drive later.
    document = "".join(graphml(keys=keys, nodes=nodes, edges=edges, directed=False, graph_data=graph_data))
    return document.encode("utf-8")


def network_csv(network: Network) -> str:
    """An edge list in Gephi's spreadsheet shape (Source, Target, Type, Weight, then the other attributes).

    Nodes are named by their label (an actor's name, a tag's slug); in the two-mode network Source is always
    the actor and Target the tag. Isolated nodes are not in an edge list: take the GraphML for those.
    """
    labels = {node["id"]: node["label"] for node in network.nodes}
    extra: list[str] = []
    for edge in network.edges:
        extra += [key for key in edge if key not in {"source", "target", "weight", *extra}]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_row(["Source", "Target", "Type", "Weight", *extra]))
    for edge in network.edges:
        writer.writerow(
            csv_row(
                [
                    labels[edge["source"]],
                    labels[edge["target"]],
                    "Undirected",
                    edge["weight"],
                    *(edge.get(k, "") for k in extra),
                ]
            )
        )
    return out.getvalue()


def render(network: Network, fmt: str) -> bytes:
    if fmt == "graphml":
        return network_graphml(network)
    if fmt == "csv":
        return network_csv(network).encode("utf-8")
    raise ValueError(f"format must be graphml or csv, not {fmt!r}")
