"""An avenant's file: its own fields (number, effective date, signature, each party's authorising
act) and the changes it makes to the registered convention's data, applied to a copy of that data.

The changes name any field by its path, as error messages write it::

    avenant:
      numero: 1
      date_effet: 2027-01-01
      signature: {lieu: Arras, date: 2026-12-15}
      autorisations:
        collectivite: {organe: conseil municipal, date: 2026-11-20, numero: "2026-48"}
    modifications:
      parties[0].representant.nom: Durand
      duree.annees: 3
    ajouter:
      parties: [{role: membre, nature: commune, nom: Arras, …}]
    retirer: [parties[3]]
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from pydantic import Field, ValidationError

from conventum.errors import TemplateError
from conventum.issues import Issue, format_path
from conventum.model.blocks import Autorisation, Block, Convention, Signature
from conventum.model.paths import parse
from conventum.model.problems import issue_from_pydantic

SECTIONS = ("avenant", "modifications", "ajouter", "retirer")
FORBIDDEN = ("type",)  # an avenant amends a convention of its type; it never changes the type


class AvenantFields(Block):
    """The avenant's own fields."""

    numero: int = Field(ge=1, le=999, title="Numéro de l’avenant")
    date_effet: dt.date = Field(title="Date d’effet de l’avenant")
    signature: Signature | None = Field(default=None, title="Signature de l’avenant")
    # by role ("collectivite") or by party path ("parties[2]"): the act that authorises it to sign
    autorisations: dict[str, Autorisation | list[Autorisation]] = Field(
        default_factory=dict, title="Décisions autorisant la signature de l’avenant"
    )
    objet: str | None = Field(default=None, title="Objet de l’avenant")


@dataclass
class Amendment:
    """The avenant read: its fields, the data before and after, the problems found (all at once)."""

    fields: AvenantFields | None
    before: dict[str, Any]
    after: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the paths the file names, as written

    def authorisations(self, path: str, role: str) -> list[Autorisation]:
        """The acts authorising the party at ``path`` (its position in the consolidated data)."""
        if self.fields is None:
            return []
        given = self.fields.autorisations.get(path, self.fields.autorisations.get(role, []))
        return list(given) if isinstance(given, list) else [given]


