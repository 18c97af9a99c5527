"""Properties of per-tag stances (hypothesis): the edit rules of annotations.codings, and the discourse
computations reading the stance on each tag."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import codings, discourse
from annotations.discourse import ClaimRow, TagRow
from annotations.errors import ValidationError
from tests.examples import examples

STANCES = discourse.STANCES
SLUGS = ["a", "b", "c", "d"]
stances = st.sampled_from(STANCES)
current_codings = st.dictionaries(st.sampled_from(SLUGS), stances)
given_tags = st.lists(st.tuples(st.sampled_from(SLUGS), st.none() | stances), unique_by=lambda pair: pair[0])


@given(current=current_codings, old=stances, new=stances, given_=st.none() | given_tags)
def test_resolve_keeps_exactly_the_tags_given_and_their_explicit_stances(current, old, new, given_):
    result = codings.resolve(current=current, old_stance=old, new_stance=new, given=given_)
    if given_ is None:
        assert set(result) == set(current)
    else:
        assert set(result) == {tag for tag, _ in given_}
        for tag, stance in given_:
            if stance is not None:
                assert result[tag] == stance
    assert set(result.values()) <= set(STANCES)


@given(current=current_codings, old=stances, new=stances, given_=st.none() | given_tags)
def test_a_tag_without_a_stance_follows_the_claim_unless_it_was_set_apart(current, old, new, given_):
    result = codings.resolve(current=current, old_stance=old, new_stance=new, given=given_)
    unstated = set(current) if given_ is None else {tag for tag, stance in given_ if stance is None}
    for tag in unstated:
        if tag not in current or current[tag] == old:
            assert result[tag] == new  # new, or following the claim's stance
        else:
            assert result[tag] == current[tag]  # set apart: kept


@given(slugs=st.lists(st.sampled_from(SLUGS), unique=True), old=stances, new=stances)
def test_a_client_that_knows_only_the_claims_stance_gets_what_it_always_got(slugs, old, new):
    """All tags held the claim's stance; the stance changes and slugs are sent: every tag takes the new one."""
    result = codings.resolve(
        current=dict.fromkeys(slugs, old), old_stance=old, new_stance=new, given=[(s, None) for s in slugs]
    )
    assert result == dict.fromkeys(slugs, new)


@given(given_=st.lists(st.tuples(st.sampled_from([*SLUGS, "x"]), st.none() | st.sampled_from([*STANCES, "doubts"]))))
def test_the_one_check_of_tags_given_keeps_them_all_or_names_every_problem(given_):
    """codings.checked, which the API, the services and the admin call: known tags once each, with a stance a
    claim can take, come back as given (found by `find`); otherwise one message per refused item, nothing kept."""
    known = {slug: f"tag {slug}" for slug in SLUGS}
    bad_stances = [pair for pair in given_ if pair[1] == "doubts"]
    fine = [pair for pair in given_ if pair[1] != "doubts"]
    repeats = len(fine) - len({slug for slug, _ in fine})
    unknown = {slug for slug, _ in fine} - set(known)
    if not (bad_stances or repeats or unknown):
        assert codings.checked(given_, lambda slugs: {s: known[s] for s in slugs}) == [
            (known[slug], stance) for slug, stance in given_
        ]
        return
    with pytest.raises(ValidationError) as refused:
        codings.checked(given_, lambda slugs: {s: known[s] for s in slugs if s in known})
    assert len(refused.value.messages) == len(bad_stances) + repeats + len(unknown)
    assert sum('"doubts"' in message for message in refused.value.messages) == len(bad_stances)


@given(st.dictionaries(st.from_regex(r"[a-z][a-z-]{0,6}", fullmatch=True), stances))
def test_pairs_read_back(mapping):
    assert dict(pair.split(":") for pair in codings.pairs(mapping)) == mapping


# ---- discourse: a claim with several tags counts on each tag with its stance there, as would one claim
# per tag with that stance.

