"""The bench's own arithmetic and plans (the benches themselves run with `make bench`, not in the suite)."""

import pytest

from bench.common import Row, percentile
from bench.concurrent_writers import claim_bodies
from bench.run import BENCHES, main


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) == 0.0


def test_writer_plans_stay_inside_the_papers_and_spread_over_them():
    papers = {"a": 1000, "b": 500, "c": 2000, "d": 800, "e": 90}
    bodies = claim_bodies(3, 200, papers, ["t1", "t2", "t3"])
    assert len(bodies) == 200
    assert {body["paper"] for body in bodies} == set(papers)
    for body in bodies:
        target = body["target"]
        assert 0 <= target["start"] < target["end"] <= papers[body["paper"]]
    assert claim_bodies(3, 200, papers, ["t1", "t2", "t3"]) == bodies  # the same plan on every run


def test_every_section_is_selectable_by_name():
    assert set(BENCHES) == {
        "writers", "reader", "export", "map", "reanchor", "agreement", "suggest", "writes", "upload", "projects",
        "suggest_api", "search", "pgvector", "index_build",
    }  # fmt: skip


def test_unknown_bench_is_refused():
    with pytest.raises(SystemExit):
        main(["nope"])


def test_a_must_be_zero_figure_that_is_not_fails_the_run(monkeypatch, capsys):
    monkeypatch.setitem(BENCHES, "writers", lambda options: [Row("w", "lost claims", 2, "", "must be 0")])
    monkeypatch.setitem(BENCHES, "reanchor", lambda options: [Row("r", "claims lost", 0, "", "must be 0")])
    assert main(["reanchor"]) == 0
    assert main(["writers", "reanchor"]) == 1
    assert "1 figure(s) that must be 0 are not." in capsys.readouterr().out


def test_a_failing_section_fails_the_run_and_the_others_still_print(monkeypatch, capsys):
    def broken(options):
        raise RuntimeError("Chromium did not start")

    monkeypatch.setitem(BENCHES, "reader", broken)
    monkeypatch.setitem(BENCHES, "reanchor", lambda options: [Row("r", "pure reanchor", 0.4, "s")])
    assert main(["reader", "reanchor", "--quick"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out
    assert "pure reanchor" in out


def test_the_suggestion_folds_partition_the_claims_and_a_seed_reshuffles_them_the_same_way_every_run():
    from bench.suggest import FOLDS, folds

    ids = [f"claim-{n}" for n in range(47)]
    for seed in (None, 1, 2):
        split = folds(reversed(ids), seed)
        assert len(split) == FOLDS
        assert sorted(q for fold in split for q in fold) == sorted(ids)  # each claim held out exactly once
        assert split == folds(ids, seed)  # the order given does not matter
    # No seed: the sorted ids dealt round-robin, the split the figures before seeds were measured on.
    assert folds(ids)[0] == {q for n, q in enumerate(sorted(ids)) if n % FOLDS == 0}
    assert folds(ids, 1) != folds(ids)


def test_the_original_development_set_leaves_out_only_the_matches_added_later():
    from bench.suggest import devset

    extended, original = devset(), devset(original=True)
    assert [i["id"] for i in extended] == [i["id"] for i in original]
    added = [m for i in extended for m in i["matches"] if "added" in m]
    assert added
    assert all(m["relation"] == "opposite" for m in added)
    assert sum(len(i["matches"]) for i in original) == sum(len(i["matches"]) for i in extended) - len(added)
    assert not any("added" in m for i in original for m in i["matches"])
