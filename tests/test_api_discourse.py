"""GET map/, GET compare/ and the network exports: filters, visibility, errors, read-back, query counts."""

import csv
import io
import itertools

import networkx as nx
import pytest
from django.core.management import CommandError, call_command

from annotations.models import Claim, Coding, Link, Status
from tests.discourse_set import LI, MASUDA, PAN, SU, build_argument
from tests.factories import AuthorFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def argument(moderator):
    return build_argument(moderator)


def ids(items):
    return {item["id"] for item in items}


# ---- map/


def test_map_draws_the_approved_claims_and_links_by_default(api, moderator, argument):
    r = api.as_user(moderator).get("/api/v1/map/")
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"nodes", "edges", "counted"}
    assert body["counted"] == ["approved"]
    assert ids(body["nodes"]) == {str(argument["claims"][k].pk) for k in range(1, 10)}
    assert ids(body["edges"]) == {str(argument["links"][k].pk) for k in (1, 2, 3, 4)}
    node = next(n for n in body["nodes"] if n["id"] == str(argument["claims"][4].pk))
    assert node["paper"] == "su-li-2021"
    assert node["authors"] == [SU, LI]
    assert node["tags"] == ["not-an-alliance", "shanghai-spirit"]
    assert node["exact"] == argument["claims"][4].exact
    assert node["speaker"] is None
    edge = next(e for e in body["edges"] if e["id"] == str(argument["links"][1].pk))
    assert (edge["source"], edge["target"], edge["relation"]) == (
        str(argument["claims"][6].pk), str(argument["claims"][1].pk), "conflicts"
    )  # fmt: skip


def test_map_includes_pending_material_only_with_the_switch_and_rejected_never(api, moderator, argument):
    c, links = argument["claims"], argument["links"]
    body = api.as_user(moderator).get("/api/v1/map/?include=pending").json()
    assert body["counted"] == ["approved", "pending"]
    assert ids(body["nodes"]) == {str(c[k].pk) for k in (*range(1, 10), "pending")}
    assert ids(body["edges"]) == {str(links[k].pk) for k in (1, 2, 3, 4, "pending", "to-pending")}
    statuses = {n["id"]: n["status"] for n in body["nodes"]}
    assert statuses[str(c["pending"].pk)] == "pending"
    assert str(c["rejected"].pk) not in statuses
    assert str(links["rejected"].pk) not in ids(body["edges"])


def test_a_reader_sees_only_approved_claims_and_links_between_them(api, reader, argument):
    for url in ("/api/v1/map/", "/api/v1/map/?include=pending"):
        body = api.as_user(reader).get(url).json()
        assert len(body["nodes"]) == 9
        assert str(argument["claims"]["pending"].pk) not in ids(body["nodes"])
        # the pending link, and the approved link to a pending claim, are not drawn
        assert ids(body["edges"]) == {str(argument["links"][k].pk) for k in (1, 2, 3, 4)}


def test_an_analyst_also_sees_their_own_pending_link_with_the_switch(api, argument):
    author = argument["links"]["pending"].created_by
    assert str(argument["links"]["pending"].pk) not in ids(api.as_user(author).get("/api/v1/map/").json()["edges"])
    body = api.get("/api/v1/map/?include=pending").json()
    assert str(argument["links"]["pending"].pk) in ids(body["edges"])
    assert str(argument["claims"]["pending"].pk) not in ids(body["nodes"])  # a moderator's pending claim


