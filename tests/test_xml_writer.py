"""The one XML writer: any text, control characters and lone surrogates included, gives a document XML tools
read back, with only the characters XML 1.0 cannot carry removed (hypothesis)."""

import io
from itertools import pairwise

import networkx
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.discourse import Network
from annotations.exports import discourse as presenters
from annotations.exports.xmltext import NOT_XML, xml_safe

# Any code point, surrogates too (a Python str may hold one even if no database stores it).
anything = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)


@settings(max_examples=80, deadline=None)
@given(names=st.lists(anything, min_size=1, max_size=5, unique_by=xml_safe), label=anything, description=anything)
def test_a_discourse_network_with_any_names_reads_back(names, label, description):
    nodes = [{"id": f"actor:{name}", "label": name, "type": "actor", "claims": i} for i, name in enumerate(names)]
    edges = [
        {"source": f"actor:{a}", "target": f"actor:{b}", "weight": 2, "balance": 0.5, "tags": label}
        for a, b in pairwise(names)
    ]
    network = Network(kind="conflict", by="speaker", nodes=nodes, edges=edges, description=description)
    graph = networkx.read_graphml(io.BytesIO(presenters.network_graphml(network)))
    assert set(graph.nodes) == {xml_safe(node["id"]) for node in nodes}
    assert graph.graph["description"] == xml_safe(description)
    for node in nodes:
        assert graph.nodes[xml_safe(node["id"])]["label"] == xml_safe(node["label"])
        assert graph.nodes[xml_safe(node["id"])]["claims"] == node["claims"]
    for edge in edges:
        data = graph.edges[xml_safe(edge["source"]), xml_safe(edge["target"])]
        assert (data["weight"], data["balance"], data["tags"]) == (2, 0.5, xml_safe(label))


@given(anything)
def test_xml_safe_keeps_everything_xml_can_carry(text):
    kept = xml_safe(text)
    assert not NOT_XML.search(kept)
    assert kept == "".join(ch for ch in text if not NOT_XML.match(ch))
