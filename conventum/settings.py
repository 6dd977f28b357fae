"""What a deployment configures, as one value: the limits, LibreOffice's programs, the annexes
folder, the register's timeouts, the key of the task messages.

The environment is read at the edges only — the command line, the server, a worker — with
``Settings.from_environment(os.environ)``; the library never reads it. The edge sets the process's
settings once (``configure``), a block may use others (``applied``: the command's ``--annexes-dir``),
and a batch gives its settings to its worker processes as an argument. A library caller does the
same: ``conventum.configure(Settings(limits=Limits(max_text_length=200_000)))``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from conventum.limits import Limits

__all__ = ["Limits", "Settings", "applied", "configure", "current", "limits"]


@dataclass(frozen=True)
class Settings:
    """Every setting, with its default (the environment variable an edge reads it from)."""

    limits: Limits = field(default_factory=Limits)  # $CONVENTUM_MAX_<NAME>
    soffice: str | None = None  # LibreOffice's program ($CONVENTUM_SOFFICE), else soffice on the PATH
    uno_python: str | None = None  # a Python with uno ($CONVENTUM_UNO_PYTHON), else /usr/bin/python3
    annexes_dir: Path | None = None  # annex files confined to this folder (--annexes-dir)
    # PostgreSQL registers' timeouts as written ($CONVENTUM_REGISTRE_DELAI_CONNEXION, …_REQUETE),
    # checked where a register is opened: a wrong value fails that command only.
    register_connect: str = ""
    register_statement: str = ""
    task_key: str | None = field(default=None, repr=False)  # $CONVENTUM_CLE: signs the task messages

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """The settings an edge reads from its environment (``os.environ``), defaults elsewhere.

        >>> Settings.from_environment({"CONVENTUM_MAX_DEPTH": "8", "CONVENTUM_SOFFICE": ""})
        Settings(limits=Limits(...max_depth=8...), soffice=None, ...)
        """
        return cls(
            limits=Limits.from_environment(environ),
            soffice=environ.get("CONVENTUM_SOFFICE") or None,
            uno_python=environ.get("CONVENTUM_UNO_PYTHON") or None,
            register_connect=environ.get("CONVENTUM_REGISTRE_DELAI_CONNEXION", "").strip(),
            register_statement=environ.get("CONVENTUM_REGISTRE_DELAI_REQUETE", "").strip(),
            task_key=environ.get("CONVENTUM_CLE") or None,
        )


# The process's settings (the last entry: a block's, else the edge's), seen by all its threads.
_STACK: list[Settings] = [Settings()]


def current() -> Settings:
    """The settings in effect."""
    return _STACK[-1]


def limits() -> Limits:
    """The limits in effect."""
    return _STACK[-1].limits


def configure(settings: Settings) -> None:
    """The process's settings from now on (its edge: the command, the server, a worker process)."""
    _STACK[0] = settings
    del _STACK[1:]


@contextmanager
def applied(settings: Settings) -> Iterator[Settings]:
    """Other settings for the time of a block (for every thread of the process, as the edge's are)."""
    _STACK.append(settings)
    try:
        yield settings
    finally:
        # The entry this block pushed, the last one that is it (gone if ``configure`` was called within).
        for index in range(len(_STACK) - 1, 0, -1):
            if _STACK[index] is settings:
                del _STACK[index]
                break
