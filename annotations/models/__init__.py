"""The corpus (authors, papers), the codebook (tags), and what analysts make of it (claims, links).

One module a subject; every name is re-exported here, so callers import from `annotations.models`.
"""

from .codebook import Tag, TagStatus
from .corpus import Author, Paper, PaperAuthor, source_file_path, text_sha256
from .history import (
    ClaimHistoricalRecords,
    HistoryAction,
    HistoryEntry,
    HistoryManagerBuiltOnce,
    claim_history,
    link_history,
)
from .items import AnchorState, Claim, Coding, Link, Moderated, Stance, Status
from .people import Role, User
from .revisions import PaperRevision
from .validators import colour_validator, plain_text

__all__ = [
    "AnchorState",
    "Author",
    "Claim",
    "ClaimHistoricalRecords",
    "Coding",
    "HistoryAction",
    "HistoryEntry",
    "HistoryManagerBuiltOnce",
    "Link",
    "Moderated",
    "Paper",
    "PaperAuthor",
    "PaperRevision",
    "Role",
    "Stance",
    "Status",
    "Tag",
    "TagStatus",
    "User",
    "claim_history",
    "colour_validator",
    "link_history",
    "plain_text",
    "source_file_path",
    "text_sha256",
]