def test_map_filters_like_claims(api, moderator, argument):
    api.as_user(moderator)
    body = api.get("/api/v1/map/?paper=masuda-2010").json()
    assert ids(body["nodes"]) == {str(argument["claims"][k].pk) for k in (1, 2, 3)}
    assert body["edges"] == []  # every link has an end outside masuda-2010
    body = api.get("/api/v1/map/?tag=us-competition").json()  # includes its sub-tag anti-us
    assert ids(body["nodes"]) == {str(argument["claims"][k].pk) for k in (3, 5)}
    assert ids(body["edges"]) == {str(argument["links"][3].pk)}
    body = api.get("/api/v1/map/?author=Pan Guang&stance=denies").json()
    assert ids(body["nodes"]) == {str(argument["claims"][6].pk)}
    body = api.get("/api/v1/map/?status=approved").json()
    assert len(body["nodes"]) == 9
    body = api.get("/api/v1/map/?status=pending").json()  # asking for pending alone includes it
    assert ids(body["nodes"]) == {str(argument["claims"]["pending"].pk)}
    assert body["counted"] == ["approved", "pending"]
    body = api.get("/api/v1/map/?relation=conflicts,restates").json()
    assert len(body["nodes"]) == 9
    assert ids(body["edges"]) == {str(argument["links"][k].pk) for k in (1, 3, 4)}
    body = api.get("/api/v1/map/?relation=conflicts,restates&include=pending").json()
    assert len(body["nodes"]) == 10
    assert ids(body["edges"]) == {str(argument["links"][k].pk) for k in (1, 3, 4, "pending")}
    body = api.get("/api/v1/map/?q=qualifies").json()
    assert ids(body["nodes"]) == {str(argument["claims"][7].pk)}


def test_analyses_refuse_to_count_rejected_material_and_unknown_inclusions(api, moderator, argument):
    api.as_user(moderator)
    for url in ("/api/v1/map/", "/api/v1/compare/", "/api/v1/export/network/conflict.csv"):
        r = api.get(f"{url}?status=rejected")
        assert r.status_code == 400
        assert r.json() == {
            "status": [
                "Analyses never count rejected material; list it with claims/?status=rejected. "
                "They count approved claims and links, and pending ones with include=pending."
            ]
        }
        r = api.get(f"{url}?include=rejected")
        assert r.status_code == 400
        assert r.json() == {"include": ['Unknown "rejected": the one thing analyses can include is pending.']}
    # the claims list still shows a moderator what was rejected
    listed = api.get("/api/v1/claims/?status=rejected").json()["results"]
    assert [claim["id"] for claim in listed] == [str(argument["claims"]["rejected"].pk)]


def test_map_errors_name_what_is_unknown(api, reader, argument):
    api.as_user(reader)
    r = api.get("/api/v1/map/?relation=refutes")
    assert r.status_code == 400
    assert r.json() == {"relation": ['Unknown relation "refutes": use supports, conflicts, restates.']}
    r = api.get("/api/v1/map/?tag=nope")
    assert r.status_code == 400
    assert r.json() == {"tag": ['Unknown tag "nope".']}
    r = api.get("/api/v1/map/?paper=nope")
    assert r.status_code == 400
    assert "nope" in r.json()["paper"][0]
    r = api.get("/api/v1/map/?stance=doubts")
    assert r.status_code == 400
    assert "stance" in r.json()


def test_map_compare_and_exports_need_a_login(api, argument):
    for url in ("/api/v1/map/", "/api/v1/compare/", "/api/v1/export/network/conflict.csv"):
        r = api.get(url)
        assert r.status_code in (401, 403)
        assert r.json()["detail"]


def test_map_and_compare_are_read_only(api, moderator, argument):
    r = api.as_user(moderator).post("/api/v1/map/", {}, format="json")
    assert r.status_code == 405
    assert api.post("/api/v1/compare/", {}, format="json").status_code == 405


# ---- compare/


def column(body, tag, key):
    keys = [c["key"] for c in body["columns"]]
    row = next(r for r in body["rows"] if r["tag"] == tag)
    return row["cells"][keys.index(key)]


def pairs(items):
    """Each pair as ({a, b}, (link ids..., 'stance:tag,tag')): which claim is a is the claims' order, by paper."""
    return {
        (
            frozenset(item["claims"]),
            tuple(r["link"] if r["kind"] == "link" else "stance:" + ",".join(r["tags"]) for r in item["reasons"]),
        )
        for item in items
    }


