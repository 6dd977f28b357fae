"""The empty spreadsheet of a type (``conventum batch --modele``): its headers and what each column takes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_origin

import openpyxl
from openpyxl.styles import Alignment, Font

from conventum.batch.columns import Column, party_columns, type_columns
from conventum.model.catalogue import ConventionType
from conventum.output import write_atomic

KIND_WORDS: dict[Any, str] = {
    str: "texte",
    int: "nombre entier",
    Decimal: "nombre (virgule décimale)",
    dt.date: "date (JJ/MM/AAAA ou AAAA-MM-JJ)",
    bool: "oui / non",
}
EXPLANATION_HEADERS = ("colonne", "libellé", "type", "obligatoire", "valeurs permises")


def model_columns(ctype: ConventionType, commun: Mapping[str, Any] | None = None) -> list[Column]:
    """The columns of a row: the parties the type does not fix, after those of the common data."""
    model = ctype.model
    index = len((commun or {}).get("parties", []))
    columns: list[Column] = []
    for role in ctype.roles:
        if role.defaut:
            continue
        for _ in range(max(role.min, 1)):
            columns += [_for_role(column, role.role, role.natures) for column in party_columns(model, index)]
            index += 1
    return columns + type_columns(model)


def _for_role(column: Column, role: str, natures: tuple[str, ...]) -> Column:
    leaf = column.segments[-1][0]
    if len(column.segments) == 2 and leaf == "role":
        return dataclasses.replace(column, choices=(role,), required=True)
    if len(column.segments) == 2 and leaf == "nature" and natures:
        return dataclasses.replace(column, choices=natures)
    return column


def kind_word(column: Column) -> str:
    """The kind of value a column takes, in French."""
    word = (
        "choix"
        if column.choices or get_origin(column.kind) is Literal
        else KIND_WORDS.get(column.kind, "texte")
    )
    return f"liste de {word}, séparés par « ; »" if column.many else word


def write_model(
    ctype: ConventionType, target: Path, *, commun: Mapping[str, Any] | None = None, force: bool = False
) -> None:
    """Write the empty spreadsheet: .xlsx with a sheet explaining the columns, or .csv headers only."""
    columns = model_columns(ctype, commun)
    if target.suffix.lower() == ".csv":
        header = ";".join(column.path for column in columns) + "\r\n"
        write_atomic(target, header.encode("utf-8-sig"), force=force)
        return
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "Membres"
    members.append([column.path for column in columns])
    members.freeze_panes = "A2"
    for cell in members[1]:
        cell.font = Font(bold=True)
        members.column_dimensions[cell.column_letter].width = max(14, min(40, len(str(cell.value)) + 2))
    _explain(workbook.create_sheet("Colonnes"), ctype, columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(target, buffer.getvalue(), force=force)


def _explain(sheet: Any, ctype: ConventionType, columns: list[Column]) -> None:
    sheet.append([f"{ctype.titre} : une ligne par membre, une colonne par champ."])
    sheet.append(list(EXPLANATION_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for column in columns:
        required = "oui" if column.required else "non"
        sheet.append([column.path, column.label, kind_word(column), required, ", ".join(column.choices)])
    for letter, width in zip("ABCDE", (42, 36, 30, 12, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
