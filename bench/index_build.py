"""`python -m bench.run index_build`: the first build of a project's suggestion index in a process, in the core
alone (no Django, no database): the five shipped papers indexed once by a stand-in encoder of the model's
dimension (384; no model), then copies of their stored bytes, each copy its own paper, read back (`from_bytes`)
and merged (`ProjectIndex.build`); the previous build (kept in tests/test_suggest_index_build.py as the
reference) on the same papers, and the peak memory of each (tracemalloc, in a separate untimed pass).
BENCH_INDEX_BUILD_COPIES=200 (the default) gives 1,005 papers, as `suggest_api` at 200 copies.
"""

import hashlib
import json
import os
import time
import tracemalloc

import numpy as np

from .common import ROOT, Row

NAME = "index_build"
COPIES = int(os.environ.get("BENCH_INDEX_BUILD_COPIES", "200"))


class StandIn:
    """A vector per sentence from its hash: the model's dimension and float16 storage, none of its time."""

    name = "stand-in-384"
    dimension = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        from annotations.suggest.encoders import normalise

        rows = [
            np.random.default_rng(int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little"))
            .standard_normal(self.dimension)
            .astype(np.float32)
            for t in texts
        ]
        return normalise(np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension))


def run(options) -> list[Row]:
    from annotations.suggest import PaperIndex, ProjectIndex, index_paper
    from tests.test_suggest_index_build import npz_bytes, reference_build

    corpus = json.loads((ROOT / "fixtures" / "corpus.json").read_text(encoding="utf-8"))["papers"]
    texts = {p["slug"]: (ROOT / "fixtures" / "papers" / p["file"]).read_text(encoding="utf-8") for p in corpus}
    stored = {slug: index_paper(slug, text, StandIn()).to_bytes() for slug, text in texts.items()}
    rows = [(f"{slug}-{n}", slug) for n in range(COPIES + 1) for slug in texts]

    previous = {slug: npz_bytes(PaperIndex.from_bytes(slug, data)) for slug, data in stored.items()}

    def read(data: dict[str, bytes]) -> list:
        return [(PaperIndex.from_bytes(key, data[slug]), {key}) for key, slug in rows]

    began = time.perf_counter()
    papers = read(stored)
    read_seconds = time.perf_counter() - began
    began = time.perf_counter()
    read(previous)
    npz_seconds = time.perf_counter() - began
    all_texts = {key: texts[slug] for key, slug in rows}
    began = time.perf_counter()
    index = ProjectIndex.build(papers, all_texts)
    build_seconds = time.perf_counter() - began
    began = time.perf_counter()
    reference_build(papers, all_texts)
    reference_seconds = time.perf_counter() - began

    def peak(build) -> float:
        tracemalloc.start()
        build(papers, all_texts)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return round(peak / 2**20)

    bench = f"{NAME} · {len(rows)} papers, {len(index)} passages; load {os.getloadavg()[0]:.1f}"
    new_total, old_total = read_seconds + build_seconds, npz_seconds + reference_seconds
    return [
        Row(bench, "read the stored indexes (format 2)", round(read_seconds * 1000), "ms"),
        Row(bench, "read them in format 1 (.npz)", round(npz_seconds * 1000), "ms"),
        Row(bench, "ProjectIndex.build", round(build_seconds * 1000), "ms"),
        Row(bench, "the previous build (the tests' reference)", round(reference_seconds * 1000), "ms"),
        Row(bench, "read and build, before / now", round(old_total / new_total, 1), "x", "goal ≥ 5x"),
        Row(bench, "peak memory of the build", peak(ProjectIndex.build), "MiB"),
        Row(bench, "peak memory of the previous build", peak(reference_build), "MiB"),
    ]
