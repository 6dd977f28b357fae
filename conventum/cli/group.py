"""The ``conventum`` group: conventum's errors turned into a French message and their exit code."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from conventum.errors import ConventumError, ExitCode, UsageError


class ConventumGroup(click.Group):
    """A group that turns conventum's errors into a French message and their own exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["conventum.argv"] = list(args)  # to answer a usage error in JSON when asked
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        # The reporting (rich, the validator's reports) is imported when a command fails: ``--help``
        # and a command's start-up do without.
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            from conventum.cli.reporting import failure_report  # noqa: PLC0415 - on failure only

            if not _wants_json(ctx.meta.get("conventum.argv", [])):
                raise
            report = failure_report(UsageError(exc.format_message()), type=None, strict=False)
            click.echo(report)
            sys.exit(ExitCode.USAGE)
        except ConventumError as exc:
            from conventum.cli.reporting import fail  # noqa: PLC0415 - on failure only

            fail(exc)
        except KeyboardInterrupt:
            from conventum.cli.reporting import console_error  # noqa: PLC0415 - on failure only

            console_error("Interrompu.")
            sys.exit(ExitCode.INTERRUPTED)


def _wants_json(argv: list[str]) -> bool:
    """``--format json`` (or ``--format=json``) among the arguments."""
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in pairs)


class LazyGroup(ConventumGroup):
    """A group whose subcommands are imported when they run (or when help lists them): ``render``
    does not import what ``batch`` or ``serve`` need."""

    def __init__(
        self,
        *args: Any,
        lazy: dict[str, str] | None = None,
        summaries: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})  # command name -> the module whose COMMANDS holds it
        # Command name -> the first paragraph of its help: ``--help`` lists them without importing
        # every command's module (tests/test_startup.py checks they say what the commands say).
        self.summaries = dict(summaries or {})
        self._listing = False

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = set(self.lazy) <= set(self.summaries)
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.lazy.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return click.Command(cmd_name, help=self.summaries[cmd_name])
        commands: list[click.Command] = importlib.import_module(module).COMMANDS
        return next(command for command in commands if command.name == cmd_name)
