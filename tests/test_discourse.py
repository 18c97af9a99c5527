"""The stance matrix, disagreements and the discourse networks, computed on a small hand-made set.

The set (tags in codebook order anti-us, not-an-alliance, shanghai-spirit):

    c1 masuda-2010  Masuda (own)      affirms not-an-alliance
    c2 masuda-2010  speaker Qi Guowei affirms not-an-alliance
    c3 masuda-2010  Masuda (own)      affirms anti-us
    c4 su-li-2021   Su & Li           affirms not-an-alliance, shanghai-spirit
    c5 su-li-2021   Su & Li           denies  anti-us
    c6 pan-2006     Pan (own)         denies  not-an-alliance
    c7 pan-2006     Pan (own)         qualifies shanghai-spirit
    c8 pan-2006     speaker "su  hao" affirms not-an-alliance   (the author Su Hao, spelt loosely)
    c9 su-li-2021   Su & Li           (no tag)

    L1 c6 conflicts c1, L2 c4 supports c1, L3 c5 conflicts c3, L4 c4 conflicts c2
"""

import pytest

from annotations import discourse
from annotations.discourse import ClaimRow, LinkRow, TagRow

MASUDA, SU, LI, PAN = "Masayuki Masuda", "Su Hao", "Li Xin", "Pan Guang"
TAGS = [TagRow("anti-us", "Anti-US"), TagRow("not-an-alliance", "Not an alliance"), TagRow("shanghai-spirit", "SS")]


def row(id, paper, stance, tags, speaker=""):
    authors = {"masuda-2010": (MASUDA,), "su-li-2021": (SU, LI), "pan-2006": (PAN,)}[paper]
    return ClaimRow(id=id, paper=paper, authors=authors, speaker=speaker, stance=stance, tags=tuple(tags))


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


def test_actors_by_author_skip_quoted_speakers():
    actors = discourse.actors_of(CLAIMS, "author")
    assert actors["c1"] == (MASUDA,)
    assert actors["c4"] == (SU, LI)
    assert actors["c2"] == ()
    assert actors["c8"] == ()


def test_actors_by_speaker_take_the_speaker_and_match_authors_loosely():
    actors = discourse.actors_of(CLAIMS, "speaker")
    assert actors["c2"] == ("Qi Guowei",)
    assert actors["c8"] == (SU,)
    assert actors["c4"] == (SU, LI)


def test_unknown_by_is_refused():
    with pytest.raises(ValueError, match="by must be one of"):
        discourse.actors_of(CLAIMS, "country")


def test_matrix_by_author():
    m = discourse.stance_matrix(CLAIMS, TAGS, "author")
    assert [c["key"] for c in m["columns"]] == [LI, MASUDA, PAN, SU]
    assert [c["claims"] for c in m["columns"]] == [2, 2, 2, 2]
    assert [r["tag"] for r in m["rows"]] == ["anti-us", "not-an-alliance", "shanghai-spirit"]
    assert counts(cell(m, "not-an-alliance", MASUDA)) == (1, 0, 0)
    assert cell(m, "not-an-alliance", MASUDA)["claims"] == ["c1"]
    assert counts(cell(m, "not-an-alliance", PAN)) == (0, 1, 0)
    assert cell(m, "not-an-alliance", PAN)["balance"] == -1
    assert counts(cell(m, "anti-us", SU)) == (0, 1, 0)
    assert counts(cell(m, "shanghai-spirit", PAN)) == (0, 0, 1)
    assert cell(m, "shanghai-spirit", PAN)["balance"] == 0
    assert cell(m, "anti-us", PAN) == {
        "affirms": 0, "denies": 0, "qualifies": 0, "total": 0, "balance": None, "claims": [],
    }  # fmt: skip
    contested = {r["tag"]: r["contested"] for r in m["rows"]}
    assert contested == {"anti-us": True, "not-an-alliance": True, "shanghai-spirit": False}
    assert m["excluded"] == 3  # c2 and c8 (quoted speakers), c9 (untagged)


def test_matrix_by_speaker_counts_quoted_people():
    m = discourse.stance_matrix(CLAIMS, TAGS, "speaker")
    assert [c["key"] for c in m["columns"]] == [LI, MASUDA, PAN, "Qi Guowei", SU]
    assert counts(cell(m, "not-an-alliance", SU)) == (2, 0, 0)
    assert cell(m, "not-an-alliance", SU)["claims"] == ["c4", "c8"]
    assert counts(cell(m, "not-an-alliance", "Qi Guowei")) == (1, 0, 0)
    assert m["excluded"] == 1


def test_matrix_by_paper():
    m = discourse.stance_matrix(CLAIMS, TAGS, "paper")
    assert [c["key"] for c in m["columns"]] == ["masuda-2010", "pan-2006", "su-li-2021"]
    assert counts(cell(m, "not-an-alliance", "masuda-2010")) == (2, 0, 0)
    pan = cell(m, "not-an-alliance", "pan-2006")
    assert counts(pan) == (1, 1, 0)
    assert pan["balance"] == 0
    assert counts(cell(m, "anti-us", "su-li-2021")) == (0, 1, 0)
    # masuda affirms anti-us and su-li denies it; on not-an-alliance pan-2006 is split and leans nowhere.
    assert {r["tag"]: r["contested"] for r in m["rows"]}["not-an-alliance"] is False


def test_disagreements_by_author():
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "author")
    assert total == 5
    assert [(i["kind"], i["tag"], i["link"], i["a"], i["b"]) for i in items] == [
        ("link", None, "L1", "c6", "c1"),
        ("link", None, "L3", "c5", "c3"),
        ("stance", "anti-us", None, "c3", "c5"),
        ("stance", "not-an-alliance", None, "c1", "c6"),
        ("stance", "not-an-alliance", None, "c4", "c6"),
    ]


def test_disagreements_by_speaker_and_the_limit():
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "speaker")
    assert total == 8  # links L1, L3, L4; anti-us c3/c5; not-an-alliance c1, c2, c4, c8 against c6
    assert len(items) == 8
    items, total = discourse.disagreements(CLAIMS, LINKS, TAGS, "speaker", limit=2)
    assert total == 8
    assert [i["link"] for i in items] == ["L1", "L3"]


def test_claims_by_the_same_actor_do_not_disagree_with_each_other():
    claims = [row("a", "su-li-2021", "affirms", ["anti-us"]), row("b", "su-li-2021", "denies", ["anti-us"])]
    items, total = discourse.disagreements(claims, [LinkRow("L", "a", "b", "conflicts")], TAGS, "author")
    assert (items, total) == ([], 0)
    items, total = discourse.disagreements(claims, [], TAGS, "paper")
    assert total == 0


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


def test_author_tag_network_mixed_stance_by_paper():
    e = edges(discourse.author_tag_network(CLAIMS, TAGS, "paper"))
    pan = e[("actor:pan-2006", "tag:not-an-alliance")]
    assert (pan["weight"], pan["affirms"], pan["denies"], pan["stance"], pan["balance"]) == (2, 1, 1, "mixed", 0)


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
