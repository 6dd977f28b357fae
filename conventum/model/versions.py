"""The versions of a local type: saving a changed type keeps every earlier version beside it.

A folder of local types (the working directory of ``conventum serve``, where ``conventum import``
writes by default) holds::

    schemas/NAME.yaml, templates/NAME.docx          the current version: what every command uses
    versions/NAME/V/schemas/NAME.yaml               each version saved, the current one included,
    versions/NAME/V/templates/NAME.docx             never changed once written

The schema declares its ``version:`` (1, 2, 3…). ``NAME@V`` names the type at a version
(``conventum render medecine@1 …``, ``/formulaire/medecine@1``): a convention made by an earlier
version is made again as it was.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conventum.errors import OutputError, UnknownTypeError
from conventum.output import french_reason, write_atomic

VERSIONS = "versions"
_SAVING = threading.Lock()  # one save at a time in a process: two versions never get one number


@dataclass(frozen=True)
class SavedVersion:
    """What saving a type did: its version, its current files, and the versions kept before it."""

    name: str
    version: str
    schema: Path
    template: Path
    created: bool  # False: the type was already this one (nothing written)
    earlier: tuple[str, ...]


def version_folder(folder: Path, name: str, version: str) -> Path:
    return folder / VERSIONS / name / version


def kept_versions(folder: Path, name: str) -> list[str]:
    """The versions of a type kept in a folder of local types, oldest first."""
    found = [
        path.name
        for path in (folder / VERSIONS / name).glob("*")
        if (path / "schemas" / f"{name}.yaml").is_file()
    ]
    return sorted(found, key=_order)


def _order(version: str) -> tuple[int, int | str]:
    return (0, int(version)) if version.isdigit() else (1, version)


def version_schema(name: str, version: str, folder: Path) -> Path:
    """The schema of a type at an earlier version, kept in its folder of types, or UnknownTypeError
    naming the versions kept."""
    path = version_folder(folder, name, version) / "schemas" / f"{name}.yaml"
    if "/" in version or "\\" in version or version.startswith(".") or not path.is_file():
        known = [f"{name}@{kept}" for kept in kept_versions(folder, name)]
        raise UnknownTypeError(f"{name}@{version}", available=known, suggestions=known[-3:])
    return path


def schema_text(schema: Mapping[str, Any], *, version: str, origin: str) -> str:
    """The schema YAML of a version: ``version`` after the title, a header saying where it comes from."""
    ordered = dict(schema)
    ordered.pop("version", None)
    placed: dict[str, Any] = {}
    for key, value in ordered.items():
        placed[key] = value
        if key == "titre":
            placed["version"] = int(version) if version.isdigit() else version
    placed.setdefault("version", int(version) if version.isdigit() else version)
    header = f"# {origin}, version {version}.\n"
    return header + yaml.safe_dump(placed, allow_unicode=True, sort_keys=False, width=100)


def save_version(
    folder: Path, name: str, template: bytes, schema: Mapping[str, Any], *, origin: str
) -> SavedVersion:
    """Save a type in a folder of local types as its next version, the current one kept first;
    nothing new when the type is unchanged. OutputError (French) when the folder refuses."""
    current_schema = folder / "schemas" / f"{name}.yaml"
    current_template = folder / "templates" / f"{name}.docx"
    with _SAVING:
        try:
            previous = _current(current_schema, current_template)
            kept_before = _keep_current(folder, name, previous) if previous is not None else None
            if previous is not None and kept_before is not None and _same(previous, schema, template):
                earlier = tuple(v for v in kept_versions(folder, name) if v != kept_before)
                return SavedVersion(name, kept_before, current_schema, current_template, False, earlier)
            earlier = tuple(kept_versions(folder, name))
            version = _next_version(earlier)
            text = schema_text(schema, version=version, origin=origin).encode("utf-8")
            _write_version(version_folder(folder, name, version), name, template, text)
            for path, content in ((current_template, template), (current_schema, text)):
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, content, force=True)
        except OSError as exc:
            raise OutputError(
                f"le type « {name} » n’a pas pu être enregistré dans {folder} : {french_reason(exc)}",
                path=str(folder),
            ) from exc
    return SavedVersion(name, version, current_schema, current_template, True, earlier)


def _current(schema: Path, template: Path) -> tuple[str | None, dict[str, Any], bytes] | None:
    """The current version's declared version, schema and template (None: no such type yet)."""
    if not schema.is_file() or not template.is_file():
        return None
    raw = yaml.safe_load(schema.read_text(encoding="utf-8"))
    raw = raw if isinstance(raw, dict) else {}
    declared = raw.get("version")
    return (None if declared is None else str(declared)), raw, template.read_bytes()


def _same(
    previous: tuple[str | None, dict[str, Any], bytes], schema: Mapping[str, Any], template: bytes
) -> bool:
    _version, raw, content = previous
    given = {key: value for key, value in schema.items() if key != "version"}
    return content == template and {key: value for key, value in raw.items() if key != "version"} == given


def _keep_current(folder: Path, name: str, previous: tuple[str | None, dict[str, Any], bytes]) -> str:
    """The current version kept in ``versions/`` if it is not there yet, and its version: a type
    imported by the command line, without a version, becomes the next number (1) there and in place."""
    declared, raw, template = previous
    version = declared if declared and _safe(declared) else _next_version(kept_versions(folder, name))
    target = version_folder(folder, name, version)
    schema = folder / "schemas" / f"{name}.yaml"
    text = schema.read_bytes()
    if declared is None:
        text = schema_text(raw, version=version, origin="Type importé").encode("utf-8")
        write_atomic(schema, text, force=True)
    if not (target / "schemas" / f"{name}.yaml").is_file():
        _write_version(target, name, template, text)
    return version


def _safe(version: str) -> bool:
    return bool(version) and "/" not in version and "\\" not in version and not version.startswith(".")


def _next_version(kept: tuple[str, ...] | list[str]) -> str:
    numbers = [int(version) for version in kept if version.isdigit()]
    return str(max(numbers, default=len(kept)) + 1)


def _write_version(target: Path, name: str, template: bytes, schema: bytes) -> None:
    """A version's two files, written under a temporary name then moved into place whole."""
    staging = target.with_name(f".{target.name}.partiel")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "schemas").mkdir(parents=True)
    (staging / "templates").mkdir()
    (staging / "templates" / f"{name}.docx").write_bytes(template)
    (staging / "schemas" / f"{name}.yaml").write_bytes(schema)
    try:
        staging.rename(target)  # refused if a version of that number exists: never overwritten
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
