"""The docxtpl adapter: fills a .docx template in a Jinja sandbox and checks the result.

This is the only module that imports docxtpl or Jinja; their errors are translated here.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.parsers import expat

import jinja2
import jinja2.meta
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from conventum.errors import TemplateError
from conventum.french import formatting, grammar
from conventum.ooxml.archive import UnsafeArchive, check_archive
from conventum.ooxml.coreprops import CORE_PART, type_properties, with_properties
from conventum.ooxml.text import ALL_TEXT, XML_PARTS
from conventum.ooxml.xml import XMLSyntaxError, parse_xml
from conventum.ooxml.zipwriter import ZipRewriter, member_problem
from conventum.rendering.sandbox import BudgetedSandbox
from conventum.rendering.tablegrid import filling_may_reshape, tables_need_fixing
from conventum.rendering.wellformed import always_well_formed

# Texts of the original Word blanks, which must never reach a signed document.
PLACEHOLDERS = ("Choisissez", "Cliquez ou appuyez", "Cliquez ici", "[…]", "[...]", "_____")
TAG_PATTERN = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
TAG_BYTES = re.compile(TAG_PATTERN.pattern.encode())
# Bytes of what a blank begins with (a hit sends the part to the full check, which names it).
PLACEHOLDER_MARKERS = (b"Choisissez", b"Cliquez", b"[\xe2\x80\xa6]", b"[...]", b"_____")
# The C0 controls XML 1.0 refuses (all but tab and line breaks); U+FFFE/U+FFFF are tested apart.
C0_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])

FILTERS: dict[str, Callable[..., Any]] = {
    "date_fr": formatting.format_date,
    "date_num": formatting.format_date_numeric,
    "montant": formatting.format_amount,
    "montant_lettres": formatting.amount_in_words,
    "nombre": formatting.format_number,
    "en_lettres": formatting.number_with_words,
    "accord": grammar.agree,
    "majuscule": grammar.capitalise,
    "de": grammar.of_name,
    "article": grammar.with_article,
    "liste_fr": formatting.join_words,
}


def make_environment() -> SandboxedEnvironment:
    """Jinja as conventum wants it: sandboxed, autoescaped, undefined names are errors."""
    env = BudgetedSandbox(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    env.guard_filters()
    return env


def template_syntax_error(source: str) -> tuple[int, str] | None:
    """The first Jinja syntax error of a template text, as (line, message); None if it parses."""
    try:
        make_environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return exc.lineno, exc.message or str(exc)
    return None


def template_variables(source: str) -> set[str]:
    """The names a template text reads from its context (Jinja's undeclared variables)."""
    return set(jinja2.meta.find_undeclared_variables(make_environment().parse(source)))


def render_docx(template_path: Path, context: dict[str, Any]) -> bytes:
    """Fill a template and return the .docx bytes, checked; raise TemplateError on any fault.

    The template is prepared once per process (and again when its file changes).
    """
    return prepared_template(template_path).render(context)


_PREPARED: dict[Path, tuple[tuple[int, int], PreparedTemplate]] = {}
_PREPARED_LOCK = threading.Lock()


def prepared_template(template_path: Path) -> PreparedTemplate:
    """The template at this path, read, patched and compiled once per process; prepared again when
    the file changes (its modification time or size)."""
    try:
        status = template_path.stat()
    except OSError as exc:
        raise TemplateError(f"modèle introuvable : {template_path}", template=str(template_path)) from exc
    key, stamp = template_path.resolve(), (status.st_mtime_ns, status.st_size)
    with _PREPARED_LOCK:
        known = _PREPARED.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    prepared = PreparedTemplate(template_path)
    with _PREPARED_LOCK:
        _PREPARED[key] = (stamp, prepared)
    return prepared


class _StrictDocxTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl with its table fix checked: it parses with ``recover=True``, which cuts text silently."""

    def fix_tables(self, xml: str) -> Any:
        return fix_tables_strictly(self, xml)


def fix_tables_strictly(docx: DocxTemplate, xml: str, *, name: str = "document") -> Any:
    """docxtpl's ``fix_tables``, never relied on to recover: the part is parsed strictly first
    (a broken part is a TemplateError, not a repaired one), and the fixed tree must hold the
    same text, to the character."""
    try:
        before = parse_xml(xml.encode("utf-8"))
    except XMLSyntaxError as exc:
        raise TemplateError(f"{name} : XML invalide après remplissage ({exc})") from None
    tree = DocxTemplate.fix_tables(docx, xml)  # docxtpl's own, whatever the subclass
    if str(ALL_TEXT(tree)) != str(ALL_TEXT(before)):
        raise TemplateError(f"{name} : du texte s’est perdu en ajustant les tableaux : document refusé")
    return tree


def check_rendered(data: bytes, *, name: str) -> None:
    """Refuse a document whose XML is broken, or that still holds a tag or a Word blank."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if XML_PARTS.fullmatch(part):
                check_part(archive.read(part), part, name)


def check_part(xml: bytes, part: str, name: str) -> Any:
    """The parsed part, once checked: well-formed XML, no tag, no Word blank in its text."""
    try:
        root = parse_xml(xml)
    except XMLSyntaxError as exc:
        raise TemplateError(f"{name} : XML invalide dans {part} après remplissage ({exc})") from exc
    check_text(str(ALL_TEXT(root)), part, name)
    return root


def well_formed_text(xml: bytes, part: str, name: str) -> str:
    """The text of a part checked well-formed by expat: the same check and text as ``check_part``,
    in half the time, for a part no one needs the tree of."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    pieces: list[str] = []
    parser.CharacterDataHandler = pieces.append
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise TemplateError(f"{name} : XML invalide dans {part} après remplissage ({exc})") from exc
    return "".join(pieces)


def check_text(text: str, part: str, name: str) -> None:
    """No template tag and no Word blank left in a part's text."""
    tag = TAG_PATTERN.search(text) if "{" in text or "}" in text else None
    if tag:
        excerpt = text[max(0, tag.start() - 40) : tag.end() + 40]
        raise TemplateError(f"{name} : balise de modèle restée dans {part} : « {excerpt} »")
    for placeholder in PLACEHOLDERS:
        if placeholder in text:
            raise TemplateError(f"{name} : texte d’emplacement « {placeholder} » resté dans {part}")


XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
HEADER_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_URI = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
LISTING_CHARACTERS = ("\t", "\a", "\n", "\f")
# What docxtpl rewrites after rendering: its escaped braces ({_{ …), and the breaks and tabs of
# values. Single bytes: searching for them is a memchr, 50 times faster than for "{_".
REWRITTEN = (b"{", b"}", *(character.encode() for character in LISTING_CHARACTERS))
TABLE_WITH_TAGS = re.compile(r"<w:tbl>(?:(?!</w:tbl>).)*\{%", re.DOTALL)


class _Part:
    """One XML part of a prepared template: compiled once, filled per document.

    docxtpl puts each paragraph on a line of its own before compiling and joins them after
    rendering; the output is the same without (no whitespace control touches those line
    breaks), so that is done only to give a syntax error its paragraph as line number."""

    def __init__(self, env: SandboxedEnvironment, source: str, *, head: str = "", tail: str = "") -> None:
        try:
            self.template = env.from_string(source)
        except jinja2.TemplateSyntaxError:
            env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))  # raises, with a useful line
            raise
        self.head = head.encode("utf-8")
        self.tail = tail.encode("utf-8")
        # Whether every filling is well-formed (wellformed.py): then a byte scan replaces the parse.
        self.always_well_formed = always_well_formed(env, source, filters=FILTERS)
        self.pictures = "docPr" in source  # docxtpl renumbers their ids
        # Tags in a table may change a row's cells (tablegrid.py says when, once).
        whole = (head + source + tail).encode("utf-8")
        self.tables = TABLE_WITH_TAGS.search(source) is not None and filling_may_reshape(whole)


