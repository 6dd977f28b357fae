"""A Word package (.docx/.dotx) opened as a zip: story parts parsed, glossary placeholders, styles."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from conventum.errors import TemplateError
from conventum.ooxml.archive import UnsafeArchive, open_archive
from conventum.ooxml.namespaces import REL, w
from conventum.ooxml.xml import XMLSyntaxError, parse_xml
from conventum.settings import limits

CONTENT_TYPES = "[Content_Types].xml"
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "customizations.xml")
MACRO_TYPES = {  # a macro-enabled main part → the plain Word type
    "application/vnd.ms-word.document.macroEnabled.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    ),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    ),
}
STORY_RELS = ("header", "footer", "footnotes", "endnotes", "comments")
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

SDT = w("sdt")  # a content control


def local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


@dataclass
class Package:
    """A .docx/.dotx opened as a zip: its parts, the parsed story parts, glossary and styles."""

    files: dict[str, bytes]
    order: list[str]
    stories: dict[str, str]
    trees: dict[str, etree._Element]
    glossary: dict[str, str]
    placeholder_style: str | None
    macros: tuple[str, ...] = ()  # the macro parts (VBA) dropped when the package was opened

    def to_bytes(self) -> bytes:
        """The package with its (modified) story parts serialised back, as a .docx."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in self.order:
                data = self.files[name]
                if name in self.trees:
                    data = etree.tostring(
                        self.trees[name], xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                if name == "[Content_Types].xml":
                    data = data.replace(TEMPLATE_TYPE.encode(), DOCUMENT_TYPE.encode())
                archive.writestr(name, data)
        return buffer.getvalue()


def open_package(data: bytes, *, source: str = "document") -> Package:
    """Open .docx bytes; TemplateError if they are not a Word package."""
    try:
        with open_archive(data) as archive:
            order = archive.namelist()
            files = {name: archive.read(name) for name in order}
    except UnsafeArchive as exc:
        raise TemplateError(
            f"{source} n’est pas un fichier Word lisible : {exc.reason}", template=source
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise TemplateError(f"{source} n’est pas un fichier Word (.docx)", template=source) from exc
    try:
        return _read_package(files, order, source)
    except XMLSyntaxError as exc:
        raise TemplateError(f"{source} : XML refusé ({exc})", template=source) from None


def _read_package(files: dict[str, bytes], order: list[str], source: str) -> Package:
    macros = _drop_macros(files, order)
    _refuse_dangling(files, source)
    main = _main_part(files, source)
    rels = _relations(files, main)
    stories = {main: "document"} | {t: kind for kind, t in rels if kind in STORY_RELS and t in files}
    trees = {name: parse_xml(files[name]) for name in stories}
    _bound_controls(trees, source)
    glossary_part = next((t for kind, t in rels if kind == "glossaryDocument" and t in files), None)
    glossary = _glossary(files[glossary_part]) if glossary_part else {}
    style_part = next((t for kind, t in rels if kind == "styles" and t in files), None)
    style = _placeholder_style(files[style_part]) if style_part else None
    return Package(files, order, stories, trees, glossary, style, macros)


def _bound_controls(trees: dict[str, etree._Element], source: str) -> None:
    """At most ``max_word_controls`` content controls (``w:sdt``), counted before any is read:
    import and fill cost in proportion to them (TemplateError beyond)."""
    bound = limits().max_word_controls
    count = 0
    for tree in trees.values():
        count += sum(1 for _ in tree.iter(SDT))
        if count > bound:
            limit = f"{bound:,}".replace(",", "\u202f")
            raise TemplateError(
                f"{source} contient plus de {limit} contrôles de contenu : trop pour un modèle"
                " (limite max_word_controls, relevable par CONVENTUM_MAX_WORD_CONTROLS)",
                template=source,
            )


def _drop_macros(files: dict[str, bytes], order: list[str]) -> tuple[str, ...]:
    """A macro-enabled file (.docm, .dotm): its VBA parts and their relationships removed, its content
    types made plain Word, so that no macro passes into an imported template or a filled file."""
    dropped = tuple(
        name for name in order if posixpath.basename(name).lower() in MACRO_PARTS or _is_rels_of_macro(name)
    )
    if not dropped and not any(kind.encode() in files.get(CONTENT_TYPES, b"") for kind in MACRO_TYPES):
        return ()
    for name in dropped:
        del files[name]
        order.remove(name)
    _drop_macro_relationships(files, order)
    _plain_content_types(files, dropped)
    return dropped or (CONTENT_TYPES,)


def _drop_macro_relationships(files: dict[str, bytes], order: list[str]) -> None:
    for name in [name for name in order if name.endswith(".rels")]:
        tree = parse_xml(files[name])
        found = [rel for rel in tree.iter(f"{{{REL}}}Relationship") if _is_macro_type(rel.get("Type", ""))]
        for rel in found:
            parent = rel.getparent()
            if parent is not None:
                parent.remove(rel)
        if found:
            files[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _plain_content_types(files: dict[str, bytes], dropped: tuple[str, ...]) -> None:
    if CONTENT_TYPES in files:
        types = parse_xml(files[CONTENT_TYPES])
        for entry in list(types):
            kind = entry.get("ContentType", "")
            part = entry.get("PartName", "").lstrip("/")
            if part in dropped or "vbaProject" in kind or "vbaData" in kind:
                types.remove(entry)
            elif kind in MACRO_TYPES:
                entry.set("ContentType", MACRO_TYPES[kind])
        files[CONTENT_TYPES] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)


def _is_rels_of_macro(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(name)[: -len(".rels")].lower() in MACRO_PARTS


def _is_macro_type(kind: str) -> bool:
    return kind.rsplit("/", 1)[-1] in ("vbaProject", "wordVbaData", "keyMapCustomizations")


def _refuse_dangling(files: dict[str, bytes], source: str) -> None:
    """Every internal relationship of every part names a part the file holds (Word itself refuses to
    open one that does not; the render would crash on it): TemplateError naming both."""
    for rels_name in [name for name in files if name.endswith(".rels")]:
        folder = posixpath.dirname(posixpath.dirname(rels_name))
        owner = posixpath.join(folder, posixpath.basename(rels_name)[: -len(".rels")])
        for kind, target in _relations(files, owner):
            if target not in files:
                raise TemplateError(
                    f"{source} : la partie « {owner or '(paquet)'} » renvoie ({kind}) à la partie"
                    f" « {target} », absente du fichier : fichier Word abîmé, à réenregistrer depuis Word",
                    template=source,
                )


def _main_part(files: dict[str, bytes], source: str) -> str:
    for kind, target in _relations(files, ""):
        if kind == "officeDocument" and target in files:
            return target
    raise TemplateError(f"{source} n’est pas un document Word (partie principale absente)", template=source)


def _relations(files: dict[str, bytes], part: str) -> list[tuple[str, str]]:
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_name not in files:
        return []
    found = []
    for rel in parse_xml(files[rels_name]).iter(f"{{{REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found.append((rel.get("Type", "").rsplit("/", 1)[-1], path))
    return found


def _glossary(xml: bytes) -> dict[str, str]:
    texts = {}
    for part in parse_xml(xml).iter(w("docPart")):
        name = part.find(f"{w('docPartPr')}/{w('name')}")
        body = part.find(w("docPartBody"))
        if name is not None and body is not None:
            texts[name.get(w("val"), "")] = text_of(body).strip()
    return texts


def _placeholder_style(xml: bytes) -> str | None:
    for style in parse_xml(xml).iter(w("style")):
        name = style.find(w("name"))
        if name is not None and name.get(w("val")) == "Placeholder Text":
            return style.get(w("styleId"))
    return None


def text_of(node: etree._Element) -> str:
    """The visible text under a node: every w:t, with tabs and breaks; paragraphs on lines."""
    pieces: list[str] = []
    for item in node.iter(w("t"), w("tab"), w("br"), w("p")):
        parent = item.getparent()
        if item.tag in (w("tab"), w("br")) and (parent is None or parent.tag != w("r")):
            continue  # tab stops of a paragraph's properties, not text
        if item.tag == w("t"):
            pieces.append(item.text or "")
        elif item.tag == w("tab"):
            pieces.append("\t")
        elif item.tag == w("br") or pieces:
            pieces.append("\n")
    return "".join(pieces).strip("\n")
