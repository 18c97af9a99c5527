"""The data package read by R's `read.csv` with the types `datapackage.json` gives: every column of the class its
Frictionless type asks for, every row there, every text exactly as written (R has the one difference, which the
docs give: a carriage return inside a cell comes back as a line feed). R writes back what it read, each text as
the hex of its UTF-8 bytes, and Python compares with the CSV and with what was stored."""

import csv
import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.tricky_package import tricky_package

RSCRIPT = shutil.which("Rscript")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        RSCRIPT is None,
        reason="Rscript is not on PATH: install R (Debian: apt-get install r-base-core) to check that read.csv "
        "reads the data package with its documented types",
    ),
]

DOCS = Path(__file__).resolve().parent.parent / "docs" / "exchange.md"
R_CLASSES = {
    "string": "character", "integer": "integer", "number": "numeric", "boolean": "logical", "date": "Date",
    "datetime": "POSIXct",
}  # fmt: skip

# What R writes back of each table: its row count, then each column's class and values (texts as hex of their
# UTF-8 bytes, so that nothing in them can be mistaken for the layout).
DUMP = r"""
cell <- function(v) {
  if (is.na(v)) return("NA")
  if (inherits(v, "POSIXct")) return(sprintf("%.6f", as.numeric(v)))
  if (inherits(v, "Date")) return(format(v, "%Y-%m-%d"))
  if (is.character(v)) return(paste0("x", paste(charToRaw(enc2utf8(v)), collapse = "")))
  as.character(v)
}
for (name in tables) {
  table <- read_table(name)
  lines <- paste("rows", nrow(table))
  for (column in names(table)) {
    values <- table[[column]]
    lines <- c(lines, paste("column", column, class(values)[1]), vapply(seq_along(values),
      function(i) cell(values[i]), ""))
  }
  writeLines(lines, paste0(name, ".r.txt"), useBytes = TRUE)
}
"""


@pytest.fixture
def package_dir(api, analyst, moderator, tmp_path) -> Path:
    return tricky_package(api, analyst, moderator, tmp_path)


