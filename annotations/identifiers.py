"""Stable identifiers of papers, the same on every host and in every format. Pure: no ORM.

A paper is named by its DOI (as `https://doi.org/<doi>`) when known, else by its URL, else by a URN made
of the project's name and the paper's slug (`urn:sco-claims:paper:masuda-2010`). The server's own address
(the reader page) is never the identifier: an export shows it only as a `via`, an alternative.
"""

import re
from urllib.parse import unquote

# Projects (several corpora) come later; until then every paper belongs to this one.
DEFAULT_PROJECT = "sco-claims"
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
_URN = re.compile(r"^urn:([-a-z0-9_.]+):paper:([-a-zA-Z0-9_]+)$")


def normal_doi(value: str) -> str | None:
    """`10.1000/xyz` from any of its usual spellings (doi:, https://doi.org/...), None when it is no DOI.

    DOIs are case-insensitive: the normal form is lower case, so lookups match however it was written."""
    text = value.strip()
    for prefix in _DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = unquote(text[len(prefix) :])
            break
    return text.lower() if _DOI.match(text) else None


def paper_identifier(
    *, slug: str, doi: str | None = None, url: str | None = None, project: str = DEFAULT_PROJECT
) -> str:
    """The paper's stable identifier (an IRI): its DOI, else its URL, else `urn:<project>:paper:<slug>`."""
    if doi:
        return f"https://doi.org/{doi}"
    if url:
        return url
    return f"urn:{project}:paper:{slug}"


def slug_in_urn(identifier: str) -> str | None:
    """The slug of a `urn:<project>:paper:<slug>` identifier, None for any other."""
    match = _URN.match(identifier.strip())
    return match.group(2) if match else None
