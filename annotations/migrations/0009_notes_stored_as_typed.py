"""Notes and rationales were stored as the HTML bleach made of them ("Su &amp; Li say x &lt; y"); they are now
stored as typed (Markdown-flavoured text) and rendered when shown. This turns what bleach wrote back into the
typed text: entities unescaped, and the tags bleach allowed through written as their Markdown equivalents.

Self-contained (no import of the app's code), so that it keeps doing the same thing whatever the app becomes.
"""

import html
from html.parser import HTMLParser

from django.db import migrations
from django.db.models import Q

BATCH = 500
BLOCKS = {"p", "blockquote", "ul", "ol", "li"}


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list["_Node | str"] = []


class _Tree(HTMLParser):
    """bleach's output as a tree: it is well formed (html5lib wrote it) and holds only the allowlist's tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _inline(nodes: list, in_code: bool = False, depth: int = 0) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            # bleach's linkifier escaped the text of <code> a second time ("a &amp;amp; b").
            out.append(html.unescape(node) if in_code else node)
        elif node.tag == "br":
            out.append("\n")
        elif node.tag in ("em", "strong"):
            # Nested emphasis alternates * and _, or "<em><em>x</em></em>" would read back as **x** (strong).
            mark = ("*" if depth % 2 == 0 else "_") * (1 if node.tag == "em" else 2)
            out.append(f"{mark}{_inline(node.children, in_code, depth + 1)}{mark}")
        elif node.tag == "code":
            body = _inline(node.children, in_code=True)
            fence = "``" if "`" in body else "`"
            out.append(f"{fence}{body}{fence}" if fence == "`" else f"{fence} {body} {fence}")
        elif node.tag == "a":
            out.append(_link(node, _inline(node.children, in_code, depth)))
        else:  # a block inside inline content: keep its text
            out.append(_blocks(node.children))
    return "".join(out)


def _link(node: _Node, text: str) -> str:
    href = node.attrs.get("href", "")
    if not href:
        return text
    # A bare URL the linkifier turned into a link ("www.x.org" got "http://"): the renderer links it again.
    if text in (href, href.removeprefix("http://")):
        return text
    text = text.replace("[", "\\[").replace("]", "\\]")  # brackets in the text would end it early
    title = node.attrs.get("title", "")
    destination = f"<{href}>" if any(char in href for char in " ()<>") else href
    quoted = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
    return f"[{text}]({destination}{quoted})"


def _prefixed(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0], *[(rest + line) if line else rest.rstrip() for line in lines[1:]]])


def _blocks(nodes: list) -> str:
    """Block content: runs of inline nodes and blocks, blocks separated by a blank line."""
    parts: list[str] = []
    run: list = []

    def flush():
        text = _inline(run)
        if text.strip() or not parts and len(run) == len(nodes):
            parts.append(text)
        run.clear()

    previous = ""
    for node in nodes:
        if isinstance(node, _Node) and node.tag in BLOCKS:
            flush()
            # Two lists in a row stay two lists only if the second uses another marker.
            parts.append(_block(node, other_marker=previous == node.tag))
            previous = "" if previous == node.tag else node.tag
        else:
            run.append(node)
            if not (isinstance(node, str) and not node.strip()):
                previous = ""
    flush()
    if len(parts) == 1:
        return parts[0]
    return "\n\n".join(part.strip("\n") for part in parts)


def _block(node: _Node, other_marker: bool = False) -> str:
    if node.tag == "p":
        return _inline(node.children).strip("\n")
    if node.tag == "blockquote":
        return _prefixed(_blocks(node.children).strip("\n"), "> ", "> ")
    if node.tag in ("ul", "ol"):
        items = [child for child in node.children if isinstance(child, _Node) and child.tag == "li"]
        lines = []
        for number, item in enumerate(items, start=1):
            if node.tag == "ol":
                marker = f"{number}) " if other_marker else f"{number}. "
            else:
                marker = "* " if other_marker else "- "
            lines.append(_prefixed(_blocks(item.children).strip("\n") or "", marker, " " * len(marker)))
        return "\n".join(lines)
    return _blocks(node.children)  # a stray <li>


def typed_text(stored: str) -> str:
    """The text the user typed, back from what bleach stored (what bleach dropped cannot come back)."""
    if "<" not in stored and "&" not in stored:
        return stored
    if "<" not in stored:
        return html.unescape(stored)
    tree = _Tree()
    tree.feed(stored)
    tree.close()
    return _blocks(tree.root.children)


def _convert(model, field: str) -> None:
    rows = model.objects.filter(Q(**{f"{field}__contains": "&"}) | Q(**{f"{field}__contains": "<"}))
    changed = []
    for row in rows.only("pk", field).iterator(chunk_size=BATCH):
        value = typed_text(getattr(row, field))
        if value != getattr(row, field):
            setattr(row, field, value)
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, [field])
            changed.clear()
    if changed:
        model.objects.bulk_update(changed, [field])


def notes_as_typed(apps, schema_editor):
    # History rows too: otherwise the next edit of a note would show a change from "&amp;" to "&".
    for model_name, field in (
        ("Claim", "note"),
        ("HistoricalClaim", "note"),
        ("Link", "rationale"),
        ("HistoricalLink", "rationale"),
    ):
        _convert(apps.get_model("annotations", model_name), field)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_history_of_tags_papers_resubmitted"),
    ]

    operations = [
        # Backwards: the typed text is left as it is; the old code shows it well enough as HTML.
        migrations.RunPython(notes_as_typed, migrations.RunPython.noop),
    ]
