"""Reading a members' spreadsheet (CSV or XLSX) row by row, and turning rows into convention data."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conventum.batch.columns import (
    Column,
    IndexRefused,
    Segment,
    cell_value,
    column_letter,
    label_index,
    match_header,
    parse_path,
    with_labels,
)
from conventum.errors import DataFileError, UsageError
from conventum.model.catalogue import ConventionType
from conventum.ooxml.archive import UnsafeArchive, open_archive
from conventum.settings import limits

DELIMITERS = (";", ",", "\t")
Cells = list[Any]
Rows = tuple[tuple[int, Cells], ...]


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet read once, checked and loaded: its headers and its rows' cells, in memory
    (bounded by ``limits().max_sheet_rows`` and ``max_sheet_columns``)."""

    path: Path
    headers: list[str]
    header_rows: int = 1  # 2 for conventum's own sheets: French labels, then the field paths
    cells: tuple[tuple[int, Cells], ...] = ()  # every row as read, the headers' included
    example: Cells | None = None  # the example row conventum wrote, as it wrote it
    common: Rows = ()  # the rows of its « Données communes » sheet, if any

    def rows(self) -> Iterator[tuple[int, Cells]]:
        """(row number as the spreadsheet shows it, cells) for every non-empty data row.

        The example row conventum writes (its values kept in the hidden sheet) is skipped while
        it is left as written; once typed over, it is a row like the others.
        """
        for number, cells in self.cells:
            if number <= self.header_rows or not any(cell not in (None, "") for cell in cells):
                continue
            if self.example is not None and _same_cells(cells, self.example):
                continue
            yield number, cells


# The hidden sheet of conventum's workbooks: the drop-down lists, and the example row as written.
LISTS_SHEET = "conventum"
# The sheet of what every row shares (conventum/batch/common.py reads its rows).
COMMON_SHEET = "Données communes"
EXAMPLE_MARK = "exemple"


def _example_row(workbook: Any) -> Cells | None:
    if LISTS_SHEET not in workbook.sheetnames:
        return None
    for row in workbook[LISTS_SHEET].iter_rows(values_only=True):
        if row and row[0] == EXAMPLE_MARK:
            return list(row[1:])
    return None


def _same_cells(cells: Cells, example: Cells) -> bool:
    length = max(len(cells), len(example))
    padded = [*cells, *[None] * (length - len(cells))], [*example, *[None] * (length - len(example))]
    return all((a in (None, "") and b in (None, "")) or a == b for a, b in zip(*padded, strict=True))


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def open_sheet(path: Path) -> Sheet:
    """Open a spreadsheet and read its header row; DataFileError if empty or unreadable."""
    if not path.is_file():
        raise DataFileError("fichier introuvable", path=str(path))
    if path.suffix.lower() not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise UsageError(f"{path} : tableur non pris en charge (attendu : .csv ou .xlsx)")
    cells, example, common = _xlsx_cells(path) if _is_xlsx(path) else (tuple(_csv_rows(path)), None, ())
    if not cells:
        raise DataFileError(
            "le fichier est vide : la première ligne doit porter les en-têtes", path=str(path)
        )
    headers = _texts(cells[0][1])
    header_rows = 1
    if len(cells) > 1 and _is_path_row(_texts(cells[1][1]), headers):
        headers, header_rows = _texts(cells[1][1]), 2  # labels for the clerk, then the field paths
    if not headers:
        raise DataFileError("la première ligne ne porte aucun en-tête de colonne", path=str(path))
    return Sheet(path, headers, header_rows, cells, example, common)


def _texts(cells: Cells) -> list[str]:
    texts = [str(cell).strip() if cell is not None else "" for cell in cells]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _looks_like_path(cell: str) -> bool:
    try:
        return parse_path(cell) is not None
    except IndexRefused:  # a path, refused when its column is read (with the header named)
        return True


def _is_path_row(cells: list[str], headers: list[str]) -> bool:
    """A second header row of field paths, one under each label of the first."""
    filled = [cell for cell in cells if cell]
    return (
        bool(filled)
        and all(_looks_like_path(cell) for cell in filled)
        and any("[" in cell or "." in cell for cell in filled)
        and len(cells) >= len([header for header in headers if header]) > 0
    )


# Bytes where ISO-8859-15 (Latin-9) and Windows-1252 differ: € Š š Ž ž Œ œ Ÿ in Latin-9,
# ¤ ¦ ¨ ´ ¸ ¼ ½ ¾ in Windows-1252 (signs no member list holds, where Latin-9's are everyday French).
LATIN9_ONLY = frozenset(b"\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe")


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such; else Windows-1252 or
    ISO-8859-15, told apart by the bytes where they differ; DataFileError when neither reads it
    without loss (never a garbled cell)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    c1 = any(0x80 <= byte <= 0x9F for byte in data)
    if not c1 and LATIN9_ONLY.intersection(data):
        return "iso-8859-15"  # Windows-1252 would read "Œuvre 10 €" as "¼uvre 10 ¤"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"encodage non reconnu (octet 0x{data[exc.start]:02X}, ligne {line}) : "
            "enregistrez le fichier en CSV UTF-8",
            path=str(path),
        ) from None
    return "cp1252"


