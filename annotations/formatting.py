"""The reader's formatted text: a paper's light markup (Markdown and the little HTML the sources carry)
shown formatted, on the verbatim text. Pure: text in, a tree of pieces and their HTML out; no ORM.

Every code point of the stored text lands in exactly one `Piece`, in order, either visible (text the
reader reads) or hidden (markup: `## `, `**`, `<sup>`, `&amp;`, the blank lines between blocks). Styled
elements only *enclose* pieces, so the pieces concatenated are the verbatim text and each piece's `start` is
its code-point offset: the browser maps a selection to offsets by counting text nodes, hidden or not.
Nothing of the source ever becomes live markup: every piece is escaped; what the markup means (a heading,
a superscript, a decoded entity, a line break) is expressed by elements this module chooses.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape

# Inline HTML tags of the sources that mean a style; anything else stays visible text.
INLINE_TAGS = {"sup": "sup", "sub": "sub", "b": "strong", "strong": "strong", "i": "em", "em": "em"}
ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

HEADING = re.compile(r"( {0,3}(#{1,6})(?:[ \t]+|(?=\n)|$))(.*?)((?:[ \t]+#+)?[ \t]*)$")
THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
LIST_ITEM = re.compile(r" {0,3}(?:([-*+])|(\d{1,9}[.)]))[ \t]+(?=\S)")
QUOTE_PREFIX = re.compile(r" {0,3}> ?")
OPEN_TAG = re.compile(r"<(sup|sub|b|strong|i|em)>", re.IGNORECASE)
BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>", re.IGNORECASE)
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
LINK_TAIL = re.compile(r"\]\(([^()\s]+)\)")
HARD_BREAK = re.compile(r" {2,}\n|\\\n")
# Where a construct may start: the parser jumps from one to the next.
SPECIAL = re.compile(r"[\\<&\[*_]| {2,}\n")


@dataclass(frozen=True)
class Piece:
    """`text` at code-point offset `start`; hidden pieces are markup, shown only in the source view."""

    start: int
    text: str
    hidden: bool = False


@dataclass
class Node:
    """An element enclosing pieces: `kind` is a block (p, h1…h6, hr, ul/ol item, quote) or an inline style
    (strong, em, sup, sub, link, br, entity, hardbreak); `attrs` what it needs (a level, a URL, a char)."""

    kind: str
    children: list["Node | Piece"] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


def pieces(tree: list[Node]) -> list[Piece]:
    """The pieces of `tree` in document order."""
    out: list[Piece] = []

    def walk(node: Node | Piece) -> None:
        if isinstance(node, Piece):
            out.append(node)
        else:
            for child in node.children:
                walk(child)

    for block in tree:
        walk(block)
    return out


# Blocks


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line with its newline) for each line of `text`."""
    out, at = [], 0
    for line in text.splitlines(keepends=True):
        out.append((at, line))
        at += len(line)
    return out


def _blank(line: str) -> bool:
    return not line.strip()


def _starts_block(line: str) -> bool:
    body = line.rstrip("\n")
    return bool(HEADING.match(body) or THEMATIC_BREAK.match(body) or LIST_ITEM.match(body) or _quote_line(body))


def _quote_line(line: str) -> re.Match | None:
    """A line of a block quote: `>` and some text."""
    m = QUOTE_PREFIX.match(line)
    return m if m and not _blank(line[m.end() :]) else None


def parse(text: str) -> list[Node]:
    """The blocks of `text`, each enclosing its pieces (blank lines go, hidden, with the block before)."""
    lines = _lines(text)
    blocks: list[Node] = []
    i = 0
    lead: list[Piece] = []
    while i < len(lines) and _blank(lines[i][1]):
        lead.append(Piece(lines[i][0], lines[i][1], hidden=True))
        i += 1
    while i < len(lines):
        at, line = lines[i]
        body = line.rstrip("\n")
        if m := THEMATIC_BREAK.match(body):
            block = Node("hr", [Piece(at, body, hidden=True)])
            i += 1
        elif m := HEADING.match(body):
            prefix, content, suffix = m.group(1), m.group(3), m.group(4)
            block = Node("h", attrs={"level": str(len(m.group(2)))})
            block.children.append(Piece(at, prefix, hidden=True))
            block.children += inline(text, at + len(prefix), at + len(prefix) + len(content))
            if suffix:
                block.children.append(Piece(at + len(body) - len(suffix), suffix, hidden=True))
            i += 1
        elif m := LIST_ITEM.match(body):
            kind = "ul" if m.group(1) else "ol"
            block = Node(kind)
            # A bullet is drawn by the page; a number is the paper's own text and stays visible.
            block.children.append(Piece(at, m.group(0), hidden=kind == "ul"))
            end = _paragraph_end(lines, i + 1)
            block.children += inline(text, at + m.end(), lines[end - 1][0] + len(lines[end - 1][1].rstrip("\n")))
            i = end
        elif _quote_line(line):
            block = Node("quote")
            while i < len(lines) and (m := _quote_line(lines[i][1])):
                at, line = lines[i]
                block.children.append(Piece(at, m.group(0), hidden=True))
                body = line.rstrip("\n")
                block.children += inline(text, at + m.end(), at + len(body))
                if line[len(body) :]:
                    block.children.append(Piece(at + len(body), line[len(body) :]))
                i += 1
            # The newline that ends the quote is markup, as after any block; those inside it are text.
            last = block.children[-1]
            if isinstance(last, Piece) and last.text == "\n":
                block.children[-1] = Piece(last.start, "\n", hidden=True)
            blocks.append(block)
            i = _gap(lines, i, block)
            continue
        else:
            block = Node("p")
            end = _paragraph_end(lines, i + 1)
            block.children += inline(text, at, lines[end - 1][0] + len(lines[end - 1][1].rstrip("\n")))
            i = end
        last_at, last = lines[i - 1]
        newline = last[len(last.rstrip("\n")) :]
        if newline:
            block.children.append(Piece(last_at + len(last) - len(newline), newline, hidden=True))
        blocks.append(block)
        i = _gap(lines, i, block)
    if lead:
        if blocks:
            blocks[0].children[:0] = lead
        else:
            blocks.append(Node("p", lead))
    for block in blocks:
        _merge(block)
    return blocks


