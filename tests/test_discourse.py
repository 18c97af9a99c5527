"""The stance matrix, agreements and disagreements and the discourse networks, computed on a small hand-made set.

The set (tags in codebook order anti-us, not-an-alliance, shanghai-spirit):

    c1 masuda-2010  Masuda (own)      affirms not-an-alliance
    c2 masuda-2010  speaker Qi Guowei affirms not-an-alliance   (a report: Masuda quotes Qi)
    c3 masuda-2010  Masuda (own)      affirms anti-us
    c4 su-li-2021   Su & Li           affirms not-an-alliance, shanghai-spirit
    c5 su-li-2021   Su & Li           denies  anti-us
    c6 pan-2006     Pan (own)         denies  not-an-alliance
    c7 pan-2006     Pan (own)         qualifies shanghai-spirit
    c8 pan-2006     speaker "su  hao" affirms not-an-alliance   (the author Su Hao, spelt loosely; a report by Pan)
    c9 su-li-2021   Su & Li           (no tag)

    L1 c6 conflicts c1, L2 c4 supports c1, L3 c5 conflicts c3, L4 c4 conflicts c2

Masuda is Japanese (University of Shizuoka); Su and Li (Fudan University) and Pan (SASS) are Chinese.
"""

import pytest

from annotations import discourse
from annotations.discourse import ClaimRow, LinkRow, TagRow

MASUDA, SU, LI, PAN = "Masayuki Masuda", "Su Hao", "Li Xin", "Pan Guang"
SHIZUOKA, FUDAN, SASS = "University of Shizuoka", "Fudan University", "Shanghai Academy of Social Sciences"
TAGS = [TagRow("anti-us", "Anti-US"), TagRow("not-an-alliance", "Not an alliance"), TagRow("shanghai-spirit", "SS")]
PAPERS = {
    "masuda-2010": ((MASUDA,), ("Japan",), (SHIZUOKA,), 2010),
    "su-li-2021": ((SU, LI), ("China", "China"), (FUDAN, FUDAN), 2021),
    "pan-2006": ((PAN,), ("China",), (SASS,), 2006),
}


def row(id, paper, stance, tags, speaker="", **more):
    authors, countries, affiliations, year = PAPERS[paper]
    return ClaimRow(
        id=id, paper=paper, authors=authors, speaker=speaker, stance=stance, tags=tuple(tags), countries=countries,
        affiliations=affiliations, year=year, **more,
    )  # fmt: skip


CLAIMS = [
    row("c1", "masuda-2010", "affirms", ["not-an-alliance"]),
    row("c2", "masuda-2010", "affirms", ["not-an-alliance"], speaker="Qi Guowei"),
    row("c3", "masuda-2010", "affirms", ["anti-us"]),
    row("c4", "su-li-2021", "affirms", ["not-an-alliance", "shanghai-spirit"]),
    row("c5", "su-li-2021", "denies", ["anti-us"]),
    row("c6", "pan-2006", "denies", ["not-an-alliance"]),
    row("c7", "pan-2006", "qualifies", ["shanghai-spirit"]),
    row("c8", "pan-2006", "affirms", ["not-an-alliance"], speaker="su  hao"),
    row("c9", "su-li-2021", "affirms", []),
]
LINKS = [
    LinkRow("L1", "c6", "c1", "conflicts"),
    LinkRow("L2", "c4", "c1", "supports"),
    LinkRow("L3", "c5", "c3", "conflicts"),
    LinkRow("L4", "c4", "c2", "conflicts"),
]


def cell(matrix, tag, column):
    columns = [c["key"] for c in matrix["columns"]]
    row = next(r for r in matrix["rows"] if r["tag"] == tag)
    return row["cells"][columns.index(column)]


def counts(c):
    return (c["affirms"], c["denies"], c["qualifies"])


def held_and_reported(c):
    return (c["affirms"], c["denies"], c["qualifies"], c["reports"])