def _csv_rows(path: Path) -> Iterator[tuple[int, Cells]]:
    if path.stat().st_size > limits().max_archive_bytes:
        raise DataFileError("fichier trop volumineux", path=str(path))
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
        delimiter = max(DELIMITERS, key=first.count) if first.strip() else ";"
        records = itertools.chain(
            csv.reader(io.StringIO(first), delimiter=delimiter), csv.reader(handle, delimiter=delimiter)
        )
        # Row numbers count records, as a spreadsheet program shows them (header = 1).
        number = 0
        try:
            for number, record in enumerate(records, start=1):
                if number > limits().max_sheet_rows + 1:
                    raise DataFileError(f"plus de {limits().max_sheet_rows} lignes", path=str(path))
                yield number, list(record)
        except csv.Error as exc:
            reason = "cellule trop longue" if "field larger" in str(exc) else f"CSV mal formé ({exc})"
            raise DataFileError(f"ligne {number + 1} : {reason}", path=str(path)) from None


def _xlsx_cells(
    path: Path,
) -> tuple[tuple[tuple[int, Cells], ...], Cells | None, tuple[tuple[int, Cells], ...]]:
    """A workbook's rows, example row and common data's rows: its zip scanned once (bounds), its
    values loaded once, its formulas once (never computed: refused)."""
    import openpyxl  # noqa: PLC0415 - heavy, only for spreadsheets

    check_workbook(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike
        raise DataFileError(f"classeur illisible ({exc})", path=str(path)) from exc
    try:
        sheet = first_visible(workbook)
        filled = _merged_values(sheet, path)
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(row)
            for column, value in filled.get(number, {}).items():
                cells[column - 1] = value
            rows.append((number, cells))
        if rows:
            _refuse_uncomputed(path, sheet)
        common = workbook[COMMON_SHEET] if COMMON_SHEET in workbook.sheetnames else None
        shared = (
            tuple(enumerate((list(r) for r in common.iter_rows(values_only=True)), start=1)) if common else ()
        )
        return tuple(rows), _example_row(workbook), shared
    finally:
        workbook.close()


def _common_rows(workbook: Any) -> Rows:
    if COMMON_SHEET not in workbook.sheetnames:
        return ()
    return tuple(enumerate((list(row) for row in workbook[COMMON_SHEET].iter_rows(values_only=True)), 1))


def first_visible(workbook: Any) -> Any:
    """The sheet a clerk sees first: the first one not hidden (conventum's lists sheet is hidden)."""
    return next(
        (s for s in workbook.worksheets if s.sheet_state == "visible" and s.title != COMMON_SHEET),
        workbook.worksheets[0],
    )


def _refuse_uncomputed(path: Path, values: Any) -> None:
    """A workbook whose formulas were never computed (written by a program) has no values to read.

    An empty result and a missing one look alike in the file; a workbook where no formula has a
    value was never opened in a spreadsheet program: refuse it rather than read its cells as empty.
    """
    import openpyxl  # noqa: PLC0415 - heavy, only for spreadsheets

    formulas = openpyxl.load_workbook(path, read_only=True)
    missing, count = [], 0
    first = first_visible(formulas)
    first.reset_dimensions()  # the cells present, not the size the file claims
    rows = zip(first.iter_rows(values_only=True), values.iter_rows(values_only=True), strict=False)
    for number, (formula_row, value_row) in enumerate(rows, start=1):
        for column, (formula, value) in enumerate(zip(formula_row, value_row, strict=False), start=1):
            if isinstance(formula, str) and formula.startswith("="):
                count += 1
                if value is None:
                    missing.append(f"{column_letter(column)}{number}")
    formulas.close()
    if missing and len(missing) == count:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise DataFileError(
            f"formules jamais calculées ({shown}) : "
            "ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le",
            path=str(path),
        )


WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
CELL_REFERENCE = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})([0-9]{1,7})\"")
MERGE_REFERENCE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\sref=\"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})\""
)


def check_workbook(path: Path) -> None:
    """Refuse, before openpyxl builds a cell for each of them, a workbook whose cells or merged
    ranges reach past the bounds: a zip bomb, a cell at XFD1048576, a range merged down a whole
    column when the rows holding cells end long before (openpyxl would make a million cells)."""

    try:
        archive = open_archive(path)
    except UnsafeArchive as exc:
        raise DataFileError(f"classeur illisible : {exc.reason}", path=str(path)) from None
    with archive:
        for name in archive.namelist():
            if WORKSHEET.fullmatch(name):
                _check_worksheet(archive.read(name), path)


