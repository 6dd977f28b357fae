"""The data file of the official geography: read once, checked whole, refused when corrupt."""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from conventum.errors import GeographyDataError
from conventum.geo.nameindex import NameIndex

FORMAT = 2
FILE_NAME = "data/geographie.json.gz"
# Each table of the file, and the length of its rows.
ROW_LENGTHS = {"communes": 6, "anciennes": 5, "epci": 4, "departements": 4, "regions": 3}
# The tables whose rows are looked up by name, and their index in the file: the folded names sorted,
# one per line, and their rows' positions (built with the file: nothing is folded or indexed when a
# process starts).
NAME_INDEXES = {"communes": "index_communes", "anciennes": "index_anciennes"}


@dataclass(frozen=True, slots=True)
class Commune:
    """A current commune of the Code officiel géographique."""

    code: str  # INSEE code: 62041, 2A004, 97411
    nom: str  # official name, typographic apostrophe: L’Isle-Adam
    tncc: int  # INSEE type de nom en clair: gives its article
    departement: str  # 62, 2A, 974
    siren: str  # "" for the few communes without one (Saint-Pierre-et-Miquelon, TAAF)
    codes_postaux: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormerCommune:
    """A commune déléguée or associée: a former commune merged into another (its chef-lieu)."""

    code: str
    nom: str
    tncc: int
    chef_lieu: str  # INSEE code of the current commune it belongs to
    kind: str  # "deleguee" or "associee"


@dataclass(frozen=True, slots=True)
class Epci:
    """An EPCI à fiscalité propre (DGCL list): communauté de communes, d’agglomération, urbaine, métropole."""

    siren: str
    nom: str  # official name: CA du Boulonnais
    type: str  # CC, CA, CU, METRO, MET69
    membres: tuple[str, ...]  # INSEE codes of its communes


@dataclass(frozen=True, slots=True)
class Departement:
    """A département (or a collectivité d’outre-mer with a code of its own)."""

    code: str
    nom: str
    tncc: int
    region: str


@dataclass(frozen=True, slots=True)
class Region:
    """A région."""

    code: str
    nom: str
    tncc: int


Row = list[Any]


@dataclass(frozen=True)
class Tables:
    """The file's content, checked: its metadata (source, version, date, licence) and rows."""

    meta: dict[str, Any]
    communes: list[Row]  # code, nom, tncc, departement, siren, postal codes (space-separated)
    anciennes: list[Row]  # code, nom, tncc, chef-lieu, "d" or "a"
    epci: list[Row]  # siren, nom, type, member codes (space-separated)
    departements: list[Row]  # code, nom, tncc, region
    regions: list[Row]  # code, nom, tncc
    communes_by_name: NameIndex  # folded names → positions in ``communes``
    anciennes_by_name: NameIndex  # folded names → positions in ``anciennes``


def commune_of(row: Row) -> Commune:
    return Commune(row[0], row[1], row[2], row[3], row[4], tuple(row[5].split()))


def former_of(row: Row) -> FormerCommune:
    return FormerCommune(row[0], row[1], row[2], row[3], "deleguee" if row[4] == "d" else "associee")


def epci_of(row: Row) -> Epci:
    return Epci(row[0], row[1], row[2], tuple(row[3].split()))


def default_path() -> Path:
    """The data file shipped inside the package."""
    return Path(str(resources.files("conventum").joinpath(FILE_NAME)))


def read_tables(path: Path) -> Tables:
    """Read and check the whole file; a GeographyDataError says what is wrong with it."""
    content = _decoded(path)
    meta = content.get("meta") if isinstance(content, dict) else None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise GeographyDataError(f"format inconnu (attendu : {FORMAT}) ; reconstruisez-le", path=str(path))
    for name, length in ROW_LENGTHS.items():
        _check_table(path, content.get(name), name, length, meta.get("nombres", {}).get(name))
    indexes = [
        _index(path, content.get(index), index, len(content[name])) for name, index in NAME_INDEXES.items()
    ]
    return Tables(meta, *(content[name] for name in ROW_LENGTHS), *indexes)


def _decoded(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GeographyDataError(f"illisible ({exc.strerror})", path=str(path)) from exc
    try:
        return json.loads(gzip.decompress(raw))
    except (OSError, EOFError, zlib.error) as exc:
        message = "fichier tronqué ou corrompu (gzip invalide) ; réinstallez conventum"
        raise GeographyDataError(message, path=str(path)) from exc
    except ValueError as exc:
        raise GeographyDataError(f"JSON invalide ({exc}) ; réinstallez conventum", path=str(path)) from exc


def _check_table(path: Path, rows: Any, name: str, length: int, expected: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == length for r in rows):
        raise GeographyDataError(f"table « {name} » absente ou mal formée", path=str(path))
    if expected != len(rows):
        message = f"table « {name} » incomplète : {len(rows)} lignes au lieu de {expected}"
        raise GeographyDataError(message, path=str(path))
    # gzip's CRC already refuses damaged bytes: the types of the first and last rows are enough here
    if rows and not all(isinstance(value, str | int) for row in (rows[0], rows[-1]) for value in row):
        raise GeographyDataError(f"table « {name} » : valeur mal formée", path=str(path))


def _index(path: Path, stored: Any, name: str, rows: int) -> NameIndex:
    """The stored index of a table, each row named once at a position the table has (a stale or
    foreign index is refused)."""
    names = stored.get("noms") if isinstance(stored, dict) else None
    positions = stored.get("lignes") if isinstance(stored, dict) else None
    keys = names.split("\n") if isinstance(names, str) and rows else []
    if not isinstance(positions, list) or len(keys) != rows or len(set(positions)) != rows:
        raise GeographyDataError(f"index « {name} » absent ou mal formé ; reconstruisez-le", path=str(path))
    if rows and (min(positions) != 0 or max(positions) != rows - 1):
        raise GeographyDataError(f"index « {name} » hors de sa table ; reconstruisez-le", path=str(path))
    return NameIndex(keys, positions)
