"""Passage suggestions for a claim: where other authors say the same thing, or the opposite.

Pure (no Django): segmentation, BM25, sentence encoders, per-paper and project indexes, what the project
knows (claims and judged passages) and the ranking that uses all of them. See docs/suggestions.md.
"""

from .encoders import Encoder, HashingEncoder, MiniLMEncoder, ModelUnavailable
from .index import PaperIndex, ProjectIndex, index_paper
from .knowledge import OPPOSITE, SAME, Judgement, Knowledge, KnownClaim, compile_knowledge
from .ranking import ClaimQuery, Suggestion, Tag, suggest
from .scoring import RelationModel, Reranker

__all__ = [
    "OPPOSITE",
    "SAME",
    "ClaimQuery",
    "Encoder",
    "HashingEncoder",
    "Judgement",
    "Knowledge",
    "KnownClaim",
    "MiniLMEncoder",
    "ModelUnavailable",
    "PaperIndex",
    "ProjectIndex",
    "RelationModel",
    "Reranker",
    "Suggestion",
    "Tag",
    "compile_knowledge",
    "index_paper",
    "suggest",
]
