"""The reader's formatting of the papers' light markup: every construct the five papers carry, and for any
text, the pieces (visible and hidden) spell it exactly at their own offsets, in the HTML too."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.formatting import Node, Piece, parse, pieces, render_html

PAPERS = Path(__file__).resolve().parent.parent / "fixtures" / "papers"

ALLOWED_TAGS = {"p", "span", "strong", "em", "sup", "sub", "h2", "h3", "h4", "h5", "h6", "div", "ul", "ol", "li"}
ALLOWED_TAGS |= {"blockquote", "br"}
ALLOWED_ATTRS = {"class", "data-start", "data-at", "id", "title", "role", "data-char"}


class Pieces(HTMLParser):
    """The text of the HTML piece by piece: (data-start, text, hidden), and every tag and attribute used."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.found: list[tuple[int, str, bool]] = []
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}
        if tag != "br":
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        tag, attrs = self.stack[-1]
        assert tag == "span", f"text {data!r} outside a piece"
        assert "data-start" in attrs, f"text {data!r} outside a piece"
        if self.found and self.found[-1][0] == int(attrs["data-start"]):  # one text split by the parser
            data = self.found.pop()[1] + data
        self.found.append((int(attrs["data-start"]), data, attrs.get("class") == "mk"))


def html_pieces(text: str) -> Pieces:
    parser = Pieces()
    parser.feed(render_html(text))
    parser.close()
    return parser


def visible(nodes) -> str:
    return "".join(p.text for p in pieces(nodes) if not p.hidden)


def hidden(nodes) -> list[str]:
    return [p.text for p in pieces(nodes) if p.hidden]


def kinds(node: Node | Piece) -> list[str]:
    if isinstance(node, Piece):
        return []
    return [node.kind] + [k for child in node.children for k in kinds(child)]


def only(text: str) -> Node:
    blocks = parse(text)
    assert len(blocks) == 1, blocks
    return blocks[0]


# Every construct of the shipped papers, as it appears there.


def test_heading_with_bold_inside():
    block = only("## **China's SCO Policy in the Regional Security Architecture**\n\n")
    assert block.kind == "h"
    assert block.attrs["level"] == "2"
    assert kinds(block) == ["h", "strong"]
    assert visible([block]) == "China's SCO Policy in the Regional Security Architecture"
    assert hidden([block]) == ["## ", "**", "**", "\n\n"]


@pytest.mark.parametrize(("line", "level"), [("# TITLE", "1"), ("## INTRODUCTION", "2"), ("### *(1) Part*", "3")])
def test_headings_of_each_level(line, level):
    block = only(line + "\n")
    assert (block.kind, block.attrs["level"]) == ("h", level)
    assert "#" not in visible([block])


def test_italic_heading():
    block = only('### *(1) Regional Cooperation in "Harmonious World"*\n')
    assert kinds(block) == ["h", "em"]
    assert visible([block]) == '(1) Regional Cooperation in "Harmonious World"'


def test_bold_initial_letter():
    block = only("**A**s many analysts\n")
    assert kinds(block) == ["p", "strong"]
    assert visible([block]) == "As many analysts"


def test_bold_across_a_line_break():
    block = only("**By Pan Guang\nSeptember 2006**\n")
    assert kinds(block) == ["p", "strong"]
    assert visible([block]) == "By Pan Guang\nSeptember 2006"


def test_italic_titles_in_a_list_of_works():
    block = only('such as *"The Jews in China"*, *"Open Door"* and more\n')
    assert kinds(block) == ["p", "em", "em"]
    assert visible([block]) == 'such as "The Jews in China", "Open Door" and more'


def test_footnote_superscript():
    block = only("concrete policies.<sup>1</sup> In this context\n")
    assert kinds(block) == ["p", "sup"]
    assert visible([block]) == "concrete policies.1 In this context"
    assert hidden([block]) == ["<sup>", "</sup>", "\n"]


def test_footnote_line_starting_with_a_superscript_and_italics():
    block = only('<sup>1</sup> David Shambaugh, "China Engages Asia," *International Security*, Vol. 29.\n')
    assert kinds(block) == ["p", "sup", "em"]


def test_hard_line_break():
    block = only("from “Asia-Pacific Security Architecture:  \nTiered Structure”\n")
    assert kinds(block) == ["p", "hardbreak"]
    assert visible([block]) == "from “Asia-Pacific Security Architecture:  \nTiered Structure”"


def test_horizontal_rule():
    block = only("---\n\n")
    assert block.kind == "hr"
    assert visible([block]) == ""


def test_bullet_list():
    blocks = parse("- BASIC POLITICAL FRAMEWORKS\n- FOREIGN AND SECURITY POLICY\n")
    assert [b.kind for b in blocks] == ["ul", "ul"]
    assert visible(blocks) == "BASIC POLITICAL FRAMEWORKSFOREIGN AND SECURITY POLICY"
    assert '<ul class="md-list"><li class="md-li"' in render_html("- a\n- b\n")
    assert render_html("- a\n- b\n").count("<ul") == 1