class PreparedTemplate:
    """A .docx template read, patched and compiled once; ``render`` fills it for one document.

    It does what ``DocxTemplate.render`` + ``save`` do, without re-reading the template: the
    body, headers, footers and footnotes are filled; every other part is copied as it is.
    """

    def __init__(self, template_path: Path) -> None:
        if not template_path.is_file():
            raise TemplateError(f"modèle introuvable : {template_path}", template=str(template_path))
        self.name = template_path.name
        self._zip = _checked_zip(template_path)
        self._docx = DocxTemplate(str(template_path))
        self._docx.init_docx()
        self._check_properties()
        env = make_environment()
        with _translated(self.name):
            self._parts = self._compile(env)
        self._core = self._core_part(template_path)
        self._cores: dict[tuple[tuple[str, str], ...], bytes] = {}  # core.xml per type and version
        self._zip.trust_unchanged(set(self._parts) | ({CORE_PART} if self._core else set()))
        self._lock = threading.Lock()  # filling patches the shared DocxTemplate: one thread at a time

    @staticmethod
    def _core_part(template_path: Path) -> bytes | None:
        """The template's core properties, which each document's are made from (None: it has none)."""
        with zipfile.ZipFile(template_path) as archive:
            return archive.read(CORE_PART) if CORE_PART in archive.namelist() else None

    def _properties(self, context: dict[str, Any]) -> dict[str, bytes]:
        """``docProps/core.xml`` saying which type and version made the document (made once per pair)."""
        wanted = tuple(sorted(type_properties(context).items()))
        if self._core is None or not wanted:
            return {}
        core = self._cores.get(wanted)
        if core is None:
            core = self._cores.setdefault(wanted, with_properties(self._core, dict(wanted)))
        return {CORE_PART: core}

    def _check_properties(self) -> None:
        properties = self._docx.docx.core_properties
        for name in CORE_PROPERTIES:
            if TAG_PATTERN.search(getattr(properties, name) or ""):
                raise TemplateError(
                    f"{self.name} : balises dans les propriétés du document (non prises en charge)"
                )

    def _compile(self, env: SandboxedEnvironment) -> dict[str, _Part]:
        docx = self._docx
        whole = docx.xml_to_string(docx.docx._element)
        start, end = whole.index("<w:body"), whole.rindex("</w:body>") + len("</w:body>")
        body = docx.patch_xml(docx.get_xml())
        parts = {
            "word/document.xml": _Part(env, body, head=XML_DECLARATION + whole[:start], tail=whole[end:])
        }
        for uri in (HEADER_URI, FOOTER_URI):
            for _key, part in docx.get_headers_footers(uri):
                source = docx.patch_xml(docx.get_part_xml(part))
                parts[str(part.partname).lstrip("/")] = _Part(env, source, head=XML_DECLARATION)
        for part in docx.docx.part.package.parts:
            if part.content_type == FOOTNOTES_TYPE:
                parts[str(part.partname).lstrip("/")] = _Part(env, docx.patch_xml(part.blob.decode("utf-8")))
        return parts

    def render(self, context: dict[str, Any]) -> bytes:
        """The filled .docx bytes, checked like ``render_docx``; TemplateError on any fault."""
        with self._lock, _translated(self.name):
            contents = {name: self._fill(name, part, context) for name, part in self._parts.items()}
        return self._zip.build(contents | self._properties(context), checked=True)

    def _fill(self, name: str, part: _Part, context: dict[str, Any]) -> bytes:
        """One part filled as docxtpl fills it, parsed once: for the check, and for docxtpl's
        table and picture fixes, which are applied (and the part written again) only when they
        change something."""
        xml = part.template.render(context)
        body = xml.encode("utf-8")  # searched as bytes: faster than as text
        if any(sign in body for sign in REWRITTEN):
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
            if any(character in xml for character in LISTING_CHARACTERS):
                xml = self._docx.resolve_listing(xml)
            body = xml.encode("utf-8")
        data = part.head + body + part.tail
        if not (part.pictures or part.tables):
            if not (part.always_well_formed and _clean(body)):
                check_text(well_formed_text(data, name, self.name), name, self.name)
            return data
        root = check_part(data, name, self.name)
        if part.pictures or tables_need_fixing(root):
            tree = fix_tables_strictly(self._docx, xml, name=self.name)
            self._docx.docx_ids_index = 1000
            self._docx.fix_docpr_ids(tree)
            data = part.head + self._docx.xml_to_string(tree).encode("utf-8") + part.tail
        return data