def test_by_author_a_quoted_speaker_is_a_report_of_the_paper_s_authors():
    attributed = discourse.attribution(CLAIMS, "author")
    assert attributed["c1"] == discourse.Attribution((MASUDA,), reported=False)
    assert attributed["c4"] == discourse.Attribution((SU, LI), reported=False)
    assert attributed["c2"] == discourse.Attribution((MASUDA,), reported=True)
    assert attributed["c8"] == discourse.Attribution((PAN,), reported=True)
    # the actors whose own view a claim is: none for a report
    assert discourse.actors_of(CLAIMS, "author")["c2"] == ()


def test_actors_by_speaker_take_the_speaker_and_match_authors_loosely():
    actors = discourse.actors_of(CLAIMS, "speaker")
    assert actors["c2"] == ("Qi Guowei",)
    assert actors["c8"] == (SU,)
    assert actors["c4"] == (SU, LI)
    assert not any(a.reported for a in discourse.attribution(CLAIMS, "speaker").values())


def test_actors_of_the_other_groupings():
    def of(by, claim_id):
        return discourse.attribution(CLAIMS, by)[claim_id].actors

    assert of("byline", "c4") == ("Su Hao & Li Xin",)
    assert of("country", "c4") == ("China",)  # two Chinese co-authors: China once
    assert of("country", "c1") == ("Japan",)
    assert of("affiliation", "c6") == (SASS,)
    assert of("paper", "c2") == ("masuda-2010",)
    assert of("year", "c6") == ("2006",)
    assert of("decade", "c5") == ("2020s",)
    mixed = ClaimRow("m", "p", ("A", "B"), "", "affirms", (), countries=("China", ""), year=None)
    assert discourse.attribution([mixed], "country")["m"].actors == ("China", "(country unknown)")
    assert discourse.attribution([mixed], "decade")["m"].actors == ("(year unknown)",)
    nobody = ClaimRow("n", "p", (), "", "affirms", ())
    assert discourse.attribution([nobody], "author")["n"].actors == ("(no author)",)


def test_unknown_by_is_refused():
    with pytest.raises(ValueError, match="by must be one of"):
        discourse.attribution(CLAIMS, "nationality")


def test_matrix_by_author_counts_reports_apart():
    m = discourse.stance_matrix(CLAIMS, TAGS, "author")
    assert [c["key"] for c in m["columns"]] == [LI, MASUDA, PAN, SU]
    assert [(c["claims"], c["reports"]) for c in m["columns"]] == [(2, 0), (2, 1), (2, 1), (2, 0)]
    assert [r["tag"] for r in m["rows"]] == ["anti-us", "not-an-alliance", "shanghai-spirit"]
    # the headline row is full: every author who has a claim on it, own or reported, has a cell
    masuda = cell(m, "not-an-alliance", MASUDA)
    assert held_and_reported(masuda) == (1, 0, 0, 1)
    assert (masuda["claims"], masuda["reported"], masuda["balance"]) == (["c1"], ["c2"], 1)
    pan = cell(m, "not-an-alliance", PAN)
    assert held_and_reported(pan) == (0, 1, 0, 1)
    assert (pan["claims"], pan["reported"], pan["balance"]) == (["c6"], ["c8"], -1)  # the report weighs nothing
    assert held_and_reported(cell(m, "not-an-alliance", SU)) == (1, 0, 0, 0)
    assert counts(cell(m, "anti-us", SU)) == (0, 1, 0)
    assert counts(cell(m, "shanghai-spirit", PAN)) == (0, 0, 1)
    assert cell(m, "shanghai-spirit", PAN)["balance"] == 0
    assert cell(m, "anti-us", PAN) == {
        "affirms": 0, "denies": 0, "qualifies": 0, "total": 0, "balance": None, "claims": [], "reports": 0,
        "reported": [], "pending": 0,
    }  # fmt: skip
    row_na = next(r for r in m["rows"] if r["tag"] == "not-an-alliance")
    assert (row_na["total"], row_na["reports"]) == (4, 2)
    contested = {r["tag"]: r["contested"] for r in m["rows"]}
    assert contested == {"anti-us": True, "not-an-alliance": True, "shanghai-spirit": False}
    assert m["excluded"] == 1  # c9, untagged


