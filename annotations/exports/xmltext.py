"""The one way text enters an XML document here: characters XML 1.0 cannot carry are removed, the rest escaped.

XML 1.0 allows tab, line feed, carriage return and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF, nothing
else. Input refuses control characters (see annotations.textrules), but rows stored before that rule, or a
paper's text, may still hold one; an export must not fail on them. Every XML writer (GraphML for claims and
for the discourse networks) builds its text and attributes with these functions, as plain strings: no
library writer with native state is involved, so nothing half-built can outlive a failed request.
"""

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> str:
    """`value` as a string holding only characters XML 1.0 can carry (the others are removed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def xml_text(value: Any) -> str:
    """Element content: safe and escaped."""
    # A bare carriage return would come back as a line feed (XML normalises line ends): keep it as a reference.
    return escape(xml_safe(value), {"\r": "&#13;"})


def xml_attr(value: Any) -> str:
    """An attribute value with its quotes: safe and escaped."""
    return quoteattr(xml_safe(value), {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})
