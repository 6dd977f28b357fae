"""The type's own fields grouped as the clerk reads the document: under the article (or annex) where
the document first writes them, in the order it writes them.

A type may name its sections (``rubriques:`` in its schema, for a délibération whose template has no
article headings); otherwise they are read from the template: every "Heading 2" paragraph opens a
section, and a field belongs to the first section whose tags read it, directly (``{{ duree.texte }}``)
or through a calculation that reads it (``textes`` for the field ``cdg``, ``annexe2`` for
``services``). Fields the document never writes come last, under « Autres renseignements »."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conventum.context.calculations import READS, REGISTRY
from conventum.model.catalogue import ConventionType
from conventum.model.loading import load_data
from conventum.ooxml.namespaces import w
from conventum.ooxml.package import open_package
from conventum.serve.typepage import sample_of

OTHERS = "Autres renseignements"
OPENING = "En-tête du document"
DANGLING = {"à", "au", "aux", "d’", "de", "des", "du", "en", "et", "l’", "la", "le", "les", "par", "pour"}
TAG = re.compile(r"\{[{%].*?[}%]\}")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")
HEADING_STYLE = re.compile(r"^(heading|titre)\s*2$", re.IGNORECASE)


# Each name a template may read, the type's fields it comes from, whether directly.
Sources = tuple[tuple[str, tuple[str, ...], bool], ...]


@dataclass(frozen=True)
class Section:
    """A section of the form: its title as the document writes it, its fields in order."""

    title: str
    fields: tuple[str, ...]


def form_sections(ctype: ConventionType) -> list[Section]:
    """The sections of the type's own fields (not the parties, not the signature)."""
    own = [name for name in ctype.fields]
    if ctype.sections:
        placed = [Section(title, tuple(n for n in names if n in own)) for title, names in ctype.sections]
    else:
        placed = _read_sections(ctype)
    seen = {name for section in placed for name in section.fields}
    rest = tuple(name for name in own if name not in seen)
    return [section for section in placed if section.fields] + ([Section(OTHERS, rest)] if rest else [])


_READ: dict[tuple[str, str, int, int], tuple[Section, ...]] = {}


def _read_sections(ctype: ConventionType) -> list[Section]:
    """The template's sections, read once per type and files as they are now."""
    try:
        key = (
            ctype.name,
            str(ctype.template_path),
            ctype.template_path.stat().st_mtime_ns,
            ctype.schema_path.stat().st_mtime_ns,
        )
    except OSError:
        return []
    if key not in _READ:
        _READ[key] = _sections_of(str(ctype.template_path), _sources(ctype))
    return list(_READ[key])


def _sources(ctype: ConventionType) -> Sources:
    """Each name a template may read → the type's fields it comes from, and whether directly (the
    field itself) or through a calculation. A role's name (``cdg``) is its party, not a field, but
    reads the field that chooses its default party."""
    roles = {role.role for role in ctype.roles}
    found: list[tuple[str, tuple[str, ...], bool]] = [
        (name, (name,), True) for name in ctype.fields if name not in roles
    ]
    # A role whose default party a field chooses (``defaut_selon``) reads that field where it is written.
    found += [(role.role, (role.defaut_selon,), False) for role in ctype.roles if role.defaut_selon]
    outputs = _calculation_outputs(ctype)
    for use in ctype.calculations:
        read = tuple(n for n in (*READS.get(use.name, ()), *_named(use.params)) if n in ctype.fields)
        found += [(output, read, False) for output in outputs.get(use.name, ()) if read]
    return tuple(found)


def _sections_of(template: str, sources: Sources) -> tuple[Section, ...]:
    """Each field under the section of its first direct read (else of its first read through a
    calculation); the sections in the document's order, their fields in the order they are read."""
    first: dict[bool, dict[str, tuple[int, str]]] = {True: {}, False: {}}
    origin = {name: (fields, direct) for name, fields, direct in sources}
    for position, (title, names) in enumerate(_paragraph_names(template)):
        for read in names:
            fields, direct = origin.get(read, ((), True))
            for field_name in fields:
                first[direct].setdefault(field_name, (position, title))
    where = {**first[False], **first[True]}
    found: dict[str, list[str]] = {}
    for field_name, (_position, title) in sorted(where.items(), key=lambda item: item[1][0]):
        found.setdefault(title, []).append(field_name)
    return tuple(Section(title, tuple(names)) for title, names in found.items())


def _paragraph_names(template: str) -> Iterator[tuple[str, list[str]]]:
    """For every paragraph of the document's body: the title of its section, the names its tags read."""
    with open(template, "rb") as file:
        package = open_package(file.read(), source="modèle")
    main = next(part for part, kind in package.stories.items() if kind == "document")
    title = OPENING
    for paragraph in package.trees[main].iter(w("p")):
        text = "".join(t.text or "" for t in paragraph.iter(w("t")))
        if _is_heading(paragraph) and section_title(text):
            title = section_title(text)
        names = [n for tag in TAG.findall(text) for n in NAME.findall(QUOTED.sub("", tag))]
        yield title, names


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    level = paragraph.find(f"{w('pPr')}/{w('outlineLvl')}")
    if level is not None:
        return bool(level.get(w("val")) == "1")
    return style is not None and bool(HEADING_STYLE.match(style.get(w("val"), "")))


def section_title(text: str) -> str:
    """A heading as a form's title: what precedes its first tag (words left hanging dropped), the
    capitals of a heading written in capitals as a sentence's.

    >>> section_title("ARTICLE 3. DURÉE DE LA CONVENTION")
    'Article 3. Durée de la convention'
    >>> section_title("Annexe n°2 : Participation financière {{ collectivite.designee.de }}")
    'Annexe n°2 : Participation financière'
    """
    words = " ".join(text.split("{", 1)[0].split()).rstrip(" :-–").split(" ")
    while len(words) > 1 and words[-1].lower() in DANGLING:
        words.pop()
    text = " ".join(words).rstrip(" :-–")
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        text = text.lower()
        text = re.sub(r"^((?:article|annexe)\s+[\dn°.]+[\s.:–-]*)?(\w)", _capital, text)
    return text


def _capital(match: re.Match[str]) -> str:
    return (match.group(1) or "").capitalize() + match.group(2).upper()


def _named(value: Any) -> set[str]:
    """The first segments of the path-like texts among a calculation's parameters."""
    if isinstance(value, str):
        return {re.split(r"[.\[]", value, maxsplit=1)[0]}
    if isinstance(value, dict):
        return set().union(*(_named(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_named(item) for item in value))
    return set()


def _calculation_outputs(ctype: ConventionType) -> dict[str, tuple[str, ...]]:
    """The names each of the type's calculations gives the template, learnt from the type's sample."""
    sample = sample_of(ctype)
    if sample is None or not ctype.calculations:
        return {}
    try:
        convention = ctype.model.model_validate(load_data(sample))
    except Exception:
        return {}
    outputs: dict[str, tuple[str, ...]] = {}
    for use in ctype.calculations:
        function = REGISTRY.get(use.name)
        try:
            outputs[use.name] = tuple(function(convention, ctype=ctype, **use.params)) if function else ()
        except Exception:
            outputs[use.name] = ()
    return outputs