def _checked_zip(template_path: Path) -> ZipRewriter:
    """The template's zip, read once and checked whole: safe to open (archive.py), every part
    inflating to its size and CRC, every XML part well-formed. The parts copied unchanged into each
    document are checked here, once, and not again when a document is written."""
    name = template_path.name
    try:
        check_archive(template_path)
        rewriter = ZipRewriter(template_path)
    except UnsafeArchive as exc:
        raise TemplateError(f"modèle {name} illisible : {exc.reason}", template=str(template_path)) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise TemplateError(f"modèle {name} illisible : {exc}", template=str(template_path)) from None
    for member in rewriter.members:
        problem = member_problem(member)
        if problem:
            raise TemplateError(f"modèle {name} refusé : {problem}", template=str(template_path))
    return rewriter


def _clean(body: bytes) -> bool:
    """No byte that escaping lets through and XML refuses, no template tag, no Word blank: the fast
    check of a part whose template always gives well-formed XML (else the full check runs, and says
    what is wrong). Each test is one C scan of the bytes (no regular expression: ten times slower)."""
    if len(body.translate(None, C0_BYTES)) != len(body):
        return False
    if b"\xef\xbf\xbe" in body or b"\xef\xbf\xbf" in body:
        return False
    if (b"{" in body or b"}" in body) and TAG_BYTES.search(body):
        return False
    return not any(marker in body for marker in PLACEHOLDER_MARKERS)


@contextmanager
def _translated(name: str) -> Iterator[None]:
    """Jinja's errors, as conventum's TemplateError in French."""
    try:
        yield
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"variable inconnue dans le modèle {name} : {exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"erreur de syntaxe dans le modèle {name}, ligne {exc.lineno} : {exc.message}"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"le modèle {name} n’a pas pu être rempli : {exc}") from exc
    except (OverflowError, RecursionError, MemoryError) as exc:
        raise TemplateError(f"le modèle {name} n’a pas pu être rempli : {_exhausted(exc)}") from None


def _exhausted(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "appels imbriqués trop profonds (macro récursive ?)"
    if isinstance(exc, MemoryError):
        return "mémoire épuisée"
    return f"nombre trop grand ({exc})"
