"""Check a .docx template before anyone renders it: syntax, split tags, variables, Word blanks."""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from conventum.context.build import build_context
from conventum.context.calculations import READS
from conventum.issues import Issue, Severity
from conventum.model.catalogue import ConventionType, as_type, read_type
from conventum.model.loading import load_data
from conventum.ooxml.namespaces import XML_SPACE, w
from conventum.ooxml.package import Package, open_package
from conventum.rendering.prepared import (
    FILTERS,
    PLACEHOLDERS,
    make_environment,
    template_syntax_error,
    template_variables,
)
from conventum.rendering.sandbox import trial_render
from conventum.validation.validation import validate
from conventum.word.fields import TEMPLATE_STORIES
from conventum.word.tags import Tag, TagProblem, attribute_problems, tag_problems, unknown_names

# Names every context holds besides the type's own fields and roles (conventum/context.py).
CONTEXT_NAMES = frozenset(
    {"parties", "signature", "annexes", "convention", "exemplaires", "cloture", "fait_a"}
)
TAG = re.compile(r"\{[{%#].*?[}%#]\}")
DOCXTPL_PREFIX = re.compile(r"(\{%|\{\{|\{#)(tr|tc|p|r) ")
DOCXTPL_CELL_TAGS = re.compile(r"\{%\s*(vm|hm)\s*%\}|\{%\s*(colspan|cellbg)\s+([^%]*)%\}")


@dataclass
class Paragraph:
    """A paragraph of a template part, where a clerk finds it, with its text pieces (w:t)."""

    element: etree._Element
    part: str
    position: str
    pieces: list[etree._Element]

    @property
    def text(self) -> str:
        return "".join(piece.text or "" for piece in self.pieces)

    def excerpt(self, limit: int = 90) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class CheckResult:
    """What the check found; ``fixed`` holds the repaired .docx when --fix changed something."""

    issues: list[Issue] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    fixed: bytes | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]


def check_template(
    data: bytes,
    *,
    schema: ConventionType | Mapping[str, Any] | None = None,
    known: Iterable[str] = (),
    fix: bool = False,
    contexts: Sequence[Mapping[str, Any]] = (),
) -> CheckResult:
    """Check a template (against a schema when given: its ``champs`` and ``parties``).

    ``contexts`` (the contexts of the type's samples) let attribute paths be checked as rendering
    reads them: ``adherent.representant.qualitee`` is reported where the sample has ``qualite``.
    A schema given as a mapping (an imported Word form's) is read as the catalogue reads a file's.
    """
    if isinstance(schema, Mapping):
        schema = read_type(Path("schéma"), schema)
    package = open_package(data, source="modèle")
    result = CheckResult()
    for part, paragraphs in template_paragraphs(package).items():
        result.issues += placeholders_left(paragraphs)
        if package.stories[part] not in TEMPLATE_STORIES:
            result.issues += tags_not_rendered(paragraphs)
            continue
        result.issues += split_tags(paragraphs, fix=fix)
        result.issues += _check_part(part, paragraphs, schema, set(known), result, contexts)
    if schema is not None and not any(i.code == "template.syntax" for i in result.issues):
        result.issues += unused_fields(schema, result.used)
    if fix and any(issue.code == "template.split_tag_fixed" for issue in result.issues):
        result.fixed = package.to_bytes()
    return result


def _check_part(
    part: str,
    paragraphs: list[Paragraph],
    schema: ConventionType | None,
    known: set[str],
    result: CheckResult,
    contexts: Sequence[Mapping[str, Any]] = (),
) -> list[Issue]:
    tags = [
        Tag(m.group(), f"{p.position}\x00{p.excerpt()}")
        for p in paragraphs
        for m in TAG.finditer(jinja_line(p.text))
    ]
    problems = tag_problems(tags)  # every tag's syntax and the blocks' balance, all at once
    if problems:
        return [_issue(problem) for problem in problems]
    source = "\n".join(jinja_line(paragraph.text) for paragraph in paragraphs)
    error = template_syntax_error(source)
    if error:
        paragraph = paragraphs[min(error[0], len(paragraphs)) - 1]
        params = {"detail": error[1], "texte": paragraph.excerpt()}
        return [Issue("template.syntax", paragraph.position, params)]
    ast = make_environment().parse(source)
    where_of = _locator(paragraphs)
    issues = [_issue(problem) for problem in unknown_names(ast, where_of)]
    if issues:
        return issues  # Jinja cannot even list the variables of a text with an unknown filter
    exhausted = trial_render(source, FILTERS)
    if exhausted:
        return [Issue("template.budget", paragraphs[0].position, {"detail": exhausted})]
    issues += [_issue(problem) for problem in attribute_problems(ast, contexts, where_of)]
    used = template_variables(source)
    result.used |= used
    if schema is None:
        return issues
    allowed = known | CONTEXT_NAMES | declared_names(schema)
    # Calculators named in ``calculs:`` add names only their data reveals: a doubt, not an error.
    severity: Severity = "warning" if schema.calculations else "error"
    return issues + [_unknown(name, paragraphs, severity) for name in sorted(used - allowed)]


