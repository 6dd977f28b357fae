"""Spreadsheet columns of a convention type: field paths, French labels, cell values to data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Union, get_args, get_origin

from babel.numbers import NumberFormatError, parse_decimal
from pydantic import BaseModel

from conventum.errors import UsageError
from conventum.french.datetext import DateTextError, read_date
from conventum.french.grammar import vocabulary
from conventum.model.catalogue import ConventionType
from conventum.model.json_schema import choice_titles, json_schema
from conventum.settings import limits

SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")
Segment = tuple[str, int | None]
VOCABULARY_FIELDS = {"nature": "natures", "qualite": "qualites", "organe": "organes"}
TRUE_WORDS = {"oui", "o", "vrai", "x", "1", "true", "yes"}
FALSE_WORDS = {"non", "n", "faux", "0", "false", "no"}
SPACES = re.compile(r"[\s\u00a0\u202f]+")
# How a French clerk writes a number: "1 234,50" (fr), "1.234,50" (dots grouping), "1234.50".
NUMBER_LOCALES = ("fr_FR", "de_DE")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of spreadsheet date serials (after February 1900)


def column_letter(number: int) -> str:
    """The letters of a spreadsheet column: 1 → A, 27 → AA.

    >>> column_letter(1), column_letter(26), column_letter(28)
    ('A', 'Z', 'AB')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    """A field a column can fill: its path, label, value type and allowed values."""

    path: str
    segments: tuple[Segment, ...]
    label: str
    kind: Any
    required: bool
    choices: tuple[str, ...] = ()
    many: bool = False  # a list of values, written in one cell separated by « ; » or line breaks
    labels: tuple[tuple[str, str], ...] = ()  # (value, French label) of each choice, for drop-downs

    def label_of(self, value: str) -> str:
        """The French label of a choice (the value itself without one)."""
        return dict(self.labels).get(value, value)


def parse_path(text: str) -> tuple[Segment, ...] | None:
    """``parties[0].representant.nom`` → ((parties, 0), (representant, None), (nom, None)).

    >>> parse_path("parties[2].nom")
    (('parties', 2), ('nom', None))
    >>> parse_path("parties[x]") is None
    True

    An index past ``limits().max_list_items`` raises UsageError before anything is built from it
    (``parties[3000000].nom`` would otherwise become three million empty parties).
    """
    segments = []
    for piece in text.strip().split("."):
        match = SEGMENT.fullmatch(piece)
        if not match:
            return None
        segments.append((match.group(1), _bounded_index(match.group(2), text) if match.group(2) else None))
    return tuple(segments)


def _bounded_index(digits: str, text: str) -> int:
    """A list index read from a field name, refused past the bound of items any list may hold."""
    limit = limits().max_list_items
    if len(digits) > len(str(limit)) or int(digits) >= limit:
        raise IndexRefused(text, digits, limit)
    return int(digits)


class IndexRefused(UsageError):
    """A field name whose list index is past the bound: its field and the bound, in French."""

    def __init__(self, field: str, digits: str, limit: int) -> None:
        name = excerpt(field.strip())
        super().__init__(
            f"champ « {name} » : le numéro d’élément {excerpt(digits)} dépasse la limite "
            f"de {limit} éléments par liste (numérotés de 0 à {limit - 1} ; "
            "CONVENTUM_MAX_LIST_ITEMS pour la relever)"
        )
        self.field = name
        self.limit = limit


def excerpt(text: str, size: int = 60) -> str:
    """A value short enough to quote in a message: its start, « … » when cut."""
    return text if len(text) <= size else text[: size - 1] + "…"


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None``, and whether it was optional."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return args[0], len(args) < len(get_args(annotation))
    return annotation, False


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def resolve(model: type[BaseModel], segments: tuple[Segment, ...]) -> Column | None:
    """The column for a path in a model, or None if the path names no leaf field."""
    current: Any = model
    label, kind, required, many = "", None, False, False
    for position, (name, index) in enumerate(segments):
        if not _is_model(current) or name not in current.model_fields:
            return None
        info = current.model_fields[name]
        kind, optional = _unwrap(info.annotation)
        required = info.is_required() and not optional
        label = info.title or name
        if get_origin(kind) is list:
            kind = get_args(kind)[0]
            many = index is None and not _is_model(kind)
        elif index is not None:
            return None
        current = kind if position < len(segments) - 1 else None
    if _is_model(kind) or kind is None:
        return None
    choices = _choices(segments, kind)
    return Column(format_segments(segments), segments, label, kind, required, choices, many)


def format_segments(segments: tuple[Segment, ...]) -> str:
    return ".".join(name if index is None else f"{name}[{index}]" for name, index in segments)


def _choices(segments: tuple[Segment, ...], kind: Any) -> tuple[str, ...]:
    if get_origin(kind) is Literal:
        return tuple(str(arg) for arg in get_args(kind))
    table = VOCABULARY_FIELDS.get(segments[-1][0])
    return tuple(vocabulary()[table]) if table and segments[0][0] == "parties" else ()


def leaf_paths(model: type[BaseModel], prefix: tuple[Segment, ...] = ()) -> list[tuple[Segment, ...]]:
    """Every leaf field of a model as segments; lists of blocks at index 0, lists of values whole."""
    paths: list[tuple[Segment, ...]] = []
    for name, info in model.model_fields.items():
        kind, _optional = _unwrap(info.annotation)
        index = 0 if get_origin(kind) is list else None
        inner = get_args(kind)[0] if index is not None else kind
        if _is_model(inner):
            paths += leaf_paths(inner, (*prefix, (name, index)))
        else:
            paths.append((*prefix, (name, None)))
    return paths


