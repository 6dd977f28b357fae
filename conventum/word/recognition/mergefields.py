"""Word mail-merge fields (``MERGEFIELD Nom_collectivite``) made content controls tagged by their name.

Legacy form text fields (``FORMTEXT``) are blanks too, named by their bookmark.
Simple fields (``w:fldSimple``) and complex ones (``w:fldChar`` begin … ``w:instrText`` … separate …
«Nom» … end) both; the text Word shows («Nom_collectivite») is what the control holds.

>>> merge_name(' MERGEFIELD  "Nom de la commune" \\\\* MERGEFORMAT '), merge_name(" PAGE ")
('Nom de la commune', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from conventum.french.labels import label_from_identifier
from conventum.ooxml.namespaces import w
from conventum.ooxml.package import Package
from conventum.word.fields import identifier, short_label
from conventum.word.recognition.places import in_text_box
from conventum.word.recognition.runs import wrap

MERGE = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]+)"|(\S+))', re.IGNORECASE)
FORM_TEXT = re.compile(r"^\s*FORMTEXT\b")  # a legacy form's text field (Word 97's grey box)
FIELD_WORD = re.compile(r"^\s*([A-Z]+)")


@dataclass(frozen=True)
class NestedField:
    """A mail-merge field inside another field's code (IF, INCLUDETEXT…): it cannot become a tag."""

    element: etree._Element
    name: str
    outer: str


def merge_name(instruction: str) -> str | None:
    found = MERGE.match(instruction)
    return (found.group(1) or found.group(2)) if found else None


def merge_controls(package: Package, names: set[str]) -> list[NestedField]:
    """Wrap every mail-merge field of the template's stories; the nested ones are returned, untouched."""
    nested: list[NestedField] = []
    for part, story in package.stories.items():
        if story not in ("document", "header", "footer"):
            continue
        tree = package.trees[part]
        for simple in list(tree.iter(w("fldSimple"))):
            name = merge_name(simple.get(w("instr"), ""))
            if name:
                _replace(list(simple), simple, name, names)
        for paragraph in list(tree.iter(w("p"))):
            nested += _complex_fields(paragraph, names)
    return nested


def _label(name: str) -> str:
    return short_label(label_from_identifier(identifier(name)) if identifier(name) else name)


def _replace(
    shown: list[etree._Element], old: etree._Element, name: str, names: set[str], origin: str = "fusion"
) -> None:
    tag = identifier(name) or "champ_fusion"
    names.add(tag)
    holder = etree.Element(w("r"))
    old.addprevious(holder)
    sdt = wrap([holder], label=_label(name), tag=tag, origin=origin)
    content = sdt.find(w("sdtContent"))
    assert content is not None
    content.remove(holder)
    runs = [run for run in shown if run.tag == w("r")]
    content.extend(runs or [_shown_run(name)])
    parent = old.getparent()
    if parent is not None:
        parent.remove(old)


def _shown_run(name: str) -> etree._Element:
    run = etree.Element(w("r"))
    etree.SubElement(run, w("t")).text = f"«{name}»"
    return run


def _complex_fields(paragraph: etree._Element, names: set[str]) -> list[NestedField]:
    """Walk the runs of one paragraph, field by field (a field's code may hold other fields)."""
    nested: list[NestedField] = []
    stack: list[dict[str, object]] = []
    for run in [child for child in paragraph if child.tag == w("r")]:
        char = run.find(w("fldChar"))
        kind = char.get(w("fldCharType")) if char is not None else None
        if kind == "begin":
            stack.append({"begin": run, "code": "", "shown": [], "separated": False})
        elif not stack:
            continue
        elif kind == "separate":
            stack[-1]["separated"] = True
        elif kind == "end":
            field = stack.pop()
            nested += _close(field, run, stack, names)
        elif run.find(w("instrText")) is not None and not stack[-1]["separated"]:
            stack[-1]["code"] = str(stack[-1]["code"]) + "".join(
                t.text or "" for t in run.iter(w("instrText"))
            )
        elif stack[-1]["separated"]:
            shown = stack[-1]["shown"]
            assert isinstance(shown, list)
            shown.append(run)
    return nested


def _close(
    field: dict[str, object], end: etree._Element, stack: list[dict[str, object]], names: set[str]
) -> list[NestedField]:
    begin = field["begin"]
    assert isinstance(begin, etree._Element)
    name, origin = merge_name(str(field["code"])), "fusion"
    if name is None and FORM_TEXT.match(str(field["code"])):
        name, origin = _form_name(begin), "formulaire"
    if name is None:
        return []
    if stack:
        outer = FIELD_WORD.match(str(stack[0]["code"]))
        return [NestedField(begin, name, outer.group(1) if outer else "?")]
    if in_text_box(begin):
        return []
    shown = field["shown"]
    assert isinstance(shown, list)
    runs = _between(begin, end)
    for run in runs:
        parent = run.getparent()
        if run not in shown and parent is not None:
            parent.remove(run)
    _replace(shown, end, name, names, origin)
    return []


def _form_name(begin: etree._Element) -> str:
    """A legacy form text field's bookmark name ("Text1"), its only name."""
    found = begin.find(f"{w('fldChar')}/{w('ffData')}/{w('name')}")
    return (found.get(w("val")) if found is not None else None) or "champ_formulaire"


def _between(begin: etree._Element, end: etree._Element) -> list[etree._Element]:
    found = [begin]
    for sibling in begin.itersiblings():
        if sibling is end:
            break
        found.append(sibling)
    return found
