"""Agreement measures on published worked examples, the cases where a measure is not defined, unit matching, link
agreement and the report's shape (annotations.agreement; pure, no database)."""

import json

import pytest

from annotations import agreement
from annotations.agreement import (
    CodedClaim,
    CodedLink,
    alpha_u_1995,
    cohen_kappa,
    cu_alpha,
    fleiss_kappa,
    gwet_ac1,
    link_alpha,
    match_units,
    nominal_alpha,
    pairwise,
    report,
    unitizing_alpha,
)

# --- Published worked examples ------------------------------------------------------------------------------------


def test_nominal_alpha_reproduces_krippendorffs_example_with_missing_values():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability", sec. C (nominal data, 4 observers,
    12 units, missing values): alpha = 0.743."""
    rows = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    units = {u: {coder: rows[coder][u] for coder in rows} for u in range(12)}
    result = nominal_alpha(units)
    assert result.value == pytest.approx(0.743, abs=0.0005)
    assert result.units == 11  # the last unit has one value only: not pairable
    assert result.warning == ""


def test_cohen_kappa_of_the_textbook_two_by_two_table():
    """20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5, kappa = 0.4 (the example in Cohen's
    kappa's Wikipedia article)."""
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    units = {i: {"a": x, "b": y} for i, (x, y) in enumerate(pairs)}
    assert cohen_kappa(units).value == pytest.approx(0.4)
    assert cohen_kappa(units).units == 50


def test_fleiss_kappa_reproduces_the_fleiss_1971_style_example():
    """Ten subjects, fourteen raters, five categories (the worked example of Fleiss' kappa's Wikipedia article):
    kappa = 0.210."""
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    units = {}
    for subject, counts in enumerate(table):
        ratings = [category for category, n in enumerate(counts) for _ in range(n)]
        units[subject] = dict(enumerate(ratings))
    result = fleiss_kappa(units)
    assert result.value == pytest.approx(0.210, abs=0.0005)
    assert result.units == 10


def test_gwet_ac1_two_raters_by_gwets_formula():
    """Gwet (2008), "Computing inter-rater reliability and its variance in the presence of high agreement",
    BJMSP 61: for two raters and two categories AC1 = (p_a - p_e) / (1 - p_e) with p_e = 2 pi (1 - pi), pi the
    mean share of the first category. 40 units: 30 +/+, 5 +/-, 2 -/+, 3 -/-."""
    pairs = [("+", "+")] * 30 + [("+", "-")] * 5 + [("-", "+")] * 2 + [("-", "-")] * 3
    units = {i: {"a": x, "b": y} for i, (x, y) in enumerate(pairs)}
    p_a = 33 / 40
    pi = (35 / 40 + 32 / 40) / 2
    p_e = 2 * pi * (1 - pi)
    assert gwet_ac1(units).value == pytest.approx((p_a - p_e) / (1 - p_e))


# Krippendorff (2004), Content Analysis, 2nd ed., p. 254 (sec. 11.6): two observers on the continuum [150, 450),
# categories c and k; as DKPro Statistics' Krippendorff2004Test (Apache-2.0) reads it. Shifted to start at 0.
KRIPPENDORFF_2004 = {
    "i": [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")],
    "j": [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")],
}


def krippendorff_2004():
    return {coder: [(s - 150, e - 150, c) for s, e, c in spans] for coder, spans in KRIPPENDORFF_2004.items()}


def test_alpha_u_reproduces_krippendorff_2004_p254():
    """Krippendorff (2004), Content Analysis, 2nd ed., p. 254: category c D_o = .0144, D_e = .0532,
    alpha_U = .7286; category k D_o = 0, D_e = .0490, alpha_U = 1; both together .8591."""
    c = alpha_u_1995(krippendorff_2004(), 300, "c")
    k = alpha_u_1995(krippendorff_2004(), 300, "k")
    assert c.observed_disagreement == pytest.approx(0.0144, abs=0.0001)
    assert c.expected_disagreement == pytest.approx(0.0532, abs=0.0001)
    assert c.value == pytest.approx(0.7286, abs=0.0001)
    assert k.observed_disagreement == 0
    assert k.expected_disagreement == pytest.approx(0.0490, abs=0.0001)
    assert k.value == pytest.approx(1.0)
    together = 1 - (c.observed_disagreement + k.observed_disagreement) / (
        c.expected_disagreement + k.expected_disagreement
    )
    assert together == pytest.approx(0.8591, abs=0.0005)


def krippendorff_1995(stretch: int):
    """Krippendorff (1995), "On the reliability of unitizing contiguous data", Sociological Methodology 25, p. 57:
    four pairs of observers (A: Bertha/Bill, B: John/Jill, C: Gerret/Gill, D: Heather/Hill) on a continuum of 24,
    as (begin, length, observer, pair); `stretch` refines the grid towards the continuous case the paper computes."""
    units = [
        (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
        (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"), (5, 1, 1, "B"),
        (6, 3, 1, "B"), (9, 1, 1, "B"),
        (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"), (4, 4, 1, "C"),
        (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
        (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"), (0, 4, 1, "D"),
        (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
    ]  # fmt: skip
    segments = {0: [], 1: []}
    for begin, length, observer, pair in units:
        segments[observer].append((begin * stretch, (begin + length) * stretch, pair))
    return segments, 24 * stretch


@pytest.mark.parametrize(
    ("pair", "observed", "expected", "alpha"),
    [("A", 0.03125, 0.06990, 0.553), ("B", 2.26736, 1.17731, -0.926), ("C", 0.02777, 0.08642, 0.679),
     ("D", 0.38715, 0.41445, 0.066)],
)  # fmt: skip
def test_alpha_u_reproduces_krippendorff_1995_p57(pair, observed, expected, alpha):
    """Krippendorff (1995), p. 57: the observed disagreements exactly; the expected ones and alpha_U within the
    tolerance DKPro Statistics allows (its Krippendorff1995Test notes a small error in the paper's D_e)."""
    segments, length = krippendorff_1995(1)
    assert alpha_u_1995(segments, length, pair).observed_disagreement == pytest.approx(observed, abs=0.00001)
    segments, length = krippendorff_1995(50_000)
    result = alpha_u_1995(segments, length, pair)
    assert result.expected_disagreement == pytest.approx(expected, abs=0.005)
    assert result.value == pytest.approx(alpha, abs=0.02)


def test_unitizing_alpha_on_the_2004_example_is_between_the_two_categories_figures():
    """The 2016 |u-alpha on the same data: c alone disagrees a little, k not at all; `units` counts the units."""
    c = unitizing_alpha(krippendorff_2004(), 300, "c")
    k = unitizing_alpha(krippendorff_2004(), 300, "k")
    assert 0 < c.value < 1
    assert c.units == 5
    assert k.value == pytest.approx(1.0)
    assert cu_alpha(krippendorff_2004(), 300).value < 1  # c and k overlap differently for the two observers


# --- Not defined, and warnings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", [nominal_alpha, cohen_kappa, fleiss_kappa, gwet_ac1])
def test_one_category_only_is_not_defined(measure):
    units = {i: {"a": "affirms", "b": "affirms"} for i in range(20)}
    result = measure(units)
    assert result.value is None
    assert "one category" in result.reason


@pytest.mark.parametrize("measure", [nominal_alpha, cohen_kappa, fleiss_kappa, gwet_ac1])
def test_fewer_than_two_coders_is_not_defined(measure):
    result = measure({i: {"a": v} for i, v in enumerate(["affirms", "denies"] * 10)})
    assert result.value is None
    assert result.reason


def test_cohen_kappa_refuses_three_coders():
    units = {i: {"a": i % 2, "b": i % 2, "c": 0} for i in range(20)}
    assert cohen_kappa(units).value is None
    assert "exactly two" in cohen_kappa(units).reason
    assert cohen_kappa(units, coders=("a", "b")).value == pytest.approx(1.0)


def test_fleiss_kappa_uses_complete_units_and_says_how_many_it_dropped():
    units = {i: {"a": i % 2, "b": i % 2, "c": i % 2} for i in range(12)}
    units[99] = {"a": 0, "b": 1}
    result = fleiss_kappa(units)
    assert result.units == 12
    assert result.extra["dropped"] == 1
    assert result.value == pytest.approx(1.0)


def test_few_units_warn_and_say_how_many():
    units = {i: {"a": i % 2, "b": i % 2} for i in range(4)}
    result = nominal_alpha(units)
    assert result.value == pytest.approx(1.0)
    assert result.units == 4
    assert "4 units" in result.warning
    assert nominal_alpha({i: {"a": i % 2, "b": i % 2} for i in range(40)}).warning == ""


@pytest.mark.parametrize("measure", [unitizing_alpha, cu_alpha])
def test_unitizing_with_nothing_marked_or_one_coder_is_not_defined(measure):
    assert measure({"a": [], "b": []}, 100).value is None
    assert measure({"a": [(0, 10, "x")]}, 100).value is None


def test_unitizing_with_everything_marked_is_not_defined():
    result = unitizing_alpha({"a": [(0, 100, "x")], "b": [(0, 100, "x")]}, 100)
    assert result.value is None
    assert "no gap" in result.reason


def test_cu_alpha_with_one_value_only_is_not_defined():
    result = cu_alpha({"a": [(0, 50, "x")], "b": [(10, 60, "x")]}, 100)
    assert result.value is None
    assert "one value" in result.reason


def test_overlapping_segments_of_one_coder_count_as_their_union():
    overlapping = {"a": [(10, 30, "x"), (20, 40, "x"), (60, 70, "x")], "b": [(12, 40, "x"), (61, 70, "x")]}
    merged = {"a": [(10, 40, "x"), (60, 70, "x")], "b": [(12, 40, "x"), (61, 70, "x")]}
    assert unitizing_alpha(overlapping, 100).value == pytest.approx(unitizing_alpha(merged, 100).value)


def test_a_coder_who_marked_nothing_pulls_unitizing_agreement_down():
    two = {"a": [(10, 30, "x"), (50, 80, "x")], "b": [(10, 30, "x"), (50, 80, "x")]}
    assert unitizing_alpha(two, 100).value == pytest.approx(1.0)
    assert unitizing_alpha({**two, "c": []}, 100).value < 0.7


# --- Units, links, pairwise ---------------------------------------------------------------------------------------


def claim(id, coder, start, end, paper="p", **codings):
    return CodedClaim(id, coder, paper, start, end, codings)


def test_claims_overlapping_by_half_or_more_are_one_unit_one_claim_per_coder():
    claims = [
        claim("a1", "a", 0, 100),
        claim("b1", "b", 10, 100),  # Jaccard 0.9 with a1
        claim("b2", "b", 0, 90),  # Jaccard 0.9 with a1 too, but b already has a claim in the unit
        claim("c1", "c", 60, 200),  # Jaccard 40/200 with a1: too little
    ]
    units = match_units(claims)
    as_ids = [sorted(c.id for c in unit.values()) for unit in units]
    assert ["a1", "b2"] in as_ids or ["a1", "b1"] in as_ids
    assert ["c1"] in as_ids
    assert sum(len(unit) for unit in units) == 4
    assert all(len({c.coder for c in unit.values()}) == len(unit) for unit in units)


def test_matching_does_not_chain_claims_that_do_not_match_each_other():
    claims = [claim("a", "a", 0, 100), claim("b", "b", 30, 130), claim("c", "c", 60, 160)]
    # a~b and b~c reach 0.5 (70/130 = 0.54) but a~c does not (40/160): a unit never holds both a and c.
    for unit in match_units(claims):
        assert not {"a", "c"} <= {c.id for c in unit.values()}


def test_matching_does_not_depend_on_input_order():
    claims = [
        claim("a1", "a", 0, 100),
        claim("b1", "b", 5, 100),
        claim("b2", "b", 0, 95),
        claim("c1", "c", 2, 98),
        claim("a2", "a", 300, 400),
        claim("c2", "c", 310, 400),
    ]

    def ids(units):
        return sorted(sorted(c.id for c in unit.values()) for unit in units)

    assert ids(match_units(claims)) == ids(match_units(list(reversed(claims))))


def test_link_values_normalize_direction_only_for_symmetric_relations():
    unit_of = {"a1": (0, 0), "a2": (1, 0), "b1": (0, 0), "b2": (1, 0)}
    placed = {"a": {(0, 0), (1, 0)}, "b": {(0, 0), (1, 0)}}
    same = [CodedLink("a", "a1", "a2", "restates"), CodedLink("b", "b2", "b1", "restates")]
    values = agreement._link_values(same, unit_of, placed)
    assert values == {((0, 0), (1, 0)): {"a": "restates", "b": "restates"}}
    reversed_support = [CodedLink("a", "a1", "a2", "supports"), CodedLink("b", "b2", "b1", "supports")]
    values = agreement._link_values(reversed_support, unit_of, placed)
    assert values == {((0, 0), (1, 0)): {"a": "supports", "b": "supported by"}}


def test_link_agreement_counts_pairs_someone_linked_and_coders_who_placed_both_claims():
    # Units 0..11 on two papers; both coders placed every claim; coder b also placed unit 99 alone.
    unit_of = {f"{coder}{i}": (i % 2, i) for coder in "ab" for i in range(12)}
    unit_of["b99"] = (1, 99)
    placed = {"a": {(i % 2, i) for i in range(12)}, "b": {(i % 2, i) for i in range(12)} | {(1, 99)}}
    links = []
    for i in range(0, 10, 2):
        links.append(CodedLink("a", f"a{i}", f"a{i + 1}", "supports"))
        links.append(CodedLink("b", f"b{i}", f"b{i + 1}", "supports" if i else "conflicts"))
    links.append(CodedLink("a", "a10", "a11", "conflicts"))  # b saw no link here: "none"
    links.append(CodedLink("b", "b0", "b99", "supports"))  # a never placed unit 99: not pairable
    values = agreement._link_values(links, unit_of, placed)
    assert values[(0, 10), (1, 11)] == {"a": "conflicts", "b": "none"}
    assert values[(0, 0), (1, 99)] == {"b": "supports"}
    result = link_alpha(links, unit_of, placed)
    assert result.units == 6  # five pairs both linked + the pair only a linked; the pair a never placed drops
    assert result.value < 1


def test_pairwise_matrix_has_values_above_and_units_below_the_diagonal():
    units = {i: {"a": i % 2, "b": i % 2, "c": (i // 2) % 2} for i in range(20)}
    units[20] = {"a": 0, "b": 0}
    result = pairwise(units)
    assert result["coders"] == ["a", "b", "c"]
    matrix = result["matrix"]
    assert matrix[0][1] == pytest.approx(1.0)
    assert matrix[1][0] == 21
    assert matrix[2][0] == 20
    assert matrix[0][0] is None
    assert matrix[0][2] < 0.5


# --- The report -------------------------------------------------------------------------------------------------


def small_study():
    claims = []
    links = []
    for coder in ("ann", "bob"):
        for paper, n in (("p1", 12), ("p2", 12)):
            for i in range(n):
                start = i * 100 + (3 if coder == "bob" else 0)
                stance = "denies" if (coder == "bob" and i == 0) else "affirms"
                tag = "trade" if i % 3 else "security"
                claims.append(CodedClaim(f"{coder}-{paper}-{i}", coder, paper, start, start + 60, {tag: stance}))
        for i in range(6):
            links.append(CodedLink(coder, f"{coder}-p1-{i}", f"{coder}-p2-{i}", "supports"))
    claims.append(CodedClaim("ann-extra", "ann", "p1", 1250, 1290, {"trade": "affirms"}))
    links.append(CodedLink("bob", "bob-p1-7", "bob-p2-7", "conflicts"))
    return claims, links, {"p1": 1300, "p2": 1300}


def test_report_has_every_figure_with_its_units_and_is_json():
    claims, links, lengths = small_study()
    result = report(claims, links, lengths=lengths)
    json.dumps(result)
    assert result["coders"] == ["ann", "bob"]
    assert result["units"] == {"matched": 24, "unmatched": 1, "by_all": 24}
    for key in (
        "unitizing_alpha",
        "cu_alpha",
        "tag_alpha",
        "tag_kappa",
        "tag_ac1",
        "stance_alpha",
        "stance_kappa",
        "stance_ac1",
        "link_alpha",
    ):
        figure = result[key]
        assert set(figure) >= {"measure", "value", "units", "reason", "warning"}, key
    assert result["tag_alpha"]["value"] == pytest.approx(1.0)
    assert result["tag_alpha"]["units"] == 24
    assert result["stance_kappa"]["measure"] == "Cohen's kappa"
    assert result["stance_alpha"]["value"] < 1
    assert 0 < result["unitizing_alpha"]["value"] < 1
    assert set(result["per_tag"]) == {"trade", "security"}
    assert result["link_alpha"]["units"] == 7
    assert [p["paper"] for p in result["per_paper"]] == ["p1", "p2"]
    assert result["per_paper"][0]["units"] == 12
    assert [m["coders"] for m in result["pairwise"]] == [["ann", "bob"], ["ann", "bob"]]


def test_report_lists_each_kind_of_disagreement():
    claims, links, lengths = small_study()
    result = report(claims, links, lengths=lengths)
    kinds = {item["kind"] for item in result["disagreements"]}
    assert kinds == {"unmatched", "stance", "link"}
    unmatched = next(i for i in result["disagreements"] if i["kind"] == "unmatched")
    assert unmatched == {
        "kind": "unmatched",
        "paper": "p1",
        "start": 1250,
        "end": 1290,
        "claims": {"ann": "ann-extra"},
        "missing": ["bob"],
    }
    stance = next(i for i in result["disagreements"] if i["kind"] == "stance")
    assert stance["values"] == {"ann": "affirms", "bob": "denies"}
    assert result["disagreements_total"] == len(result["disagreements"])
    assert len(report(claims, links, lengths=lengths, listed=1)["disagreements"]) == 1


def test_report_counts_a_listed_coder_without_claims_as_marking_nothing():
    claims, links, lengths = small_study()
    with_carol = report(claims, links, lengths=lengths, coders=["ann", "bob", "carol"])
    assert with_carol["coders"] == ["ann", "bob", "carol"]
    without = report(claims, links, lengths=lengths)
    assert with_carol["unitizing_alpha"]["value"] < without["unitizing_alpha"]["value"]
    # Tags and stances rest on matched claims: a coder who placed none adds no value to them.
    assert with_carol["tag_alpha"] == without["tag_alpha"]
    assert with_carol["stance_kappa"]["measure"] == "Cohen's kappa"


def test_report_with_one_coder_says_not_defined_everywhere():
    claims, links, lengths = small_study()
    result = report([c for c in claims if c.coder == "ann"], links, lengths=lengths)
    for key in ("unitizing_alpha", "tag_alpha", "stance_alpha", "stance_kappa", "link_alpha"):
        assert result[key]["value"] is None, key
        assert result[key]["reason"], key


def test_report_pools_papers_as_one_continuum_laid_end_to_end():
    claims, links, lengths = small_study()
    result = report(claims, links, lengths=lengths)
    offset = {"p1": 0, "p2": lengths["p1"]}
    laid = {"ann": [], "bob": []}
    for c in claims:
        for tag in c.codings:
            laid[c.coder].append((c.start + offset[c.paper], c.end + offset[c.paper], tag))
    total = sum(lengths.values())
    assert result["cu_alpha"]["value"] == round(cu_alpha(laid, total).value, 4)
    assert result["unitizing_alpha"]["value"] == round(unitizing_alpha(laid, total).value, 4)
    assert result["cu_alpha"]["units"] == sum(p["cu_alpha"]["units"] for p in result["per_paper"])


def test_a_paper_nobody_coded_has_its_own_figures_not_the_others():
    claims, links, lengths = small_study()
    result = report(claims, links, lengths={**lengths, "p3": 500})
    empty = result["per_paper"][2]
    assert empty["paper"] == "p3"
    assert empty["claims"] == 0
    for key in ("unitizing_alpha", "cu_alpha", "tag_alpha", "stance_alpha"):
        assert empty[key]["value"] is None, key
        assert empty[key]["units"] == 0, key