def test_numbered_section_keeps_its_number():
    block = only("1. Regionalization of Security and SCO\n\n")
    assert block.kind == "ol"
    assert visible([block]) == "1. Regionalization of Security and SCO"


def test_markdown_link_shows_its_text():
    block = only("at [www.tokyofoundation.org/en](http://www.tokyofoundation.org/en).\n")
    assert kinds(block) == ["p", "link"]
    assert visible([block]) == "at www.tokyofoundation.org/en."
    assert 'title="http://x.org/"' in render_html("[a](http://x.org/)")
    assert "<a " not in render_html("[a](javascript:alert(1))")


def test_autolink():
    block = only("URL: <http://www.tokyofoundation.org/en/>\n")
    assert kinds(block) == ["p", "link"]
    assert visible([block]) == "URL: http://www.tokyofoundation.org/en/"


def test_escaped_backslash_and_intraword_underscore():
    block = only("ArticleZt.jsp?a\\\\_no=28752&col\\\\_no=203\n")
    assert kinds(block) == ["p"]
    assert visible([block]) == "ArticleZt.jsp?a\\_no=28752&col\\_no=203"


def test_plain_brackets_bars_and_ampersands_stay_text():
    text = "It “stress[es] the need” | Su & Li, x < y, a_b_c\n"
    block = only(text)
    assert kinds(block) == ["p"]
    assert visible([block]) == text.rstrip("\n")


def test_leading_blank_lines_are_hidden():
    blocks = parse("\n\nMasayuki Masuda\n\n## Title\n")
    assert [b.kind for b in blocks] == ["p", "h"]
    assert visible(blocks[:1]) == "Masayuki Masuda"


# The HTML of the sources that the papers do not carry yet but the reader renders all the same.


def test_entities_are_hidden_and_shown_decoded():
    block = only("Su &amp; Li &#8217;s &eacute; &bogus;\n")
    assert kinds(block) == ["p", "entity", "entity", "entity"]
    html = render_html("Su &amp; Li")
    assert '<span class="mk" data-start="3">&amp;amp;</span><span class="md-char" data-char="&amp;"></span>' in html


def test_sub_br_and_block_quote():
    assert kinds(only("H<sub>2</sub>O<br>next<br />line\n")) == ["p", "sub", "br", "br"]
    assert '<br class="md-br">' in render_html("a<br>b")
    block = only("> quoted\n> on two lines\n")
    assert block.kind == "quote"
    assert visible([block]) == "quoted\non two lines"


def test_other_html_is_text_never_markup():
    text = '<script>alert(1)</script> <img src=x onerror="alert(1)"> <a href="x">y</a>'
    html = render_html(text)
    parsed = html_pieces(text)
    assert parsed.tags <= ALLOWED_TAGS
    for live in ("<script", "<img", "<a "):
        assert live not in html
    assert "".join(t for _, t, _ in parsed.found) == text


@pytest.mark.parametrize("path", sorted(PAPERS.glob("*.txt")), ids=lambda p: p.stem)
def test_the_shipped_papers_render_losslessly(path):
    text = path.read_text(encoding="utf-8")
    parsed = html_pieces(text)
    assert "".join(t for _, t, _ in parsed.found) == text
    position = 0
    for start, piece, _ in parsed.found:
        assert start == position
        position += len(piece)
    assert parsed.tags <= ALLOWED_TAGS
    assert parsed.attrs <= ALLOWED_ATTRS
    shown = "".join(t for _, t, hide in parsed.found if not hide)
    for markup in ("## ", "<sup>", "</sup>", "**"):
        assert markup not in shown


# Any text at all.

MARKUP = ["#", "## ", "*", "**", "_", "__", "-", "--- ", "1. ", "> ", "<sup>", "</sup>", "<sub>", "</sub>", "<br>"]
MARKUP += ["&amp;", "&#8217;", "&x;", "[", "](http://x.y)", "<http://a.b>", "\\", "\\*", "  \n", "\n", "\n\n", " "]
alphabet = st.sampled_from(["a", "B", " ", "\t", "é", "\U0001d516", "😀", "<", ">", "&", '"', "(", ")", *MARKUP])
texts = st.lists(alphabet, max_size=40).map("".join)


@settings(max_examples=500)
@given(texts)
def test_pieces_spell_the_text_at_their_offsets(text):
    position = 0
    for piece in pieces(parse(text)):
        assert piece.text
        assert piece.start == position
        assert text[piece.start : piece.start + len(piece.text)] == piece.text
        position += len(piece.text)
    assert position == len(text)


@settings(max_examples=300)
@given(texts)
def test_the_html_carries_every_code_point_once_and_no_markup_of_the_source(text):
    parsed = html_pieces(text)
    assert "".join(t for _, t, _ in parsed.found) == text
    position = 0
    for start, piece, _ in parsed.found:
        assert start == position
        position += len(piece)
    assert parsed.tags <= ALLOWED_TAGS
    assert parsed.attrs <= ALLOWED_ATTRS