def test_compare_by_author(api, reader, argument):
    c, links = argument["claims"], argument["links"]
    r = api.as_user(reader).get("/api/v1/compare/")
    assert r.status_code == 200
    body = r.json()
    assert body["by"] == "author"
    assert body["counted"] == ["approved"]
    assert body["counting"].startswith("Each author of a paper, for the claims the paper makes in its own voice")
    assert [col["key"] for col in body["columns"]] == [LI, MASUDA, PAN, SU]
    assert [(col["claims"], col["reports"]) for col in body["columns"]] == [(2, 0), (2, 1), (2, 1), (2, 0)]
    # codebook order: parents before their children
    assert [row["tag"] for row in body["rows"]] == ["not-an-alliance", "shanghai-spirit", "us-competition", "anti-us"]
    na_pan = column(body, "not-an-alliance", PAN)
    assert (na_pan["affirms"], na_pan["denies"], na_pan["qualifies"], na_pan["balance"]) == (0, 1, 0, -1)
    assert (na_pan["claims"], na_pan["reports"], na_pan["reported"]) == ([str(c[6].pk)], 1, [str(c[8].pk)])
    # the headline row: Masuda's own claim, and the Qi Guowei he quotes, apart
    na_masuda = column(body, "not-an-alliance", MASUDA)
    assert (na_masuda["claims"], na_masuda["reported"], na_masuda["balance"]) == ([str(c[1].pk)], [str(c[2].pk)], 1)
    assert column(body, "us-competition", MASUDA)["total"] == 0  # a claim counts under its own tags only
    assert {row["tag"]: row["contested"] for row in body["rows"]} == {
        "not-an-alliance": True, "shanghai-spirit": False, "us-competition": False, "anti-us": True,
    }  # fmt: skip
    assert body["excluded"] == 1
    # disagreements: pairs, once each, with every reason
    assert body["disagreements_total"] == 3
    assert pairs(body["disagreements"]) == {
        (frozenset({str(c[1].pk), str(c[6].pk)}), (str(links[1].pk), "stance:not-an-alliance")),
        (frozenset({str(c[3].pk), str(c[5].pk)}), (str(links[3].pk), "stance:anti-us")),
        (frozenset({str(c[4].pk), str(c[6].pk)}), ("stance:not-an-alliance",)),
    }
    assert body["agreements_total"] == 1
    assert body["agreements"] == [
        {
            "claims": [str(c[1].pk), str(c[4].pk)],
            "reasons": [
                {"kind": "link", "relation": "supports", "link": str(links[2].pk), "source": str(c[4].pk),
                 "status": "approved"},
                {"kind": "stance", "tags": ["not-an-alliance"], "stances": {"not-an-alliance": ["affirms", "affirms"]}},
            ],
            "pending": False,
        }
    ]  # fmt: skip
    quote = body["claims"][str(c[6].pk)]
    assert (quote["exact"], quote["paper"], quote["actors"], quote["stance"], quote["reported"]) == (
        c[6].exact, "pan-2006", [PAN], "denies", False
    )  # fmt: skip
    assert body["claims"][str(c[4].pk)]["stances"] == {"not-an-alliance": "affirms", "shanghai-spirit": "affirms"}
    quoted = body["claims"][str(c[2].pk)]
    assert (quoted["speaker"], quoted["actors"], quoted["reported"]) == ("Qi Guowei", [MASUDA], True)
    assert str(c[9].pk) not in body["claims"]  # untagged, in no pair


def test_compare_by_speaker_and_by_paper(api, moderator, argument):
    api.as_user(moderator)
    body = api.get("/api/v1/compare/?by=speaker&status=approved").json()
    assert [col["key"] for col in body["columns"]] == [LI, MASUDA, PAN, "Qi Guowei", SU]
    assert column(body, "not-an-alliance", SU)["affirms"] == 2
    assert (body["disagreements_total"], body["agreements_total"]) == (6, 5)
    body = api.get("/api/v1/compare/?by=paper").json()
    assert [col["key"] for col in body["columns"]] == ["masuda-2010", "pan-2006", "su-li-2021"]
    pan = column(body, "not-an-alliance", "pan-2006")
    assert (pan["affirms"], pan["denies"], pan["reports"], pan["pending"]) == (0, 1, 1, 0)


