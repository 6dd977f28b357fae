"""The pikepdf adapter for accessibility (PDF/UA): what LibreOffice's tagged export leaves to do.

LibreOffice, asked for PDF/UA (``conventum.pdf.lobridge.helper``), writes the structure tree, the
language, headings, header cells and the document title shown. This module finishes the rest:

- invisible text (drawn white: the ``#signature#`` tags for parapheurs) becomes an artifact, out of
  the reading order of screen readers; i-Parapheur still finds it, as it reads every text drawn;
- tables without any header cell only place blocks side by side: tagged as divisions, not data;
- signature fields get a place in the structure (a ``Form`` element where their tag stood, with a
  ``StructParent``) and their pages the tab order of the structure (``/Tabs /S``);
- tagged PDFs put end to end keep their structure (``append_tagged``: annexes, dossiers).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from conventum.errors import ConversionError

LANGUAGE = "fr-FR"
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
LAYOUT_ROLES = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TD"}
WHITE = {"g": [1.0], "rg": [1.0, 1.0, 1.0], "k": [0.0, 0.0, 0.0, 0.0]}


@dataclass
class Hidden:
    """An invisible text made an artifact: its page, where it was drawn, and the element it left."""

    page: int
    x: float
    y: float
    element: Dictionary


def open_pdf(pdf: bytes, *, what: str) -> Pdf:
    """The PDF opened with pikepdf; ConversionError names ``what`` when it does not open."""
    try:
        return Pdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as exc:
        raise ConversionError(f"{what} est illisible : {exc}") from exc


def to_bytes(pdf: Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def make_accessible(document: Pdf) -> None:
    """Invisible text as artifacts, layout tables untagged, signature fields tagged in place of
    their tags; nothing when LibreOffice wrote no structure (never expected)."""
    root = document.Root
    if "/StructTreeRoot" not in root:
        return
    if "/Lang" not in root:
        root.Lang = pikepdf.String(LANGUAGE)
    hidden = invisible_text_as_artifacts(document)
    untag_layout_tables(root.StructTreeRoot)
    tag_widgets(document, hidden)


# -- the structure tree --------------------------------------------------------------------------


def parent_tree(document: Pdf) -> dict[int, Any]:
    """The structure's parent tree flattened: key → struct element (annotation) or array (page)."""
    tree = document.Root.StructTreeRoot.get("/ParentTree")
    found: dict[int, Any] = {}

    def visit(node: Any) -> None:
        nums = node.get("/Nums")
        if nums is not None:
            for index in range(0, len(nums) - 1, 2):
                found[int(nums[index])] = nums[index + 1]
        for kid in node.get("/Kids") or []:
            visit(kid)

    if tree is not None:
        visit(tree)
    return found


def write_parent_tree(document: Pdf, entries: dict[int, Any]) -> None:
    """The parent tree as one flat /Nums array, and the next free key."""
    nums = Array()
    for key in sorted(entries):
        nums.append(key)
        nums.append(entries[key])
    structure = document.Root.StructTreeRoot
    structure.ParentTree = document.make_indirect(Dictionary(Nums=nums))
    structure.ParentTreeNextKey = max(entries, default=-1) + 1


def elements(node: Any) -> Iterator[Dictionary]:
    """Every structure element under a node (itself included), depth first."""
    if isinstance(node, Dictionary) and "/S" in node:
        yield node
    kids = node.get("/K") if isinstance(node, Dictionary) else None
    for kid in kids if isinstance(kids, Array) else [kids] if kids is not None else []:
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield from elements(kid)


def untag_layout_tables(structure: Any) -> None:
    """A table without any header cell only lays blocks out (signatures side by side): its
    elements become divisions, so that it is not read as a data table without headers."""
    for element in list(elements(structure)):
        if element.get("/S") != Name("/Table"):
            continue
        inside = list(elements(element))
        if any(item.get("/S") == Name("/TH") for item in inside):
            continue
        for item in inside:
            if str(item.get("/S")) in LAYOUT_ROLES:
                item.S = Name("/Div")
                if "/A" in item:
                    del item["/A"]


# -- invisible text --------------------------------------------------------------------------------


def invisible_text_as_artifacts(document: Pdf) -> list[Hidden]:
    """Every marked sequence whose text is all drawn white becomes an artifact; the structure
    elements that held it are returned (in page order) and taken out of the parent tree."""
    entries = parent_tree(document)
    hidden: list[Hidden] = []
    for index, page in enumerate(document.pages):
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in entries or not _may_draw_white(page):
            continue
        found = _mark_page(document, page)
        if not found:
            continue
        marked = entries[int(key)]
        for mcid, (x, y) in found.items():
            if mcid < len(marked) and isinstance(marked[mcid], Dictionary):
                element = marked[mcid]
                marked[mcid] = None
                _forget_mcid(element, mcid)
                hidden.append(Hidden(index, x, y, element))
    return hidden


