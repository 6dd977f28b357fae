"""How the command shows results and errors to a clerk (Rich), or as JSON to a program."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console

from conventum.errors import ConventumError, OutputError, ValidationFailed
from conventum.french.datetext import DateTextError, read_date
from conventum.issues import Issue
from conventum.pdf.inspection import confined_annexes
from conventum.validation.report import failure_report_data, issues_report_data, more_problems, reported
from conventum.validation.sections import field_title, grouped, heading


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def console_error(message: str) -> None:
    stderr_console().print(f"[bold red]Erreur :[/] {message}", markup=True)


def cli_message(exc: ConventumError) -> str:
    """The library's sentence, with the command's own flag where the library names its argument."""
    if isinstance(exc, OutputError) and exc.remedies:
        flags = " ou ".join(f"--{arg} pour {why}" for arg, why in exc.remedies.items())
        return f"{exc.base} : ajoutez {flags}"
    return exc.message


def fail(exc: ConventumError) -> NoReturn:
    """Print an error as a clerk reads it and exit with its code."""
    if isinstance(exc, ValidationFailed):
        print_issues(exc.issues, stderr_console(), data=exc.data, ctype=exc.ctype)
        console_error(exc.message)
    else:
        console_error(_escape(cli_message(exc)))
    sys.exit(exc.exit_code)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def print_issues(
    issues: Sequence[Issue],
    console: Console,
    *,
    data: Mapping[str, Any] | None = None,
    ctype: object = None,
) -> None:
    """Issues grouped by party or section, errors in red and warnings in yellow (at most
    ``max_problems_reported``, errors first; the others counted on a last line)."""
    listed, others = reported(issues)
    for section, items in grouped(listed):
        console.print(f"[bold]{_escape(heading(section, data=data, ctype=ctype))}[/]")
        for issue in items:
            colour, word = ("red", "erreur") if issue.severity == "error" else ("yellow", "avertissement")
            where = _where(issue.path, ctype)
            line = f"{_escape(where)} : {_escape(issue.message)} [dim]({issue.code})[/]"
            console.print(f"  [{colour}]{word}[/] {line}")
    if others:
        console.print(f"[bold]{more_problems(others)}[/]")


def _where(path: str, ctype: object) -> str:
    """The field as the clerk reads it, then its path in the data file: "Adresse › Code postal
    (parties[0].adresse.code_postal)"."""
    title = field_title(path, ctype)
    return f"{title} ({path})" if title and title != path else path


def issues_report(
    issues: Sequence[Issue],
    *,
    data: Mapping[str, Any] | None = None,
    ctype: object = None,
    **extra: Any,
) -> str:
    """The machine-readable report (see docs/reference.md, « Validation »)."""
    return json.dumps(
        issues_report_data(issues, data=data, ctype=ctype, **extra), ensure_ascii=False, indent=2
    )


def failure_report(exc: ConventumError, **extra: Any) -> str:
    """The machine-readable report of data that could not be checked at all (see docs/reference.md)."""
    return json.dumps(
        failure_report_data(exc, message=cli_message(exc), **extra), ensure_ascii=False, indent=2
    )


@contextlib.contextmanager
def json_failures(wanted: bool) -> Iterator[None]:
    """With ``--format json``, a failure is its JSON report on stdout (the problems of
    ``validate --format json``, or why nothing could be done), then its exit code."""
    try:
        yield
    except ConventumError as exc:
        if not wanted:
            raise
        if isinstance(exc, ValidationFailed):
            click.echo(issues_report(exc.issues, data=exc.data, ctype=exc.ctype))
        else:
            click.echo(failure_report(exc))
        sys.exit(exc.exit_code)


TODAY_HELP = "Date du jour à retenir pour les contrôles (AAAA-MM-JJ ou JJ/MM/AAAA), par défaut aujourd’hui."


def parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return read_date(value)
    except DateTextError as exc:
        raise click.BadParameter(exc.reason) from exc


def annexes_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--annexes-dir DOSSIER``: annex paths relative to that folder, and confined to it."""

    @click.option(
        "--annexes-dir",
        "annexes_dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Dossier des fichiers d’annexe : les chemins partent de lui et ne peuvent en sortir.",
    )
    @functools.wraps(command)
    def confined(*args: Any, annexes_dir: Path | None = None, **kwargs: Any) -> Any:
        with confined_annexes(annexes_dir):
            return command(*args, **kwargs)

    return confined
