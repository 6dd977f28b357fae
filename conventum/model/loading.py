"""Reading data files (YAML, JSON, TOML, or JSON on stdin) into plain data, decimals kept exact.

Hostile or broken files cost one ``DataFileError`` (exit 3), never a hang: the file's size,
its nesting depth, the digits of an integer, YAML aliases and the data they expand to are
bounded (``conventum.limits``); a key given twice is refused with its line.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from conventum.errors import DataFileError
from conventum.model.yaml_french import french_problem
from conventum.settings import limits

# The values an aliased YAML file may expand to (each mapping, list and scalar counts one).
MAX_EXPANDED_VALUES = 1_000_000


class _Refused(Exception):
    """A limit reached while parsing: the French reason, and the line when known."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def _too_deep() -> str:
    return f"données imbriquées sur plus de {limits().max_depth} niveaux"


def _too_many_digits(digits: int) -> str:
    return f"nombre entier de {digits} chiffres (au plus {limits().max_integer_digits})"


class _DecimalLoader(yaml.SafeLoader):
    """YAML loader that reads 12.50 as Decimal("12.50"), never as a float; safe and bounded:
    aliases counted, nesting limited, a key given twice refused."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > limits().max_yaml_aliases:
                mark = self._mark()
                raise _Refused(
                    f"plus de {limits().max_yaml_aliases} alias YAML (*nom) : refusé", *_where(mark)
                )
            return super().compose_node(parent, index)
        nested = self.check_event(yaml.SequenceStartEvent) or self.check_event(yaml.MappingStartEvent)
        if nested:
            self._depth += 1
            if self._depth > limits().max_depth:
                raise _Refused(_too_deep(), *_where(self._mark()))
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1

    def _mark(self) -> Any:
        return self.peek_event().start_mark  # type: ignore[no-untyped-call]

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    if key_node.value in seen:
                        raise _Refused(
                            f"clé « {key_node.value} » donnée deux fois", *_where(key_node.start_mark)
                        )
                    seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _where(mark: Any) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    _check_digits(text, node)
    return Decimal(text)


def _integer(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    _check_digits(str(loader.construct_scalar(node)).replace("_", ""), node)  # type: ignore[arg-type]
    return yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]


def _check_digits(text: str, node: yaml.Node | None = None) -> None:
    digits = sum(character.isdigit() for character in text)
    if digits > limits().max_integer_digits:
        raise _Refused(_too_many_digits(digits), *_where(node.start_mark if node else None))


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A YAML date; an impossible one (2025-02-31) stays text, for validation to say why."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_DecimalLoader.add_constructor("tag:yaml.org,2002:int", _integer)


def _json_integer(text: str) -> int:
    _check_digits(text)
    return int(text)


def _json_decimal(text: str) -> Decimal:
    _check_digits(text)
    return Decimal(text)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _json_line(text: str, key: str) -> tuple[int | None, int | None]:
    """Where a key given twice appears the second time (its first two occurrences as a key)."""
    found = list(re.finditer(re.escape(json.dumps(key)) + r"\s*:", text))
    if len(found) < 2:
        found = list(re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text))
    if len(found) < 2:
        return None, None
    start = found[1].start()
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def parse_text(text: str, *, fmt: str, source: str) -> Any:
    """Parse data text in the given format ("yaml", "json" or "toml"), within the limits."""
    if len(text) > limits().max_data_bytes:
        raise DataFileError(_too_large(), path=source)
    try:
        data = _parse(text, fmt)
        _check_shape(data)
    except _Refused as exc:
        raise DataFileError(exc.reason, path=source, line=exc.line, column=exc.column) from None
    except _DuplicateKey as exc:
        line, column = _json_line(text, exc.key)
        raise DataFileError(
            f"clé « {exc.key} » donnée deux fois", path=source, line=line, column=column
        ) from None
    except RecursionError:
        raise DataFileError(_too_deep(), path=source) from None
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"JSON mal formé : {exc.msg}", path=source, line=exc.lineno, column=exc.colno
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"TOML mal formé : {exc}", path=source) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = french_problem(exc.problem, exc.context)
        raise DataFileError(f"YAML mal formé : {reason}", path=source, line=line, column=column) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"YAML mal formé : {exc}", path=source) from exc
    except ValueError as exc:  # tomllib: an integer past Python's own digit limit (4300)
        digits = re.search(r"value has (\d+) digits", str(exc))
        reason = _too_many_digits(int(digits.group(1))) if digits else "valeur numérique illisible"
        raise DataFileError(reason, path=source) from None
    return data


def _parse(text: str, fmt: str) -> Any:
    if fmt == "json":
        return json.loads(
            text, parse_float=_json_decimal, parse_int=_json_integer, object_pairs_hook=_json_object
        )
    if fmt == "toml":
        # tomllib refuses a key given twice itself; digits are checked on the parsed values.
        return tomllib.loads(text, parse_float=Decimal)
    loader = _DecimalLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _too_large() -> str:
    return f"fichier trop volumineux (plus de {limits().max_data_bytes // 1_000_000} Mo)"


def _check_shape(data: Any) -> None:
    """Depth, integer digits and the values the data expands to (YAML aliases share values):
    each container measured once, a container inside itself refused."""
    sizes: dict[int, tuple[int, int]] = {}  # id → (values under it, its height)
    open_ids: set[int] = set()

    def measure(value: Any, depth: int) -> tuple[int, int]:
        if isinstance(value, bool) or not isinstance(value, (dict, list, int)):
            return 1, 0
        if isinstance(value, int):
            if value.bit_length() > limits().max_integer_digits * 3.33:
                _check_digits(str(value))
            return 1, 0
        key = id(value)
        if key in sizes:
            size, height = sizes[key]
        else:
            if key in open_ids:
                raise _Refused("référence circulaire (un alias YAML contenant sa propre ancre)")
            open_ids.add(key)
            _check_length(data, value)
            children = value.values() if isinstance(value, dict) else value
            size, height = 1, 0
            for child in children:
                child_size, child_height = measure(child, depth + 1)
                size += child_size
                height = max(height, child_height + 1)
                if size > MAX_EXPANDED_VALUES:
                    raise _Refused(
                        f"données trop volumineuses une fois les alias YAML développés "
                        f"(plus de {MAX_EXPANDED_VALUES} valeurs)"
                    )
            open_ids.discard(key)
            sizes[key] = (size, height)
        if depth + height > limits().max_depth:
            raise _Refused(_too_deep())
        return size, height

    measure(data, 0)


def _check_length(data: Any, value: Any) -> None:
    if isinstance(value, list) and len(value) > limits().max_list_items:
        raise _Refused(
            f"liste « {_path_of(data, value)} » de {len(value)} éléments (au plus"
            f" {limits().max_list_items} ; CONVENTUM_MAX_LIST_ITEMS pour relever la limite)"
        )


def _path_of(data: Any, target: Any) -> str:
    """The field path of a container inside the data (looked for once a limit refused it)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    seen: set[int] = set()
    while stack:
        value, path = stack.pop()
        if value is target:
            return path or "(racine)"
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            stack += [(item, f"{path}.{name}" if path else str(name)) for name, item in value.items()]
        elif isinstance(value, list):
            stack += [(item, f"{path}[{index}]") for index, item in enumerate(value)]
    return "?"


def format_of(path: Path) -> str:
    """The data format named by a file's extension (YAML by default)."""
    suffix = path.suffix.lower()
    return {".json": "json", ".toml": "toml"}.get(suffix, "yaml")


def load_data(source: str | Path) -> dict[str, Any]:
    """Read a data file, or JSON from stdin when the source is "-"."""
    if str(source) == "-":
        text = sys.stdin.read(limits().max_data_bytes + 1)
        return _as_mapping(parse_text(text, fmt="json", source="<stdin>"), "<stdin>")
    path = Path(source)
    try:
        if path.stat().st_size > limits().max_data_bytes:
            raise DataFileError(_too_large(), path=str(path))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DataFileError("fichier introuvable", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise DataFileError("le fichier n’est pas encodé en UTF-8", path=str(path)) from exc
    except OSError as exc:
        raise DataFileError(f"fichier illisible ({exc.strerror})", path=str(path)) from exc
    return _as_mapping(parse_text(text, fmt=format_of(path), source=str(path)), str(path))


def _as_mapping(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise DataFileError("le fichier doit contenir un ensemble de champs (clé : valeur)", path=source)
    return data
