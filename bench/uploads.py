"""`python -m bench.run upload`: upload and extraction of a 30-page PDF (about 40 lines of text a page).

Figures: the PDF's size; the pure extraction (`annotations.extraction.extract`: pypdf, page by page); the service
`paper_upload` through the database (a fresh SQLite file, in its own process: extraction again, the checks, the
original written to a scratch MEDIA_ROOT, the paper, its authors and history row); and the whole
`POST /api/v1/papers/` (multipart parsing, the service, the answer), each the median of a few runs.
"""

import io
import statistics
import tempfile
import time

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .common import ROOT, Row, child_json, child_main

NAME = "upload"


def pdf_of(pages: int) -> bytes:
    words = " ".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures" / "papers").glob("*.txt")))
    words = words.split()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    at = 0
    for _ in range(pages):
        y = 800
        for _ in range(40):
            line = " ".join(words[at : at + 14])
            at = (at + 14) % max(len(words) - 14, 1)
            pdf.drawString(50, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def run(options) -> list[Row]:
    pages = 30
    r = child_json("bench.uploads", f"--pages={pages}", f"--repeats={3 if options.quick else 5}")
    bench = f"{NAME} · {pages}-page PDF, {r['bytes'] / 1024:.0f} KB, {r['length']:,} code points"
    return [
        Row(
            bench, "extraction (pypdf, pure)", round(r["extract_seconds"], 3), "s", f"{r['per_page_ms']:.1f} ms a page"
        ),
        Row(bench, "services.paper_upload", round(r["service_seconds"], 3), "s", "SQLite, file stored, whole write"),
        Row(bench, "POST /api/v1/papers/", round(r["api_seconds"], 3), "s", "multipart, through the API"),
        Row(bench, "pages kept", r["pages"], "", f"must be {pages}"),
    ]


def measure(pages: int, repeats: int) -> dict:
    # Imported here: this runs in the child process, after child_main has set Django up (as bench.reanchor).
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from annotations import services
    from annotations.extraction import extract
    from annotations.models import Paper, User
    from projects.models import default_project

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-upload-")
    data = pdf_of(pages)
    extract(data, "bench.pdf")  # warm: imports and pypdf's first-use caches are not the figure
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        extracted = extract(data, "bench.pdf")
        timings.append(time.perf_counter() - began)
    call_command("migrate", verbosity=0)
    owner = User.objects.create(username="bench-owner", is_superuser=True, is_staff=True)
    project = default_project()
    service = []
    for i in range(repeats):
        began = time.perf_counter()
        services.paper_upload(project=project, by=owner, data=data, name="bench.pdf", title=f"Bench {i}",
                              text=extracted.text + f"\n{i}")  # fmt: skip
        service.append(time.perf_counter() - began)
    Paper.objects.all().delete()
    client = Client()
    client.force_login(owner)
    api = []
    for i in range(repeats):
        body = {"file": SimpleUploadedFile("bench.pdf", data), "title": f"Api {i}", "text": extracted.text + f"\n{i}"}
        began = time.perf_counter()
        response = client.post("/api/v1/papers/", body)
        api.append(time.perf_counter() - began)
        assert response.status_code == 201, response.content[:500]
    extract_seconds = statistics.median(timings)
    return {
        "bytes": len(data),
        "length": len(extracted.text),
        "pages": len(extracted.pages),
        "extract_seconds": extract_seconds,
        "per_page_ms": 1000 * extract_seconds / pages,
        "service_seconds": statistics.median(service),
        "api_seconds": statistics.median(api),
    }


if __name__ == "__main__":
    child_main(__doc__, measure, pages=30, repeats=5)