def test_matrix_by_speaker_counts_quoted_people_as_actors():
    m = discourse.stance_matrix(CLAIMS, TAGS, "speaker")
    assert [c["key"] for c in m["columns"]] == [LI, MASUDA, PAN, "Qi Guowei", SU]
    assert counts(cell(m, "not-an-alliance", SU)) == (2, 0, 0)
    assert cell(m, "not-an-alliance", SU)["claims"] == ["c4", "c8"]
    assert counts(cell(m, "not-an-alliance", "Qi Guowei")) == (1, 0, 0)
    assert sum(c["reports"] for c in m["columns"]) == 0
    assert m["excluded"] == 1


def test_matrix_by_paper():
    m = discourse.stance_matrix(CLAIMS, TAGS, "paper")
    assert [c["key"] for c in m["columns"]] == ["masuda-2010", "pan-2006", "su-li-2021"]
    assert held_and_reported(cell(m, "not-an-alliance", "masuda-2010")) == (1, 0, 0, 1)
    pan = cell(m, "not-an-alliance", "pan-2006")
    assert held_and_reported(pan) == (0, 1, 0, 1)
    assert pan["balance"] == -1
    assert counts(cell(m, "anti-us", "su-li-2021")) == (0, 1, 0)
    assert {r["tag"]: r["contested"] for r in m["rows"]}["not-an-alliance"] is True


def test_matrix_by_country_is_chinese_against_japanese_authors():
    m = discourse.stance_matrix(CLAIMS, TAGS, "country")
    assert [c["key"] for c in m["columns"]] == ["China", "Japan"]
    assert [(c["claims"], c["reports"]) for c in m["columns"]] == [(4, 1), (2, 1)]
    assert held_and_reported(cell(m, "not-an-alliance", "China")) == (1, 1, 0, 1)  # c4, c6; c8 reported
    assert held_and_reported(cell(m, "not-an-alliance", "Japan")) == (1, 0, 0, 1)  # c1; c2 reported
    assert counts(cell(m, "anti-us", "China")) == (0, 1, 0)
    assert counts(cell(m, "anti-us", "Japan")) == (1, 0, 0)
    assert counts(cell(m, "shanghai-spirit", "China")) == (1, 0, 1)
    assert {r["tag"]: r["contested"] for r in m["rows"]}["anti-us"] is True


def test_matrix_by_byline_puts_co_authors_in_one_column():
    m = discourse.stance_matrix(CLAIMS, TAGS, "byline")
    assert [c["key"] for c in m["columns"]] == [MASUDA, PAN, "Su Hao & Li Xin"]
    su_li = cell(m, "not-an-alliance", "Su Hao & Li Xin")
    assert (counts(su_li), su_li["claims"]) == ((1, 0, 0), ["c4"])
    assert [c["claims"] for c in m["columns"]] == [2, 2, 2]


def test_matrix_by_affiliation_year_and_decade():
    m = discourse.stance_matrix(CLAIMS, TAGS, "affiliation")
    assert [c["key"] for c in m["columns"]] == [FUDAN, SASS, SHIZUOKA]
    m = discourse.stance_matrix(CLAIMS, TAGS, "year")
    assert [c["key"] for c in m["columns"]] == ["2006", "2010", "2021"]
    assert counts(cell(m, "not-an-alliance", "2006")) == (0, 1, 0)
    m = discourse.stance_matrix(CLAIMS, TAGS, "decade")
    assert [c["key"] for c in m["columns"]] == ["2000s", "2010s", "2020s"]


