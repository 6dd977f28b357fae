"""The collectivité's classification (``RetourClassification``, the file its TdT downloads from the
préfecture): natures of actes with their piece typologies, and the matières on up to five levels.

Read strictly (no DTD, no entity, no network, nothing recovered) and bounded in size before it is
read: a hostile or mistaken file costs one clear French error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from conventum.errors import DataFileError
from conventum.ooxml.xml import XMLSyntaxError, parse_xml

NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
MAX_BYTES = 20_000_000  # a real classification weighs about 100 kB


@dataclass(frozen=True)
class Classification:
    """What the préfecture accepts from this collectivité."""

    date: dt.date  # DateClassification: the version an acte names (ClassificationDateVersion)
    natures: dict[int, str] = field(default_factory=dict)  # code → label
    pieces: dict[int, dict[str, str]] = field(default_factory=dict)  # nature → code TypePJ → label
    matieres: dict[str, str] = field(default_factory=dict)  # "1.4.2" → label of that level

    def label_path(self, code: str) -> list[str]:
        """The labels of each level of a matière code: "1.4" → [label of 1, label of 1.4]."""
        parts = code.split(".")
        return [self.matieres.get(".".join(parts[: n + 1]), "") for n in range(len(parts))]


def read_classification(path: Path) -> Classification:
    """The classification of that file, or DataFileError saying in French what is wrong."""
    shown = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError(f"fichier de classification illisible ({exc.strerror})", path=shown) from exc
    if size > MAX_BYTES:
        raise DataFileError(
            f"fichier de classification trop grand ({size:,} octets, au plus {MAX_BYTES:,})".replace(
                ",", " "
            ),
            path=shown,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"fichier de classification illisible ({exc.strerror})", path=shown) from exc
    return parse_classification(data, source=shown)


def parse_classification(data: bytes, *, source: str = "classification") -> Classification:
    """Parse the bytes of a ``RetourClassification``."""
    try:
        root = parse_xml(data)
    except XMLSyntaxError as exc:
        raise DataFileError(
            f"ce n’est pas un fichier XML de classification lisible : {exc}", path=source
        ) from exc
    if root.tag != f"{{{NS}}}RetourClassification":
        raise DataFileError(
            f"ce n’est pas une classification ACTES (élément racine « {etree.QName(root).localname} »,"
            " attendu « RetourClassification »)",
            path=source,
        )
    text = root.findtext(f"{{{NS}}}DateClassification")
    try:
        date = dt.date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise DataFileError(f"date de classification absente ou invalide : « {text} »", path=source) from exc
    natures: dict[int, str] = {}
    pieces: dict[int, dict[str, str]] = {}
    for nature in root.iterfind(f"{{{NS}}}NaturesActes/{{{NS}}}NatureActe"):
        code = _int(nature.get(f"{{{NS}}}CodeNatureActe"), source)
        natures[code] = nature.get(f"{{{NS}}}Libelle") or ""
        pieces[code] = {
            piece.get(f"{{{NS}}}CodeTypePJ") or "": piece.get(f"{{{NS}}}Libelle") or ""
            for piece in nature.iterfind(f"{{{NS}}}TypePJNatureActe")
        }
    matieres: dict[str, str] = {}
    container = root.find(f"{{{NS}}}Matieres")
    if container is not None:
        _matieres(container, "", 1, matieres, source)
    if not natures or not matieres:
        raise DataFileError("la classification ne contient ni natures d’actes ni matières", path=source)
    return Classification(date, natures, pieces, matieres)


def _matieres(parent: etree._Element, prefix: str, level: int, into: dict[str, str], source: str) -> None:
    for child in parent.iterfind(f"{{{NS}}}Matiere{level}"):
        code = f"{prefix}{_int(child.get(f'{{{NS}}}CodeMatiere'), source)}"
        into[code] = child.get(f"{{{NS}}}Libelle") or ""
        if level < 5:
            _matieres(child, code + ".", level + 1, into, source)


def _int(value: str | None, source: str) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise DataFileError(
            f"code numérique attendu dans la classification, trouvé « {value} »", path=source
        ) from exc
