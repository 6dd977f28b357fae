"""A submitted form back to data, and the in-place actions (« Ajouter », « Retirer ») on those data.

Each input is named by its data path (``parties[1].adresse.code_postal``); a few suffixes say how
to read it: ``path[i].@`` keeps item i of a list (even empty), ``path@lignes`` is a list of texts
one a line, ``path@case`` says a checkbox was on the form (unchecked: false), ``@liste`` = ``path|item`` adds
the item to the list at path (a member's presence)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData, UploadFile

from conventum.batch.columns import parse_path
from conventum.batch.spreadsheet import set_path

ITEM = ".@"
LINES = "@lignes"
CHECKBOX = "@case"
PICK = "@liste"  # a select whose value "path|item" adds the item to the list at path (a presence)


def form_data(form: FormData, files: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The data of a submitted form: empty inputs left out (the validator says what is missing),
    items of lists kept in their order, uploaded annex files by the names they were saved under."""
    data: dict[str, Any] = {}
    checkboxes = {key[: -len(CHECKBOX)] for key in form if key.endswith(CHECKBOX)}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile) or key.startswith("_") or key == "action" or key.endswith(CHECKBOX):
            continue
        if key.endswith(ITEM):
            _ensure_item(data, key[: -len(ITEM)])
        elif key == PICK:
            path, _, item = value.partition("|")
            if item:
                _add_lines(data, path, [item])
        elif key.endswith(LINES):
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            _add_lines(data, key[: -len(LINES)], lines)
        elif key in checkboxes:
            _set(data, key, value == "true")
            checkboxes.discard(key)
        else:
            _set(data, key, value.strip() or None)
    for key in checkboxes:
        _set(data, key, False)
    for key, name in (files or {}).items():
        _set(data, key, name)
    return data


def _add_lines(data: dict[str, Any], name: str, lines: list[str]) -> None:
    """A list of texts: from a textarea (one a line) or from checkboxes of the same name (one each)."""
    segments = parse_path(name)
    existing = _container(data, segments) if segments else None
    if isinstance(existing, list):
        existing.extend(lines)
    else:
        _set(data, name, lines or None)


def _set(data: dict[str, Any], name: str, value: Any) -> None:
    segments = parse_path(name)
    if segments is None:
        return
    if value is None:
        if len(segments) > 1:
            _ensure_item(data, ".".join(_text(s) for s in segments[:-1]))  # keep its item in place
        return
    set_path(data, segments, value)


def _text(segment: tuple[str, int | None]) -> str:
    name, index = segment
    return name if index is None else f"{name}[{index}]"


def _ensure_item(data: dict[str, Any], name: str) -> None:
    segments = parse_path(name)
    if not segments:
        return
    current: Any = data
    for position, (key, index) in enumerate(segments):
        last = position == len(segments) - 1
        if not isinstance(current, dict):
            return
        if index is None:
            current = current.setdefault(key, {}) if not last or key not in current else current[key]
            if last and not isinstance(current, dict):
                return
            continue
        items = current.setdefault(key, [])
        if not isinstance(items, list):
            return
        while len(items) <= index:
            items.append({})
        current = items[index]


def prune(value: Any) -> Any:
    """Objects left empty by blank inputs removed (an empty address is a missing one)."""
    if isinstance(value, dict):
        pruned = {key: prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item != {} or key in ("parties",)}
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value


def kept_inputs(name: str, value: Any) -> list[tuple[str, str]]:
    """The hidden inputs that send a value shown as text back unchanged (one per leaf)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [pair for key, item in value.items() for pair in kept_inputs(f"{name}.{key}", item)]
    if isinstance(value, list):
        if all(not isinstance(item, (Mapping, list)) for item in value):
            return [(name + LINES, "\n".join(str(item) for item in value))]
        pairs = [pair for i, item in enumerate(value) for pair in kept_inputs(f"{name}[{i}]", item)]
        return [(f"{name}[{i}]{ITEM}", "1") for i in range(len(value))] + pairs
    if isinstance(value, bool):
        return [(name, "true" if value else "false")]
    return [(name, str(value))]


def apply_action(data: dict[str, Any], action: str, new_party: Any = None) -> dict[str, Any]:
    """``ajouter:PATH`` adds an empty item to a list (``ajouter:[PREFIX.]parties:ROLE`` the party
    ``new_party(ROLE)`` gives, if any); ``retirer:PATH[i]`` removes one."""
    data = copy.deepcopy(data)
    verb, _, target = action.partition(":")
    if verb == "ajouter" and ":" in target:
        where, role = target.rsplit(":", 1)
        party = new_party(role) if new_party is not None else None
        container = _owner(data, where)
        if party is not None and isinstance(container, dict):
            container.setdefault("parties", []).append(party)
    elif verb == "ajouter":
        segments = parse_path(target)
        container = _container(data, segments[:-1]) if segments else None
        if segments and isinstance(container, dict):
            items = container.setdefault(segments[-1][0], [])
            if isinstance(items, list):
                items.append({})
    elif verb == "retirer":
        _remove(data, target)
    return data


def _owner(data: dict[str, Any], parties_path: str) -> Any:
    """The object holding the parties at ``parties_path`` ("parties", "convention.donnees.parties"),
    made if missing."""
    owner = parties_path.removesuffix("parties").rstrip(".")
    if owner:
        _ensure_item(data, owner)
    segments = parse_path(owner) if owner else ()
    return _container(data, segments) if segments is not None else None


def _remove(data: dict[str, Any], target: str) -> None:
    segments = parse_path(target)
    if not segments or segments[-1][1] is None:
        return
    container = _container(data, segments[:-1])
    name, index = segments[-1]
    items = container.get(name) if isinstance(container, dict) else None
    if isinstance(items, list) and index is not None and index < len(items):
        del items[index]


def _container(data: dict[str, Any], segments: tuple[tuple[str, int | None], ...]) -> Any:
    current: Any = data
    for name, index in segments:
        current = current.get(name) if isinstance(current, dict) else None
        if index is not None:
            current = current[index] if isinstance(current, list) and index < len(current) else None
    return current


def added_path(data: Mapping[str, Any], action: str) -> str | None:
    """The path of the item an « Ajouter » action just added (the last of its list)."""
    verb, _, target = action.partition(":")
    if verb != "ajouter":
        return None
    if ":" in target:  # a party of a role: the last of the parties
        target = target.rsplit(":", 1)[0]
    segments = parse_path(target)
    items = _container(dict(data), segments) if segments else None
    return f"{target}[{len(items) - 1}]" if isinstance(items, list) and items else None
