"""How the command shows results and errors to a clerk (Rich), or as JSON to a program."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from rich.console import Console

from conventum.errors import ConventumError, ValidationFailed
from conventum.issues import Issue

ISSUE_REPORT_VERSION = 1


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def console_error(message: str) -> None:
    stderr_console().print(f"[bold red]Erreur :[/] {message}", markup=True)


def fail(exc: ConventumError) -> NoReturn:
    """Print an error as a clerk reads it and exit with its code."""
    if isinstance(exc, ValidationFailed):
        print_issues(exc.issues, stderr_console())
        console_error(exc.message)
    else:
        console_error(_escape(exc.message))
    sys.exit(exc.exit_code)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def section_of(path: str) -> str:
    """The heading an issue is grouped under: the party it concerns, or its top-level field."""
    if path.startswith("parties["):
        return path.split("]", 1)[0] + "]"
    return path.split(".", 1)[0].split("[", 1)[0] or "général"


def print_issues(issues: Sequence[Issue], console: Console) -> None:
    """Issues grouped by party or section, errors in red and warnings in yellow."""
    groups: dict[str, list[Issue]] = {}
    for issue in issues:
        groups.setdefault(section_of(issue.path), []).append(issue)
    for section, items in groups.items():
        console.print(f"[bold]{_escape(section)}[/]")
        for issue in items:
            colour, word = ("red", "erreur") if issue.severity == "error" else ("yellow", "avertissement")
            line = f"{_escape(issue.path)} : {_escape(issue.message)} [dim]({issue.code})[/]"
            console.print(f"  [{colour}]{word}[/] {line}")


def issues_report(issues: Sequence[Issue], **extra: Any) -> str:
    """The machine-readable report (see README, « Rapport JSON »)."""
    report = {
        "version": ISSUE_REPORT_VERSION,
        "valide": not any(issue.severity == "error" for issue in issues),
        "erreurs": sum(1 for issue in issues if issue.severity == "error"),
        "avertissements": sum(1 for issue in issues if issue.severity == "warning"),
        **extra,
        "problemes": [issue.as_dict() for issue in issues],
    }
    return json.dumps(report, ensure_ascii=False, indent=2)
