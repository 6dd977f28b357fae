"""The machine-readable report of a validation (see docs/reference.md, « JSON report »), as plain data:
printed by the CLI's ``--format json``, answered by the web API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conventum.errors import ConventumError, DataFileError
from conventum.issues import Issue
from conventum.validation.sections import grouped, heading

ISSUE_REPORT_VERSION = 1


def issues_report_data(
    issues: Sequence[Issue],
    *,
    data: Mapping[str, Any] | None = None,
    ctype: object = None,
    **extra: Any,
) -> dict[str, Any]:
    """The report of checked data: every problem, grouped by section, with its French heading."""
    problems = [
        {**issue.as_dict(), "section": section, "rubrique": heading(section, data=data, ctype=ctype)}
        for section, items in grouped(issues)
        for issue in items
    ]
    return {
        "version": ISSUE_REPORT_VERSION,
        "valide": not any(issue.severity == "error" for issue in issues),
        "erreurs": sum(1 for issue in issues if issue.severity == "error"),
        "avertissements": sum(1 for issue in issues if issue.severity == "warning"),
        **extra,
        "problemes": problems,
    }


def failure_report_data(exc: ConventumError, *, message: str | None = None, **extra: Any) -> dict[str, Any]:
    """The report of data that could not be checked at all: why, in ``echec`` (``message``: the
    error's sentence as the caller words it, e.g. the CLI naming its own options)."""
    failure: dict[str, Any] = {
        "code": exc.kind,
        "message": message or exc.message,
        "exit_code": exc.exit_code,
    }
    if isinstance(exc, DataFileError):
        failure.update(fichier=exc.path, ligne=exc.line, colonne=exc.column)
    return {
        "version": ISSUE_REPORT_VERSION,
        "valide": False,
        "erreurs": 1,
        "avertissements": 0,
        **extra,
        "problemes": [],
        "echec": failure,
    }