def _merge(node: Node) -> None:
    """Neighbouring pieces of the same kind become one (fewer elements in the page)."""
    merged: list[Node | Piece] = []
    for child in node.children:
        if isinstance(child, Node):
            _merge(child)
        elif merged and isinstance(merged[-1], Piece) and merged[-1].hidden == child.hidden:
            merged[-1] = Piece(merged[-1].start, merged[-1].text + child.text, child.hidden)
            continue
        merged.append(child)
    node.children = merged


def _paragraph_end(lines: list[tuple[int, str]], i: int) -> int:
    """The index after the last line of a paragraph that goes on at line `i`."""
    while i < len(lines) and not _blank(lines[i][1]) and not _starts_block(lines[i][1].rstrip("\n")):
        i += 1
    return i


def _gap(lines: list[tuple[int, str]], i: int, block: Node) -> int:
    """The blank lines after a block join it, hidden (the page spaces blocks itself)."""
    while i < len(lines) and _blank(lines[i][1]):
        block.children.append(Piece(lines[i][0], lines[i][1], hidden=True))
        i += 1
    return i


# Inline


def inline(text: str, lo: int, hi: int) -> list[Node | Piece]:
    """The inline content of text[lo:hi] as pieces and styled nodes."""
    return _Inline(text).parse(lo, hi)


class _Inline:
    def __init__(self, text: str):
        self.text = text
        # (delimiter, limit) → an opener from which no closer was found: a later opener finds none either.
        self.no_closer: dict[tuple[str, int], int] = {}

    def parse(self, lo: int, hi: int) -> list[Node | Piece]:
        text = self.text
        out: list[Node | Piece] = []
        run = i = lo
        while i < hi:
            m = SPECIAL.search(text, i, hi)
            if not m:
                break
            i = m.start()
            found = self._at(i, hi)
            if found is None:
                i += 1
                continue
            if i > run:
                out.append(Piece(run, text[run:i]))
            i = run = found[0]
            out.extend(found[1])
        if hi > run:
            out.append(Piece(run, text[run:hi]))
        return out

    def _at(self, i: int, hi: int) -> tuple[int, list[Node | Piece]] | None:
        """The construct starting at `i`, if one does: where it ends and its nodes."""
        text = self.text
        c = text[i]
        if c == "\\" and i + 1 < hi and text[i + 1] in ASCII_PUNCTUATION:
            return i + 2, [Piece(i, "\\", hidden=True), Piece(i + 1, text[i + 1])]
        if c == "<":
            return self._angle(i, hi)
        if c == "&":
            m = ENTITY.match(text, i, hi)
            char = unescape(m.group(0)) if m else ""
            if m and char != m.group(0):
                return m.end(), [Node("entity", [Piece(i, m.group(0), hidden=True)], {"char": char})]
            return None
        if c == "[":
            return self._link(i, hi)
        if c in "*_":
            return self._emphasis(i, hi)
        if m := HARD_BREAK.match(text, i, hi):
            return m.end(), [Node("hardbreak", [Piece(i, m.group(0))])]
        return None

    def _angle(self, i: int, hi: int):
        text = self.text
        if m := BREAK_TAG.match(text, i, hi):
            return m.end(), [Node("br", [Piece(i, m.group(0), hidden=True)])]
        if m := AUTOLINK.match(text, i, hi):
            url = m.group(1)
            children = [Piece(i, "<", hidden=True), Piece(i + 1, url), Piece(m.end() - 1, ">", hidden=True)]
            return m.end(), [Node("link", children, {"href": url})]
        if m := OPEN_TAG.match(text, i, hi):
            name = m.group(1).lower()
            close = re.compile(f"</{name}>", re.IGNORECASE).search(text, m.end(), hi)
            if close and close.start() > m.end():
                children = [Piece(i, m.group(0), hidden=True)]
                children += self.parse(m.end(), close.start())
                children.append(Piece(close.start(), close.group(0), hidden=True))
                return close.end(), [Node(INLINE_TAGS[name], children)]
        return None

    def _link(self, i: int, hi: int):
        text = self.text
        close = text.find("]", i + 1, hi)
        if close <= i + 1 or "\n\n" in text[i:close]:
            return None
        m = LINK_TAIL.match(text, close, hi)
        if not m:
            return None
        children = [Piece(i, "[", hidden=True), *self.parse(i + 1, close), Piece(close, m.group(0), hidden=True)]
        return m.end(), [Node("link", children, {"href": m.group(1)})]

    def _emphasis(self, i: int, hi: int):
        text = self.text
        c = text[i]
        width = 2 if text.startswith(c * 2, i) else 1
        delim = c * width
        after = i + width
        if after >= hi or text[after].isspace() or text[after] == c:
            return None
        if c == "_" and i > 0 and text[i - 1].isalnum():
            return None  # intraword underscores are not emphasis
        if self.no_closer.get((delim, hi), hi) <= i:
            return None
        j = after + 1
        while True:
            j = text.find(delim, j, hi)
            if j < 0:
                self.no_closer[(delim, hi)] = i
                return None
            before_ok = not text[j - 1].isspace()
            # A single delimiter must not be half of a double one (`*a**` closes nothing at `**`).
            single_ok = width == 2 or not (text.startswith(c, j + 1) or text[j - 1] == c)
            word_ok = c == "*" or j + width >= len(text) or not text[j + width].isalnum()
            if before_ok and single_ok and word_ok:
                break
            j += 1
        children = [Piece(i, delim, hidden=True), *self.parse(after, j), Piece(j, delim, hidden=True)]
        return j + width, [Node("strong" if width == 2 else "em", children)]