# How a white fill colour reads in a content stream (LibreOffice writes "1 1 1 rg"); a page without
# any is not parsed (parsing every page is most of this module's time).
WHITE_OPERATORS = re.compile(rb"(?<![\d.])1(?:\.0*)? (?:1(?:\.0*)? 1(?:\.0*)? rg|g)\b|\b0 0 0 0 k\b|\bscn?\b")


def _may_draw_white(page: pikepdf.Page) -> bool:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, Array) else [contents] if contents is not None else []
    return any(WHITE_OPERATORS.search(stream.read_bytes()) for stream in streams)


def _forget_mcid(element: Dictionary, mcid: int) -> None:
    """The element without that marked content: emptied of it, or left for a widget to take."""
    kids = element.get("/K")
    if isinstance(kids, Array):
        element.K = Array([kid for kid in kids if not (isinstance(kid, int) and int(kid) == mcid)])
    elif kids is not None and int(kids) == mcid:
        element.K = Array()


@dataclass
class _Sequence:
    start: int
    mcid: int | None
    texts: int = 0
    white: int = 0
    x: float = math.nan
    y: float = math.nan


def _mark_page(document: Pdf, page: pikepdf.Page) -> dict[int, tuple[float, float]]:
    """Rewrite the page's content so that all-white marked sequences are artifacts; their MCIDs
    with where their text begins."""
    scanner = _Scanner(list(pikepdf.parse_content_stream(page)))
    for index, (operands, operator) in enumerate(scanner.operations):
        scanner.step(index, list(operands), str(operator))
    if scanner.invisible:
        page.obj.Contents = pikepdf.Stream(document, pikepdf.unparse_content_stream(scanner.operations))
    return scanner.invisible


class _Scanner:
    """The graphics state a page's content needs to tell white text: fill colour, marked sequences."""

    def __init__(self, operations: list[Any]) -> None:
        self.operations = operations
        self.white = False
        self.saved: list[bool] = []
        self.open: list[_Sequence] = []
        self.invisible: dict[int, tuple[float, float]] = {}

    def step(self, index: int, operands: list[Any], name: str) -> None:
        if name == "q":
            self.saved.append(self.white)
        elif name == "Q" and self.saved:
            self.white = self.saved.pop()
        elif name in WHITE:
            self.white = [float(value) for value in operands] == WHITE[name]
        elif name in {"sc", "scn", "cs"}:
            self.white = False
        elif name in {"BDC", "BMC"}:
            self.open.append(_Sequence(index, _mcid(operands) if name == "BDC" else None))
        elif name == "EMC" and self.open:
            self.close(self.open.pop())
        elif self.open:
            self.text(self.open[-1], operands, name)

    def text(self, sequence: _Sequence, operands: list[Any], name: str) -> None:
        if name in {"Td", "TD", "Tm"} and math.isnan(sequence.x):
            sequence.x, sequence.y = float(operands[-2]), float(operands[-1])
        elif name in TEXT_SHOWING:
            sequence.texts += 1
            sequence.white += int(self.white)

    def close(self, sequence: _Sequence) -> None:
        if sequence.mcid is not None and sequence.texts and sequence.white == sequence.texts:
            self.operations[sequence.start] = pikepdf.ContentStreamInstruction(
                [Name("/Artifact")], pikepdf.Operator("BMC")
            )
            self.invisible[sequence.mcid] = (sequence.x, sequence.y)


def _mcid(operands: Any) -> int | None:
    properties = operands[1] if len(operands) > 1 else None
    if isinstance(properties, Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


# -- signature fields ------------------------------------------------------------------------------


def tag_widgets(document: Pdf, hidden: list[Hidden]) -> None:
    """Each widget without a structure parent gets one: a Form element, in place of the nearest
    invisible tag on its page (the signature block it belongs to), or at the end of the document.
    Pages with annotations take the structure's tab order."""
    entries = parent_tree(document)
    top = _document_element(document)
    free = list(hidden)
    for index, page in enumerate(document.pages):
        annotations = page.obj.get("/Annots")
        if not annotations:
            continue
        page.obj.Tabs = Name("/S")
        for annotation in annotations:
            if annotation.get("/Subtype") != Name("/Widget") or "/StructParent" in annotation:
                continue
            element = _take_nearest(free, index, annotation)
            if element is None:
                element = document.make_indirect(Dictionary(P=top))
                _append_kid(top, element)
            key = max(entries, default=-1) + 1
            element.S = Name("/Form")
            element.Pg = page.obj
            element.K = Dictionary(Type=Name("/OBJR"), Obj=annotation, Pg=page.obj)
            if "/TU" in annotation:
                element.Alt = annotation.TU
            annotation.StructParent = key
            entries[key] = element
    write_parent_tree(document, entries)


def _take_nearest(free: list[Hidden], page: int, annotation: Any) -> Dictionary | None:
    rect = [float(value) for value in annotation.get("/Rect", [0, 0, 0, 0])]
    centre = ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)
    same = [item for item in free if item.page == page]
    if not same:
        return None
    nearest = min(same, key=lambda item: math.dist(centre, (item.x, item.y)))
    free.remove(nearest)
    return nearest.element