def pairs(items):
    """Each pair as (a, b, reasons in short: link ids and 'stance:tag,tag')."""
    return [
        (
            *item["claims"],
            tuple(r["link"] if r["kind"] == "link" else "stance:" + ",".join(r["tags"]) for r in item["reasons"]),
        )
        for item in items
    ]


def test_disagreements_by_author_are_pairs_each_listed_once_with_every_reason():
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "author")
    assert total == 3
    assert pairs(items) == [
        ("c1", "c6", ("L1", "stance:not-an-alliance")),  # a conflicts link AND opposite stances: one pair
        ("c3", "c5", ("L3", "stance:anti-us")),
        ("c4", "c6", ("stance:not-an-alliance",)),
    ]
    assert items[0] == {
        "claims": ["c1", "c6"],
        "reasons": [
            {"kind": "link", "relation": "conflicts", "link": "L1", "source": "c6", "status": "approved"},
            {"kind": "stance", "tags": ["not-an-alliance"], "stances": {"not-an-alliance": ["affirms", "denies"]}},
        ],
        "pending": False,
    }


def test_agreements_by_author():
    items, total = discourse.agreements(CLAIMS, LINKS, TAGS, "author")
    assert total == 1
    assert pairs(items) == [("c1", "c4", ("L2", "stance:not-an-alliance"))]
    assert items[0]["reasons"][1]["stances"] == {"not-an-alliance": ["affirms", "affirms"]}


def test_disagreements_and_agreements_by_speaker_and_the_limit():
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "speaker")
    assert total == 6
    assert pairs(items) == [
        ("c1", "c6", ("L1", "stance:not-an-alliance")),
        ("c3", "c5", ("L3", "stance:anti-us")),
        ("c2", "c4", ("L4",)),  # Su & Li conflict with what Qi says, though both affirm the tag
        ("c2", "c6", ("stance:not-an-alliance",)),
        ("c4", "c6", ("stance:not-an-alliance",)),
        ("c6", "c8", ("stance:not-an-alliance",)),
    ]
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "speaker", limit=2)
    assert (total, [item["claims"] for item in items]) == (6, [["c1", "c6"], ["c3", "c5"]])
    items, total = discourse.agreements(CLAIMS, LINKS, TAGS, "speaker")
    assert total == 5  # c4 and c8 share Su: not a pair
    assert pairs(items) == [
        ("c1", "c4", ("L2", "stance:not-an-alliance")),
        ("c1", "c2", ("stance:not-an-alliance",)),
        ("c1", "c8", ("stance:not-an-alliance",)),
        ("c2", "c4", ("stance:not-an-alliance",)),
        ("c2", "c8", ("stance:not-an-alliance",)),
    ]


def test_disagreements_by_country_are_between_countries():
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "country")
    assert pairs(items) == [("c1", "c6", ("L1", "stance:not-an-alliance")), ("c3", "c5", ("L3", "stance:anti-us"))]
    assert total == 2  # c4 and c6 are both Chinese
    items, total = discourse.agreements(CLAIMS, LINKS, TAGS, "country")
    assert (total, pairs(items)) == (1, [("c1", "c4", ("L2", "stance:not-an-alliance"))])


def test_claims_by_the_same_actor_do_not_disagree_with_each_other():
    claims = [row("a", "su-li-2021", "affirms", ["anti-us"]), row("b", "su-li-2021", "denies", ["anti-us"])]
    items, total = discourse.disagreements(claims, [LinkRow("L", "a", "b", "conflicts")], TAGS, "author")
    assert (items, total) == ([], 0)
    items, total = discourse.disagreements(claims, [], TAGS, "paper")
    assert total == 0