def run_r(directory: Path, script: str, tables: list[str]) -> str:
    names = ", ".join(f'"{name}"' for name in tables)
    done = subprocess.run(
        [RSCRIPT, "--vanilla", "-e", f"tables <- c({names})\n{script}\n{DUMP}"],
        cwd=directory, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stderr


def read_dump(path: Path) -> tuple[int, dict[str, tuple[str, list[str]]]]:
    lines = path.read_text(encoding="ascii").splitlines()
    rows, columns, current = int(lines[0].split()[1]), {}, None
    for line in lines[1:]:
        if line.startswith("column "):
            _, current, r_class = line.split(" ")
            columns[current] = (r_class, [])
        else:
            columns[current][1].append(line)
    return rows, columns


def r_value(cell: str) -> str | None:
    if cell == "NA":
        return None
    return bytes.fromhex(cell[1:]).decode("utf-8") if cell.startswith("x") else cell


def check_what_r_read(directory: Path) -> dict[str, dict[str, list]]:
    """Compare R's tables with the CSV files cell by cell; give R's values by table and column."""
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    read: dict[str, dict[str, list]] = {}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        with open(directory / resource["path"], encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        count, columns = read_dump(directory / f"{resource['name']}.r.txt")
        assert count == len(rows), resource["name"]
        assert list(columns) == header == [field["name"] for field in fields]
        read[resource["name"]] = {}
        for place, field in enumerate(fields):
            r_class, cells = columns[field["name"]]
            where = f"{resource['name']}.{field['name']}"
            assert r_class == R_CLASSES[field["type"]], where
            values = [r_value(cell) for cell in cells]
            written = [row[place] for row in rows]
            assert [value is None for value in values] == [cell == "" for cell in written], where
            for value, cell in ((v, c) for v, c in zip(values, written, strict=True) if c != ""):
                if field["type"] == "string":
                    # R's scan reads a carriage return inside a quoted cell as a line feed.
                    assert value == cell.replace("\r\n", "\n").replace("\r", "\n"), where
                elif field["type"] == "datetime":
                    expected = datetime.fromisoformat(cell).timestamp()
                    assert abs(float(value) - expected) < 1e-5, where  # to the microsecond
                else:
                    assert value == cell, where
            read[resource["name"]][field["name"]] = values
    return read


def check_the_tricky_cells(read: dict[str, dict[str, list]]) -> None:
    claims = read["claims"]
    by_statement = {statement: place for place, statement in enumerate(claims["statement"])}
    first, across = by_statement['A "quoted", comma\nsecond line'], by_statement["'=SUM(A1:A2)"]
    assert claims["speaker"][first] == "007"  # text, not the number 7
    assert claims["speaker"][across] == "NA"  # a speaker named NA, not a missing value
    assert claims["note"][first] == "Line 1\nline 2 — ünï 🌏, \\ #"  # CRLF comes back as LF
    assert claims["note"][across] == "  padded  "
    assert claims["moderation_reason"][first] == "'=ok"  # remove one leading ' to get the value
    assert (claims["pages"][first], claims["first_page"][first], claims["last_page"][first]) == ("p. 2", "2", "2")
    assert (claims["first_page"][across], claims["last_page"][across]) == ("1", "2")
    assert claims["statement"][by_statement["TRUE"]] == "TRUE"
    assert claims["exact"][by_statement["TRUE"]] == "🌏"
    papers = read["papers"]
    assert (papers["title"], papers["venue"], papers["year"]) == (['He said "no", then\nleft'], ["'=Venue()"], ["2010"])
    assert read["authors"]["name"] == ['Smith, Jane "JJ"']
    assert read["authors"]["affiliation"] == ["'@Lab, Inc."]
    assert dict(zip(read["tags"]["slug"], read["tags"]["status"], strict=True)) == {
        "security": "accepted", "proposed-one": "proposed",
    }  # fmt: skip
    assert read["links"]["rationale"] == ['\'+1, "two"\nthree']
    assert sorted(read["statements"]["agreement"], key=str) == ["0", "1", None]
    assert set(read["statements"]["date"]) == {"2010-01-01"}


def r_named(values: dict[str, str]) -> str:
    return ", ".join(f'{name} = "{value}"' for name, value in values.items())


def test_read_csv_with_the_classes_the_descriptor_gives_reads_every_table_typed_and_exact(package_dir):
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    classes = {
        resource["name"]: {field["name"]: field["type"] for field in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }
    r_lists = ", ".join(f"{table} = c({r_named(fields)})" for table, fields in classes.items())
    script = f"""
types <- list({r_lists})
r_classes <- c(string = "character", integer = "integer", number = "numeric", boolean = "logical",
               date = "Date", datetime = "character")
read_table <- function(name) {{
  table <- read.csv(paste0(name, ".csv"), encoding = "UTF-8", na.strings = "",
                    colClasses = setNames(r_classes[types[[name]]], names(types[[name]])))
  for (column in names(types[[name]])[types[[name]] == "datetime"])
    table[[column]] <- as.POSIXct(table[[column]], format = "%Y-%m-%dT%H:%M:%OSZ", tz = "UTC")
  table
}}
"""
    run_r(package_dir, script, list(classes))
    check_the_tricky_cells(check_what_r_read(package_dir))


def docs_r_snippet() -> str:
    blocks = re.findall(r"```r\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    return next(block for block in blocks if "read_table <- function" in block)


def test_the_r_snippet_of_the_docs_reads_the_package_as_the_descriptor_says(package_dir):
    has_jsonlite = subprocess.run([RSCRIPT, "--vanilla", "-e", "library(jsonlite)"], capture_output=True)
    if has_jsonlite.returncode != 0:
        pytest.skip("the docs' R snippet reads datapackage.json with jsonlite, which this R lacks")
    snippet = docs_r_snippet()
    tables = [resource["name"] for resource in json.loads((package_dir / "datapackage.json").read_text())["resources"]]
    run_r(package_dir, snippet, tables)
    check_the_tricky_cells(check_what_r_read(package_dir))
