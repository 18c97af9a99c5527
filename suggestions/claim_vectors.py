"""A claim's query vectors, stored (`ClaimVectors`): computed after the claim is created (in the indexing thread),
or by the first suggestion request that finds none for its current words and tags, then read back by every
request, so that a suggestion calls no model."""

import hashlib
import json

import numpy as np
from django.db import IntegrityError, transaction

from annotations.suggest import ClaimQuery
from annotations.suggest.ranking import encode_query

from .indexing import current_encoder, run_soon
from .models import ClaimVectors


def query_sha256(query: ClaimQuery, encoder_name: str) -> str:
    """What the vectors are computed from: the quote, the statement and each tag's name, description and stance."""
    parts = [encoder_name, query.quote, query.statement, [(t.name, t.description, t.stance) for t in query.tags]]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def stored_query_vectors(claim_id, query: ClaimQuery) -> np.ndarray | None:
    """The claim's stored vectors if they were computed from this query by the current encoder (one query)."""
    encoder = current_encoder()
    row = ClaimVectors.objects.filter(claim_id=claim_id, encoder=encoder.name).values_list("query_sha256", "data")
    found = row.first()
    if found is None or found[0] != query_sha256(query, encoder.name):
        return None
    return np.frombuffer(bytes(found[1]), dtype=np.float32).reshape(3, encoder.dimension)


def query_vectors_store(claim_id, query: ClaimQuery) -> np.ndarray:
    """Compute the claim's vectors (the model) and store them; they are returned."""
    encoder = current_encoder()
    vectors = encode_query(query, encoder).astype(np.float32)
    values = {"query_sha256": query_sha256(query, encoder.name), "data": vectors.tobytes()}
    try:
        with transaction.atomic():
            ClaimVectors.objects.update_or_create(claim_id=claim_id, encoder=encoder.name, defaults=values)
    except IntegrityError:  # stored by another process meanwhile: the same words, the same vectors
        pass
    return vectors


def claim_vectors_soon(claim_id) -> None:
    """Once the caller's transaction commits, compute the new claim's vectors (in the indexing thread in the web
    process), so that its first suggestion request calls no model."""

    def compute() -> None:
        from .selectors import claim_query_by_id  # the selectors import this module

        query = claim_query_by_id(claim_id)
        if query is not None:
            query_vectors_store(claim_id, query)

    transaction.on_commit(lambda: run_soon(compute, f"claim vectors {claim_id}"))
