"""Every write: one transaction each, the rules in one place for the API, pages, admin and commands.

One module a subject; callers import from the package (`from annotations import services`), so a write
can move between modules without its callers changing."""

from ..errors import DuplicateClaim, PermissionDenied, StaleVersion, ValidationError
from .bylines import AuthorIn
from .claims import (
    CLAIM_EDITABLE_FIELDS,
    TagChoice,
    claim_create,
    claim_delete,
    claim_moderate,
    claim_place,
    claim_restore,
    claim_update,
    claims_delete,
    claims_moderate,
    claims_restore,
    resolve_target_on,
)
from .codebook import codebook_import
from .corpus import corpus_load, paper_upsert
from .imports import IMPORT_BATCH_SIZE, IMPORT_REASON, claims_import
from .links import (
    LINK_EDITABLE_FIELDS,
    link_create,
    link_delete,
    link_moderate,
    link_restore,
    link_update,
    links_delete,
    links_moderate,
    links_restore,
)
from .moderation import TRANSITIONS, BulkResult, Decision, error_text
from .paper_metadata import PAPER_METADATA_FIELDS, paper_update, paper_update_metadata
from .revisions import SYSTEM_REVISER, normalize_text, paper_revise, system_reviser
from .tags import (
    TAG_EDITABLE_FIELDS,
    MergeReport,
    ensure_tags_usable,
    tag_accept,
    tag_create,
    tag_delete,
    tag_merge,
    tag_reject,
    tag_update,
)
from .uploads import paper_extract, paper_upload, reviewed_text, upload_limits

__all__ = [
    "CLAIM_EDITABLE_FIELDS",
    "IMPORT_BATCH_SIZE",
    "IMPORT_REASON",
    "LINK_EDITABLE_FIELDS",
    "PAPER_METADATA_FIELDS",
    "SYSTEM_REVISER",
    "TAG_EDITABLE_FIELDS",
    "TRANSITIONS",
    "AuthorIn",
    "BulkResult",
    "Decision",
    "DuplicateClaim",
    "MergeReport",
    "PermissionDenied",
    "StaleVersion",
    "TagChoice",
    "ValidationError",
    "claim_create",
    "claim_delete",
    "claim_moderate",
    "claim_place",
    "claim_restore",
    "claim_update",
    "claims_delete",
    "claims_import",
    "claims_moderate",
    "claims_restore",
    "codebook_import",
    "corpus_load",
    "ensure_tags_usable",
    "error_text",
    "link_create",
    "link_delete",
    "link_moderate",
    "link_restore",
    "link_update",
    "links_delete",
    "links_moderate",
    "links_restore",
    "normalize_text",
    "paper_extract",
    "paper_revise",
    "paper_update",
    "paper_update_metadata",
    "paper_upload",
    "paper_upsert",
    "resolve_target_on",
    "reviewed_text",
    "system_reviser",
    "tag_accept",
    "tag_create",
    "tag_delete",
    "tag_merge",
    "tag_reject",
    "tag_update",
    "upload_limits",
]
