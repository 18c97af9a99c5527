"""The reader's claims data (reader_data's compact JSON), cached per paper and per visibility class, under stamps
that every write to what it holds bumps, so a stale copy is never read.

The key of a paper's data names the paper (its id, creation time and text digest), the stamps of the paper, of
its project and of everything, and the visibility class of the user (selectors.claim_visibility_class): two
users of one class see the same claims, so moderators share one copy, readers another, and each analyst has
their own (approved claims and their own). A write does not delete anything: it puts a new random stamp in the
cache, so the next read looks under a key no one has written yet. A stamp lost from the cache (culled, evicted)
is replaced by a new random one: a miss, never an old copy.

What bumps which stamp (`claims_changed`):
- a claim saved (create, edit, place, delete, restore, moderate, and the admin's forms, which call those): its
  paper's, by the `post_save` signal below; a paper saved (a revision's new text and re-anchored claims, new
  pages, metadata): its own;
- a tag saved (renamed, moved, accepted) or deleted: its project's, by signals; a tag merge (codings moved in
  bulk) and an import (claims, codings and tags in bulk, without `save()`): their project's, by their services;
- a coding round opened or closed (it changes what readers and analysts see): its project's, by signals;
- a user renamed (their name is in the data), and `migrate` (a data migration may rewrite anything): everything.
Links are not part of the reader's data (the popover fetches a claim's links from the API), so they bump nothing.

Inside a transaction a write bumps once, when the transaction commits (however many of its writes ask): until
then the write is no one else's, and a reader that looks meanwhile stores what was committed under the old stamp,
which the bump leaves behind. The transaction itself reads around the cache for the papers and projects it has
changed (their bump is pending), so it sees its own writes; and nothing is stored while a transaction of the
app's own is open (it may hold writes not yet committed). Outside a transaction a write bumps at once, and so
does a write under a test case's transaction, which never commits. One cache write per write, not two: with the
default file-based cache each is a file renamed into place. Every process that serves the reader must share the cache (CACHE_URL with several app servers;
the default folder is shared by one machine's workers); the copies also expire after DATA_SECONDS, which bounds
what a write made outside the services (the shell) can leave behind.
"""

import json
import logging
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils.safestring import SafeString, mark_safe

from rounds.models import CodingRound

from . import reader_data, selectors
from .models import Claim, Paper, Tag, User

# The layout of the cached value; change it when reader_data.compact's output or this tuple changes shape.
LAYOUT = 1
DATA_SECONDS = 30 * 60
EVERYTHING = "reader-stamp:all"
logger = logging.getLogger(__name__)

# As django.utils.html.json_script: the JSON can sit in a <script> element and is still JSON.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


class ReaderClaims(NamedTuple):
    """A paper's claims as one user sees them: the compact data as JSON (safe inside a `<script>` element), how
    many are placed on the text, and the speakers named (for the form's suggestions)."""

    json: SafeString
    count: int
    speakers: list[str]


def _paper_stamp(paper_id: int) -> str:
    return f"reader-stamp:paper:{paper_id}"


def _project_stamp(project_id: int) -> str:
    return f"reader-stamp:project:{project_id}"