def test_compare_by_country_is_one_click_chinese_against_japanese(api, reader, argument):
    c, links = argument["claims"], argument["links"]
    body = api.as_user(reader).get("/api/v1/compare/?by=country").json()
    assert [(col["key"], col["claims"], col["reports"]) for col in body["columns"]] == [
        ("China", 4, 1),
        ("Japan", 2, 1),
    ]
    china = column(body, "not-an-alliance", "China")
    assert (china["affirms"], china["denies"], china["reports"]) == (1, 1, 1)
    assert body["disagreements_total"] == 2
    assert pairs(body["disagreements"]) == {
        (frozenset({str(c[1].pk), str(c[6].pk)}), (str(links[1].pk), "stance:not-an-alliance")),
        (frozenset({str(c[3].pk), str(c[5].pk)}), (str(links[3].pk), "stance:anti-us")),
    }
    assert body["counting"].startswith("The countries of a paper's authors")


def test_compare_by_byline_puts_a_co_authored_paper_in_one_column(api, reader, argument):
    body = api.as_user(reader).get("/api/v1/compare/?by=byline").json()
    assert [col["key"] for col in body["columns"]] == [MASUDA, PAN, "Su Hao & Li Xin"]
    su_li = column(body, "not-an-alliance", "Su Hao & Li Xin")
    assert (su_li["affirms"], su_li["claims"]) == (1, [str(argument["claims"][4].pk)])
    body = api.get("/api/v1/compare/?by=decade").json()
    assert [col["key"] for col in body["columns"]] == ["2000s", "2010s", "2020s"]
    body = api.get("/api/v1/compare/?by=affiliation").json()
    assert [col["key"] for col in body["columns"]] == [
        "Fudan University", "Shanghai Academy of Social Sciences", "University of Shizuoka"
    ]  # fmt: skip


def test_rejected_material_never_counts_even_for_a_moderator(api, moderator, argument):
    """The rejected link c7 conflicts c3 and the rejected claim (Pan denies anti-us) would each add a
    disagreement between Masuda and Pan; neither is there, with or without the pending switch."""
    c, links = argument["claims"], argument["links"]
    api.as_user(moderator)
    for url in ("/api/v1/compare/", "/api/v1/compare/?include=pending"):
        body = api.get(url).json()
        assert pairs(body["disagreements"]) == {
            (frozenset({str(c[1].pk), str(c[6].pk)}), (str(links[1].pk), "stance:not-an-alliance")),
            (frozenset({str(c[3].pk), str(c[5].pk)}), (str(links[3].pk), "stance:anti-us")),
            (frozenset({str(c[4].pk), str(c[6].pk)}), ("stance:not-an-alliance",)),
        }
        assert body["disagreements_total"] == 3
        assert column(body, "anti-us", PAN)["total"] == 0
        assert str(c["rejected"].pk) not in body["claims"]
        g = graphml(api, url.replace("compare/", "export/network/conflict.graphml"))
        assert (g.edges[MASUDA, PAN]["weight"], g.edges[MASUDA, PAN]["conflict_links"]) == (2, 1)
        assert g.edges[MASUDA, PAN]["tags"] == "not-an-alliance"


