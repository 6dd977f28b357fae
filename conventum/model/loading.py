"""Reading data files (YAML, JSON, TOML, or JSON on stdin) into plain data, decimals kept exact."""

from __future__ import annotations

import json
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from conventum.errors import DataFileError


class _DecimalLoader(yaml.SafeLoader):
    """YAML loader that reads 12.50 as Decimal("12.50"), never as a float."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))  # type: ignore[arg-type]


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A YAML date; an impossible one (2025-02-31) stays text, for validation to say why."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def parse_text(text: str, *, fmt: str, source: str) -> Any:
    """Parse data text in the given format ("yaml", "json" or "toml")."""
    try:
        if fmt == "json":
            return json.loads(text, parse_float=Decimal)
        if fmt == "toml":
            return tomllib.loads(text, parse_float=Decimal)
        return yaml.load(text, Loader=_DecimalLoader)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"JSON mal formé : {exc.msg}", path=source, line=exc.lineno, column=exc.colno
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"TOML mal formé : {exc}", path=source) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise DataFileError(f"YAML mal formé : {exc.problem}", path=source, line=line, column=column) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"YAML mal formé : {exc}", path=source) from exc


def format_of(path: Path) -> str:
    """The data format named by a file's extension (YAML by default)."""
    suffix = path.suffix.lower()
    return {".json": "json", ".toml": "toml"}.get(suffix, "yaml")


def load_data(source: str | Path) -> dict[str, Any]:
    """Read a data file, or JSON from stdin when the source is "-"."""
    if str(source) == "-":
        return _as_mapping(parse_text(sys.stdin.read(), fmt="json", source="<stdin>"), "<stdin>")
    path = Path(source)
    try:
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
