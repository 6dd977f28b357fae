"""The empty spreadsheet of a type (``conventum batch --modele``): its headers and what each column takes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_origin

from conventum.batch.columns import (
    Column,
    cell_value,
    column_letter,
    party_columns,
    type_columns,
    with_labels,
)
from conventum.batch.common import common_rows, split_columns, write_common_sheet
from conventum.batch.spreadsheet import EXAMPLE_MARK, LISTS_SHEET
from conventum.model.catalogue import ConventionType, as_type
from conventum.model.json_schema import sample_path
from conventum.model.loading import load_data
from conventum.output import write_atomic

KIND_WORDS: dict[Any, str] = {
    str: "texte",
    int: "nombre entier",
    Decimal: "nombre (virgule décimale)",
    dt.date: "date (JJ/MM/AAAA ou AAAA-MM-JJ)",
    bool: "oui / non",
}
EXPLANATION_HEADERS = ("colonne", "libellé", "champ", "type", "obligatoire", "valeurs permises")


def party_indexes(ctype: ConventionType, commun: Mapping[str, Any] | None = None) -> dict[int, str]:
    """Party index → role of the parties a row fills: the common file's index for a role it names,
    else the next index after its parties (the same on writing the sheet and on reading it)."""
    given = [party for party in (commun or {}).get("parties", []) if isinstance(party, Mapping)]
    roles_given = {party.get("role"): index for index, party in enumerate(given)}
    indexes: dict[int, str] = {}
    following = len((commun or {}).get("parties", []))
    for role in ctype.roles:
        if role.defaut or role.defauts:
            continue
        for copy_number in range(max(role.min, 1)):
            if copy_number == 0 and role.role in roles_given:
                indexes[roles_given[role.role]] = role.role
            else:
                indexes[following] = role.role
                following += 1
    return indexes


def model_columns(ctype: ConventionType, commun: Mapping[str, Any] | None = None) -> list[Column]:
    """The columns of a row: the parties the type does not fix, then the type's own fields.

    A role is implied (no column) where the common file or the type leaves no choice.
    """
    model = ctype.model
    columns: list[Column] = []
    for index, role_name in sorted(party_indexes(ctype, commun).items()):
        role = ctype.role(role_name)
        natures = role.natures if role else ()
        for column in party_columns(model, index):
            if len(column.segments) == 2 and column.segments[-1][0] == "role":
                continue  # implied by the column's party (imply_roles on reading)
            columns.append(_for_role(column, natures))
    return with_labels(ctype, columns + type_columns(model))


def imply_roles(
    ctype: ConventionType, commun: Mapping[str, Any] | None, data: dict[str, Any]
) -> dict[str, Any]:
    """Give each party a row filled without a role the role its columns were made for."""
    parties = data.get("parties")
    if not isinstance(parties, list):
        return data
    for index, role in party_indexes(ctype, commun).items():
        if index < len(parties) and isinstance(parties[index], dict) and parties[index]:
            parties[index].setdefault("role", role)
    return data


def _for_role(column: Column, natures: tuple[str, ...]) -> Column:
    leaf = column.segments[-1][0]
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


def header_label(ctype: ConventionType, column: Column, indexes: Mapping[int, str]) -> str:
    """The French header of a column: the party's role and the field's label, or the field's label."""
    name, index = column.segments[0]
    if name == "parties" and index is not None:
        role = ctype.role(indexes.get(index, ""))
        parent = _parent_label(column)
        same = [i for i, name in sorted(indexes.items()) if role and name == role.role]
        rank = f" n°{same.index(index) + 1}" if len(same) > 1 else ""
        prefix = f"{role.libelle + rank if role else f'Partie n°{index + 1}'} – "
        return prefix + (f"{parent} : {column.label}" if parent else column.label)
    return column.label


PARENTS = {
    "adresse": "Adresse",
    "representant": "Représentant",
    "autorisation": "Autorisation",
    "signature": "Signature",
}


def _parent_label(column: Column) -> str:
    if len(column.segments) < 3:
        return ""
    return PARENTS.get(column.segments[1][0], "")


def example_values(ctype: ConventionType, columns: list[Column], indexes: Mapping[int, str]) -> list[Any]:
    """The example row: the type's sample, its parties matched to the columns by role."""
    path = sample_path(ctype)
    if path is None:
        return [None] * len(columns)
    sample = load_data(path)
    by_role: dict[Any, list[Any]] = {}
    for party in sample.get("parties", []):
        if isinstance(party, dict):
            by_role.setdefault(party.get("role"), []).append(party)
    # the k-th column party of a role takes the k-th party of that role in the sample
    chosen: dict[int, Any] = {}
    for position, role in sorted(indexes.items()):
        same = by_role.get(role, [])
        rank = sum(1 for other in chosen if indexes[other] == role)
        chosen[position] = same[rank] if rank < len(same) else None
    values: list[Any] = []
    for column in columns:
        name, index = column.segments[0]
        source: Any = sample
        if name == "parties" and index is not None:
            source = {"party": chosen.get(index)}
            value = _value_at(source, (("party", None), *column.segments[1:]))
        else:
            value = _value_at(source, column.segments)
        values.append(_cell(column, value))
    return values


def _value_at(data: Any, segments: tuple[tuple[str, int | None], ...]) -> Any:
    current = data
    for name, index in segments:
        if not isinstance(current, Mapping):
            return None
        current = current.get(name)
        if isinstance(current, dict) and index is not None and name == "autorisation":
            current = [current]  # one decision written alone
        if index is not None:
            current = current[index] if isinstance(current, list) and index < len(current) else None
    return current


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if column.labels and isinstance(value, str):
        return column.label_of(cell_value(column, value))  # a label written in the sample, or a key
    if isinstance(value, list):
        return " ; ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return float(value)
    return value