def test_two_links_and_two_tags_between_one_pair_make_one_pair():
    claims = [
        row("a", "masuda-2010", "affirms", ["anti-us", "not-an-alliance"]),
        row("b", "pan-2006", "denies", ["anti-us", "not-an-alliance"]),
    ]
    links = [LinkRow("L1", "a", "b", "conflicts"), LinkRow("L2", "b", "a", "conflicts", status="pending")]
    items, total = discourse.disagreements(claims, links, TAGS, "author")
    assert total == 1
    assert pairs(items) == [("a", "b", ("L1", "L2", "stance:anti-us,not-an-alliance"))]
    assert items[0]["pending"] is True  # through L2


def test_the_stance_on_a_tag_comes_from_its_own_coding_when_it_has_one():
    a = row("a", "masuda-2010", "affirms", ["anti-us", "not-an-alliance"], codings={"anti-us": "denies"})
    b = row("b", "pan-2006", "denies", ["anti-us", "not-an-alliance"], codings={"anti-us": "affirms"})
    assert [discourse.stance_on(a, t) for t in ("anti-us", "not-an-alliance")] == ["denies", "affirms"]
    m = discourse.stance_matrix([a, b], TAGS, "author")
    assert counts(cell(m, "anti-us", MASUDA)) == (0, 1, 0)
    assert counts(cell(m, "not-an-alliance", MASUDA)) == (1, 0, 0)
    items, total = discourse.disagreements([a, b], [], TAGS, "author")
    assert total == 1
    assert items[0]["reasons"] == [
        {
            "kind": "stance",
            "tags": ["anti-us", "not-an-alliance"],
            "stances": {"anti-us": ["denies", "affirms"], "not-an-alliance": ["affirms", "denies"]},
        }
    ]
    assert discourse.agreements([a, b], [], TAGS, "author")[1] == 0
    e = edges(discourse.conflict_network([a, b], [], TAGS, "author"))
    assert e[(MASUDA, PAN)]["opposed_tags"] == 2


def edges(network):
    return {(e["source"], e["target"]): e for e in network.edges}


def test_author_tag_network():
    n = discourse.author_tag_network(CLAIMS, TAGS, "author")
    assert [node["id"] for node in n.nodes] == [
        f"actor:{LI}", f"actor:{MASUDA}", f"actor:{PAN}", f"actor:{SU}",
        "tag:anti-us", "tag:not-an-alliance", "tag:shanghai-spirit",
    ]  # fmt: skip
    e = edges(n)
    assert len(e) == 10
    assert e[(f"actor:{LI}", "tag:anti-us")] == {
        "source": f"actor:{LI}", "target": "tag:anti-us", "weight": 1, "affirms": 0, "denies": 1, "qualifies": 0,
        "stance": "denies", "balance": -1.0,
    }  # fmt: skip
    assert e[(f"actor:{PAN}", "tag:shanghai-spirit")]["stance"] == "qualifies"
    assert (f"actor:{PAN}", "tag:anti-us") not in e


def test_author_tag_network_mixed_stance_by_country():
    e = edges(discourse.author_tag_network(CLAIMS, TAGS, "country"))
    china = e[("actor:China", "tag:not-an-alliance")]
    assert (china["weight"], china["affirms"], china["denies"], china["stance"], china["balance"]) == (
        2, 1, 1, "mixed", 0
    )  # fmt: skip


def test_a_report_ties_nobody_in_the_networks_but_its_actor_is_a_node():
    n = discourse.author_tag_network(CLAIMS, TAGS, "paper")
    pan = edges(n)[("actor:pan-2006", "tag:not-an-alliance")]
    assert (pan["weight"], pan["denies"], pan["stance"]) == (1, 1, "denies")  # c6; c8 is reported
    nodes = {node["id"]: node for node in n.nodes}
    assert (nodes["actor:pan-2006"]["claims"], nodes["actor:pan-2006"]["reports"]) == (2, 1)
    only_quoted = [row("q", "masuda-2010", "affirms", ["anti-us"], speaker="Qi Guowei")]
    n = discourse.conflict_network(only_quoted, [], TAGS, "author")
    assert [(node["id"], node["claims"], node["reports"]) for node in n.nodes] == [(MASUDA, 0, 1)]
    assert n.edges == []


