"""Import a Word file built from content controls: a docxtpl template plus a schema YAML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from lxml import etree

from conventum.ooxml.namespaces import w
from conventum.ooxml.package import local
from conventum.output import check_writable, write_atomic
from conventum.word.controls import (
    Control,
    content_properties,
    glyphs,
    make_run,
    replace_element,
    unwrap,
    value_elements,
)
from conventum.word.fields import Analysis, analyse

LOOP_VARIABLE = "element"


@dataclass(frozen=True)
class ImportResult:
    """An imported type: the template's bytes, its schema, and what the analysis found."""

    name: str
    template: bytes
    schema: dict[str, Any]
    analysis: Analysis

    def schema_yaml(self) -> str:
        header = f"# Type importé par « conventum import » depuis {self.schema.get('source', '?')}.\n"
        return header + yaml.safe_dump(self.schema, allow_unicode=True, sort_keys=False, width=100)


def import_word(data: bytes, *, name: str, source: str = "document") -> ImportResult:
    """Turn a Word file's controls into docxtpl tags, and its fields into a schema."""
    analysis = analyse(data, source=source, template=True)
    placeholder_style = analysis.package.placeholder_style
    convert(analysis.controls, placeholder_style, prefix="", depth=1)
    for tree in analysis.package.trees.values():
        add_table_grids(tree)
    schema = {
        "titre": name,
        "description": f"Modèle Word importé de {source}",
        "source": source,
        "champs": analysis.schema_fields,
    }
    return ImportResult(name, analysis.package.to_bytes(), schema, analysis)


def convert(controls: list[Control], style: str | None, *, prefix: str, depth: int) -> None:
    """Replace field controls by tags, sections by loops, then unwrap the wrappers."""
    for control in controls:
        if control.role != "field":
            continue
        if control.kind == "repeatingSection":
            _convert_section(control, style, prefix=prefix, depth=depth)
        else:
            run = make_run(content_properties(control, style), tag_text(control, prefix))
            replace_element(control.element, value_elements(control, run))
    for control in controls:
        if control.role == "wrapper":
            unwrap(control)


def tag_text(control: Control, prefix: str) -> str:
    """The docxtpl tag that shows a field where its control was."""
    variable = prefix + control.name
    if control.kind == "checkbox":
        checked, unchecked = glyphs(control)
        return f'{{{{ "{checked}" if {variable} else "{unchecked}" }}}}'
    return f"{{{{ {variable} }}}}"


def _convert_section(control: Control, style: str | None, *, prefix: str, depth: int) -> None:
    variable = LOOP_VARIABLE + (str(depth) if depth > 1 else "")
    convert(control.children, style, prefix=variable + ".", depth=depth + 1)
    items = [item for item in control.content if item.tag == w("sdt")]
    first = items[0].find(w("sdtContent")) if items else None
    body = list(first) if first is not None else []
    names = {local(element) for element in body}
    level = "tr" if "tr" in names else ("p" if names & {"p", "tbl"} else "")
    opener = _marker(level, f"for {variable} in {prefix}{control.name}")
    closer = _marker(level, "endfor")
    replace_element(control.element, [opener, *body, closer])


def _marker(level: str, statement: str) -> etree._Element:
    """A docxtpl block tag in its own row (``{%tr``), paragraph (``{%p``) or run."""
    run = make_run(None, f"{{%{level} {statement} %}}")
    if not level:
        return run
    paragraph = etree.Element(w("p"))
    paragraph.append(run)
    if level == "p":
        return paragraph
    row = etree.Element(w("tr"))
    cell = etree.SubElement(row, w("tc"))
    cell.append(paragraph)
    return row


def add_table_grids(tree: etree._Element) -> None:
    """Give every table a ``w:tblGrid`` (Word tolerates its absence, docxtpl does not)."""
    for table in tree.iter(w("tbl")):
        if table.find(w("tblGrid")) is not None:
            continue
        grid = etree.Element(w("tblGrid"))
        row = table.find(f".//{w('tr')}")
        for _ in row.iter(w("tc")) if row is not None else ():
            etree.SubElement(grid, w("gridCol"))
        properties = table.find(w("tblPr"))
        table.insert(table.index(properties) + 1 if properties is not None else 0, grid)


class Importable(Protocol):
    """What an import writes: a type's name, its template's bytes, its schema as YAML."""

    @property
    def name(self) -> str: ...
    @property
    def template(self) -> bytes: ...
    def schema_yaml(self) -> str: ...


def write_import(result: Importable, folder: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write templates/NAME.docx and schemas/NAME.yaml under a folder, atomically."""
    template = folder / "templates" / f"{result.name}.docx"
    schema = folder / "schemas" / f"{result.name}.yaml"
    for path in (template, schema):
        path.parent.mkdir(parents=True, exist_ok=True)
        check_writable(path, force=force)
    write_atomic(template, result.template, force=force)
    write_atomic(schema, result.schema_yaml().encode("utf-8"), force=force)
    return template, schema
