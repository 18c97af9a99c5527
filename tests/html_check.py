"""Reading our pages' HTML in tests: which elements are live (could run or load something) and what text shows."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from annotations.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS

# Elements that run, load or embed something; none may come from what a user typed.
EMBEDDING = {"iframe", "object", "embed", "svg", "math", "base", "frame", "frameset", "applet", "audio", "video"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Page(HTMLParser):
    """Elements with their attributes (and a script's or style's text), and the text a reader sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.text_parts: list[str] = []
        self._raw: Element | None = None

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.elements.append(element)
        if tag in ("script", "style"):
            self._raw = element

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw.text += data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def live_injections(html: str) -> list[str]:
    """What in a page of ours could run or load something it should not: inline scripts, styles or handlers,
    embedded objects, script URLs, images from elsewhere. Our own pages have none of these."""
    problems = []
    for element in parse(html).elements:
        for name, value in element.attrs.items():
            if name.startswith("on"):
                problems.append(f"<{element.tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value.strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                problems.append(f"<{element.tag} {name}={value!r}>")
        if element.tag == "script" and (element.text.strip() and element.attrs.get("type") != "application/json"):
            problems.append(f"inline <script>: {element.text[:60]!r}")
        if element.tag == "script" and "src" in element.attrs and not element.attrs["src"].startswith("/static/"):
            problems.append(f"<script src={element.attrs['src']!r}>")
        if element.tag == "style" or "style" in element.attrs:
            problems.append(f"inline style on <{element.tag}>")
        if element.tag in EMBEDDING:
            problems.append(f"<{element.tag}>")
        if element.tag == "img" and not element.attrs.get("src", "").startswith(("/static/", "data:image/svg+xml")):
            problems.append(f"<img src={element.attrs.get('src')!r}>")
    return problems


def live_parts(html: str) -> list[str]:
    """Every element of a page that runs or loads something, and every handler or script URL: to compare a page
    showing typed text with the same page showing plain text (the admin has scripts and icons of its own)."""
    parts = []
    for element in parse(html).elements:
        for name, value in element.attrs.items():
            if name.startswith("on") or (name in ("href", "src", "action") and ":" in value.split("/", 1)[0]):
                parts.append(f"<{element.tag} {name}={value!r}>")
        if element.tag in ("script", "style", "img", "link", "meta", *EMBEDDING) or "style" in element.attrs:
            parts.append(f"<{element.tag} src={element.attrs.get('src')!r} style={element.attrs.get('style')!r}>")
    return parts


def outside_allowlist(fragment: str) -> list[str]:
    """Tags, attributes and link protocols of a rendered note that the allowlist does not have."""
    problems = []
    for element in parse(fragment).elements:
        if element.tag not in ALLOWED_TAGS:
            problems.append(f"<{element.tag}>")
        allowed = {*ALLOWED_ATTRIBUTES.get(element.tag, []), "rel"} if element.tag == "a" else set()
        problems += [f"<{element.tag} {name}>" for name in element.attrs if name not in allowed]
        href = element.attrs.get("href")
        if href is not None and urlsplit(href).scheme and urlsplit(href).scheme.lower() not in ALLOWED_PROTOCOLS:
            problems.append(f"href={href!r}")
    return problems


def squeeze(text: str) -> str:
    """Text with its whitespace runs made one space, as a page shows it."""
    return " ".join(text.split())
