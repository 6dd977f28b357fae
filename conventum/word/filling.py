"""Fill a Word file's content controls in place: the controls stay, so Word still sees a form."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from lxml import etree
from pydantic import ValidationError

from conventum.errors import ValidationFailed
from conventum.french.worddates import format_word_date, full_date
from conventum.model.building import model_from_fields
from conventum.model.catalogue import field_specs
from conventum.model.problems import issue_from_pydantic, unwritable_characters
from conventum.model.specs import FieldSpec
from conventum.ooxml.namespaces import W14, W15_URIS, w
from conventum.ooxml.package import Package
from conventum.word.controls import (
    Control,
    content_properties,
    controls_in,
    glyphs,
    kind_of,
    make_run,
    value_elements,
)
from conventum.word.fields import Analysis, FieldInfo, analyse, assign_fields

STALE = (w("showingPlcHdr"), w("dataBinding"), *(f"{{{uri}}}dataBinding" for uri in W15_URIS))


def validate_values(analysis: Analysis, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values typed by the file's own schema; ValidationFailed with field paths otherwise."""
    model = model_from_fields("formulaire", field_specs(analysis.schema_fields, source="formulaire Word"))
    refused = list(unwritable_characters(dict(values)))
    if refused:
        raise ValidationFailed(refused)
    try:
        convention = model.model_validate(dict(values))
    except ValidationError as exc:
        raise ValidationFailed([issue_from_pydantic(model, error, values) for error in exc.errors()]) from exc
    return convention.model_dump(mode="python")


def fill_word(data: bytes, values: Mapping[str, Any], *, source: str = "document") -> bytes:
    """A copy of the Word file whose controls show the values (validated first)."""
    analysis = analyse(data, source=source)
    typed = validate_values(analysis, values)
    fill_fields(analysis.package, analysis.fields, typed)
    return analysis.package.to_bytes()


def fill_fields(package: Package, fields: dict[str, FieldInfo], values: dict[str, Any]) -> None:
    """Put each field's value in every control that shows it."""
    for name, info in fields.items():
        value = values.get(name)
        if value is None:
            continue
        for control in info.controls:
            if control.kind == "repeatingSection":
                _fill_section(package, control, value)
            else:
                fill_control(control, info.typed, value, package.placeholder_style)


def fill_control(control: Control, spec: FieldSpec, value: Any, style: str | None) -> None:
    """Show one value in one control, its Word state (date, selection, box) kept in step."""
    text = display_text(control, spec, value)
    run = make_run(content_properties(control, style), text)
    new = value_elements(control, run)
    content = control.content
    for child in list(content):
        content.remove(child)
    content.extend(new)
    for stale in [child for child in control.properties if child.tag in STALE]:
        control.properties.remove(stale)
    keep_name(control)


def keep_name(control: Control) -> None:
    """Tag an untagged control with its field name, so the filled file keeps its schema."""
    properties = control.properties
    if properties.find(w("tag")) is not None or not control.name:
        return
    tag = etree.Element(w("tag"))
    tag.set(w("val"), control.name)
    anchor = properties.find(w("id"))
    if anchor is not None:
        anchor.addprevious(tag)
    else:
        properties.insert(len(properties.findall(w("rPr")) + properties.findall(w("alias"))), tag)


def display_text(control: Control, spec: FieldSpec, value: Any) -> str:
    """The text Word would show for the value, after setting the control's own state."""
    box = control.type_element()
    if control.kind == "checkbox":
        checked = box.find(f"{{{W14}}}checked") if box is not None else None
        if box is not None and checked is None:
            checked = etree.SubElement(box, f"{{{W14}}}checked")
        if checked is not None:
            checked.set(f"{{{W14}}}val", "1" if value else "0")
        return glyphs(control)[0 if value else 1]
    if control.kind == "date" and isinstance(value, date):
        if box is not None:
            box.set(w("fullDate"), full_date(value))
        return format_word_date(value, spec.date_format or control.date_format)
    if control.kind in ("dropDownList", "comboBox") and box is not None:
        box.set(w("lastValue"), str(value))
        return str(spec.choices.get(value, value))
    return str(value)


def _fill_section(package: Package, control: Control, items: list[dict[str, Any]]) -> None:
    content = control.content
    originals = [c for c in content if c.tag == w("sdt") and kind_of(c) == "repeatingSectionItem"]
    if not originals or not items:
        return
    position = content.index(originals[0])
    for old in originals:
        content.remove(old)
    for offset, item in enumerate(items):
        clone = copy.deepcopy(originals[0])
        content.insert(position + offset, clone)
        fields = assign_fields(controls_in(package, clone, control.part))
        fill_fields(package, fields, item)
    for stale in [child for child in control.properties if child.tag in STALE]:
        control.properties.remove(stale)
