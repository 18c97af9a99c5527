"""Presenters for the discourse networks: GraphML (Gephi, visone, igraph, networkx) and CSV edge lists.

Pure: a `discourse.Network` in, bytes or text out; no queries.
"""

import csv
import io

import networkx as nx

from ..discourse import Network
from . import csv_row

CONTENT_TYPES = {"graphml": "application/graphml+xml; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def network_graph(network: Network) -> nx.Graph:
    graph = nx.Graph(kind=network.kind, by=network.by, description=network.description)
    for node in network.nodes:
        graph.add_node(node["id"], **{key: value for key, value in node.items() if key != "id"})
    for edge in network.edges:
        graph.add_edge(
            edge["source"],
            edge["target"],
            **{key: value for key, value in edge.items() if key not in {"source", "target"}},
        )
    return graph


def network_graphml(network: Network) -> bytes:
    """GraphML with every node (isolated actors too) and typed attributes; weights are numbers."""
    buffer = io.BytesIO()
    nx.write_graphml(network_graph(network), buffer, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    return buffer.getvalue()


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
