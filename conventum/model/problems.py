"""What the schema refuses, as issues: pydantic's errors with our codes, characters Word cannot hold."""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from conventum.french.datetext import ACCEPTED
from conventum.issues import Issue, Location, format_path
from conventum.model.blocks import Convention
from conventum.model.building import label_of
from conventum.settings import limits

# Characters XML 1.0 (and so Word) cannot hold: C0 controls but tab and line breaks, surrogates, U+FFFE/F.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# pydantic error type → our stable code
PYDANTIC_CODES: dict[str, str] = {
    "missing": "field.missing",
    "extra_forbidden": "field.unknown",
    "literal_error": "field.not_in_choices",
    "enum": "field.not_in_choices",
    "date_parsing": "field.invalid_date",
    "date_from_datetime_parsing": "field.invalid_date",
    "date_from_datetime_inexact": "field.invalid_date",
    "date_type": "field.invalid_date",
    "decimal_parsing": "field.invalid_number",
    "decimal_type": "field.invalid_number",
    "float_parsing": "field.invalid_number",
    "int_parsing": "field.invalid_integer",
    "int_type": "field.invalid_integer",
    "int_from_float": "field.invalid_integer",
    "bool_parsing": "field.invalid_boolean",
    "bool_type": "field.invalid_boolean",
    "string_type": "field.invalid_text",
    "list_type": "field.invalid_list",
    "model_type": "field.invalid_object",
    "model_attributes_type": "field.invalid_object",
    "dict_type": "field.invalid_object",
    "string_too_short": "field.empty",
    "string_pattern_mismatch": "field.forme",
    "greater_than_equal": "field.too_small",
    "greater_than": "field.too_small",
    "less_than_equal": "field.too_large",
    "less_than": "field.too_large",
}


def unwritable_characters(value: Any, location: Location = ()) -> Iterator[Issue]:
    """A text a Word document cannot hold: a control character pasted in, or longer than one
    field may be (``limits().max_text_length``): a field error with its path, never a cut document."""
    if isinstance(value, str):
        if len(value) > limits().max_text_length:
            params = {"value": _short(value), "length": len(value), "limit": limits().max_text_length}
            yield Issue("field.texte_trop_long", format_path(location), params)
            return
        found = NOT_IN_XML.search(value)
        if found:
            params = {
                "value": _short(NOT_IN_XML.sub("\ufffd", value)),
                "code": f"U+{ord(found.group()):04X}",
                "position": found.start() + 1,
            }
            yield Issue("field.caractere_interdit", format_path(location), params)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from unwritable_characters(item, (*location, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unwritable_characters(item, (*location, index))


def issue_from_pydantic(model: type[Convention], error: ErrorDetails, data: Any) -> Issue:
    """Translate one pydantic error into an issue with our code and French parameters."""
    location = tuple(error["loc"])
    kind = error["type"]
    code = PYDANTIC_CODES.get(kind, "field.invalid")
    params: dict[str, Any] = {"label": label_of(model, location), "value": _short(error.get("input"))}
    context = error.get("ctx") or {}
    message = str(context.get("error", error.get("msg", "")))
    if kind == "value_error" and message.startswith("date|"):
        code = "field.invalid_date"
        params["reason"] = message.split("date|", 1)[1]
    elif code == "field.invalid_date":
        params["reason"] = f"attendu : {ACCEPTED}"
    elif kind == "value_error" and "choice|" in message:
        code = "field.not_in_choices"
        params["choices"] = message.split("choice|", 1)[1]
    elif kind == "literal_error":
        params["choices"] = ", ".join(re.findall(r"'([^']*)'", str(context.get("expected", ""))))
    elif kind == "extra_forbidden":
        params["field"] = str(location[-1])
        close = difflib.get_close_matches(str(location[-1]), sibling_keys(model, location), n=1, cutoff=0.6)
        if close:
            params["proche"] = close[0]
    elif "limit_value" in str(context) or kind in ("greater_than_equal", "less_than_equal"):
        params["limit"] = next((v for k, v in context.items() if k in ("ge", "gt", "le", "lt")), "")
    if code == "field.invalid":
        params["detail"] = message
    return Issue(code, format_path(location), params)


def sibling_keys(model: type[BaseModel], location: tuple[str | int, ...]) -> list[str]:
    """The keys the schema allows beside the last one of a location (for a misspelt key)."""
    current: Any = model
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner(annotation: Any) -> Any:
    """The model inside an annotation (``Adresse``, ``list[Autorisation]``, ``Signature | None``)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        for inner in (candidate, *typing.get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def _short(value: Any) -> Any:
    text = value if isinstance(value, (str, int)) else str(value)
    if isinstance(text, str) and len(text) > 80:
        return text[:77] + "…"
    return text
