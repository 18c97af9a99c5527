"""The REFI-QDA vocabulary that the project (`.qde`) and the codebook (`.qdc`) share: namespaces, GUIDs, element
helpers, the tags as codes, the codebook file, and the schemas. Pure: records in, XML out.

The codebook is written in both: inside a project in the project namespace, alone in the codebook namespace
(which uses the project schema's CodeBook and Code types). exports/refiqda.py writes the project.
"""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from .xmltext import xml_safe  # the one XML-safe function: lxml refuses what XML 1.0 cannot carry

NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).with_name("schema")
PROJECT_SCHEMA = SCHEMA_DIR / "Project-mrt2019.xsd"
ORIGIN = "sco-claims"
GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:sco-claims:refi-qda")
STANCE_CODE = "stance"
STANCES = ("affirms", "denies", "qualifies")
STANCE_COLOURS = {"affirms": "#1b9e77", "denies": "#d95f02", "qualifies": "#7570b3"}


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUIDS, f"{kind}:{key}"))


def stamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def qname(name: str, namespace: str = NAMESPACE) -> str:
    return f"{{{namespace}}}{name}"


def xml_element(parent, element_name: str, namespace: str = NAMESPACE, /, **attributes) -> etree._Element:
    """A child of `parent`, or (parent None) an element of its own, written whole when it is complete."""
    name = qname(element_name, namespace)
    element = etree.Element(name, nsmap={None: namespace}) if parent is None else etree.SubElement(parent, name)
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_safe(value))
    return element


def xml_text_element(parent, name: str, text: str, namespace: str = NAMESPACE) -> etree._Element:
    element = xml_element(parent, name, namespace)
    element.text = xml_safe(text)
    return element


PROPOSED_MARK = "(A proposed tag: not yet accepted in sco-claims.)"


def tag_description(tag: dict) -> str:
    """The code's Description: the tag's name, then (after a blank line) its description; a proposal says so
    on a last paragraph of its own (PROPOSED_MARK), which our import reads back as the tag's status."""
    paragraphs = [tag["name"], tag["description"]]
    if tag.get("status") == "proposed":
        paragraphs.append(PROPOSED_MARK)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def add_codes(parent, tags: list, namespace: str) -> None:
    """The codebook: tags (native tag records) as codes, children inside their parent; the stances as codes
    under `stance`."""
    children: dict[str | None, list] = {}
    slugs = {tag["slug"] for tag in tags}
    for tag in tags:
        parent_slug = tag["parent"] if tag["parent"] in slugs else None
        children.setdefault(parent_slug, []).append(tag)

    def add(into, tag) -> None:
        code = xml_element(
            into, "Code", namespace, guid=guid("tag", tag["slug"]), name=tag["slug"], isCodable="true",
            color=tag["colour"],
        )  # fmt: skip
        xml_text_element(code, "Description", tag_description(tag), namespace)
        for child in children.get(tag["slug"], []):
            add(code, child)

    for tag in children.get(None, []):
        add(parent, tag)
    stance = xml_element(parent, "Code", namespace, guid=guid("code", STANCE_CODE), name=STANCE_CODE, isCodable="false")
    xml_text_element(stance, "Description", "The stance a claim takes (sco-claims).", namespace)
    for name in STANCES:
        xml_element(stance, "Code", namespace, guid=guid("stance", name), name=name, isCodable="true",
                 color=STANCE_COLOURS[name])  # fmt: skip


def codebook_qdc(tags: Iterable) -> bytes:
    """The codebook alone, as a REFI-QDA `.qdc` (`<CodeBook>` in the codebook namespace)."""
    root = etree.Element(qname("CodeBook", CODEBOOK_NAMESPACE), nsmap={None: CODEBOOK_NAMESPACE})
    root.set("origin", ORIGIN)
    codes = xml_element(root, "Codes", CODEBOOK_NAMESPACE)
    add_codes(codes, list(tags), CODEBOOK_NAMESPACE)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def project_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(PROJECT_SCHEMA)))


def codebook_schema() -> etree.XMLSchema:
    """The CodeBook definition of the project schema, in the codebook namespace, with `CodeBook` as its root.

    The REFI-QDA codebook standard uses the project schema's CodeBook and Code types in its own namespace;
    this builds that schema from the vendored project schema instead of vendoring a second file."""
    text = PROJECT_SCHEMA.read_text(encoding="utf-8").replace(NAMESPACE, CODEBOOK_NAMESPACE)
    text = text.replace(
        '<xsd:element name="Project" type="ProjectType">',
        '<xsd:element name="CodeBook" type="CodeBookRootType"/>\n'
        '<xsd:complexType name="CodeBookRootType"><xsd:sequence>'
        '<xsd:element name="Codes" type="CodesType"/><xsd:element name="Sets" type="SetsType" minOccurs="0"/>'
        '</xsd:sequence><xsd:attribute name="origin" type="xsd:string"/></xsd:complexType>\n'
        '<xsd:element name="Project" type="ProjectType">',
    )
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))
