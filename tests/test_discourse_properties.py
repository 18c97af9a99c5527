"""Properties of the discourse computations on random sets, checked against brute force (hypothesis)."""

import io
from itertools import combinations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import discourse
from annotations.discourse import ClaimRow, LinkRow, TagRow
from annotations.exports import discourse as presenters
from tests.examples import examples

TAGS = [TagRow("a"), TagRow("b"), TagRow("c")]
# Paper -> its authors, their countries and affiliations, and its year.
PAPERS = {
    "p1": (("Ann",), ("China",), ("Fudan",), 2010),
    "p2": (("Bo", "Cy"), ("Japan", "China"), ("Keio", "Fudan"), 2011),
    "p3": (("Cy",), ("China",), ("",), None),
    "p4": (("Dee", "Ann"), ("", "china"), ("Keio", "Fudan"), 2003),
    "p5": ((), (), (), 2021),
}


@st.composite
def argument(draw):
    n = draw(st.integers(0, 14))
    claims = []
    for i in range(n):
        paper = draw(st.sampled_from(sorted(PAPERS)))
        authors, countries, affiliations, year = PAPERS[paper]
        tags = tuple(draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3)))
        # Some tags carry a stance of their own (the per-tag coding), the others the claim's.
        codings = draw(st.dictionaries(st.sampled_from(tags), st.sampled_from(discourse.STANCES))) if tags else {}
        claims.append(
            ClaimRow(
                id=f"c{i}",
                paper=paper,
                authors=authors,
                countries=countries,
                affiliations=affiliations,
                year=year,
                speaker=draw(st.sampled_from(["", "", "Eve", "ann", "Bo "])),
                stance=draw(st.sampled_from(discourse.STANCES)),
                tags=tags,
                status=draw(st.sampled_from(["approved", "approved", "pending"])),
                codings=codings or None,
            )
        )
    links = []
    if n >= 2:
        for j in range(draw(st.integers(0, 8))):
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            relation = draw(st.sampled_from(["supports", "conflicts", "restates"]))
            links.append(LinkRow(f"L{j}", f"c{a}", f"c{b}", relation, draw(st.sampled_from(["approved", "pending"]))))
    by = draw(st.sampled_from(discourse.BY))
    return claims, links, by


@settings(max_examples=examples(150), deadline=None)
@given(argument())
def test_every_tagged_claim_is_in_a_cell_its_own_or_reported(case):
    claims, _, by = case
    attributed = discourse.attribution(claims, by)
    matrix = discourse.stance_matrix(claims, TAGS, by)
    cells = [cell for row in matrix["rows"] for cell in row["cells"]]
    own = sum(len(attributed[c.id].actors) * len(c.tags) for c in claims if not attributed[c.id].reported)
    reported = sum(len(attributed[c.id].actors) * len(c.tags) for c in claims if attributed[c.id].reported)
    assert sum(cell["total"] for cell in cells) == own
    assert sum(cell["reports"] for cell in cells) == reported
    for cell in cells:
        assert cell["total"] == cell["affirms"] + cell["denies"] + cell["qualifies"] == len(cell["claims"])
        assert cell["reports"] == len(cell["reported"])
        assert len(set(cell["claims"] + cell["reported"])) == len(cell["claims"]) + len(cell["reported"])
        by_id = {c.id: c for c in claims}
        assert cell["pending"] == sum(by_id[i].status == "pending" for i in cell["claims"] + cell["reported"])
    assert matrix["excluded"] == sum(1 for c in claims if not c.tags)
    # no row is empty that has claims
    for row in matrix["rows"]:
        assert (row["total"] + row["reports"] > 0) == any(row["tag"] in c.tags for c in claims)
    assert {stance: sum(cell[stance] for cell in cells) for stance in discourse.STANCES} == {
        stance: sum(
            len(attributed[c.id].actors)
            for c in claims
            if not attributed[c.id].reported
            for t in c.tags
            if discourse.stance_on(c, t) == stance
        )
        for stance in discourse.STANCES
    }


def brute_pairs(claims, links, by, relations, match):
    """Every pair of own claims with no actor in common, with its reasons, by looking at every pair."""
    attributed = discourse.attribution(claims, by)
    own = [c for c in claims if not attributed[c.id].reported]
    expected = {}
    for a, b in combinations(own, 2):
        if set(attributed[a.id].actors) & set(attributed[b.id].actors):
            continue
        joining = sorted(
            link.id for link in links if link.relation in relations and {link.source, link.target} == {a.id, b.id}
        )
        tags = [
            t.slug
            for t in TAGS
            if t.slug in a.tags
            and t.slug in b.tags
            and match(discourse.stance_on(a, t.slug), discourse.stance_on(b, t.slug))
        ]
        if joining or tags:
            expected[(a.id, b.id)] = (tuple(joining), tuple(tags))
    return expected