def test_pending_material_counts_only_with_the_switch_and_is_marked(api, moderator, argument):
    c, links = argument["claims"], argument["links"]
    api.as_user(moderator)
    body = api.get("/api/v1/compare/").json()
    pan = column(body, "not-an-alliance", PAN)
    assert (pan["affirms"], pan["denies"], pan["reports"], pan["pending"]) == (0, 1, 1, 0)
    assert body["agreements_total"] == 1
    body = api.get("/api/v1/compare/?include=pending").json()
    assert body["counted"] == ["approved", "pending"]
    pan = column(body, "not-an-alliance", PAN)
    assert (pan["affirms"], pan["denies"], pan["reports"], pan["pending"]) == (1, 1, 1, 1)
    assert body["claims"][str(c["pending"].pk)]["status"] == "pending"
    assert body["agreements_total"] == 4
    assert pairs(body["agreements"]) == {
        (frozenset({str(c[1].pk), str(c[4].pk)}), (str(links[2].pk), "stance:not-an-alliance")),
        (frozenset({str(c[1].pk), str(c["pending"].pk)}), (str(links["to-pending"].pk), "stance:not-an-alliance")),
        (frozenset({str(c[4].pk), str(c[7].pk)}), (str(links["pending"].pk),)),
        (frozenset({str(c[4].pk), str(c["pending"].pk)}), ("stance:not-an-alliance",)),
    }
    flagged = {frozenset(item["claims"]): item["pending"] for item in body["agreements"]}
    assert flagged[frozenset({str(c[1].pk), str(c[4].pk)})] is False
    assert flagged[frozenset({str(c[4].pk), str(c[7].pk)})] is True  # through the pending restates link
    assert flagged[frozenset({str(c[1].pk), str(c["pending"].pk)})] is True
    assert body["disagreements_total"] == 3  # the pending claim is Pan's, like the denial it would oppose
    # and in the congruence network: Pan joins Masuda, Su and Li on not-an-alliance only with the switch
    assert graphml(api, "/api/v1/export/network/congruence.graphml").degree(PAN) == 0
    g = graphml(api, "/api/v1/export/network/congruence.graphml?include=pending")
    assert sorted(g.neighbors(PAN)) == [LI, MASUDA, SU]
    assert g.edges[MASUDA, PAN]["tags"] == "not-an-alliance:affirms"
    assert "Counts approved and pending claims and links" in g.graph["description"]


def test_compare_takes_the_claim_filters(api, reader, argument):
    body = api.as_user(reader).get("/api/v1/compare/?paper=masuda-2010,pan-2006").json()
    assert [col["key"] for col in body["columns"]] == [MASUDA, PAN]
    assert body["disagreements_total"] == 1  # c1 and c6: the link and the opposite stances, one pair


def test_compare_errors(api, reader, argument):
    api.as_user(reader)
    r = api.get("/api/v1/compare/?by=nationality")
    assert r.status_code == 400
    assert r.json() == {
        "by": [
            'Unknown column kind "nationality": use author, byline, country, affiliation, paper, year, decade, speaker.'
        ]
    }
    r = api.get("/api/v1/compare/?limit=lots")
    assert r.status_code == 400
    assert "limit" in r.json()
    r = api.get("/api/v1/compare/?tag=nope")
    assert r.json() == {"tag": ['Unknown tag "nope".']}


def test_compare_limit_caps_the_lists_not_the_totals(api, reader, argument):
    body = api.as_user(reader).get("/api/v1/compare/?limit=1&by=speaker").json()
    assert (len(body["disagreements"]), body["disagreements_total"]) == (1, 6)
    assert (len(body["agreements"]), body["agreements_total"]) == (1, 5)


# ---- network exports


def graphml(api, url):
    r = api.get(url)
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("application/graphml+xml")
    return nx.read_graphml(io.BytesIO(r.content))


