"""Files the upload tests build themselves: PDFs with reportlab (BSD) with known text on known pages, Word files
with python-docx, and hostile ones (encrypted, scanned, a zip bomb)."""

import io
import zipfile

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf_bytes(pages: list[list[str]], *, encrypt: str | None = None, text: bool = True) -> bytes:
    """A PDF with one page per entry, each line of the entry drawn as a line of text; `text=False` draws
    rectangles instead (as a scan has no text layer); `encrypt` sets a user password."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt, invariant=1)
    for lines in pages:
        y = 800
        for line in lines:
            if text:
                pdf.drawString(72, y, line)
            else:
                pdf.rect(72, y, 300, 10, fill=1)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bomb() -> bytes:
    """A .docx-shaped zip whose document part inflates a thousandfold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (30 * 1024 * 1024))
    return buffer.getvalue()
