"""The machine-readable report of a validation (see docs/reference.md, « JSON report »), as plain data:
printed by the CLI's ``--format json``, answered by the web API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conventum.errors import ConventumError, DataFileError
from conventum.issues import Issue
from conventum.settings import limits
from conventum.validation.sections import grouped, heading

ISSUE_REPORT_VERSION = 1


def issues_report_data(
    issues: Sequence[Issue],
    *,
    data: Mapping[str, Any] | None = None,
    ctype: object = None,
    **extra: Any,
) -> dict[str, Any]:
    """The report of checked data: every problem, grouped by section, with its French heading; past
    ``max_problems_reported``, the others counted in ``autres_problemes`` (and said in ``suite``)."""
    listed, others = reported(issues)
    problems = [
        {**issue.as_dict(), "section": section, "rubrique": heading(section, data=data, ctype=ctype)}
        for section, items in grouped(listed)
        for issue in items
    ]
    report = {
        "version": ISSUE_REPORT_VERSION,
        "valide": not any(issue.severity == "error" for issue in issues),
        "erreurs": sum(1 for issue in issues if issue.severity == "error"),
        "avertissements": sum(1 for issue in issues if issue.severity == "warning"),
        **extra,
        "problemes": problems,
    }
    if others:
        report |= {"autres_problemes": others, "suite": more_problems(others)}
    return report


def reported(issues: Sequence[Issue]) -> tuple[list[Issue], int]:
    """The problems a report lists (errors first, at most ``max_problems_reported``) and how many
    it leaves out."""
    bound = limits().max_problems_reported
    if len(issues) <= bound:
        return list(issues), 0
    ranked = [issue for issue in issues if issue.severity == "error"]
    ranked += [issue for issue in issues if issue.severity != "error"]
    return ranked[:bound], len(issues) - bound


def more_problems(count: int) -> str:
    """« … et 1 234 autres problèmes (non listés) »."""
    word = "autre problème" if count == 1 else "autres problèmes"
    return f"… et {count:,} {word} (non listés)".replace(",", "\u202f")


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
