"""GraphML (read back with networkx) and CSV (read back with csv) exports of claims and links."""

import csv
import io

import networkx
import pytest

from annotations.exports import networks
from tests.exchange_world import build_world


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


def content(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_graphml_reads_back_with_claims_as_nodes_and_links_as_edges(api, moderator, world):
    r = api.as_user(moderator).get("/api/v1/export/graph.graphml")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/graphml+xml")
    graph = networkx.read_graphml(io.BytesIO(content(r).encode("utf-8")))
    assert graph.is_directed()
    assert set(graph.nodes) == {str(world.claims[n].pk) for n in ("c1", "c2", "c3", "c4")}
    assert graph.number_of_edges() == 3
    c1, c2, c3 = (str(world.claims[n].pk) for n in ("c1", "c2", "c3"))
    assert graph.edges[c2, c3]["relation"] == "conflicts"
    assert graph.edges[c2, c1]["relation"] == "restates"
    node = graph.nodes[c2]
    assert node["paper"] == "masuda-2010"
    assert node["authors"] == "Masuda Masayuki"
    assert node["tags"] == "alliance;three-evils"
    assert node["stance"] == "denies"
    assert node["exact"] == world.claims["c2"].exact
    assert node["start"] == world.claims["c2"].start


def test_graphml_filters_like_claims(api, moderator, world):
    r = api.as_user(moderator).get("/api/v1/export/graph.graphml?paper=pan-2006")
    graph = networkx.read_graphml(io.BytesIO(content(r).encode("utf-8")))
    assert set(graph.nodes) == {str(world.claims["c3"].pk), str(world.claims["c4"].pk)}
    assert graph.number_of_edges() == 0


def test_graphml_writer_drops_characters_xml_cannot_carry():
    text = "".join(
        networks.graphml(
            keys=[networks.Key("label", "node")],
            nodes=[networks.Node("a", {"label": "form\x0cfeed & <tag>"})],
            edges=[],
        )
    )
    graph = networkx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert graph.nodes["a"]["label"] == "formfeed & <tag>"


def test_csv_has_one_row_per_claim_with_the_contract_columns(api, moderator, world):
    r = api.as_user(moderator).get("/api/v1/export/claims.csv")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert 'filename="sco-claims.csv"' in r["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(content(r))))
    assert list(rows[0]) == networks.CSV_COLUMNS
    assert len(rows) == 4
    by_id = {row["id"]: row for row in rows}
    c2 = by_id[str(world.claims["c2"].pk)]
    assert c2["tags"] == "alliance;three-evils"
    assert c2["codings"] == "alliance:affirms;three-evils:denies"  # c2 denies, but affirms alliance
    assert (c2["start"], c2["end"]) == (str(world.claims["c2"].start), str(world.claims["c2"].end))
    assert c2["exact"] == world.claims["c2"].exact
    assert c2["created_by"] == "ana"
    assert by_id[str(world.claims["c1"].pk)]["speaker"] == "Qi Guowei"
    assert by_id[str(world.claims["c3"].pk)]["authors"] == "Pan Guang; Li Wei"


def test_csv_for_readers_holds_only_approved_claims(api, reader, world):
    rows = list(csv.DictReader(io.StringIO(content(api.as_user(reader).get("/api/v1/export/claims.csv")))))
    assert {row["status"] for row in rows} == {"approved"}
    assert len(rows) == 2


def test_exports_need_a_signed_in_user(api, world):
    for url in ("claims.json", "w3c.jsonld", "aif.json", "graph.graphml", "claims.csv"):
        assert api.get(f"/api/v1/export/{url}").status_code == 401
