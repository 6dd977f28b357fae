"""A .docx zip rewritten fast: unchanged parts copied as their compressed bytes, a few parts replaced."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conventum.ooxml.reread import check_part_bytes, trust

LOCAL_HEADER = struct.Struct("<4sHHHHHLLLHH")
CENTRAL_HEADER = struct.Struct("<4sHHHHHHLLLHHHHHLL")
END_RECORD = struct.Struct("<4sHHHHLLH")
VERSION = 20
UTF8_FLAG = 0x800
# Level 6 is zlib's (and python-docx's) default: the same size of file as Word's.
COMPRESSION_LEVEL = 6


@dataclass(frozen=True)
class Member:
    """One part of the template zip: its name, date, and its compressed bytes when kept as is."""

    name: bytes
    flags: int
    method: int
    dostime: int
    dosdate: int
    crc: int
    compressed: bytes
    size: int
    external_attr: int


def read_members(path: Path) -> list[Member]:
    """Every part of a zip, with its raw compressed bytes (not decompressed)."""
    members = []
    with path.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        for info in archive.infolist():
            handle.seek(info.header_offset)
            header = handle.read(LOCAL_HEADER.size)
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            handle.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
            members.append(_member(info, handle.read(info.compress_size)))
    return members


def member_problem(member: Member) -> str | None:
    """Why a part of a template zip cannot be copied into documents (its data does not inflate,
    or not to its size and CRC, or its XML is not well-formed); None when it is whole."""
    name = member.name.decode("utf-8")
    try:
        if member.method == zipfile.ZIP_STORED:
            content = member.compressed
        elif member.method == zipfile.ZIP_DEFLATED:
            content = zlib.decompress(member.compressed, -15, max(member.size, 1))
        else:
            return f"partie {name} compressée d’une façon non prise en charge"
    except zlib.error as exc:
        return f"partie {name} illisible ({exc})"
    if len(content) != member.size or zlib.crc32(content) != member.crc:
        return f"partie {name} corrompue (taille ou CRC faux)"
    return check_part_bytes(name, content)


def _member(info: zipfile.ZipInfo, compressed: bytes) -> Member:
    year, month, day, hour, minute, second = info.date_time
    return Member(
        name=info.filename.encode("utf-8"),
        flags=UTF8_FLAG if not info.filename.isascii() else 0,
        method=info.compress_type,
        dostime=(hour << 11) | (minute << 5) | (second // 2),
        dosdate=((year - 1980) << 9) | (month << 5) | day,
        crc=info.CRC,
        compressed=compressed,
        size=info.file_size,
        external_attr=info.external_attr,
    )


def replaced(member: Member, content: bytes) -> Member:
    """The same part with new content, deflated."""
    compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Member(
        name=member.name,
        flags=member.flags,
        method=zipfile.ZIP_DEFLATED,
        dostime=member.dostime,
        dosdate=member.dosdate,
        crc=zlib.crc32(content),
        compressed=data,
        size=len(content),
        external_attr=member.external_attr,
    )


def local_block(member: Member) -> bytes:
    """The local header followed by the compressed data."""
    header = LOCAL_HEADER.pack(
        b"PK\x03\x04",
        VERSION,
        member.flags,
        member.method,
        member.dostime,
        member.dosdate,
        member.crc,
        len(member.compressed),
        member.size,
        len(member.name),
        0,
    )
    return header + member.name + member.compressed


def _central_entry(member: Member, offset: int) -> bytes:
    header = CENTRAL_HEADER.pack(
        b"PK\x01\x02",
        VERSION,
        VERSION,
        member.flags,
        member.method,
        member.dostime,
        member.dosdate,
        member.crc,
        len(member.compressed),
        member.size,
        len(member.name),
        0,
        0,
        0,
        0,
        member.external_attr,
        offset,
    )
    return header + member.name


class ZipRewriter:
    """A template zip read once; ``build`` writes a copy with some parts replaced."""

    def __init__(self, path: Path) -> None:
        self.members = read_members(path)
        self._blocks = {member.name: local_block(member) for member in self.members}

    def trust_unchanged(self, filled: set[str]) -> None:
        """Let the read-back of written documents skip the parts copied as they are (every part
        but ``filled``): call once they are checked (``member_problem``)."""
        for member in self.members:
            if member.name.decode("utf-8") not in filled:
                trust(member.name.decode("utf-8"), member.crc, member.size, member.compressed, template=True)

    def build(self, contents: Mapping[str, bytes], *, checked: bool = False) -> bytes:
        """The zip bytes, with the parts named in ``contents`` replaced (others copied as they are).
        ``checked``: the contents were checked whole (well-formed XML), the read-back may skip them."""
        pieces: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for member in self.members:
            name = member.name.decode("utf-8")
            current = replaced(member, contents[name]) if name in contents else member
            if checked and name in contents:
                trust(name, current.crc, current.size, current.compressed, template=False)
            block = local_block(current) if name in contents else self._blocks[member.name]
            central.append(_central_entry(current, offset))
            pieces.append(block)
            offset += len(block)
        directory = b"".join(central)
        count = len(self.members)
        end = END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
        return b"".join(pieces) + directory + end