def csv_graph(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    graph = nx.Graph()
    for row in rows:
        graph.add_edge(row["Source"], row["Target"], weight=int(row["Weight"]), **row)
    return graph


def test_conflict_network_graphml_reads_back(api, reader, argument):
    g = graphml(api.as_user(reader), "/api/v1/export/network/conflict.graphml")
    assert set(g.nodes) == {LI, MASUDA, PAN, SU}
    weights = {frozenset(edge): data["weight"] for *edge, data in g.edges(data=True)}
    assert weights == {
        frozenset({LI, MASUDA}): 2, frozenset({LI, PAN}): 1, frozenset({MASUDA, PAN}): 2,
        frozenset({MASUDA, SU}): 2, frozenset({PAN, SU}): 1,
    }  # fmt: skip
    assert isinstance(g.edges[MASUDA, PAN]["weight"], int)
    assert g.edges[MASUDA, PAN]["conflict_links"] == 1
    assert g.graph["kind"] == "conflict"


def test_congruence_network_graphml_keeps_isolated_actors(api, reader, argument):
    g = graphml(api.as_user(reader), "/api/v1/export/network/congruence.graphml")
    assert set(g.nodes) == {LI, MASUDA, PAN, SU}
    assert g.degree(PAN) == 0
    assert g.edges[LI, SU]["weight"] == 3
    assert g.edges[LI, SU]["claim_pairs"] == 3
    assert g.number_of_edges() == 3


def test_author_tag_network_graphml_is_two_mode(api, reader, argument):
    g = graphml(api.as_user(reader), "/api/v1/export/network/author-tag.graphml?by=speaker")
    actors = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    tags = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert actors == {f"actor:{name}" for name in (LI, MASUDA, PAN, "Qi Guowei", SU)}
    assert tags == {f"tag:{slug}" for slug in ("anti-us", "not-an-alliance", "shanghai-spirit", "us-competition")}
    assert nx.is_bipartite(g)
    su_na = g.edges[f"actor:{SU}", "tag:not-an-alliance"]
    assert (su_na["weight"], su_na["affirms"], su_na["stance"]) == (2, 2, "affirms")
    assert g.number_of_edges() == 11


def test_network_csv_edge_lists_read_back(api, reader, argument):
    r = api.as_user(reader).get("/api/v1/export/network/conflict.csv")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert 'filename="sco-claims-conflict-by-author.csv"' in r["Content-Disposition"]
    g = csv_graph(r.content.decode())
    assert {frozenset(e): d["weight"] for *e, d in g.edges(data=True)}[frozenset({MASUDA, PAN})] == 2
    assert g.number_of_edges() == 5
    r = api.get("/api/v1/export/network/author-tag.csv")
    g = csv_graph(r.content.decode())
    assert g.edges[PAN, "not-an-alliance"]["stance"] == "denies"
    assert g.edges[PAN, "not-an-alliance"]["Type"] == "Undirected"
    assert g.number_of_edges() == 10


def test_network_exports_take_the_new_groupings(api, reader, argument):
    g = graphml(api.as_user(reader), "/api/v1/export/network/conflict.graphml?by=country")
    assert set(g.nodes) == {"China", "Japan"}
    edge = g.edges["China", "Japan"]
    assert (edge["weight"], edge["opposed_tags"], edge["conflict_links"]) == (4, 2, 2)
    assert g.nodes["China"]["reports"] == 1  # Pan quoting Su Hao: shown on the node, tying nobody
    r = api.get("/api/v1/export/network/congruence.csv?by=byline")
    assert 'filename="sco-claims-congruence-by-byline.csv"' in r["Content-Disposition"]
    g = csv_graph(r.content.decode())
    assert set(g.edges) == {(MASUDA, "Su Hao & Li Xin")}


def test_network_exports_take_the_claim_filters(api, reader, argument):
    g = graphml(api.as_user(reader), "/api/v1/export/network/conflict.graphml?paper=masuda-2010,pan-2006")
    assert set(g.nodes) == {MASUDA, PAN}
    assert g.edges[MASUDA, PAN]["weight"] == 2


def test_network_export_errors(api, reader, argument):
    api.as_user(reader)
    r = api.get("/api/v1/export/network/affinity.graphml")
    assert r.status_code == 404
    assert r.json() == {"detail": 'Unknown network "affinity": use author-tag, congruence, conflict.'}
    r = api.get("/api/v1/export/network/conflict.xlsx")
    assert r.status_code == 404
    assert r.json() == {"detail": 'Unknown format "xlsx": use graphml or csv.'}
    r = api.get("/api/v1/export/network/conflict.csv?by=nationality")
    assert r.status_code == 400
    assert "by" in r.json()


def test_export_network_command(tmp_path, argument):
    out = tmp_path / "conflict.graphml"
    call_command("export_network", "--kind", "conflict", "-o", str(out), "--status", "approved", stderr=io.StringIO())
    g = nx.read_graphml(out)
    assert set(g.nodes) == {LI, MASUDA, PAN, SU}
    assert g.edges[LI, MASUDA]["weight"] == 2
    text = io.StringIO()
    call_command("export_network", "--kind", "congruence", "--format", "csv", "--by", "paper", stdout=text)
    g = csv_graph(text.getvalue())
    # pan-2006 only reports (c8) an affirmation of not-an-alliance: no tie, so not in the edge list
    assert set(g.nodes) == {"masuda-2010", "su-li-2021"}
    with pytest.raises(CommandError, match="nope"):
        call_command("export_network", "--kind", "conflict", "--tag", "nope", stdout=io.StringIO())


def test_export_network_command_counts_approved_material_and_pending_only_when_asked(tmp_path, argument):
    out = tmp_path / "congruence.graphml"
    call_command("export_network", "--kind", "congruence", "-o", str(out), stderr=io.StringIO())
    assert nx.read_graphml(out).degree(PAN) == 0
    call_command("export_network", "--kind", "congruence", "--include", "pending", "-o", str(out), stderr=io.StringIO())
    assert sorted(nx.read_graphml(out).neighbors(PAN)) == [LI, MASUDA, SU]
    call_command("export_network", "--kind", "conflict", "--include", "pending", "-o", str(out), stderr=io.StringIO())
    conflict = nx.read_graphml(out)
    assert conflict.edges[MASUDA, PAN]["conflict_links"] == 1  # never the rejected link
    assert conflict.edges[MASUDA, PAN]["tags"] == "not-an-alliance"  # nor the rejected claim on anti-us
    with pytest.raises(CommandError, match="never count rejected"):
        call_command("export_network", "--kind", "conflict", "--status", "rejected", stdout=io.StringIO())


# ---- query counts


def grow(paper, other, user, tags, n):
    """n approved claims split over two papers, tagged, each linked to the next."""
    claims = [
        Claim(paper=p, start=i % 40, end=i % 40 + 10, exact=p.text[i % 40 : i % 40 + 10], statement=f"s{i}",
              stance=("affirms", "denies", "qualifies")[i % 3], created_by=user, status=Status.APPROVED)
        for i, p in zip(range(n), itertools.cycle([paper, other]), strict=False)
    ]  # fmt: skip
    Claim.objects.bulk_create(claims)
    Coding.objects.bulk_create(
        [Coding(claim_id=c.pk, tag_id=tags[i % len(tags)].pk, stance=c.stance) for i, c in enumerate(claims)]
    )
    Link.objects.bulk_create(
        Link(source=a, target=b, relation=("supports", "conflicts")[i % 2], created_by=user, status=Status.APPROVED)
        for i, (a, b) in enumerate(itertools.pairwise(claims))
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/map/",
        "/api/v1/map/?tag=a&relation=conflicts&status=approved",
        "/api/v1/compare/",
        "/api/v1/compare/?by=speaker&paper=p1",
        "/api/v1/export/network/conflict.graphml",
        "/api/v1/export/network/author-tag.csv?by=paper",
    ],
)
@pytest.mark.parametrize("role_fixture", ["reader", "analyst", "moderator"])
def test_queries_do_not_grow_with_the_number_of_claims(
    request, api, url, role_fixture, django_assert_num_queries, django_assert_max_num_queries
):
    user = request.getfixturevalue(role_fixture)
    api.as_user(user)
    papers = [PaperFactory(slug="p1", authors=[AuthorFactory(), AuthorFactory()]), PaperFactory(slug="p2")]
    tags = [TagFactory(slug="a"), TagFactory(slug="b")]
    grow(*papers, user, tags, 6)
    with django_assert_max_num_queries(20) as small:
        assert api.get(url).status_code == 200
    grow(*papers, user, tags, 300)
    with django_assert_num_queries(len(small.captured_queries)):
        r = api.get(url)
    assert r.status_code == 200
    if url.startswith("/api/v1/map/?tag"):
        assert len(r.json()["nodes"]) == 153


