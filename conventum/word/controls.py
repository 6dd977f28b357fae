"""Word content controls (``w:sdt``) read from the raw OOXML: kind, names, placeholders, list items.

python-docx does not see content controls, so this module walks the XML of every story part
(body, headers, footers, notes) with lxml and writes values or tags in their place.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from conventum.ooxml.namespaces import MC, W14, XML_SPACE, w
from conventum.ooxml.package import Package, local, text_of

FIELD_KINDS = ("text", "richText", "dropDownList", "comboBox", "date", "checkbox", "repeatingSection")
KEPT_KINDS = ("docPartObj", "docPartList", "citation", "bibliography")
TYPE_ELEMENTS = (
    *FIELD_KINDS,
    *KEPT_KINDS,
    "picture",
    "group",
    "equation",
    "repeatingSectionItem",
    "entityPicker",
    "webExtensionLinked",
    "webExtensionCreated",
)
# Word's own instruction texts, by version and language (not the author's custom ones).
GENERIC_PLACEHOLDERS = (
    "cliquez ou appuyez ici pour entrer",
    "cliquez ici pour",
    "choisissez un élément",
    "choisissez un bloc",
    "click or tap",
    "click here to",
    "choose an item",
    "choose a building block",
    "klicken oder tippen",
    "wählen sie ein element",
    "enter any content that you want to repeat",
)


@dataclass
class Control:
    """One content control as found in a part; ``role`` is field, wrapper, kept or unmapped."""

    element: etree._Element
    part: str
    kind: str
    role: str
    tag: str | None = None
    alias: str | None = None
    placeholder: str | None = None
    generic_placeholder: bool = True
    showing_placeholder: bool = False
    items: list[tuple[str, str]] = field(default_factory=list)
    date_format: str | None = None
    level: str = "run"
    duplicate: bool = False
    children: list[Control] = field(default_factory=list)
    name: str = ""

    @property
    def properties(self) -> etree._Element:
        found = self.element.find(w("sdtPr"))
        return found if found is not None else etree.SubElement(self.element, w("sdtPr"))

    @property
    def content(self) -> etree._Element:
        found = self.element.find(w("sdtContent"))
        return found if found is not None else etree.SubElement(self.element, w("sdtContent"))

    @property
    def text(self) -> str:
        return text_of(self.content)

    @property
    def sdt_id(self) -> str | None:
        found = self.properties.find(w("id"))
        return found.get(w("val")) if found is not None else None

    def type_element(self) -> etree._Element | None:
        return next((c for c in self.properties if local(c) in TYPE_ELEMENTS), None)


def kind_of(sdt: etree._Element) -> str:
    """The control's kind, by the local name of its type element (both w15 namespaces)."""
    properties = sdt.find(w("sdtPr"))
    for child in properties if properties is not None else ():
        if local(child) in TYPE_ELEMENTS:
            return local(child)
    return "richText"


def level_of(sdt: etree._Element) -> str:
    """run, block, row or cell: what the control wraps, seen through enclosing controls."""
    parent = sdt.getparent()
    while parent is not None and local(parent) in ("sdt", "sdtContent"):
        parent = parent.getparent()
    name = local(parent) if parent is not None else ""
    if name in ("p", "hyperlink", "fldSimple", "smartTag", "customXml", "ins", "del"):
        return "run"
    return {"tbl": "row", "tr": "cell"}.get(name, "block")


def read_controls(package: Package) -> list[Control]:
    """Every top-level control of every story part, in document order (nested ones as children)."""
    found: list[Control] = []
    for part in package.stories:
        _visit(package, package.trees[part], part, found, duplicate=False)
    return found


def controls_in(package: Package, element: etree._Element, part: str) -> list[Control]:
    """The controls inside one element (a copied repeating-section item)."""
    found: list[Control] = []
    _visit(package, element, part, found, duplicate=False)
    return found


def iter_controls(controls: list[Control]) -> Iterator[Control]:
    """All controls, depth first (children of repeating sections included)."""
    for control in controls:
        yield control
        yield from iter_controls(control.children)


def _visit(package: Package, node: etree._Element, part: str, out: list[Control], *, duplicate: bool) -> None:
    for child in list(node):
        if not isinstance(child.tag, str):
            continue
        if child.tag == w("sdt"):
            _take(package, child, part, out, duplicate=duplicate)
        else:
            inside_fallback = duplicate or child.tag == f"{{{MC}}}Fallback"
            _visit(package, child, part, out, duplicate=inside_fallback)


def _take(package: Package, sdt: etree._Element, part: str, out: list[Control], *, duplicate: bool) -> None:
    kind = kind_of(sdt)
    control = _describe(package, sdt, part, kind)
    control.duplicate = duplicate
    content = control.content
    if control.role in ("wrapper", "kept"):
        out.append(control)
        _visit(package, content, part, out, duplicate=duplicate)
        return
    if kind == "repeatingSection":
        items = [c for c in content if c.tag == w("sdt") and kind_of(c) == "repeatingSectionItem"]
        first = items[0].find(w("sdtContent")) if items else None
        if first is not None:
            _visit(package, first, part, control.children, duplicate=duplicate)
    out.append(control)


def _role(sdt: etree._Element, kind: str, tag: str | None) -> str:
    if kind in KEPT_KINDS:
        return "kept"
    if (tag or "").startswith("goog_rdk_") or kind == "repeatingSectionItem":
        return "wrapper"
    if kind == "richText":
        content = sdt.find(w("sdtContent"))
        nested = content is not None and content.find(f".//{w('sdt')}") is not None
        rows = content is not None and content.find(w("tr")) is not None
        return "wrapper" if nested or rows else "field"
    return "field" if kind in FIELD_KINDS else "unmapped"


