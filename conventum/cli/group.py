"""The ``conventum`` group: conventum's errors turned into a French message and their exit code."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from conventum.cli.reporting import console_error, fail
from conventum.errors import ConventumError, ExitCode


class ConventumGroup(click.Group):
    """A group that turns conventum's errors into a French message and their own exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConventumError as exc:
            fail(exc)
        except KeyboardInterrupt:
            console_error("Interrompu.")
            sys.exit(ExitCode.INTERRUPTED)


class LazyGroup(ConventumGroup):
    """A group whose subcommands are imported when they run (or when help lists them): ``render``
    does not import what ``batch`` or ``serve`` need."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})  # command name -> the module whose COMMANDS holds it

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.lazy.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        commands: list[click.Command] = importlib.import_module(module).COMMANDS
        return next(command for command in commands if command.name == cmd_name)