EXAMPLE_NOTE = (
    "Ligne d’exemple, tirée de l’exemple du type : elle n’est pas lue tant qu’elle reste telle quelle."
)
DATA_ROWS = 500  # rows given drop-downs and formats


def write_model(
    convention_type: str | ConventionType,
    target: Path,
    *,
    commun: Mapping[str, Any] | None = None,
    force: bool = False,
) -> None:
    """Write the empty spreadsheet: .xlsx for a clerk (French headers over the field paths, drop-downs,
    date and number cells, an example row, a sheet explaining the columns), or .csv headers only."""
    ctype = as_type(convention_type)
    columns = model_columns(ctype, commun)
    if target.suffix.lower() == ".csv":
        header = ";".join(column.path for column in columns) + "\r\n"
        write_atomic(target, header.encode("utf-8-sig"), force=force)
        return
    write_atomic(target, _workbook(ctype, columns, party_indexes(ctype, commun), commun), force=force)


def _workbook(
    ctype: ConventionType, every: list[Column], indexes: Mapping[int, str], commun: Mapping[str, Any] | None
) -> bytes:
    """The rows' sheet (what varies), the common data's, the columns explained, the hidden lists."""
    import openpyxl  # noqa: PLC0415 - heavy, only for spreadsheets
    from openpyxl.comments import Comment  # noqa: PLC0415 - heavy, only for spreadsheets
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415 - heavy, only for spreadsheets

    columns, shared = split_columns(every, commun)
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "Membres"
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    members.append([header_label(ctype, column, indexes) for column in columns])
    members.append([column.path for column in columns])
    example = example_values(ctype, columns, indexes)
    members.append(example)
    lists.append([EXAMPLE_MARK, *example])
    members.freeze_panes = "A4"  # labels, paths and the example stay in view
    members.row_dimensions[1].height = 48  # labels on up to three lines, above the paths
    members.row_dimensions[2].height = 12
    grey = Font(italic=True, color="808080")
    for position, column in enumerate(columns, start=1):
        letter = column_letter(position)
        label_cell, path_cell, example_cell = (
            members.cell(1, position),
            members.cell(2, position),
            members.cell(3, position),
        )
        label_cell.font = Font(bold=True)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        label_cell.comment = Comment(
            f"{column.label}\nChamp : {column.path}\n{kind_word(column)}", "conventum"
        )
        path_cell.font = Font(size=8, color="808080")
        example_cell.font = grey
        example_cell.fill = PatternFill("solid", fgColor="F2F2F2")
        members.column_dimensions[letter].width = max(14, min(40, len(str(label_cell.value)) // 2 + 4))
        _cell_rules(members, lists, column, position)
    members.cell(3, 1).comment = Comment(EXAMPLE_NOTE, "conventum")
    rows = common_rows(ctype, shared, commun)
    labels = [header_label(ctype, column, indexes) for column, _value in rows]
    write_common_sheet(workbook, rows, labels, example_values(ctype, [column for column, _ in rows], indexes))
    _explain(workbook.create_sheet("Colonnes"), ctype, columns, indexes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_rules(members: Any, lists: Any, column: Column, position: int) -> None:
    """A column's drop-down (labels kept in the hidden sheet) or its date or number format."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415 - heavy, only for spreadsheets

    letter = column_letter(position)
    cells = f"{letter}3:{letter}{DATA_ROWS}"
    if column.labels:
        list_column = column_letter(position + 1)
        for row, (_value, label) in enumerate(column.labels, start=2):
            lists.cell(row, position + 1, label)
        source = f"{LISTS_SHEET}!${list_column}$2:${list_column}${len(column.labels) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.error = "Choisissez une valeur de la liste."
        validation.errorTitle = column.label
        members.add_data_validation(validation)
        validation.add(cells)
    elif column.kind is dt.date:
        for row in range(3, DATA_ROWS + 1):
            members.cell(row, position).number_format = "DD/MM/YYYY"
    elif column.kind is Decimal:
        for row in range(3, DATA_ROWS + 1):
            members.cell(row, position).number_format = "#,##0.00"
    elif column.kind is int:
        for row in range(3, DATA_ROWS + 1):
            members.cell(row, position).number_format = "0"
    elif column.kind is bool:
        validation = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
        members.add_data_validation(validation)
        validation.add(cells)


def _explain(sheet: Any, ctype: ConventionType, columns: list[Column], indexes: Mapping[int, str]) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - heavy, only for spreadsheets

    sheet.append([f"{ctype.titre} : une ligne par membre, une colonne par champ."])
    sheet.append(
        [
            "Feuille « Membres » : ligne 1 les libellés, ligne 2 les chemins des champs (à laisser), "
            "ligne 3 un exemple (non lu tant qu’il reste inchangé). Feuille « Données communes » : "
            "ce que toutes les lignes partagent (une valeur par donnée) ; une cellule d’une ligne "
            "l’emporte sur elle."
        ]
    )
    sheet.append(list(EXPLANATION_HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for position, column in enumerate(columns, start=1):
        required = "oui" if column.required else "non"
        choices = " ; ".join(label for _value, label in column.labels) or ", ".join(column.choices)
        sheet.append(
            [
                column_letter(position),
                header_label(ctype, column, indexes),
                column.path,
                kind_word(column),
                required,
                choices,
            ]
        )
    for letter, width in zip("ABCDEF", (9, 48, 42, 30, 12, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=4, min_col=6, max_col=6):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
