"""The installed convention types: each one a template plus a schema YAML, read once into specs."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from conventum.errors import TemplateError, UnknownTypeError
from conventum.model.blocks import Convention
from conventum.model.building import default_problems, model_from_fields
from conventum.model.specs import FieldSpec, SchemaProblems, parse_fields
from conventum.model.typespecs import (
    TYPE_KEYS,
    Role,
    RuleUse,
    parse_annexes,
    parse_count,
    parse_paths,
    parse_roles,
    parse_sections,
    parse_text,
    parse_texts,
    parse_uses,
)
from conventum.model.versions import version_schema

__all__ = ["ConventionType", "FieldSpec", "Role", "RuleUse", "as_type", "available_types", "load_type"]


def resource_dir(name: str) -> Path:
    """``templates`` or ``schemas``: inside the installed package, else beside it in a checkout."""
    packaged = Path(str(resources.files("conventum"))) / name
    if packaged.is_dir():
        return packaged
    return Path(str(resources.files("conventum"))).parent / name


def search_path() -> list[Path]:
    """Folders searched for types: the built-in ones, then ./schemas of the working directory."""
    folders = [resource_dir("schemas")]
    local = Path.cwd() / "schemas"
    if local.is_dir() and local.resolve() != folders[0].resolve():
        folders.append(local)
    return folders


@dataclass(frozen=True)
class ConventionType:
    """A convention type as its schema YAML declares it, read into specs."""

    name: str
    titre: str
    description: str
    schema_path: Path
    template_path: Path
    roles: tuple[Role, ...]
    fields: Mapping[str, FieldSpec]
    rules: tuple[RuleUse, ...]
    calculations: tuple[RuleUse, ...] = ()
    annexes: tuple[Mapping[str, Any], ...] = ()  # the annexes the type generates (``annexes:``)
    copies: int | None = None  # ``exemplaires``: the number of originals
    issuer: str | None = None  # ``emetteur``: who issues the document (the PDF's author)
    texts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # ``textes``: {champ: {valeur: …}}
    # ``contribution_budgetee``: paths, in the computed values, of the amounts a budget line proposes.
    budgeted_contribution: tuple[str, ...] = ()
    short_title: str | None = None  # ``titre_court``: how the register's calendar names the type
    version: str | None = None  # ``version``: the type's version, recorded by the register
    # ``rubriques``: the form's sections (title, fields); none: read from the template's articles
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The schema file's (modification time, size) when it was read: a type saved again is read again.
    stamp: tuple[int, int] = field(default=(0, 0), compare=False, repr=False)

    @property
    def model(self) -> type[Convention]:
        return build_model(self)

    def role(self, name: str) -> Role | None:
        return next((role for role in self.roles if role.role == name), None)

    def default_party(self, role: Role, data: Mapping[str, Any]) -> dict[str, Any] | None:
        """The role's default party; with ``defaut_selon``, the one chosen by that field's value."""
        if not role.defaut_selon:
            return role.defaut
        spec = self.fields.get(role.defaut_selon)
        value = data.get(role.defaut_selon, spec.default if spec is not None and spec.has_default else None)
        chosen: dict[str, Any] | None = (role.defauts or {}).get(str(value))
        return chosen


def available_types() -> dict[str, Path]:
    """Name → schema file of every installed type."""
    found: dict[str, Path] = {}
    for folder in search_path():
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def as_type(convention_type: str | ConventionType) -> ConventionType:
    """A type given by its name or already loaded, as every entry point takes it."""
    return load_type(convention_type) if isinstance(convention_type, str) else convention_type


def load_type(name: str) -> ConventionType:
    """The convention type of that name, or UnknownTypeError with the close matches; ``NAME@V`` is
    the type at its version V (a local type keeps its earlier versions, see ``model/versions.py``)."""
    base, _at, version = name.partition("@")
    types = available_types()
    if base not in types:
        close = difflib.get_close_matches(base, list(types), n=3, cutoff=0.5)
        close += [known for known in types if base and base in known and known not in close]
        raise UnknownTypeError(name, available=sorted(types), suggestions=close[:3])
    current = _load_type_file(types[base])
    if not version or version == current.version:
        return current
    return _load_type_file(version_schema(base, version, current.schema_path.parent.parent))


def _load_type_file(path: Path) -> ConventionType:
    """The type of a schema file, read again when the file changed (a local type saved anew)."""
    try:
        status = path.stat()
    except OSError as exc:
        raise TemplateError(f"schéma illisible {path} : {exc.strerror}", template=str(path)) from exc
    return _read_type_file(path, (status.st_mtime_ns, status.st_size))


@cache
def _read_type_file(path: Path, stamp: tuple[int, int]) -> ConventionType:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"schéma illisible {path} : {exc}", template=str(path)) from exc
    return read_type(path, raw, stamp=stamp)


def read_type(path: Path, raw: Any, *, stamp: tuple[int, int] = (0, 0)) -> ConventionType:
    """The type a schema declares, or one TemplateError naming the file and every key path at fault."""
    problems = SchemaProblems()
    if not isinstance(raw, Mapping):
        problems.add("", "une table est attendue (titre, parties, champs…)")
        raw = {}
    problems.unknown_keys("", raw, TYPE_KEYS)
    fields = parse_fields(raw.get("champs"), "champs", problems)
    for where, problem in default_problems(fields) if not problems.found else ():
        problems.add(where, problem)
    ctype = ConventionType(
        name=path.stem,
        titre=parse_text(raw.get("titre"), "titre", problems) or path.stem,
        description=parse_text(raw.get("description"), "description", problems) or "",
        schema_path=path,
        template_path=_template_path(path, parse_text(raw.get("modele"), "modele", problems)),
        roles=parse_roles(raw.get("parties"), fields, problems),
        fields=fields,
        rules=parse_uses(raw.get("regles"), "regles", problems),
        calculations=parse_uses(raw.get("calculs"), "calculs", problems),
        annexes=parse_annexes(raw.get("annexes"), problems),
        copies=parse_count(raw.get("exemplaires"), "exemplaires", problems),
        issuer=parse_text(raw.get("emetteur"), "emetteur", problems),
        texts=parse_texts(raw.get("textes"), fields, problems),
        budgeted_contribution=parse_paths(
            raw.get("contribution_budgetee"), "contribution_budgetee", problems
        ),
        short_title=parse_text(raw.get("titre_court"), "titre_court", problems),
        version=_version(raw.get("version"), problems),
        sections=parse_sections(raw.get("rubriques"), fields, problems),
        stamp=stamp,
    )
    _raise_problems(path, problems)
    return ctype


def _version(value: Any, problems: SchemaProblems) -> str | None:
    """``version``: a text or a number (``2``, ``1.3``, ``"2026-01"``), kept as text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.add("version", "un texte ou un nombre est attendu (par exemple 2 ou « 2026-01 »)")
        return None
    return str(value)


