"""User-typed text (claim notes, link rationales) is stored exactly as typed and shown as Markdown: rendered by
markdown-it-py with raw HTML off, then cleaned by the one HTML allowlist (bleach) before it reaches a page."""

from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

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
# Every link, typed or bare URL, leaves with rel="nofollow noopener". No skip_tags: bleach escapes the text
# of a skipped tag a second time ("<code>a &amp;amp; b</code>"), which is worse than a link inside code.
_linker = Linker(callbacks=[_nofollow], parse_email=False)

# CommonMark with raw HTML off: a typed "<b>" or "x < y" is text, never markup. A newline is a line break, as
# people typing in a textarea expect. Constructs the allowlist would strip (headings, rules, images, tables)
# are switched off, so "# 3 reasons" stays the text that was typed instead of losing its "#".
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
    ["heading", "lheading", "hr", "image", "html_block", "html_inline"]
)


def clean_html(value: str) -> str:
    """Keep the small allowlist, drop everything else (tags stripped, text kept), give links rel=nofollow."""
    if not value:
        return ""
    cleaned = _cleaner.clean(value)
    if "<a " not in cleaned and not _linker.url_re.search(cleaned):
        return cleaned.strip()  # no link to make or mark: skip the linker's second parse (half the time)
    return _linker.linkify(cleaned).strip()


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """The HTML to show for a typed note or rationale: its Markdown rendered, then cleaned by the allowlist.
    Cached: lists and pages show the same notes again and again, and bleach is the slow part."""
    if not text or not text.strip():
        return ""
    return clean_html(_markdown.render(text))
