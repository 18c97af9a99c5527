"""HTML main text with lxml: a careful html-to-text, not a readability heuristic.

The article's own element (<main>, else <article>, else <body>) is read; scripts, styles, navigation, headers,
footers, asides and forms are dropped; block elements become paragraphs separated by a blank line and white
space inside a paragraph collapses as a browser shows it (kept as is inside <pre>). A heuristic extractor
scores and may drop paragraphs of a paper silently; here what is dropped is named above.
"""

import re

from lxml import etree, html

from .errors import ExtractionError
from .result import Extracted, Limits, clean

DROPPED = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "iframe",
           "button", "select", "head", "object", "embed", "canvas", "math")  # fmt: skip
BLOCKS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "body",
        "html",
    ]
)
CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_RUNS = re.compile(r" {2,}")
_AROUND_BREAKS = re.compile(r" *([\n\t]) *")


def _parse(data: bytes):
    # No network, no entities: the HTML parser reads only the bytes given; comments and processing
    # instructions are dropped. The bytes go in undecoded so that a <meta charset> is honoured.
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        return html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError("unreadable", f"The HTML page cannot be read ({error}).") from error


class _Writer:
    """Paragraphs out of a tree: inline text collected, flushed at each block boundary."""

    def __init__(self):
        self.paragraphs: list[str] = []
        self.line: list[str] = []

    def flush(self):
        # Source white space is already one space a run (see inline); <br> and cells add \n and \t, kept.
        text = _AROUND_BREAKS.sub(r"\1", _RUNS.sub(" ", "".join(self.line))).strip(" \t\n")
        if text:
            self.paragraphs.append(text)
        self.line = []

    def walk(self, element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "pre":
            self.flush()
            self.paragraphs.append(element.text_content().strip("\n"))
        else:
            block = tag in BLOCKS
            if block:
                self.flush()
            if tag == "br":
                self.line.append("\n")
            self.line.append(_SPACES.sub(" ", element.text or ""))
            for child in element:
                self.walk(child)
                self.line.append(_SPACES.sub(" ", child.tail or ""))
            if tag in CELLS:
                self.line.append("\t")
            if block:
                self.flush()


def extract_html(data: bytes, limits: Limits) -> Extracted:
    root = _parse(data)
    for element in root.iter(*DROPPED):
        element.drop_tree()
    main = next(root.iter("main"), None)
    if main is None:
        main = next(root.iter("article"), None)
    writer = _Writer()
    writer.walk(main if main is not None else root)
    writer.flush()
    text = clean("\n\n".join(writer.paragraphs))
    if not text:
        raise ExtractionError("no_text", "The HTML page has no text in its body.")
    if len(text) > limits.max_text:
        raise ExtractionError("text_too_long", f"The text has more than {limits.max_text} characters; split the file.")
    return Extracted(kind="html", text=text)