def field_specs(declared: Any, *, source: str) -> dict[str, FieldSpec]:
    """The specs of field declarations held in memory (a Word form's), checked as a schema's are."""
    problems = SchemaProblems()
    fields = parse_fields(declared, "champs", problems)
    for where, problem in default_problems(fields) if not problems.found else ():
        problems.add(where, problem)
    _raise_problems(Path(source), problems)
    return fields


def _raise_problems(path: Path, problems: SchemaProblems) -> None:
    found = list(problems)
    if len(found) == 1:
        raise TemplateError(f"schéma {path} : {found[0]}", template=str(path))
    if found:
        lines = "\n".join(f"  - {problem}" for problem in found)
        raise TemplateError(f"schéma {path} : {len(found)} problèmes\n{lines}", template=str(path))


def _template_path(path: Path, declared: str | None) -> Path:
    return Path(declared) if declared else path.parent.parent / "templates" / f"{path.stem}.docx"


_MODELS: dict[tuple[str, Path, tuple[int, int]], type[Convention]] = {}


def build_model(ctype: ConventionType) -> type[Convention]:
    """The pydantic model of a type: the shared core plus the type's own fields (built once per
    schema file as it was read; a type read from memory, each time)."""
    if ctype.stamp == (0, 0):
        return model_from_fields(ctype.name, ctype.fields)
    key = (ctype.name, ctype.schema_path, ctype.stamp)
    model = _MODELS.get(key)
    if model is None:
        model = _MODELS.setdefault(key, model_from_fields(ctype.name, ctype.fields))
    return model
