"""A claim's query vectors, stored (`ClaimVectors`): computed by the first suggestion request that finds none for
the claim's current words and tags, then read back by every later request, so that only the first calls the model.

Not computed when the claim is created: most claims are never asked for suggestions, and the model running in
a thread of the web process slowed every write that followed (a claim create took twice as long on a busy worker)."""

import hashlib
import json

import numpy as np
from django.db import IntegrityError, transaction

from annotations.suggest import ClaimQuery
from annotations.suggest.ranking import encode_query

from .indexing import current_encoder
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