def read_amendment(
    raw: Mapping[str, Any], registered: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> Amendment:
    """Apply the avenant file ``raw`` to a copy of the ``registered`` data; every problem is listed.

    A field the data leaves to the type's default (``duree``) is changed from that default: the
    avenant may name ``duree.annees`` of a convention whose data never wrote its term."""
    issues = [
        Issue("avenant.section_inconnue", str(key), {"section": key, "sections": ", ".join(SECTIONS)})
        for key in raw
        if key not in SECTIONS
    ]
    fields = _fields(raw.get("avenant"), issues)
    before = copy.deepcopy(dict(registered))
    after = copy.deepcopy(before)
    changed: list[str] = []
    for path, value in _mapping(raw, "modifications", issues).items():
        _with_default(after, str(path), defaults or {})
        if _set(after, str(path), value, issues):
            changed.append(str(path))
    for path, items in _mapping(raw, "ajouter", issues).items():
        if _append(after, str(path), items, issues):
            changed.append(str(path))
    changed += _remove(after, raw.get("retirer") or [], issues)
    if not after.get("parties"):
        issues.append(Issue("avenant.sans_partie", "retirer", {}))
    elif after == before and not issues:
        issues.append(Issue("avenant.sans_modification", "modifications", {}))
    return Amendment(fields, before, after, issues, changed)


def _with_default(data: dict[str, Any], path: str, defaults: Mapping[str, Any]) -> None:
    """The type's default of the path's first field, written into the data when it is absent and
    the path goes inside it."""
    name = path.split(".", 1)[0].split("[", 1)[0]
    if name != path and name not in data and isinstance(defaults.get(name), (dict, list)):
        data[name] = copy.deepcopy(defaults[name])


def _fields(raw: Any, issues: list[Issue]) -> AvenantFields | None:
    if not isinstance(raw, Mapping):
        issues.append(Issue("avenant.champs_absents", "avenant", {}))
        return None
    try:
        return AvenantFields.model_validate(raw)
    except ValidationError as exc:
        model = cast(type[Convention], AvenantFields)
        for error in exc.errors():
            found = issue_from_pydantic(model, error, raw)
            issues.append(Issue(found.code, f"avenant.{found.path}", found.params))
        return None


def _mapping(raw: Mapping[str, Any], section: str, issues: list[Issue]) -> Mapping[str, Any]:
    found = raw.get(section) or {}
    if not isinstance(found, Mapping):
        issues.append(Issue("field.invalid_object", section, {"value": str(found)[:60]}))
        return {}
    return found


def _steps(path: str, section: str, issues: list[Issue]) -> list[str | int] | None:
    """The path's names and indexes; None (and an issue) when it is no path or names the type."""
    try:
        parts = parse(path)
    except TemplateError:
        issues.append(Issue("avenant.chemin_invalide", f"{section}.{path}", {"chemin": path}))
        return None
    if "*" in parts or not parts:
        issues.append(Issue("avenant.chemin_invalide", f"{section}.{path}", {"chemin": path}))
        return None
    if parts[0] in FORBIDDEN:
        issues.append(Issue("avenant.type", f"{section}.{path}", {}))
        return None
    return parts


def _parent(data: Any, parts: list[str | int], section: str, path: str, issues: list[Issue]) -> Any:
    """The container holding the path's last step; None (and an issue) when a step is absent."""
    node = data
    for depth, part in enumerate(parts[:-1]):
        present = (
            isinstance(node, dict) and isinstance(part, str) and isinstance(node.get(part), (dict, list))
        ) or (isinstance(node, list) and isinstance(part, int) and part < len(node))
        if not present:
            where = format_path(parts[: depth + 1])
            issues.append(Issue("avenant.champ_introuvable", f"{section}.{path}", {"chemin": where}))
            return None
        node = node[part]
    return node


def _set(data: dict[str, Any], path: str, value: Any, issues: list[Issue]) -> bool:
    parts = _steps(path, "modifications", issues)
    node = None if parts is None else _parent(data, parts, "modifications", path, issues)
    if parts is None or node is None:
        return False
    last = parts[-1]
    if isinstance(node, list) != isinstance(last, int) or (isinstance(last, int) and last >= len(node)):
        issues.append(Issue("avenant.champ_introuvable", f"modifications.{path}", {"chemin": path}))
        return False
    if value is None and isinstance(node, dict):
        node.pop(last, None)
    else:
        node[last] = value
    return True


def _append(data: dict[str, Any], path: str, items: Any, issues: list[Issue]) -> bool:
    parts = _steps(path, "ajouter", issues)
    if parts is None:
        return False
    node = _parent(data, [*parts, 0], "ajouter", path, issues)
    if node is None:
        return False
    if not isinstance(node, list) or not isinstance(items, list) or not items:
        issues.append(Issue("avenant.ajout_liste", f"ajouter.{path}", {"chemin": path}))
        return False
    node.extend(copy.deepcopy(items))
    return True


def _remove(data: dict[str, Any], paths: Any, issues: list[Issue]) -> list[str]:
    """Remove the listed elements, the last first, so that every index names the registered data."""
    if not isinstance(paths, list):
        issues.append(Issue("field.invalid_list", "retirer", {}))
        return []
    located: list[tuple[list[str | int], str, int]] = []
    for index, path in enumerate(paths):
        parts = _steps(str(path), f"retirer[{index}]", issues)
        node = None if parts is None else _parent(data, parts, f"retirer[{index}]", str(path), issues)
        if parts is None or node is None:
            continue
        last = parts[-1]
        present = (isinstance(node, list) and isinstance(last, int) and last < len(node)) or (
            isinstance(node, dict) and last in node
        )
        if not present:
            issues.append(Issue("avenant.champ_introuvable", f"retirer[{index}]", {"chemin": str(path)}))
            continue
        located.append((parts, str(path), index))
    for parts, _path, _index in sorted(located, key=lambda item: _sort_key(item[0]), reverse=True):
        node = _parent(data, parts, "retirer", "", [])
        del node[parts[-1]]
    return [path for _parts, path, _index in located]


def _sort_key(parts: list[str | int]) -> tuple[Any, ...]:
    return tuple((0, part) if isinstance(part, int) else (1, str(part)) for part in parts)


def changed_under(path: str, changed: list[str]) -> str | None:
    """The changed path a validation issue at ``path`` falls under, if any."""
    return next((item for item in changed if path == item or path.startswith((f"{item}.", f"{item}["))), None)


def iter_parties(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """ "parties[i]" and each party of the data."""
    for index, party in enumerate(data.get("parties") or []):
        if isinstance(party, Mapping):
            yield f"parties[{index}]", party
