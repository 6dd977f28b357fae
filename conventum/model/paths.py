"""Data paths in a convention (``budget[*].solde``, ``vote.pour``): what rules' parameters name."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from conventum.errors import TemplateError

# an index of at most 9 digits: a longer one is no data path (and no int() of 5,000 digits)
_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?(?P<indexes>(\[(\d{1,9}|\*)\])*)$")
_INDEX = re.compile(r"\[(\d{1,9}|\*)\]")
_MISSING = object()


def parse(path: str) -> list[str | int]:
    """Split a data path into names, indexes and ``*`` (each element of a list).

    >>> parse("budget[*].solde"), parse("parties[2].representant.qualite")
    (['budget', '*', 'solde'], ['parties', 2, 'representant', 'qualite'])
    """
    parts: list[str | int] = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if not segment or match is None:
            raise TemplateError(f"chemin de données invalide « {path} »")
        if match["name"]:
            parts.append(match["name"])
        parts += [int(i) if i != "*" else "*" for i in _INDEX.findall(match["indexes"])]
    return parts


def resolve(root: Any, path: str) -> list[tuple[str, Any]]:
    """Every (concrete path, value) the path names in the data; absent values are left out.

    >>> resolve({"budget": [{"solde": 1}, {"solde": 2}]}, "budget[*].solde")
    [('budget[0].solde', 1), ('budget[1].solde', 2)]
    """
    return list(_walk(root, parse(path), ""))


def value_at(root: Any, path: str) -> Any:
    """The single value at a path, or None when it is absent."""
    found = resolve(root, path)
    return found[0][1] if found else None


def _walk(node: Any, parts: list[str | int], prefix: str) -> Iterator[tuple[str, Any]]:
    if node is None:
        return
    if not parts:
        yield prefix, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        for index, item in enumerate(node if isinstance(node, list) else []):
            yield from _walk(item, rest, f"{prefix}[{index}]")
    elif isinstance(head, int):
        if isinstance(node, list) and head < len(node):
            yield from _walk(node[head], rest, f"{prefix}[{head}]")
    else:
        child = _child(node, head)
        if child is not _MISSING:
            yield from _walk(child, rest, f"{prefix}.{head}" if prefix else head)


def _child(node: Any, name: str) -> Any:
    if isinstance(node, BaseModel):
        return getattr(node, name, _MISSING)
    if isinstance(node, Mapping):
        return node.get(name, _MISSING)
    return _MISSING
