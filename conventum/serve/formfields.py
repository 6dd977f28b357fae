"""The fields of a page's form as a tree (groups, repeatable blocks, inputs), and the ways through it:
a field by its data path, every name, a field as the clerk sees it (« Code postal de l’adhérent »)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from conventum.issues import Issue
from conventum.model.catalogue import ConventionType
from conventum.serve.choices import Option, plain_options


@dataclass
class FormField:
    """One input, or a group (fieldset) of them, or a repeatable block."""

    name: str
    label: str
    # text, date, integer, number, select, checkbox, checklist (ticked keys), lines, file, group, list,
    # hidden, fixed (a fixed party), shown (a value shown as text and sent back unchanged), presence
    # (a séance's members, each with a status)
    kind: str
    required: bool = False
    help: str | None = None
    value: Any = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)  # a select's choices, with their data
    children: list[FormField] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    add_label: str | None = None  # a list: the button that adds an item (none at the maximum)
    add_action: str | None = None
    remove_action: str | None = None  # an item of a list: the button that removes it
    fold: str | None = None  # folded under a « details » of this title (technical fields)
    search: bool = False  # a party's name: searched in the official geography as it is typed
    party: str | None = None  # a party's fieldset: its path (parties[0]), for the page's scripts
    focus: bool = False  # the block just added: the page puts the focus in it
    kept: list[tuple[str, str]] = field(default_factory=list)  # shown: the inputs that send it back
    refresh: bool = False  # a choice the rest of the form depends on: the form is drawn again

    def __post_init__(self) -> None:
        if self.choices and not self.options:
            self.options = plain_options(self.choices)

    @property
    def shown_options(self) -> list[Option]:
        return [option for option in self.options if not option.hidden]

    @property
    def key(self) -> str:
        """The last segment of its path: ``code_postal`` for ``parties[1].adresse.code_postal``."""
        return self.name.rsplit(".", 1)[-1]

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", self.name).strip("-")


def place_issues(fields: list[FormField], issues: list[Issue] | tuple[Issue, ...]) -> None:
    """Each issue beside the field of its path."""
    by_path: dict[str, list[Issue]] = {}
    for issue in issues:
        by_path.setdefault(issue.path, []).append(issue)
    _place(fields, by_path)


def _place(fields: list[FormField], by_path: dict[str, list[Issue]]) -> None:
    for item in fields:
        item.errors = by_path.get(item.name, [])
        _place(item.children, by_path)


def title_of(fields: list[FormField], path: str) -> str:
    """A field as the clerk sees it: "Code postal de l’adhérent" (never its path)."""
    chain = _chain(fields, path)
    if not chain:
        return "Document"
    label = chain[-1].label
    party = next((item for item in reversed(chain[:-1]) if item.party), None)
    if party is not None and party is not chain[-1]:
        return f"{label} {_of(party.label)}"
    return label


def _chain(fields: list[FormField], path: str) -> list[FormField]:
    for item in fields:
        if item.name == path:
            return [item]
        found = _chain(item.children, path)
        if found:
            return [item, *found]
    return []


OF_ARTICLES = (("L’", "de l’"), ("L'", "de l’"), ("La ", "de la "), ("Le ", "du "), ("Les ", "des "))


def _of(label: str) -> str:
    """ "de" before a role's label: "de l’adhérent", "de la centrale d’achats", "du membre"."""
    for article, joined in OF_ARTICLES:
        if label.startswith(article):
            return joined + label[len(article) :]
    return f"({label})"


def field_names(fields: list[FormField]) -> set[str]:
    names: set[str] = set()
    for item in fields:
        names.add(item.name)
        names |= field_names(item.children)
    return names


def find_field(fields: list[FormField], name: str) -> FormField | None:
    for item in fields:
        if item.name == name:
            return item
        found = find_field(item.children, name)
        if found is not None:
            return found
    return None


def inputs_of(fields: list[FormField]) -> list[FormField]:
    """The fields a clerk fills (with an error area), in the page's order."""
    found: list[FormField] = []
    for item in fields:
        if item.kind not in ("group", "list", "hidden", "fixed", "shown", "presence"):
            found.append(item)
        found += inputs_of(item.children)
    return found


class FieldBuilder(Protocol):
    """What builds a form's fields from its JSON Schema (``SchemaForm``), as its helpers use it."""

    ctype: ConventionType
    prefix: str  # the path of the form's data in a larger document ("convention.donnees.")

    def field(
        self,
        name: str,
        key: str,
        raw: Mapping[str, Any],
        value: Any,
        required: bool,
        *,
        defaults: bool = True,
    ) -> FormField: ...

    def unwrap(self, spec: Mapping[str, Any]) -> tuple[dict[str, Any], bool]: ...

    def resolve(self, spec: Mapping[str, Any]) -> dict[str, Any]: ...