def test_the_query_counts_of_map_and_compare(api, moderator, django_assert_num_queries):
    """Token and user (1), permissions (1), then: map = claims, their papers' page ranges, tags, bylines, links;
    compare adds the codebook."""
    papers = [PaperFactory(slug="p1"), PaperFactory(slug="p2")]
    grow(*papers, moderator, [TagFactory(slug="a")], 20)
    api.as_user(moderator)
    for url, queries in {"/api/v1/map/": 7, "/api/v1/compare/": 8, "/api/v1/export/network/conflict.csv": 8}.items():
        with django_assert_num_queries(queries):
            assert api.get(url).status_code == 200


@pytest.mark.parametrize("kind", ["author-tag", "congruence", "conflict"])
@pytest.mark.parametrize("fmt", ["graphml", "csv"])
def test_export_claims_network_writes_what_export_network_writes(argument, kind, fmt):
    def run(command, *args) -> str:
        out = io.StringIO()
        call_command(command, *args, "--format", fmt, "--status", "approved", stdout=out)
        return out.getvalue()

    folded = run("export_claims", "--network", kind)
    assert folded == run("export_network", "--kind", kind)
    g = nx.read_graphml(io.BytesIO(folded.encode())) if fmt == "graphml" else csv_graph(folded)
    assert g.number_of_nodes() > 0


