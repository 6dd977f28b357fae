"""A written .docx read back before it is put in place: the output cannot be a cut document.

Every part is read back, but a part already checked whole is not inflated and parsed again: a
prepared template's unchanged parts are checked once when it is prepared, a filled part when it
is rendered (``trust``). Such a part is recognised by its name, its CRC, its sizes and the
checksum of its compressed bytes as the written zip holds them: its local header and data must
be those that were checked, else it is read and parsed like any other part.
"""

from __future__ import annotations

import struct
import threading
import zipfile
import zlib
from xml.parsers import expat

from conventum.ooxml.archive import UnsafeArchive, open_archive

XML_SUFFIXES = (".xml", ".rels")
LOCAL_HEADER = struct.Struct("<4sHHHHHLLLHH")
# Filled parts are trusted for the few documents being written; older ones are forgotten first.
RECENT_LIMIT = 512

# (name, CRC, size, compressed size) → CRC-32 of the compressed bytes, for checked parts.
_TEMPLATE_PARTS: dict[tuple[str, int, int, int], int] = {}
_FILLED_PARTS: dict[tuple[str, int, int, int], int] = {}
_LOCK = threading.Lock()


def trust(name: str, crc: int, size: int, compressed: bytes, *, template: bool) -> None:
    """Record a part checked whole (CRC computed from its content, XML well-formed): the read-back
    of a written document skips it when it holds exactly these compressed bytes. ``template``: an
    unchanged part of a prepared template (kept), else a filled part (kept for the next writes)."""
    key, digest = (name, crc, size, len(compressed)), zlib.crc32(compressed)
    with _LOCK:
        if template:
            _TEMPLATE_PARTS[key] = digest
            return
        _FILLED_PARTS.pop(key, None)
        _FILLED_PARTS[key] = digest
        while len(_FILLED_PARTS) > RECENT_LIMIT:
            del _FILLED_PARTS[next(iter(_FILLED_PARTS))]


def docx_problem(data: bytes) -> str | None:
    """Why these bytes are not a whole Word document (not a zip, a part cut or corrupt, an XML
    part not well-formed, no body); None when every part reads back. Cheap: expat, no tree; and
    a part already checked (``trust``) costs a checksum of its compressed bytes."""
    try:
        with open_archive(data) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return "partie principale absente"
            view = memoryview(data)
            for info in archive.infolist():
                if _checked_before(view, info):
                    continue
                content = archive.read(info)  # checks each part's CRC
                if info.filename.endswith(XML_SUFFIXES) and not _well_formed(content):
                    return f"XML illisible dans {info.filename}"
    except UnsafeArchive as exc:
        return exc.reason
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as exc:  # ValueError: a shifted offset
        return f"archive illisible ({exc})"
    return None


def _checked_before(data: memoryview, info: zipfile.ZipInfo) -> bool:
    """Whether this member is a trusted part, its local header agreeing with the directory."""
    key = (info.filename, info.CRC, info.file_size, info.compress_size)
    digest = _TEMPLATE_PARTS.get(key)
    if digest is None:
        digest = _FILLED_PARTS.get(key)
    if digest is None or info.flag_bits & 0x1 or info.header_offset < 0:  # unknown, encrypted, cut
        return False
    stored = _stored_bytes(data, info)
    return stored is not None and zlib.crc32(stored) == digest


def _stored_bytes(data: memoryview, info: zipfile.ZipInfo) -> memoryview | None:
    """The member's compressed bytes, when its local header says what the directory says."""
    start = info.header_offset
    header = bytes(data[start : start + LOCAL_HEADER.size])
    if len(header) != LOCAL_HEADER.size:
        return None
    signature, _v, flags, method, _t, _d, crc, compressed, size, name_length, extra = LOCAL_HEADER.unpack(
        header
    )
    agrees = signature == b"PK\x03\x04" and method == info.compress_type and not flags & 0x8
    if not agrees or (crc, compressed, size) != (info.CRC, info.compress_size, info.file_size):
        return None
    name_start = start + LOCAL_HEADER.size
    if bytes(data[name_start : name_start + name_length]) != info.orig_filename.encode("utf-8"):
        return None
    body = name_start + name_length + extra
    stored = data[body : body + info.compress_size]
    return stored if len(stored) == info.compress_size else None


def check_part_bytes(name: str, content: bytes) -> str | None:
    """Why a part's content is not what a Word document may hold (XML not well-formed); None if fine."""
    if name.endswith(XML_SUFFIXES) and not _well_formed(content):
        return f"XML illisible dans {name}"
    return None


def _well_formed(xml: bytes) -> bool:
    parser = expat.ParserCreate()
    try:
        parser.Parse(xml, True)
    except expat.ExpatError:
        return False
    return True