def listed(items):
    result = {}
    for item in items:
        links = tuple(sorted(r["link"] for r in item["reasons"] if r["kind"] == "link"))
        tags = tuple(t for r in item["reasons"] if r["kind"] == "stance" for t in r["tags"])
        assert tuple(item["claims"]) not in result, "a pair listed twice"
        result[tuple(item["claims"])] = (links, tags)
    return result


@settings(max_examples=examples(300), deadline=None)
@given(argument())
def test_disagreements_and_agreements_match_brute_force(case):
    claims, links, by = case
    for compute, relations, match in (
        (discourse.disagreements, discourse.DISAGREEING, discourse.opposed),
        (discourse.agreements, discourse.AGREEING, discourse.same),
    ):
        expected = brute_pairs(claims, links, by, relations, match)
        items, total = compute(claims, links, TAGS, by, limit=10_000)
        assert total == len(expected)
        assert listed(items) == expected
        by_id = {c.id: c for c in claims}
        for item in items:
            a, b = item["claims"]
            statuses = [by_id[a].status, by_id[b].status] + [
                r["status"] for r in item["reasons"] if r["kind"] == "link"
            ]
            assert item["pending"] == ("pending" in statuses)
            for reason in item["reasons"]:
                if reason["kind"] == "stance":
                    assert reason["stances"] == {
                        t: [discourse.stance_on(by_id[a], t), discourse.stance_on(by_id[b], t)] for t in reason["tags"]
                    }
        items, total = compute(claims, links, TAGS, by, limit=3)
        assert (len(items), total) == (min(3, len(expected)), len(expected))
        assert set(listed(items).items()) <= set(expected.items())


def held(claims, by):
    attributed = discourse.attribution(claims, by)
    result = {}
    for c in claims:
        if attributed[c.id].reported:
            continue
        for actor in attributed[c.id].actors:
            for tag in c.tags:
                result.setdefault(actor, set()).add((tag, discourse.stance_on(c, tag)))
    return result


@settings(max_examples=examples(150), deadline=None)
@given(argument())
def test_congruence_and_conflict_weights_match_brute_force(case):
    claims, links, by = case
    positions = held(claims, by)
    congruence = {
        frozenset((e["source"], e["target"])): e for e in discourse.congruence_network(claims, TAGS, by).edges
    }
    conflict = {
        frozenset((e["source"], e["target"])): e for e in discourse.conflict_network(claims, links, TAGS, by).edges
    }
    actors = discourse.actors_of(claims, by)  # own claims only: a report has none
    for i, j in combinations(sorted(positions), 2):
        shared = len(positions[i] & positions[j])
        assert congruence.get(frozenset((i, j)), {"weight": 0})["weight"] == shared
        opposed = {
            tag for tag in "abc"
            if ((tag, "affirms") in positions[i] and (tag, "denies") in positions[j])
            or ((tag, "denies") in positions[i] and (tag, "affirms") in positions[j])
        }  # fmt: skip
        conflict_links = sum(
            1 for link in links if link.relation == "conflicts"
            for a in actors[link.source] for b in actors[link.target] if {a, b} == {i, j}
        )  # fmt: skip
        edge = conflict.get(frozenset((i, j)), {"opposed_tags": 0, "conflict_links": 0, "weight": 0})
        assert (edge["opposed_tags"], edge["conflict_links"]) == (len(opposed), conflict_links)
        assert edge["weight"] == len(opposed) + conflict_links


@settings(max_examples=60, deadline=None)
@given(argument(), st.sampled_from(discourse.NETWORKS))
def test_graphml_reads_back_the_same_graph(case, kind):
    claims, links, by = case
    network = discourse.network(kind, claims, links, TAGS, by)
    graph = nx.read_graphml(io.BytesIO(presenters.network_graphml(network)))
    assert set(graph.nodes) == {node["id"] for node in network.nodes}
    assert {frozenset((s, t)): d["weight"] for s, t, d in graph.edges(data=True)} == {
        frozenset((e["source"], e["target"])): e["weight"] for e in network.edges
    }