def normalise_label(text: str) -> str:
    """A label compared loosely: case, accents, apostrophes and spaces ignored."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip().casefold()


def label_index(ctype: ConventionType) -> dict[str, str]:
    """Normalised French label → field path, for the labels that name one field only.

    Parties are left out: their fields repeat per party, so their columns are paths.
    """
    found: dict[str, list[str]] = {}
    model = ctype.model
    for column in type_columns(model):
        found.setdefault(normalise_label(column.label), []).append(column.path)
    return {label: paths[0] for label, paths in found.items() if len(paths) == 1}


def type_columns(model: type[BaseModel]) -> list[Column]:
    """The columns outside the parties: the type's own fields and the signature."""
    columns = []
    for name in model.model_fields:
        if name not in ("parties", "annexes"):
            columns += _sub_columns(model, name)
    return columns


def _sub_columns(model: type[BaseModel], name: str) -> list[Column]:
    kind, _optional = _unwrap(model.model_fields[name].annotation)
    paths = leaf_paths(kind, ((name, None),)) if _is_model(kind) else [((name, None),)]
    return [column for path in paths if (column := resolve(model, path)) is not None]


def party_columns(model: type[BaseModel], index: int) -> list[Column]:
    """The columns of the party at an index."""
    partie = get_args(_unwrap(model.model_fields["parties"].annotation)[0])[0]
    paths = leaf_paths(partie, (("parties", index),))
    return [column for path in paths if (column := resolve(model, path)) is not None]


def match_header(ctype: ConventionType, header: str, labels: dict[str, str]) -> Column:
    """The column a header names (a field path or a French label), or UsageError with close matches."""
    model = ctype.model
    segments = parse_path(header)
    column = resolve(model, segments) if segments else None
    if column is None and normalise_label(header) in labels:
        column = resolve(model, parse_path(labels[normalise_label(header)]) or ())
    if column is not None:
        return column
    known = [c.path for c in type_columns(model)] + [c.path for c in party_columns(model, _index(header))]
    close = difflib.get_close_matches(header.strip(), known + list(labels), n=3, cutoff=0.6)
    hint = f" Vouliez-vous dire : {', '.join(close)} ?" if close else ""
    raise UsageError(f"colonne inconnue : « {header} ».{hint}")


def _index(header: str) -> int:
    match = re.search(r"parties\[(\d{1,9})\]", header)
    return min(int(match.group(1)), limits().max_list_items - 1) if match else 0


def cell_value(column: Column, value: Any) -> Any:
    """A cell as the field wants it; values it cannot convert go through, for validation to report.

    >>> column = Column("x", (("x", None),), "X", int, False, many=True)
    >>> cell_value(column, "1 ; 2 ;; 3")
    [1, 2, 3]
    """
    if column.many and isinstance(value, str):
        items = [_single(column, item) for item in re.split(r"[;\n]", value)]
        present = [item for item in items if item is not None]
        return present or None
    return _single(column, value)


def _single(column: Column, value: Any) -> Any:  # noqa: PLR0911 - one return per kind of cell
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    kind = column.kind
    if column.labels and isinstance(value, str):
        return _choice(column, value)
    if kind is str or get_origin(kind) is Literal or column.choices:
        return _text(value)
    if kind is dt.date:
        return _date(value)
    if kind is bool:
        return _boolean(value)
    if kind in (Decimal, int):
        return _number(value, kind)
    return value


def _choice(column: Column, value: str) -> str:
    """A drop-down's French label back to its value; a value typed as such stays."""
    wanted = normalise_label(value)
    for key, label in column.labels:
        if wanted in (normalise_label(label), normalise_label(key)):
            return key
    return value


def _text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _date(value: Any) -> Any:
    """A real spreadsheet date, a date serial number, or a text « 14/03/2025 » / « 2025-03-14 »."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))  # a date cell read as its serial number
    if isinstance(value, str):
        try:
            return read_date(value)
        except DateTextError:
            return value  # validation says what is wrong with it
    return value


def _boolean(value: Any) -> Any:
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return value


def _number(value: Any, kind: Any) -> Any:
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, str):
        value = french_number(value)
    if kind is int and isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def french_number(text: str) -> Decimal | str:
    """A number as typed in France, read with Babel; the text itself when it is not one.

    >>> french_number("1 234,50"), french_number("1.234,50"), french_number("1234.5"), french_number("12 €")
    (Decimal('1234.50'), Decimal('1234.50'), Decimal('1234.5'), Decimal('12'))
    >>> french_number("douze")
    'douze'
    """
    cleaned = SPACES.sub("\u202f", text.replace("€", "").strip()).strip("\u202f")
    for locale in NUMBER_LOCALES:
        try:
            return Decimal(parse_decimal(cleaned, locale=locale, strict=True))
        except (NumberFormatError, InvalidOperation):
            continue
    return text


def with_labels(ctype: ConventionType, columns: list[Column]) -> list[Column]:
    """The columns with the French label of each of their choices (from the type's JSON Schema)."""
    schema = json_schema(ctype)
    labelled = []
    for column in columns:
        titles = choice_titles(schema, column.segments) if column.choices else {}
        pairs = tuple((choice, titles.get(choice, choice)) for choice in column.choices)
        labelled.append(dataclasses.replace(column, labels=pairs) if column.choices else column)
    return labelled
