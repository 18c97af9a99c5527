"""The pure extraction package: detection by content, each refusal by its code, page ranges."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.extraction import ExtractionError, Limits, detect_kind, extract
from annotations.extraction.pdf import joined_pages
from annotations.extraction.result import clean
from annotations.pages import ranges_are_sound
from annotations.textrules import control_character_problem
from tests.upload_files import docx_bomb, docx_bytes, pdf_bytes


def refusal(data: bytes, name: str, limits: Limits | None = None) -> str:
    with pytest.raises(ExtractionError) as caught:
        extract(data, name, limits)
    return caught.value.code


@given(st.lists(st.text(max_size=30), min_size=1, max_size=10))
def test_joined_pages_cover_the_text_and_hold_each_page(texts):
    joined = joined_pages(texts)
    assert ranges_are_sound(joined["pages"], len(joined["text"]))
    for text, (start, _end) in zip(texts, joined["pages"], strict=True):
        assert joined["text"][start : start + len(text)] == text


@given(st.text())
def test_cleaned_text_can_be_stored(text):
    cleaned = clean(text)
    assert control_character_problem(cleaned) is None
    assert "\r" not in cleaned


def test_detection_reads_content_not_names():
    assert detect_kind(pdf_bytes([["x"]])) == "pdf"
    assert detect_kind(docx_bytes(["x"])) == "docx"
    assert detect_kind(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert detect_kind(b"plain words") == "text"
    assert detect_kind(b"\x89PNG\r\n\x1a\n") == "binary"


def test_each_refusal_has_its_code():
    assert refusal(b"x" * 2000, "a.txt", Limits(max_bytes=1000)) == "too_large"
    assert refusal(b"x", "a.exe") == "unsupported_type"
    assert refusal(docx_bytes(["x"]), "a.pdf") == "not_what_its_name_says"
    assert refusal(pdf_bytes([["x"]], encrypt="pw"), "a.pdf") == "encrypted"
    assert refusal(pdf_bytes([["x"]], text=False), "a.pdf") == "no_text"
    assert refusal(pdf_bytes([["x"]] * 3), "a.pdf", Limits(max_pages=2)) == "too_many_pages"
    assert refusal(pdf_bytes([["a long line of text"]] * 3), "a.pdf", Limits(max_text=30)) == "text_too_long"
    assert refusal(docx_bomb(), "a.docx") == "too_large"
    assert refusal(b"%PDF-1.4 broken", "a.pdf") in {"unreadable", "no_text"}
    assert refusal(b"a\x01b", "a.txt") == "control_characters"
    assert refusal(b"   \n", "a.txt") == "no_text"


def test_html_keeps_the_main_text_and_drops_the_rest():
    page = (
        b"<html><head><meta charset='windows-1251'><style>p{}</style></head><body>"
        b"<header>Site</header><article><h1>Title</h1><p>One   <i>two</i><br>three</p>"
        b"<pre>  code\n  kept</pre><table><tr><td>a</td><td>b</td></tr></table></article>"
        b"<aside>ad</aside><script>evil()</script><p>\xcf\xf0\xe8</p></body></html>"
    )
    text = extract(page, "a.html").text
    assert text == "Title\n\nOne two\nthree\n\n  code\n  kept\n\na\tb"


def test_docx_tables_and_paragraphs_in_order():
    text = extract(docx_bytes(["Before.", "After."], table=[["x", "y"]]), "a.docx").text
    assert text == "Before.\n\nAfter.\n\nx\ty"
