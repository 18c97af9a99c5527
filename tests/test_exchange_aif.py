"""AIF export: loads in arguebuf with the right numbers of nodes and edges; every I-node traced to the text."""

import json
from collections import Counter

import arguebuf
import pytest
from arguebuf.model.scheme import Attack, Rephrase, Support

from tests.exchange_world import build_world

EXPORT = "/api/v1/export/aif.json"


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


@pytest.fixture
def aif(api, moderator, world):
    r = api.as_user(moderator).get(EXPORT)
    assert r.status_code == 200
    assert 'filename="sco-claims-aif.json"' in r["Content-Disposition"]
    return json.loads(b"".join(r.streaming_content))


def test_aif_has_one_i_l_ya_per_claim_and_one_scheme_per_link(aif):
    types = Counter(node["type"] for node in aif["nodes"])
    # One locution per holder of the view: c3 and c4 stand on a paper with two authors and no speaker.
    assert types == {"I": 4, "L": 6, "YA": 6, "RA": 1, "CA": 1, "MA": 1}
    assert len(aif["edges"]) == 6 * 2 + 3 * 2
    assert len(aif["locutions"]) == 6
    ids = {node["nodeID"] for node in aif["nodes"]}
    assert all(edge["fromID"] in ids and edge["toID"] in ids for edge in aif["edges"])


def test_every_proposition_is_traced_to_a_speaker_and_the_quote(aif, world):
    nodes = {node["nodeID"]: node for node in aif["nodes"]}
    into = {(edge["toID"]) : edge["fromID"] for edge in aif["edges"] if nodes[edge["toID"]]["type"] in {"I", "YA"}
            and nodes[edge["fromID"]]["type"] in {"YA", "L"}}  # fmt: skip
    participants = {p["participantID"]: f"{p['firstname']} {p['surname']}".strip() for p in aif["participants"]}
    for i_node in (n for n in nodes.values() if n["type"] == "I"):
        ya = nodes[into[i_node["nodeID"]]]
        locution_node = nodes[into[ya["nodeID"]]]
        assert ya["text"] == "Asserting"
        assert locution_node["text"].endswith(": " + i_node["quote"])
        locution = next(loc for loc in aif["locutions"] if loc["nodeID"] == locution_node["nodeID"])
        assert locution_node["text"].startswith(participants[locution["personID"]] + ": ")
        assert i_node["paper_identifier"] == f"urn:sco-claims:paper:{i_node['paper']}"
    c1 = nodes[str(world.claims["c1"].pk)]
    assert (c1["text"], c1["quote"], c1["paper"]) == (
        world.claims["c1"].statement,
        world.claims["c1"].exact,
        "masuda-2010",
    )
    # No speaker named: each of the paper's authors is a participant of their own, the names as given.
    c3 = world.claims["c3"].pk
    assert nodes[f"L-{c3}"]["text"].startswith("Pan Guang: ")
    assert nodes[f"L-{c3}-2"]["text"].startswith("Li Wei: ")
    assert {p["name"] for p in aif["participants"]} == {"Qi Guowei", "Masuda Masayuki", "Pan Guang", "Li Wei"}
    assert all(p["firstname"] == "" and p["surname"] == p["name"] for p in aif["participants"])
    assert {loc["source"] for loc in aif["locutions"]} == {
        "urn:sco-claims:paper:masuda-2010",
        "urn:sco-claims:paper:pan-2006",
    }


def test_arguebuf_loads_it_with_the_right_nodes_edges_and_schemes(aif, world):
    graph = arguebuf.load.dict(aif)
    assert len(graph.atom_nodes) == 4
    assert len(graph.scheme_nodes) == 3
    assert len(graph.edges) == 6  # I -> S -> I for each link; locutions are dialogue, which arguebuf leaves out
    schemes = {node_id: type(node.scheme) for node_id, node in graph.scheme_nodes.items()}
    assert schemes == {
        str(world.links["l1"].pk): Support,
        str(world.links["l2"].pk): Attack,
        str(world.links["l3"].pk): Rephrase,
    }
    l2 = graph.scheme_nodes[str(world.links["l2"].pk)]
    assert [n.id for n in graph.incoming_nodes(l2)] == [str(world.claims["c2"].pk)]
    assert [n.id for n in graph.outgoing_nodes(l2)] == [str(world.claims["c3"].pk)]
    assert graph.atom_nodes[str(world.claims["c1"].pk)].plain_text == world.claims["c1"].statement


def test_an_i_node_carries_the_stance_on_each_of_its_tags(aif, world):
    node = next(n for n in aif["nodes"] if n["nodeID"] == str(world.claims["c2"].pk))
    assert (node["stance"], node["tags"]) == ("denies", ["alliance", "three-evils"])
    assert node["codings"] == [{"tag": "alliance", "stance": "affirms"}, {"tag": "three-evils", "stance": "denies"}]


def test_readers_get_only_approved_propositions(api, reader, world):
    aif = json.loads(b"".join(api.as_user(reader).get(EXPORT).streaming_content))
    types = Counter(node["type"] for node in aif["nodes"])
    assert types == {"I": 2, "L": 3, "YA": 3, "RA": 1}  # l3 (MA) joins the pending c2; c3: one locution per author