def _issue(problem: TagProblem) -> Issue:
    params = dict(problem.params)
    where, _sep, excerpt = problem.where.partition("\x00")
    params["texte"] = excerpt
    return Issue(problem.code, where, params)


def _locator(paragraphs: list[Paragraph]) -> Callable[[str], str]:
    """Where a name first appears in a tag: the paragraph's position, and its text after a NUL."""

    def where_of(name: str) -> str:
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        for paragraph in paragraphs:
            for tag in TAG.findall(paragraph.text):
                if pattern.search(tag):
                    return f"{paragraph.position}\x00{paragraph.excerpt()}"
        return f"{paragraphs[0].position}\x00{paragraphs[0].excerpt()}"

    return where_of


def _unknown(name: str, paragraphs: list[Paragraph], severity: Severity) -> Issue:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    where = next(
        (p for p in paragraphs if any(pattern.search(t) for t in TAG.findall(p.text))), paragraphs[0]
    )
    params = {"name": name, "texte": where.excerpt()}
    return Issue("template.unknown_variable", where.position, params, severity)


def jinja_line(text: str) -> str:
    """A paragraph's text as Jinja reads it once docxtpl has rewritten its own tags."""
    text = DOCXTPL_PREFIX.sub(r"\1 ", text.replace("\n", " "))
    return DOCXTPL_CELL_TAGS.sub(lambda m: f"{{{{ {m.group(3)} }}}}" if m.group(3) else "", text)


def context_names(convention_type: str | ConventionType, samples: Iterable[Path] = ()) -> set[str]:
    """The names build_context gives an installed type: from an empty convention, and from samples."""
    ctype = as_type(convention_type)
    names: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(Exception):  # a context that needs real data: the samples will tell
            names |= set(build_context(ctype, ctype.model.model_construct()))
    for context in sample_contexts(ctype, samples):
        names |= set(context)
    return names


def sample_contexts(
    convention_type: str | ConventionType, samples: Iterable[Path] = ()
) -> list[dict[str, Any]]:
    """The contexts rendering gives the type's samples: what a template may read, attribute by attribute."""
    ctype = as_type(convention_type)
    contexts = []
    for sample in samples:
        result = validate(ctype, load_data(sample), today=date(2000, 1, 1))
        if result.convention is not None:
            contexts.append(build_context(ctype, result.convention))
    return contexts


def declared_names(schema: ConventionType) -> set[str]:
    """The names a schema puts in the context: its fields, its roles and their lists."""
    roles = [role.role for role in schema.roles]
    return set(schema.fields) | set(roles) | {f"{role}_liste" for role in roles}


def unused_fields(schema: ConventionType, used: set[str]) -> list[Issue]:
    """Nothing asked is dropped: every field is printed, read by a calculation or a rule, or declared
    ``imprime: false`` with its ``raison`` (shown in the form's help and in ``conventum schema``).

    A field that is none of these is an error: the clerk would type it for nothing.
    """
    issues = []
    consumed = fields_consumed(schema)
    for name, spec in schema.fields.items():
        params = {"name": name, "label": spec.label}
        if not spec.printed:
            if not (spec.reason or "").strip():
                issues.append(Issue("template.non_imprime_sans_raison", name, params))
            continue
        if name not in used and name not in consumed:
            issues.append(Issue("template.unused_field", name, params))
    if schema.roles and not used & CLOSING_NAMES:  # the place of signature, asked of every type
        params = {"name": "signature.lieu", "label": "Lieu de signature"}
        issues.append(Issue("template.unused_field", "signature.lieu", params))
    return issues


# What prints the place of signature: the closing clause (conventum.clauses.closing), or the data itself.
CLOSING_NAMES = frozenset({"cloture", "fait_a", "signature"})


def fields_consumed(schema: ConventionType) -> set[str]:
    """The fields the type's calculations and rules read (by their first path segment)."""
    names: set[str] = set()
    for use in schema.calculations:
        names |= set(READS.get(use.name, ())) | _paths_named(use.params)
    for use in schema.rules:
        names |= _paths_named(use.params)
    return names


