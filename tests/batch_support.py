"""Spreadsheets of members for the batch tests (adhesion-centrale-achats: parties[0] is the adhérent)."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from conventum.geo import geography

TYPE = "adhesion-centrale-achats"
HEADERS = [
    "parties[0].role",
    "parties[0].nature",
    "parties[0].nom",
    "parties[0].adresse.voie",
    "parties[0].adresse.code_postal",
    "parties[0].adresse.commune",
    "parties[0].representant.civilite",
    "parties[0].representant.prenom",
    "parties[0].representant.nom",
    "parties[0].representant.qualite",
    "parties[0].autorisation[0].organe",
    "parties[0].autorisation[0].date",
    "Lieu de signature",
]


def postal_code(nom: str) -> str:
    """The commune's own postal code, from the official geography (62820 when it is no commune)."""
    communes = geography().communes_named(nom)
    return communes[0].codes_postaux[0] if communes else "62820"


def invented_member(nom: str, **changes: Any) -> list[Any]:
    """A row of a body whose name the official geography does not check: a syndicat intercommunal
    at Libercourt (invented names are fine for it; a commune's must be real)."""
    cells = {
        "parties[0].nature": "syndicat-intercommunal",
        "parties[0].adresse.code_postal": "62820",
        "parties[0].adresse.commune": "Libercourt",
        "parties[0].representant.qualite": "president",
    }
    return member(nom, **{**cells, **changes})


def real_communes(count: int, departement: str = "62") -> list[str]:
    """Names of real communes of a département, each borne by no other commune of France."""
    geo = geography()
    names = sorted({c.nom for c in geo.communes_of_departement(departement)})
    return [name for name in names if len(geo.communes_named(name)) == 1 and "/" not in name][:count]


def member(nom: str, **changes: Any) -> list[Any]:
    """One row: a commune and its mayor; ``changes`` replace cells by header."""
    values: dict[str, Any] = dict(
        zip(
            HEADERS,
            [
                "adherent",
                "commune",
                nom,
                "Place de la Mairie",
                postal_code(nom),
                nom,
                "Madame",
                "Ana",
                "Dupré",
                "maire",
                "conseil municipal",
                "14/03/2025",
                nom,
            ],
            strict=True,
        )
    )
    values.update(changes)
    return [values[header] for header in HEADERS]


def write_csv(
    path: Path,
    rows: list[list[Any]],
    *,
    headers: list[str] | None = None,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS if headers is None else headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]], *, merges: tuple[str, ...] = ()) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def with_cached_value(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the value a spreadsheet program would have saved with it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start)
    formula = sheet[sheet.index("<f>", start) : end].split("<v>")[0]
    sheet = sheet[:start] + f'<c r="{cell}" t="str">{formula}<v>{value}</v>' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def soffice_groups() -> set[int]:
    """The process groups of the soffice processes this process started (grandchildren included)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    groups: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, tail = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            fields = tail.split()
            if fields[0] != "Z":
                pid = int(entry.name)
                names[pid], parents[pid], groups[pid] = head.split("(", 1)[1], int(fields[1]), int(fields[2])
    return {group for pid, group in groups.items() if names[pid] == "soffice.bin" and _mine(pid, parents)}


def _mine(pid: int, parents: dict[int, int]) -> bool:
    while pid > 1:
        pid = parents.get(pid, 0)
        if pid == os.getpid():
            return True
    return False
