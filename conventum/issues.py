"""Validation issues as records: a stable code, a field path, parameters, a severity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from conventum.messages import render_message

Severity = Literal["error", "warning"]
EXCERPT = 120  # characters of a value quoted in a message; a longer one is cut, its length said
OFFERED = frozenset({"choices", "attendu"})  # what conventum offers, never cut: the user must read it whole
Location = Sequence[str | int]


def format_path(location: Location) -> str:
    """Write a pydantic location as a field path: ``parties[2].representant.qualite``.

    >>> format_path(("parties", 2, "representant", "qualite"))
    'parties[2].representant.qualite'
    """
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def excerpt(value: Any) -> Any:
    """A text longer than ``EXCERPT`` as its beginning and its length (« Abc… (99 000 caractères) »);
    any other value as it is.

    >>> excerpt("a" * 2000).endswith("caractères)"), len(excerpt("a" * 2000)) < EXCERPT
    (True, True)
    """
    if not isinstance(value, str) or len(value) <= EXCERPT:
        return value
    return f"{value[:80].rstrip()}… ({len(value):,} caractères)".replace(",", "\u202f")


@dataclass(frozen=True)
class Issue:
    """One problem found in the data; its French sentence comes from its code."""

    code: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    def __post_init__(self) -> None:
        # A long value is quoted by a short excerpt, in the message and the report alike.
        if any(_quoted(key, value) and len(value) > EXCERPT for key, value in self.params.items()):
            params = {
                key: excerpt(value) if _quoted(key, value) else value for key, value in self.params.items()
            }
            object.__setattr__(self, "params", params)

    @property
    def message(self) -> str:
        return render_message(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        """The issue as JSON-ready data for the machine-readable report."""
        params = {key: _jsonable(value) for key, value in self.params.items()}
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "params": params,
        }


def _quoted(key: str, value: Any) -> bool:
    """Whether a parameter quotes the user's data (cut when long), not what conventum offers."""
    return isinstance(value, str) and key not in OFFERED


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return str(value)


def errors(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that stop rendering."""
    return [issue for issue in issues if issue.severity == "error"]


def warnings(issues: Iterable[Issue]) -> list[Issue]:
    """The issues that are odd but legal."""
    return [issue for issue in issues if issue.severity == "warning"]