def _paths_named(value: Any) -> set[str]:
    """The first segments of every path-like string inside a rule's or calculation's parameters."""
    if isinstance(value, str):
        return {re.split(r"[.\[]", value, maxsplit=1)[0]}
    if isinstance(value, dict):
        return set().union(*(_paths_named(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_paths_named(item) for item in value)) if value else set()
    return set()


def tags_not_rendered(paragraphs: list[Paragraph]) -> list[Issue]:
    """Tags in footnotes, endnotes or comments, which docxtpl leaves as they are."""
    return [
        Issue("template.tag_not_rendered", p.position, {"texte": p.excerpt()})
        for p in paragraphs
        if TAG.search(p.text)
    ]


def placeholders_left(paragraphs: list[Paragraph]) -> list[Issue]:
    """Paragraphs still holding the instruction text of the original Word blanks."""
    issues = []
    for paragraph in paragraphs:
        for placeholder in PLACEHOLDERS:
            if placeholder in paragraph.text:
                params = {"placeholder": placeholder, "texte": paragraph.excerpt()}
                issues.append(Issue("template.placeholder", paragraph.position, params))
    return issues


def split_tags(paragraphs: list[Paragraph], *, fix: bool) -> list[Issue]:
    """Tags whose characters sit in several runs; with fix, each is moved into its first piece."""
    issues = []
    for paragraph in paragraphs:
        while (span := _first_split(paragraph)) is not None:
            tag = paragraph.text[span[0] : span[1]]
            code = "template.split_tag_fixed" if fix else "template.split_tag"
            issues.append(Issue(code, paragraph.position, {"tag": tag}, "warning"))
            if not fix:
                break
            _merge(paragraph, *span)
    return issues


def _piece_bounds(paragraph: Paragraph) -> list[tuple[int, int]]:
    bounds, offset = [], 0
    for piece in paragraph.pieces:
        length = len(piece.text or "")
        bounds.append((offset, offset + length))
        offset += length
    return bounds


def _piece_at(bounds: list[tuple[int, int]], position: int) -> int:
    return next(i for i, (start, end) in enumerate(bounds) if start <= position < end)


def _first_split(paragraph: Paragraph) -> tuple[int, int] | None:
    bounds = _piece_bounds(paragraph)
    for match in TAG.finditer(paragraph.text):
        if _piece_at(bounds, match.start()) != _piece_at(bounds, match.end() - 1):
            return match.start(), match.end()
    return None


def _merge(paragraph: Paragraph, start: int, end: int) -> None:
    bounds = _piece_bounds(paragraph)
    first, last = _piece_at(bounds, start), _piece_at(bounds, end - 1)
    text = paragraph.text
    for index in range(first, last + 1):
        piece = paragraph.pieces[index]
        low, high = bounds[index]
        if index == first:
            piece.text = text[low:end]
        elif index == last:
            piece.text = text[end:high]
        else:
            piece.text = ""
        piece.set(XML_SPACE, "preserve")


def template_paragraphs(package: Package) -> dict[str, list[Paragraph]]:
    """The paragraphs of every story part, each with its position for a clerk."""
    found: dict[str, list[Paragraph]] = {}
    for part, kind in package.stories.items():
        tree = package.trees[part]
        tables = {table: index for index, table in enumerate(tree.iter(w("tbl")), start=1)}
        page, paragraphs = 1, []
        for number, element in enumerate(tree.iter(w("p")), start=1):
            page += _breaks_before(element)
            where = f"{part.removeprefix('word/')}, paragraphe {number}{_cell(element, tables)}"
            where += f", page ≈ {page}" if kind == "document" else ""
            pieces = [t for t in element.iter(w("t")) if next(t.iterancestors(w("p")), None) is element]
            paragraphs.append(Paragraph(element, part, where, pieces))
            page += _breaks_after(element)
        found[part] = paragraphs
    return found


def _breaks_before(paragraph: etree._Element) -> int:
    before = paragraph.find(f"{w('pPr')}/{w('pageBreakBefore')}")
    return int(before is not None and before.get(w("val"), "1") not in ("0", "false"))


def _breaks_after(paragraph: etree._Element) -> int:
    hard = [br for br in paragraph.iter(w("br")) if br.get(w("type")) == "page"]
    rendered = list(paragraph.iter(w("lastRenderedPageBreak")))
    section = paragraph.find(f"{w('pPr')}/{w('sectPr')}")
    return max(len(hard), len(rendered)) + int(section is not None)


def _cell(paragraph: etree._Element, tables: dict[etree._Element, int]) -> str:
    cell = next(paragraph.iterancestors(w("tc")), None)
    row = next(paragraph.iterancestors(w("tr")), None)
    table = next(paragraph.iterancestors(w("tbl")), None)
    if cell is None or row is None or table is None:
        return ""
    rows = [r for r in table.iter(w("tr")) if next(r.iterancestors(w("tbl")), None) is table]
    cells = [c for c in row.iter(w("tc")) if next(c.iterancestors(w("tr")), None) is row]
    return f" (tableau {tables[table]}, ligne {rows.index(row) + 1}, cellule {cells.index(cell) + 1})"