# HTML


def _piece_html(piece: Piece) -> str:
    cls = ' class="mk"' if piece.hidden else ""
    return f'<span{cls} data-start="{piece.start}">{escape(piece.text, quote=False)}</span>'


INLINE_HTML = {"strong": "strong", "em": "em", "sup": "sup", "sub": "sub"}


def _node_html(node: Node | Piece) -> str:
    if isinstance(node, Piece):
        return _piece_html(node)
    inner = "".join(_node_html(child) for child in node.children)
    kind = node.kind
    if kind in INLINE_HTML:
        return f"<{INLINE_HTML[kind]}>{inner}</{INLINE_HTML[kind]}>"
    if kind == "link":
        # Shown as a link, not followed from the reader: a click there belongs to the highlights.
        return f'<span class="md-link" title="{escape(node.attrs["href"])}">{inner}</span>'
    if kind == "br":
        # An element without text: it breaks the line and adds nothing to the offsets.
        return f'{inner}<br class="md-br">'
    if kind == "entity":
        return f'{inner}<span class="md-char" data-char="{escape(node.attrs["char"])}"></span>'
    if kind == "hardbreak":
        return f'<span class="md-hardbreak">{inner}</span>'
    return inner


def _block_html(block: Node) -> str:
    inner = "".join(_node_html(child) for child in block.children)
    first = pieces([block])[0].start
    kind = block.kind
    if kind == "h":
        level = int(block.attrs["level"])
        # The page's own title is the h1: the paper's headings sit one level below it.
        tag = f"h{min(level + 1, 6)}"
        return f'<{tag} class="md-h md-h{level}" id="h-{first}" data-at="{first}">{inner}</{tag}>'
    if kind == "hr":
        return f'<div class="md-hr" role="separator" data-at="{first}">{inner}</div>'
    if kind in ("ul", "ol"):
        return f'<li class="md-li" data-at="{first}">{inner}</li>'
    if kind == "quote":
        return f'<blockquote class="md-quote" data-at="{first}">{inner}</blockquote>'
    return f'<p class="para" data-at="{first}">{inner}</p>'


def blocks_html(blocks: list[Node]) -> str:
    """The blocks as the reader's HTML: consecutive list items inside one list."""
    out: list[str] = []
    open_list = ""
    for block in blocks:
        kind = block.kind if block.kind in ("ul", "ol") else ""
        if kind != open_list:
            if open_list:
                out.append(f"</{open_list}>")
            if kind:
                out.append(f'<{kind} class="md-list">')
            open_list = kind
        out.append(_block_html(block))
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)


@lru_cache(maxsize=32)
def render_html(text: str) -> str:
    """The formatted text as HTML, the same for every reader of the paper (hence cached by text)."""
    return blocks_html(parse(text))
