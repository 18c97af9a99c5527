"""Hypothesis annotations read into native claim records: the API's search response (`{"total", "rows"}`), its
rows alone, or the client's JSON export (`{"export_date", "annotations": [...]}`).

Each row becomes a pending claim placed again by its quote (`TextQuoteSelector`; the `TextPositionSelector`
is only a hint, as for W3C files). The decisions (docs/exchange.md says the same):

- the paper is the row's `uri` (or its target's `source`) when that is a paper's identifier (DOI, URL, URN or
  reader page), else the `?paper=` given;
- the comment (`text`) is the claim's note; the statement is the quote (an analyst rewrites it);
- the tags are matched to the codebook by slug or name, ignoring case; a tag matching neither is reported;
- the annotator (`user`, `acct:name@host`) is the analyst when a user of that name exists here, else the
  importing moderator; either way the account is kept in the note. Never the speaker: who annotates is not
  who holds the view;
- `created` and `updated` are the claim's dates; the row's id gives a stable claim id (a second import of
  the same rows is recognised and leaves them unchanged).

Rows that cannot be placed are reported with their reason: replies and page notes (no quote), and, once
checked against the instance, unknown papers, tags, and quotes not in the text.
"""

import hashlib
import uuid
from typing import Any

from ..anchoring import CONTEXT_LENGTH
from ..models import Stance, Status
from .records import Document, Problems
from .refiqda import slugify
from .w3c import quote_and_position

HYPOTHESIS_IRI = "https://hypothes.is/a/"


def hypothesis_rows(document: Any) -> tuple[list, str] | None:
    """The rows and their path name when `document` is a Hypothesis search response, export or list of rows."""
    if isinstance(document, dict) and isinstance(document.get("rows"), list) and "total" in document:
        return document["rows"], "rows"
    if (
        isinstance(document, dict)
        and isinstance(document.get("annotations"), list)
        and ({"export_date", "export_userid", "client_version"} & set(document))
    ):
        return document["annotations"], "annotations"
    if isinstance(document, list) and document and all(_is_row(item) for item in document):
        return document, "rows"
    return None


def _is_row(item: Any) -> bool:
    return isinstance(item, dict) and "uri" in item and "type" not in item and ("target" in item or "text" in item)


def claim_id_of(row_id: str) -> str:
    """The same id as the W3C import gives Hypothesis's own W3C export of that annotation."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, HYPOTHESIS_IRI + row_id))


def account_name(user: Any) -> str | None:
    """`acct:ana@hypothes.is` → `ana`."""
    if not isinstance(user, str) or not user.strip():
        return None
    return user.strip().removeprefix("acct:").split("@", 1)[0] or None


def _selectors(row: dict) -> tuple[dict | None, dict | None, str | None]:
    targets = row.get("target") if isinstance(row.get("target"), list) else []
    for target in targets:
        if not isinstance(target, dict):
            continue
        quote, position = quote_and_position(target.get("selector") or [])
        if quote is not None:
            return quote, position, target.get("source")
    return None, None, None


def read_hypothesis(rows: list, path: str, *, acting_username: str | None) -> Document:
    """Rows into claim records; what cannot be placed is gathered as problems (refused unless skipped)."""
    doc = Document(kind="hypothesis", reanchor=True, paths={"claims": path, "links": path})
    problems = Problems()
    for index, row in enumerate(rows):
        where = f"{path}[{index}]"
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            problems.add(where, "A Hypothesis row must be an object with an id.")
            continue
        if row.get("references"):
            problems.add(where, "A reply to another annotation has no passage of its own: it cannot be placed.")
            continue
        quote, position, source = _selectors(row)
        if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"].strip():
            problems.add(f"{where}.target", "No quote (TextQuoteSelector): a page note cannot be placed.")
            continue
        target: dict[str, Any] = {
            "exact": quote["exact"],
            # Hypothesis keeps longer context than we do; the nearest part is what tells repeated quotes apart.
            "prefix": (quote.get("prefix") or "")[-CONTEXT_LENGTH:],
            "suffix": (quote.get("suffix") or "")[:CONTEXT_LENGTH],
        }
        if isinstance(position, dict):
            target |= {"start": position.get("start"), "end": position.get("end")}
        comment = row.get("text") if isinstance(row.get("text"), str) else ""
        account = row.get("user") if isinstance(row.get("user"), str) else ""
        tags = [tag for tag in row.get("tags") or [] if isinstance(tag, str)]
        doc.claims.append({
            "id": claim_id_of(row["id"]), "paper": row.get("uri") or source, "target": target,
            "statement": quote["exact"].strip()[:5000], "speaker": None, "stance": Stance.AFFIRMS,
            "tags": tags, "codings": None, "note": comment, "status": Status.PENDING, "version": 1,
            "created_by": acting_username, "created_at": row.get("created"),
            "updated_at": row.get("updated") or row.get("created"), "moderated_by": None, "moderated_at": None,
            "moderation_reason": "", "deleted_at": None, "_index": index, "_account": account,
        })  # fmt: skip
    doc.early_problems = problems.found
    return doc


def place(
    doc: Document,
    *,
    usernames: set[str],
    acting_username: str | None,
    codebook: dict[str, str],
    propose_unknown: bool = True,
) -> None:
    """Choose each claim's analyst and match its tags to the codebook (`codebook`: lower-cased slug or name
    → slug; a tag is also found by the slug its name makes). A tag that matches nothing becomes a proposed tag
    of the project (its slug made from it, its name as given), added to the file's tags, when `propose_unknown`;
    otherwise it stays as given, to be reported as unknown."""
    proposed: dict[str, str] = {}
    for claim in doc.claims:
        account = claim.pop("_account", "")
        name = account_name(account)
        claim["created_by"] = name if name in usernames else acting_username
        if account:
            by = f"Annotated in Hypothesis by {account}."
            claim["note"] = f"{claim['note']}\n\n{by}" if claim["note"] else by
        tags = [_matched(tag, codebook, proposed if propose_unknown else None) for tag in claim["tags"]]
        claim["tags"] = list(dict.fromkeys(tags))
        claim.pop("codings", None)
    for slug, name in proposed.items():
        doc.tags.append({"slug": slug, "name": name, "description": "Proposed by a Hypothesis import.",
                         "colour": "#888888", "parent": None, "status": "proposed"})  # fmt: skip


def _matched(tag: str, codebook: dict[str, str], proposed: dict[str, str] | None) -> str:
    """The codebook's slug for a Hypothesis tag, or a new proposal's slug (kept in `proposed`), or the tag as given."""
    name = " ".join(tag.split())
    found = codebook.get(name.lower()) or codebook.get(slugify(name, 50))
    if found or proposed is None or not name:
        return found or tag
    slug = slugify(name, 50)
    if slug == "x" and name.lower() != "x":  # nothing of it in ASCII (安全): a slug of its own, not a shared "x"
        slug = "tag-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    proposed.setdefault(slug, name[:120])
    return slug
