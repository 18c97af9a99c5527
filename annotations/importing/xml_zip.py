"""The containers of REFI-QDA files, opened without trusting them: a zip read within limits (the bytes actually
inflated are counted, against zip bombs) and XML parsed with no DTD, no entity and no network, then checked
against its schema. Each refusal names the place."""

import zipfile
from io import BytesIO

from lxml import etree

from .records import ImportRefused


def is_zip(raw: bytes) -> bool:
    return raw[:4] == b"PK\x03\x04"


def refused(path: str, message: str) -> ImportRefused:
    return ImportRefused({path: [message]})


def _parser() -> etree.XMLParser:
    # No entity is ever expanded, no DTD loaded, nothing fetched from the network.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True)  # fmt: skip


def parse_xml(raw: bytes, where: str, schema: etree.XMLSchema) -> etree._Element:
    """The root of `raw`, refused (naming `where` and the line) when it is not well-formed, declares a DTD or
    entities, or fails `schema`."""
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise refused(where, "A DTD or entity declaration (<!DOCTYPE>, <!ENTITY>) is not accepted in this file.")
    try:
        tree = etree.parse(BytesIO(raw), _parser())
    except etree.XMLSyntaxError as error:
        raise refused(where, f"Not well-formed XML: {error}.") from error
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refused(where, "A DTD (<!DOCTYPE>) is not accepted in this file.")
    if not schema.validate(tree):
        messages = [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:20]]
        raise ImportRefused({where: ["It does not follow the REFI-QDA schema.", *messages]})
    return tree.getroot()


def read_zip(raw: bytes, *, max_members: int, max_bytes: int) -> dict[str, bytes]:
    """The members of a `.qdpx`, read within `max_members` and `max_bytes` (the bytes actually inflated are
    counted, not the sizes the zip declares)."""
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise refused("file", f"This is not a .qdpx: the file is not a zip archive ({error}).") from error
    members = archive.infolist()
    if len(members) > max_members:
        raise refused("file", f"The archive holds {len(members)} files; at most {max_members} are accepted.")
    files: dict[str, bytes] = {}
    total = 0
    try:
        for member in members:
            if member.is_dir():
                continue
            with archive.open(member) as stream:
                data = stream.read(max_bytes - total + 1)
            total += len(data)
            if total > max_bytes:
                raise refused(
                    member.filename,
                    f"The archive inflates to more than {max_bytes // (1024 * 1024)} MB; it is refused (zip bomb?).",
                )
            files[member.filename] = data
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as error:
        raise refused("file", f"The zip archive cannot be read: {error}.") from error
    return files


def looks_like_xml(raw: bytes) -> bool:
    return raw.lstrip()[:1] == b"<" or raw.startswith(b"\xef\xbb\xbf<")
