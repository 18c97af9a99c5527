"""The pure part of curation (curation.aligning), exhaustively: every version in exactly one row, rows that do not
depend on the order of the data, versions in a row that all match each other, and a merge that takes each part
from the version chosen for it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.agreement import jaccard
from curation.aligning import MERGE_FIELDS, Version, align, merged

CODERS = ["ana", "bob", "cy"]


@st.composite
def versions(draw, max_size=12):
    count = draw(st.integers(0, max_size))
    made = []
    for number in range(count):
        start = draw(st.integers(0, 60))
        end = draw(st.integers(start + 1, start + 30))
        made.append(
            Version(
                id=f"c{number}",
                coder=draw(st.sampled_from(CODERS)),
                start=start,
                end=end,
                exact=f"quote {number}",
                statement=f"statement {number}",
                speaker=draw(st.sampled_from(["", "SCO", "Putin"])),
                stance=draw(st.sampled_from(["affirms", "denies", "qualifies"])),
                codings=((f"tag-{number}", "affirms"),),
            )
        )
    return made


def as_sets(rows):
    return sorted(sorted(v.id for v in row.values()) for row in rows)


@given(versions())
def test_every_version_is_in_exactly_one_row_under_its_coder(data):
    rows = align(data)
    placed = [(coder, v.id) for row in rows for coder, v in row.items()]
    assert sorted(v for _, v in placed) == sorted(v.id for v in data)
    assert all(coder == next(v.coder for v in data if v.id == vid) for coder, vid in placed)


@given(versions(), st.randoms())
def test_rows_do_not_depend_on_the_order_of_the_data(data, rng):
    shuffled = list(data)
    rng.shuffle(shuffled)
    assert as_sets(align(data)) == as_sets(align(shuffled))


@given(versions())
def test_versions_in_a_row_all_match_each_other_and_rows_are_in_text_order(data):
    rows = align(data)
    for row in rows:
        claims = list(row.values())
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                assert jaccard(a, b) >= 0.5  # jaccard reads start and end only
    firsts = [min((v.start, v.end) for v in row.values()) for row in rows]
    assert firsts == sorted(firsts)


@given(versions(max_size=4).filter(bool), st.data())
def test_a_merge_takes_each_part_from_the_version_chosen(data, draw):
    by_id = {v.id: v for v in data}
    choice = {part: draw.draw(st.sampled_from(sorted(by_id))) for part in MERGE_FIELDS}
    made = merged(by_id, choice)
    assert (made["start"], made["end"], made["exact"]) == (
        by_id[choice["quote"]].start,
        by_id[choice["quote"]].end,
        by_id[choice["quote"]].exact,
    )
    assert made["statement"] == by_id[choice["statement"]].statement
    assert made["speaker"] == by_id[choice["speaker"]].speaker
    assert made["codings"] == by_id[choice["tags"]].codings
    assert made["stance"] == by_id[choice["tags"]].stance
    assert made["sources"] == choice


@given(versions(max_size=4).filter(bool), st.sampled_from(MERGE_FIELDS))
def test_a_part_from_outside_the_versions_is_named(data, part):
    by_id = {v.id: v for v in data}
    quote = next(iter(by_id))
    choice = {"quote": quote, part: "elsewhere"}
    with pytest.raises(KeyError) as refused:
        merged(by_id, choice)
    assert refused.value.args[0] == part
