"""Properties of the discourse computations on random sets, checked against brute force (hypothesis)."""

import io
from itertools import combinations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import discourse
from annotations.discourse import ClaimRow, LinkRow, TagRow
from annotations.exports import discourse as presenters

TAGS = [TagRow("a"), TagRow("b"), TagRow("c")]
BYLINES = {"p1": ("Ann",), "p2": ("Bo", "Cy"), "p3": ("Cy",), "p4": ("Dee", "Ann")}


@st.composite
def argument(draw):
    n = draw(st.integers(0, 14))
    claims = [
        ClaimRow(
            id=f"c{i}",
            paper=(paper := draw(st.sampled_from(sorted(BYLINES)))),
            authors=BYLINES[paper],
            speaker=draw(st.sampled_from(["", "", "Eve", "ann", "Bo "])),
            stance=draw(st.sampled_from(discourse.STANCES)),
            tags=tuple(draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3))),
        )
        for i in range(n)
    ]
    links = []
    if n >= 2:
        for j in range(draw(st.integers(0, 8))):
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            links.append(
                LinkRow(f"L{j}", f"c{a}", f"c{b}", draw(st.sampled_from(["supports", "conflicts", "restates"])))
            )
    by = draw(st.sampled_from(discourse.BY))
    return claims, links, by


@settings(max_examples=150, deadline=None)
@given(argument())
def test_matrix_cells_add_up_to_claims_times_actors_times_tags(case):
    claims, _, by = case
    actors = discourse.actors_of(claims, by)
    matrix = discourse.stance_matrix(claims, TAGS, by)
    cells = [cell for row in matrix["rows"] for cell in row["cells"]]
    assert sum(cell["total"] for cell in cells) == sum(len(actors[c.id]) * len(c.tags) for c in claims)
    for cell in cells:
        assert cell["total"] == cell["affirms"] + cell["denies"] + cell["qualifies"] == len(cell["claims"])
        assert len(set(cell["claims"])) == len(cell["claims"])
    assert matrix["excluded"] == sum(1 for c in claims if not actors[c.id] or not c.tags)


@settings(max_examples=150, deadline=None)
@given(argument())
def test_disagreements_match_brute_force(case):
    claims, links, by = case
    actors = {k: set(v) for k, v in discourse.actors_of(claims, by).items()}
    expected = sum(
        1 for link in links
        if link.relation == "conflicts" and actors[link.source] and actors[link.target]
        and not actors[link.source] & actors[link.target]
    )  # fmt: skip
    expected += sum(
        1 for tag in TAGS for a in claims for b in claims
        if tag.slug in a.tags and tag.slug in b.tags and a.stance == "affirms" and b.stance == "denies"
        and actors[a.id] and actors[b.id] and not actors[a.id] & actors[b.id]
    )  # fmt: skip
    items, total = discourse.disagreements(claims, links, TAGS, by)
    assert total == expected == len(items)
    items, total = discourse.disagreements(claims, links, TAGS, by, limit=3)
    assert (len(items), total) == (min(3, expected), expected)


def held(claims, by):
    actors = discourse.actors_of(claims, by)
    result = {}
    for c in claims:
        for actor in actors[c.id]:
            for tag in c.tags:
                result.setdefault(actor, set()).add((tag, c.stance))
    return result


@settings(max_examples=150, deadline=None)
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
    actors = discourse.actors_of(claims, by)
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