def _value(properties: etree._Element, name: str) -> str | None:
    found = properties.find(w(name))
    value = found.get(w("val")) if found is not None else None
    return value.strip() if value and value.strip() else None


def _describe(package: Package, sdt: etree._Element, part: str, kind: str) -> Control:
    properties = sdt.find(w("sdtPr"))
    if properties is None:
        properties = etree.SubElement(sdt, w("sdtPr"))
    tag = _value(properties, "tag")
    control = Control(sdt, part, kind, _role(sdt, kind, tag), tag=tag, alias=_value(properties, "alias"))
    control.level = level_of(sdt)
    control.showing_placeholder = properties.find(w("showingPlcHdr")) is not None
    _read_placeholder(package, control, properties)
    type_element = control.type_element()
    if kind in ("dropDownList", "comboBox") and type_element is not None:
        control.items = _list_items(type_element, control.placeholder)
    if kind == "date" and type_element is not None:
        date_format = type_element.find(w("dateFormat"))
        control.date_format = date_format.get(w("val")) if date_format is not None else None
    return control


def _read_placeholder(package: Package, control: Control, properties: etree._Element) -> None:
    doc_part = properties.find(f"{w('placeholder')}/{w('docPart')}")
    name = doc_part.get(w("val"), "") if doc_part is not None else ""
    text = package.glossary.get(name) or (control.text if control.showing_placeholder else None)
    control.placeholder = text.strip() if text and text.strip() else None
    control.generic_placeholder = name.startswith("DefaultPlaceholder_") or is_generic(control.placeholder)


def caption_of(control: Control) -> str | None:
    """The label a form writes before a blank: "Nom du participant :" in the paragraph, or the cell before."""
    if control.level == "run":
        before: list[str] = []
        for sibling in control.element.itersiblings(preceding=True):
            before.insert(0, text_of(sibling))
        text = "".join(before).rstrip()
        label = text.rsplit(".", 1)[-1].strip() if text.endswith(":") else ""
        return label.rstrip(" :").strip() or None
    cell = next(control.element.iterancestors(w("tc")), None)
    if control.level == "cell":
        cell = control.element
    previous = cell.getprevious() if cell is not None else None
    while previous is not None and local(previous) not in ("tc", "sdt"):
        previous = previous.getprevious()
    text = text_of(previous).strip().rstrip(":").strip() if previous is not None else ""
    return text if text and "\n" not in text else None


def is_generic(text: str | None) -> bool:
    """Word's own instruction texts ("Cliquez ou appuyez ici…", "Choose an item.")."""
    return not text or text.lower().startswith(GENERIC_PLACEHOLDERS)


def _list_items(element: etree._Element, placeholder: str | None) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for item in element.findall(w("listItem")):
        value = item.get(w("value"))
        label = item.get(w("displayText"))
        if value is None or (label is None and (value == placeholder or is_generic(value))):
            continue
        if all(value != known for known, _ in items):
            items.append((value, label if label is not None else value))
    return items


def content_properties(control: Control, placeholder_style: str | None) -> etree._Element | None:
    """The run formatting of a control's value: its content's first run, else ``sdtPr/rPr``."""
    run = control.content.find(f".//{w('r')}")
    properties = run.find(w("rPr")) if run is not None else None
    if properties is None:
        properties = control.properties.find(w("rPr"))
    if properties is None:
        return None
    properties = copy.deepcopy(properties)
    for style in properties.findall(w("rStyle")):
        if style.get(w("val")) == placeholder_style:
            properties.remove(style)
    return properties


def make_run(properties: etree._Element | None, text: str) -> etree._Element:
    """A run with those properties and text; line breaks become ``w:br``, tabs ``w:tab``."""
    run = etree.Element(w("r"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, w("br"))
        for column, piece in enumerate(line.split("\t")):
            if column:
                etree.SubElement(run, w("tab"))
            if piece:
                node = etree.SubElement(run, w("t"))
                node.text = piece
                node.set(XML_SPACE, "preserve")
    return run


def value_elements(control: Control, run: etree._Element) -> list[etree._Element]:
    """What replaces a control's content at its level: the run, or a paragraph, or a cell."""
    if control.level == "run":
        return [run]
    paragraph = etree.Element(w("p"))
    first = control.content.find(f".//{w('p')}")
    paragraph_properties = first.find(w("pPr")) if first is not None else None
    if paragraph_properties is not None:
        paragraph.append(copy.deepcopy(paragraph_properties))
    paragraph.append(run)
    cell = control.content.find(w("tc"))
    if control.level != "cell" or cell is None:
        return [paragraph]
    new_cell = etree.Element(w("tc"))
    cell_properties = cell.find(w("tcPr"))
    if cell_properties is not None:
        new_cell.append(copy.deepcopy(cell_properties))
    new_cell.append(paragraph)
    return [new_cell]


def replace_element(old: etree._Element, new: list[etree._Element]) -> None:
    """Put elements where one element was (keeping its tail)."""
    parent = old.getparent()
    if parent is None:
        return
    index = parent.index(old)
    parent.remove(old)
    for offset, element in enumerate(new):
        parent.insert(index + offset, element)


def unwrap(control: Control) -> None:
    """Replace a control by its content: the wrapper goes, what it showed stays."""
    replace_element(control.element, list(control.content))


def glyphs(control: Control) -> tuple[str, str]:
    """The checked and unchecked characters of a checkbox (☒ and ☐ by default)."""
    found = ["☒", "☐"]
    box = control.type_element()
    for index, name in enumerate(("checkedState", "uncheckedState")):
        state = box.find(f"{{{W14}}}{name}") if box is not None else None
        code = state.get(f"{{{W14}}}val") if state is not None else None
        if code:
            found[index] = chr(int(code, 16))
    return found[0], found[1]
