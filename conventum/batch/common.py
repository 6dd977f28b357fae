"""The common data of a batch in the clerk's workbook: one sheet, « Données communes », of what every
row shares (the signature's place and date, and whatever the common file gives), one row per datum —
its label, its value, its field path — so that the rows only carry what varies.

Written by ``batch --modele`` (the common file's values filled in, its columns out of the rows), read
with the rows: a value of this sheet applies to every row, a cell of a row still wins over it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conventum.batch.columns import (
    Column,
    cell_value,
    label_index,
    match_header,
    normalise_label,
    parse_path,
    resolve,
    with_labels,
)
from conventum.batch.spreadsheet import COMMON_SHEET, set_path
from conventum.errors import DataFileError, UsageError
from conventum.model.catalogue import ConventionType

COMMON_HEADERS = (
    "Donnée",
    "Valeur (la même pour toutes les lignes)",
    "Chemin du champ (à laisser)",
    "Exemple",
)
ALWAYS_COMMON = ("signature.",)  # one place and one date of signature for the whole batch


def flat_paths(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every leaf of nested data with its path ("parties[0].representant.qualite"); a list of values
    is one leaf.

    >>> flat_paths({"a": {"b": 1}, "c": [{"d": 2}], "e": [1, 2]})
    [('a.b', 1), ('c[0].d', 2), ('e', [1, 2])]
    """
    if isinstance(value, Mapping):
        return [
            pair for key, item in value.items() for pair in flat_paths(item, f"{prefix}.{key}".lstrip("."))
        ]
    if isinstance(value, list) and any(isinstance(item, Mapping) for item in value):
        return [pair for i, item in enumerate(value) for pair in flat_paths(item, f"{prefix}[{i}]")]
    return [(prefix, value)]


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _loose(path: str) -> str:
    """A path with its first items unmarked: one decision written alone is item 0 of its list."""
    return path.replace("[0]", "")


def split_columns(
    columns: list[Column], commun: Mapping[str, Any] | None
) -> tuple[list[Column], list[Column]]:
    """The columns of the rows, and those of the common sheet (the signature, the common file's)."""
    given = {_loose(path) for path, _value in flat_paths(dict(commun or {}))}
    shared = [c for c in columns if c.path.startswith(ALWAYS_COMMON) or _loose(c.path) in given]
    return [c for c in columns if c not in shared], shared


def common_rows(
    ctype: ConventionType, shared: list[Column], commun: Mapping[str, Any] | None
) -> list[tuple[Column, Any]]:
    """The common sheet's data: each shared column with the common file's value, then the common
    file's other leaves (the roles its parties give)."""
    values = {_loose(path): value for path, value in flat_paths(dict(commun or {}))}
    rows = [(column, values.get(_loose(column.path))) for column in shared]
    known = {_loose(column.path) for column in shared}
    model = ctype.model
    for path, value in flat_paths(dict(commun or {})):
        column = resolve(model, parse_path(path) or ())
        if column is not None and _loose(path) not in known:
            rows.append((column, value))
    labelled = with_labels(ctype, [column for column, _value in rows])
    return list(zip(labelled, [value for _column, value in rows], strict=True))


def common_data(
    ctype: ConventionType, cells: tuple[tuple[int, list[Any]], ...], source: str
) -> dict[str, Any]:
    """The data the common sheet gives: each row's value (column B) at its path (column C, else the
    label of column A); empty values left out."""
    data: dict[str, Any] = {}
    labels = label_index(ctype)
    for number, row in cells:
        label, value, path = [*row, None, None, None][:3]
        if number == 1 or value in (None, ""):
            continue
        try:
            column = match_header(ctype, str(path or label or "").strip(), labels)
        except UsageError as exc:
            raise DataFileError(
                exc.message, path=f"{source}, feuille « {COMMON_SHEET} », ligne {number}"
            ) from exc
        [column] = with_labels(ctype, [column])  # a choice written by its label
        converted = cell_value(column, value)
        if converted is not None:
            set_path(data, column.segments, converted)
    return data


def is_common_label(text: str) -> bool:
    return normalise_label(text) == normalise_label(COMMON_SHEET)


def write_common_sheet(
    workbook: Any, rows: list[tuple[Column, Any]], labels: list[str], examples: list[Any]
) -> None:
    """The « Données communes » sheet: one row per datum (label, value, path, the type's example)."""
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - heavy, only for spreadsheets
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415 - heavy, only for spreadsheets

    sheet = workbook.create_sheet(COMMON_SHEET, 1)
    sheet.append(list(COMMON_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, ((column, value), label, example) in enumerate(zip(rows, labels, examples, strict=True), 2):
        sheet.append([label, _shown(column, value), column.path, _shown(column, example)])
        sheet.cell(number, 3).font = Font(size=8, color="808080")
        sheet.cell(number, 4).font = Font(italic=True, color="808080")
        choices = [text for _value, text in column.labels]
        if choices and sum(len(text) + 1 for text in choices) < 250 and not any("," in t for t in choices):
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"B{number}")
    for letter, width in zip("ABCD", (52, 40, 40, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _shown(column: Column, value: Any) -> Any:
    """A value as the clerk reads it in a cell: a choice's label, "oui"/"non", items joined by « ; »."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if column.labels and isinstance(value, str):
        return column.label_of(cell_value(column, value))
    if isinstance(value, list):
        return " ; ".join(str(item) for item in value)
    return value if isinstance(value, (int, float, str)) else str(value)