def test_congruence_network_by_author():
    n = discourse.congruence_network(CLAIMS, TAGS, "author")
    assert [node["id"] for node in n.nodes] == [LI, MASUDA, PAN, SU]  # Pan is isolated but kept
    e = edges(n)
    assert set(e) == {(LI, MASUDA), (LI, SU), (MASUDA, SU)}
    assert (e[(LI, SU)]["weight"], e[(LI, SU)]["claim_pairs"]) == (3, 3)
    assert e[(LI, SU)]["tags"] == "anti-us:denies;not-an-alliance:affirms;shanghai-spirit:affirms"
    assert (e[(LI, MASUDA)]["weight"], e[(LI, MASUDA)]["tags"]) == (1, "not-an-alliance:affirms")


def test_congruence_weights_claim_pairs_by_speaker():
    e = edges(discourse.congruence_network(CLAIMS, TAGS, "speaker"))
    # Su holds not-an-alliance:affirms twice (c4, c8), Li once (c4): 1 x 2 pairs there.
    assert (e[(LI, SU)]["weight"], e[(LI, SU)]["claim_pairs"]) == (3, 4)
    assert (e[(MASUDA, "Qi Guowei")]["weight"], e[(MASUDA, "Qi Guowei")]["claim_pairs"]) == (1, 1)


def test_conflict_network_by_author():
    e = edges(discourse.conflict_network(CLAIMS, LINKS, TAGS, "author"))
    assert set(e) == {(LI, MASUDA), (LI, PAN), (MASUDA, PAN), (MASUDA, SU), (PAN, SU)}
    summary = {pair: (t["weight"], t["opposed_tags"], t["conflict_links"], t["tags"]) for pair, t in e.items()}
    assert summary == {
        (LI, MASUDA): (2, 1, 1, "anti-us"),
        (LI, PAN): (1, 1, 0, "not-an-alliance"),
        (MASUDA, PAN): (2, 1, 1, "not-an-alliance"),
        (MASUDA, SU): (2, 1, 1, "anti-us"),
        (PAN, SU): (1, 1, 0, "not-an-alliance"),
    }


def test_conflict_network_by_country():
    e = edges(discourse.conflict_network(CLAIMS, LINKS, TAGS, "country"))
    t = e[("China", "Japan")]
    assert (t["weight"], t["opposed_tags"], t["conflict_links"], t["tags"]) == (4, 2, 2, "anti-us;not-an-alliance")
    assert set(e) == {("China", "Japan")}


def test_conflict_network_by_speaker_counts_the_quoted_link():
    e = edges(discourse.conflict_network(CLAIMS, LINKS, TAGS, "speaker"))
    assert (e[("Qi Guowei", SU)]["conflict_links"], e[("Qi Guowei", SU)]["opposed_tags"]) == (1, 0)
    assert e[("Qi Guowei", SU)]["weight"] == 1
    # Su affirms not-an-alliance twice (c4, c8) against Pan's one denial.
    assert e[(PAN, SU)]["claim_pairs"] == 2


def test_network_dispatch_refuses_unknown_kinds():
    assert discourse.network("conflict", CLAIMS, LINKS, TAGS, "author").kind == "conflict"
    with pytest.raises(ValueError, match="kind must be one of"):
        discourse.network("affinity", CLAIMS, LINKS, TAGS, "author")


def test_a_conflicts_link_between_untagged_claims_ties_actors_that_are_nodes():
    claims = [row("u1", "masuda-2010", "affirms", []), row("u2", "pan-2006", "denies", [])]
    n = discourse.conflict_network(claims, [LinkRow("L", "u1", "u2", "conflicts")], TAGS, "author")
    assert [node["id"] for node in n.nodes] == [MASUDA, PAN]
    assert [(e["source"], e["target"], e["weight"], e["opposed_tags"]) for e in n.edges] == [(MASUDA, PAN, 1, 0)]