TAGS = [TagRow(slug) for slug in SLUGS]
BYLINES = {"p1": ("Ann",), "p2": ("Bo", "Cy"), "p3": ("Cy",)}


@st.composite
def coded_claims(draw):
    claims = []
    for i in range(draw(st.integers(0, 10))):
        paper = draw(st.sampled_from(sorted(BYLINES)))
        coded = draw(st.dictionaries(st.sampled_from(SLUGS), stances, max_size=4))
        claims.append(
            ClaimRow(
                id=f"c{i}",
                paper=paper,
                authors=BYLINES[paper],
                speaker=draw(st.sampled_from(["", "", "Eve"])),
                stance=draw(stances),
                tags=tuple(sorted(coded)),
                codings=coded,
            )
        )
    return claims, draw(st.sampled_from(discourse.BY))


def split(claims: list[ClaimRow]) -> list[ClaimRow]:
    """One claim per coding, with the coding's stance as its own."""
    return [
        replace(claim, id=f"{claim.id}-{slug}", stance=stance, tags=(slug,), codings=None)
        for claim in claims
        for slug, stance in claim.codings.items()
    ]


def cell_counts(matrix: dict) -> dict:
    """(tag, actor) -> the counts of a non-empty cell (an actor whose claims carry no tag has none)."""
    columns = [column["key"] for column in matrix["columns"]]
    return {
        (row["tag"], column): (cell["affirms"], cell["denies"], cell["qualifies"], cell["balance"])
        for row in matrix["rows"]
        for column, cell in zip(columns, row["cells"], strict=True)
        if cell["total"]
    }


def ties(network: discourse.Network, keys: tuple[str, ...]) -> dict:
    return {(e["source"], e["target"]): tuple(e[key] for key in keys) for e in network.edges}


@settings(max_examples=examples(150), deadline=None)
@given(coded_claims())
def test_the_matrix_and_the_networks_count_each_tag_with_its_own_stance(case):
    claims, by = case
    each = split(claims)
    assert cell_counts(discourse.stance_matrix(claims, TAGS, by)) == cell_counts(
        discourse.stance_matrix(each, TAGS, by)
    )
    # A pair disagreeing on two tags is one pair of claims but two pairs of split claims: count the originals.
    original = {f"{claim.id}-{slug}": claim.id for claim in claims for slug in claim.codings}
    split_pairs, _ = discourse.disagreements(each, [], TAGS, by, limit=len(each) ** 2 + 1)
    assert discourse.disagreements(claims, [], TAGS, by)[1] == len(
        {frozenset(original[c] for c in pair["claims"]) for pair in split_pairs}
    )
    split_keys = ("weight", "affirms", "denies", "qualifies", "stance")
    assert ties(discourse.author_tag_network(claims, TAGS, by), split_keys) == ties(
        discourse.author_tag_network(each, TAGS, by), split_keys
    )
    pair_keys = ("weight", "claim_pairs", "tags")
    assert ties(discourse.congruence_network(claims, TAGS, by), pair_keys) == ties(
        discourse.congruence_network(each, TAGS, by), pair_keys
    )
    assert ties(discourse.conflict_network(claims, [], TAGS, by), pair_keys) == ties(
        discourse.conflict_network(each, [], TAGS, by), pair_keys
    )


@settings(max_examples=100, deadline=None)
@given(coded_claims())
def test_codings_that_all_hold_the_claims_stance_change_nothing(case):
    claims, by = case
    uniform = [replace(c, codings=dict.fromkeys(c.tags, c.stance)) for c in claims]
    bare = [replace(c, codings=None) for c in claims]
    assert discourse.stance_matrix(uniform, TAGS, by) == discourse.stance_matrix(bare, TAGS, by)
    assert discourse.disagreements(uniform, [], TAGS, by) == discourse.disagreements(bare, [], TAGS, by)
