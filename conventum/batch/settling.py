"""An interrupted batch still reports every row: what is on disk, written whole by this run, is
``ecrit``; the rest ``non-traite``. Ctrl-C and SIGTERM raise ``Interrupted`` in the main thread."""

from __future__ import annotations

import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from conventum.batch.files import read_manifest
from conventum.batch.tasks import RowResult


class Interrupted(KeyboardInterrupt):
    """The batch was asked to stop (Ctrl-C, SIGTERM)."""


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM (a service stopping, ``kill``) handled as Ctrl-C is, for the time of a batch."""

    def stop(_signal: int, _frame: FrameType | None) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Ctrl-C and SIGTERM ignored while the report is completed (a second Ctrl-C must not cut it)."""
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def unreported(folder: Path, outline: Sequence[tuple[int, str, str]], reported: set[int]) -> list[RowResult]:
    """The rows the report does not hold yet, once the workers have stopped: a document this run
    finished (in the manifest, with the hash of the file on disk) ``ecrit``, every other
    ``non-traite`` (rows are validated as they are reached: those not reached were not checked)."""
    done = read_manifest(folder)
    results = []
    for ligne, fichier, empreinte in outline:
        if ligne in reported:
            continue
        if done.get(fichier) == empreinte:
            results.append(RowResult(ligne, "ecrit", fichier))
        else:
            results.append(RowResult(ligne, "non-traite"))
    return results