def _document_element(document: Pdf) -> Dictionary:
    """The top structure element (LibreOffice's Document), created when there is none."""
    structure = document.Root.StructTreeRoot
    kids = _as_array(structure.get("/K"))
    for kid in kids:
        if isinstance(kid, Dictionary) and kid.get("/S") == Name("/Document"):
            return kid
    top = document.make_indirect(Dictionary(S=Name("/Document"), P=structure, K=kids))
    for kid in kids:
        if isinstance(kid, Dictionary):
            kid.P = top
    structure.K = Array([top])
    return top


def _append_kid(parent: Dictionary, kid: Any) -> None:
    kids = _as_array(parent.get("/K"))
    kids.append(kid)
    parent.K = kids


def _as_array(value: Any) -> Array:
    if value is None:
        return Array()
    return value if isinstance(value, Array) else Array([value])


# -- tagged PDFs end to end ------------------------------------------------------------------------


def append_tagged(target: Pdf, source: Pdf) -> int:
    """Append the source's pages to the target with their structure (under the target's Document
    element, parent tree keys shifted) and their form fields; the index of the first page added."""
    start = len(target.pages)
    shift = _next_key(target)
    source_entries = parent_tree(source) if "/StructTreeRoot" in source.Root else {}
    for page in source.pages:
        target.pages.append(page)
        added = target.pages[-1].obj
        if "/StructParents" in added:
            added.StructParents = int(added.StructParents) + shift
        for annotation in added.get("/Annots") or []:
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift
    _copy_fields(target, source)
    if not source_entries or "/StructTreeRoot" not in target.Root:
        return start
    top = _document_element(target)
    for kid in _as_array(_top_kids(source)):
        copied = _copy(target, kid)
        if isinstance(copied, Dictionary):
            copied.P = top
        _append_kid(top, copied)
    entries = parent_tree(target)
    for key, value in source_entries.items():
        entries[key + shift] = _copy(target, value)
    write_parent_tree(target, entries)
    _merge_role_maps(target, source)
    return start


def _copy(target: Pdf, value: Any) -> Any:
    """A source object in the target: indirect objects through pikepdf's copier (each copied once,
    pages already appended included), direct arrays and dictionaries item by item."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return target.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(target, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(target, item) for key, item in value.items()})
    return value


def _top_kids(source: Pdf) -> Any:
    """The source's top elements: its Document element's kids (one Document in the result)."""
    kids = _as_array(source.Root.StructTreeRoot.get("/K"))
    if len(kids) == 1 and isinstance(kids[0], Dictionary) and kids[0].get("/S") == Name("/Document"):
        return kids[0].get("/K")
    return kids


def _next_key(target: Pdf) -> int:
    if "/StructTreeRoot" not in target.Root:
        return 0
    return max(parent_tree(target), default=-1) + 1


def _copy_fields(target: Pdf, source: Pdf) -> None:
    form = source.Root.get("/AcroForm")
    if form is None or not form.get("/Fields"):
        return
    if "/AcroForm" not in target.Root:
        target.Root.AcroForm = target.make_indirect(Dictionary(Fields=Array()))
    fields = target.Root.AcroForm.get("/Fields")
    if fields is None:
        target.Root.AcroForm.Fields = fields = Array()
    for field in form.Fields:
        fields.append(_copy(target, field))


def _merge_role_maps(target: Pdf, source: Pdf) -> None:
    roles = source.Root.StructTreeRoot.get("/RoleMap")
    if roles is None:
        return
    structure = target.Root.StructTreeRoot
    if "/RoleMap" not in structure:
        structure.RoleMap = Dictionary()
    for name, role in roles.items():
        if name not in structure.RoleMap:
            structure.RoleMap[name] = _copy(target, role)