def _bump(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def _pending_keys() -> set[str]:
    """The stamps whose bump waits for the current transaction's commit."""
    return {key for _, callback, _ in connection.run_on_commit for key in getattr(callback, "stamp_keys", ())}


def _under_a_test_case() -> bool:
    """The outermost transaction is a test case's, which never commits: its writes must bump at once as well."""
    return getattr(connection.atomic_blocks[0], "_from_testcase", False) if connection.atomic_blocks else False


def claims_changed(*, papers: Iterable[int] = (), projects: Iterable[int] = (), everything: bool = False) -> None:
    """Bump the stamps of these papers (ids), projects (ids) or of everything: when the transaction commits
    (once, however many writes of the transaction ask), or at once outside a transaction."""
    keys = [_paper_stamp(pk) for pk in papers] + [_project_stamp(pk) for pk in projects]
    keys += [EVERYTHING] if everything else []
    if not keys:
        return
    if not connection.in_atomic_block or _under_a_test_case():
        _bump(keys)
    if connection.in_atomic_block and not set(keys) <= _pending_keys():

        def bump_on_commit() -> None:
            _bump(keys)

        bump_on_commit.stamp_keys = set(keys)
        # robust: the write is committed whatever the cache says now (a failure is logged; the copies expire).
        transaction.on_commit(bump_on_commit, robust=True)


def _stamps(keys: list[str]) -> list[str] | None:
    """The current stamps of `keys`, a new random one for any the cache lacks (None: the cache keeps nothing)."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)  # another process may add one first: read it back
        found.update(cache.get_many(missing))
    return [found[key] for key in keys] if len(found) == len(keys) else None


def _in_own_transaction() -> bool:
    """A transaction of the app's own is open (not only the test case's, which wraps every test)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _build(user: User, paper: Paper) -> ReaderClaims:
    claims = selectors.claims_for_reader(user, paper)
    placed, unplaced = reader_data.placeable(claims, len(paper.text))
    data = reader_data.compact(placed, unplaced, paper.pages)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    speakers = sorted({claim.speaker for claim in claims if claim.speaker}, key=str.casefold)
    return ReaderClaims(mark_safe(text), len(placed), speakers)  # JSON with <, > and & escaped


def reader_claims(user: User, paper: Paper) -> ReaderClaims:
    """The claims of `paper` that `user` may see, as the reader sends them: from the cache when a user of the
    same visibility class asked since the last write, else read (one query) and kept."""
    keys = [_paper_stamp(paper.pk), _project_stamp(paper.project_id), EVERYTHING]
    if _in_own_transaction() and not _pending_keys().isdisjoint(keys):
        return _build(user, paper)  # this transaction changed what the data holds: its own writes, not a copy
    stamps = _stamps(keys)
    if stamps is None:
        return _build(user, paper)
    visibility = selectors.claim_visibility_class(user, paper.project_id)
    born = paper.created_at.timestamp() if paper.created_at else 0
    key = f"reader-claims:{LAYOUT}:{paper.pk}:{born}:{paper.text_sha256[:16]}:{':'.join(stamps)}:{visibility}"
    found = cache.get(key)
    if found is not None:
        return ReaderClaims(mark_safe(found[0]), found[1], found[2])  # stored as built above
    built = _build(user, paper)
    if not _in_own_transaction():
        cache.set(key, (str(built.json), built.count, built.speakers), timeout=DATA_SECONDS)
    return built


@receiver(post_save, sender=Claim, dispatch_uid="reader_cache.claim_saved")
def _claim_saved(sender, instance: Claim, **kwargs) -> None:
    claims_changed(papers=[instance.paper_id])


@receiver(post_save, sender=Paper, dispatch_uid="reader_cache.paper_saved")
def _paper_saved(sender, instance: Paper, **kwargs) -> None:
    claims_changed(papers=[instance.pk])


@receiver(post_save, sender=Tag, dispatch_uid="reader_cache.tag_saved")
@receiver(post_delete, sender=Tag, dispatch_uid="reader_cache.tag_deleted")
def _tag_changed(sender, instance: Tag, **kwargs) -> None:
    claims_changed(projects=[instance.project_id])


@receiver(post_save, sender=CodingRound, dispatch_uid="reader_cache.round_saved")
@receiver(post_delete, sender=CodingRound, dispatch_uid="reader_cache.round_deleted")
def _round_changed(sender, instance: CodingRound, **kwargs) -> None:
    # An open round hides others' claims from readers and analysts (selectors.claim_visibility): opened or closed,
    # the same classes see other claims.
    claims_changed(projects=[instance.project_id])


@receiver(post_save, sender=User, dispatch_uid="reader_cache.user_saved")
def _user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    # A new account has no claims yet; a login saves last_login alone.
    if not created and (update_fields is None or "username" in update_fields):
        claims_changed(everything=True)


@receiver(post_migrate, dispatch_uid="reader_cache.migrated")
def _migrated(sender, **kwargs) -> None:
    try:
        claims_changed(everything=True)
    except Exception:  # a migration must not fail for a cache it cannot reach; the copies expire
        logger.warning("The reader's cached claims could not be invalidated after migrate.", exc_info=True)