def test_export_claims_network_defaults_to_graphml_by_author_and_takes_by(argument, tmp_path):
    out = tmp_path / "conflict.graphml"
    call_command("export_claims", "--network", "conflict", "--status", "approved", "-o", str(out), stderr=io.StringIO())
    g = nx.read_graphml(out)
    assert set(g.nodes) == {LI, MASUDA, PAN, SU}
    assert g.edges[LI, MASUDA]["weight"] == 2
    text = io.StringIO()
    call_command("export_claims", "--network", "congruence", "--format", "csv", "--by", "paper", stdout=text)
    assert set(csv_graph(text.getvalue()).nodes) == {"masuda-2010", "su-li-2021"}


def test_export_claims_network_errors(argument):
    with pytest.raises(CommandError, match='written as csv or graphml, not "native"'):
        call_command("export_claims", "--network", "conflict", "--format", "native", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--include-deleted does not apply"):
        call_command("export_claims", "--network", "conflict", "--include-deleted", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--by goes with --network"):
        call_command("export_claims", "--by", "paper", stdout=io.StringIO())
    with pytest.raises(CommandError, match="nope"):
        call_command("export_claims", "--network", "conflict", "--tag", "nope", stdout=io.StringIO())


def test_the_openapi_schema_states_what_the_analyses_count(api, reader):
    schema = api.as_user(reader).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/map/", "/api/v1/compare/", "/api/v1/export/network/{kind}.{fmt}"):
        operation = schema["paths"][path]["get"]
        assert "Counts approved claims and links by default" in operation["description"]
        include = next(p for p in operation["parameters"] if p["name"] == "include")
        assert [value for value in include["schema"]["enum"] if value] == ["pending"]  # blank: approved only
        assert include["description"].startswith("Analyses count **approved** claims and links by default.")
    by = next(p for p in schema["paths"]["/api/v1/compare/"]["get"]["parameters"] if p["name"] == "by")
    assert sorted(value for value in by["schema"]["enum"] if value) == sorted(
        ["author", "byline", "country", "affiliation", "paper", "year", "decade", "speaker"]
    )
    comparison = schema["paths"]["/api/v1/compare/"]["get"]["responses"]["200"]["content"]["application/json"]
    pair = schema["components"]["schemas"]["ClaimPairOut"]
    assert set(pair["properties"]) == {"claims", "reasons", "pending"}
    assert comparison["schema"]["$ref"] == "#/components/schemas/Comparison"