def _check_worksheet(xml: bytes, path: Path) -> None:
    from openpyxl.utils import column_index_from_string, get_column_letter  # noqa: PLC0415 - heavy

    last_row = last_column = 0
    for letters, digits in CELL_REFERENCE.findall(xml):
        last_row = max(last_row, int(digits))
        last_column = max(last_column, column_index_from_string(letters.decode()))
    if last_row > limits().max_sheet_rows + 1 or last_column > limits().max_sheet_columns:
        where = f"{get_column_letter(min(last_column, 16384))}{last_row}"
        raise DataFileError(
            f"feuille trop grande (une cellule en {where} ; au plus {limits().max_sheet_rows} lignes"
            f" et {limits().max_sheet_columns} colonnes)",
            path=str(path),
        )
    for first_letters, first_row, end_letters, end_row in MERGE_REFERENCE.findall(xml):
        if int(end_row) > last_row or column_index_from_string(end_letters.decode()) > last_column:
            reference = (
                f"{first_letters.decode()}{first_row.decode()}:{end_letters.decode()}{end_row.decode()}"
            )
            raise DataFileError(
                f"cellules fusionnées {reference} au-delà des cellules remplies"
                f" (dernière ligne : {last_row}) : réduisez la fusion aux lignes des membres",
                path=str(path),
            )


def _merged_values(sheet: Any, path: Path) -> dict[int, dict[int, Any]]:
    """Merged cells: the value of the top-left cell in each cell of the range; no merged headers."""
    filled: dict[int, dict[int, Any]] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == 1 and merged.max_col > merged.min_col:
            raise DataFileError(
                f"en-têtes fusionnés ({merged.coord}) : il faut une colonne par champ, défusionnez-les",
                path=str(path),
            )
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                filled.setdefault(row, {})[column] = value
    return filled


def map_headers(ctype: ConventionType, sheet: Sheet) -> list[Column | None]:
    """The column each header names (None for an empty header); UsageError on unknown or doubled ones."""
    labels = label_index(ctype)
    columns: list[Column | None] = []
    unknown: list[str] = []
    for header in sheet.headers:
        try:
            columns.append(match_header(ctype, header, labels) if header else None)
        except UsageError as exc:
            unknown.append(exc.message)
            columns.append(None)
    if unknown and len(unknown) == sum(1 for header in sheet.headers if header):
        raise UsageError(
            f"{sheet.path} : aucun en-tête reconnu sur la première ligne (chemins de champ comme "
            f"« parties[0].nom » ou libellés du type) ; " + " ; ".join(unknown[:3])
        )
    if unknown:
        raise UsageError(f"{sheet.path} : " + " ; ".join(unknown))
    _refuse_doubles(sheet, columns)
    labelled = iter(with_labels(ctype, [column for column in columns if column is not None]))
    return [next(labelled) if column is not None else None for column in columns]


def _refuse_doubles(sheet: Sheet, columns: list[Column | None]) -> None:
    seen: dict[str, str] = {}
    for header, column in zip(sheet.headers, columns, strict=False):
        if column is None:
            continue
        if column.path in seen:
            raise UsageError(
                f"{sheet.path} : les colonnes « {seen[column.path]} » et « {header} » "
                f"remplissent le même champ {column.path}"
            )
        seen[column.path] = header


def row_data(sheet: Sheet, columns: list[Column | None], number: int, cells: Cells) -> dict[str, Any]:
    """The nested data of one row; empty cells are left out (the common data or defaults apply)."""
    data: dict[str, Any] = {}
    for position, cell in enumerate(cells):
        column = columns[position] if position < len(columns) else None
        if column is None:
            if cell not in (None, ""):
                letter = column_letter(position + 1)
                raise DataFileError(
                    f"valeur sans en-tête de colonne (colonne {letter})", path=f"{sheet.path}, ligne {number}"
                )
            continue
        value = cell_value(column, cell)
        if value is not None:
            set_path(data, column.segments, value)
    return data


def set_path(data: dict[str, Any], segments: tuple[Segment, ...], value: Any) -> None:
    """Put a value at a field path, creating the objects and list items on the way.

    >>> d = {}; set_path(d, (("parties", 1), ("nom", None)), "Arras"); d
    {'parties': [{}, {'nom': 'Arras'}]}
    """
    current: Any = data
    for position, (name, index) in enumerate(segments):
        last = position == len(segments) - 1
        if index is None:
            if last:
                current[name] = value
            else:
                current = current.setdefault(name, {})
            continue
        items = current.setdefault(name, [])
        while len(items) <= index:
            items.append({})
        if last:
            items[index] = value
        else:
            current = items[index]
