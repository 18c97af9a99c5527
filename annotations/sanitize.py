"""The one allowlist for user-typed HTML (claim notes, link rationales), applied on every write."""

import bleach
from bleach.linkifier import Linker

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "code", "blockquote", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _nofollow(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
# Every link, typed or bare URL, leaves with rel="nofollow noopener".
_linker = Linker(callbacks=[_nofollow], skip_tags={"pre", "code"}, parse_email=False)


def clean_html(value: str) -> str:
    """Keep the small allowlist, drop everything else (tags stripped, text kept), give links rel=nofollow."""
    if not value:
        return ""
    cleaned = _cleaner.clean(value)
    return _linker.linkify(cleaned).strip()
