"""Output files of a batch: safe unique names from a pattern, and the manifest that makes --resume safe."""

from __future__ import annotations

import hashlib
import json
import os
import re
import string
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conventum.batch.columns import parse_path
from conventum.errors import OutputError, UsageError
from conventum.output import cap_bytes
from conventum.settings import limits

MANIFEST = ".conventum-lot.jsonl"
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def format_pattern(pattern: str, data: Mapping[str, Any], ligne: int) -> str:
    """Fill a name pattern: ``{parties[0].nom}`` reads the row's data, ``{ligne}`` its number.

    >>> format_pattern("{parties[0].nom}-{ligne}", {"parties": [{"nom": "Arras"}]}, 4)
    'Arras-4'
    """
    pieces = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise UsageError(f"motif de nom « {pattern} » mal formé ({exc}) : accolades à doubler ?") from exc
    for text, field, _spec, _conversion in parsed:
        pieces.append(text)
        if field is not None:
            pieces.append(str(ligne) if field == "ligne" else _lookup(data, field))
    return "".join(pieces)


def _lookup(data: Mapping[str, Any], field: str) -> str:
    segments = parse_path(field)
    if not segments:
        raise UsageError(f"motif de nom : « {{{field}}} » n’est pas un chemin de champ")
    current: Any = data
    for name, index in segments:
        current = current.get(name) if isinstance(current, Mapping) else None
        if index is not None:
            current = current[index] if isinstance(current, list) and index < len(current) else None
    return "" if current is None else str(current)


def safe_name(name: str, *, fallback: str) -> str:
    """A file name that stays in its folder on every system; accents are kept.

    >>> safe_name("../../etc/passwd", fallback="x")
    'etc-passwd'
    >>> safe_name("Saint-Étienne-au-Mont : convention", fallback="x")
    'Saint-Étienne-au-Mont - convention'
    """
    text = unicodedata.normalize("NFC", name)
    text = UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    text = cap_bytes(text, limits().max_filename_bytes)
    if not text:
        return fallback
    if text.split(".")[0].casefold() in RESERVED:
        text = "_" + text
    return text


class NameBook:
    """Hands out file names, unique in a folder without regard to case (-2, -3…)."""

    def __init__(self, folder: Path, extension: str) -> None:
        self.folder = folder
        self.extension = extension
        self._taken: set[str] = set()
        self._next_rank: dict[str, int] = {}  # stem → the rank to try next: equal names stay linear

    def claim(self, pattern: str, data: Mapping[str, Any], ligne: int) -> str:
        stem = format_pattern(pattern, data, ligne)
        for suffix in (".docx", ".pdf", ".DOCX", ".PDF"):
            stem = stem.removesuffix(suffix)
        # Room for the extension and a rank (-2, -3…) within the byte limit of a name.
        stem = safe_name(stem, fallback=f"convention-{ligne}")
        stem = cap_bytes(stem, limits().max_filename_bytes - len(self.extension) - 8)
        key = stem.casefold()
        name, rank = stem + self.extension, self._next_rank.get(key, 1)
        if rank > 1:
            name = f"{stem}-{rank}{self.extension}"
        while name.casefold() in self._taken:
            rank += 1
            name = f"{stem}-{rank}{self.extension}"
        self._next_rank[key] = rank + 1
        self._taken.add(name.casefold())
        self._check_inside(name)
        return name

    def _check_inside(self, name: str) -> None:
        target = (self.folder / name).resolve()
        if target.parent != self.folder.resolve():
            raise OutputError(f"nom de fichier refusé : « {name} » sortirait du dossier", path=str(target))


def input_hash(type_name: str, fmt: str, template_digest: str, data: Mapping[str, Any]) -> str:
    """A fingerprint of everything a document is made from: type, format, template and data."""
    text = json.dumps(
        [type_name, fmt, template_digest, data], sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """File name → input hash of the documents a previous run wrote completely and that are still
    the file it wrote: a document swapped in from another row, edited or cut has another hash
    (sha256 of its bytes, recorded with it) and is redone."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    done: dict[str, str] = {}
    written: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
                done[entry["fichier"]] = entry["empreinte"]
                written[entry["fichier"]] = entry["sha256"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut by a crash: that document is simply redone
    return {name: digest for name, digest in done.items() if _same_file(folder / name, written.get(name))}


def _same_file(path: Path, sha256: str | None) -> bool:
    try:
        return sha256 is not None and file_digest(path) == sha256
    except OSError:
        return False


class Manifest:
    """The manifest opened for appending, once per process; one short line per finished document."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._descriptor = os.open(folder / MANIFEST, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def record(self, name: str, digest: str) -> None:
        """Append one finished document with the hash of the file as written (read back from the
        page cache: cheap), in a single short write (atomic with O_APPEND)."""
        entry = {"fichier": name, "empreinte": digest, "sha256": file_digest(self.folder / name)}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        os.write(self._descriptor, line.encode("utf-8"))

    def close(self) -> None:
        os.close(self._descriptor)


def remove_leftovers(folder: Path, extension: str) -> list[Path]:
    """Delete the temporary files a killed run left (``.name.docx.XXXX.tmp``); never a document."""
    leftovers = sorted(folder.glob(f".*{extension}.*.tmp")) + sorted(folder.glob(".rapport-lot.*.tmp"))
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def looks_whole(path: Path) -> bool:
    """Whether a document ends as a whole .docx (zip end record) or PDF (%%EOF) ends."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 1024))
            tail = handle.read()
    except OSError:
        return False
    return b"PK\x05\x06" in tail[-22 - 256 :] if path.suffix == ".docx" else b"%%EOF" in tail
