"""An interrupted batch still reports every row: what is on disk, written whole by this run, is
``ecrit``; the rest ``non-traite``. Ctrl-C and SIGTERM raise ``Interrupted`` in the main thread."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from conventum.batch.files import read_manifest
from conventum.batch.run import Batch, RowResult
from conventum.issues import warnings


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


def unreported(batch: Batch, reported: set[int]) -> list[RowResult]:
    """The rows the report does not hold yet, once the workers have stopped: invalid ones as such,
    a document this run finished (in the manifest, with the hash of the file on disk) ``ecrit``,
    every other ``non-traite``."""
    done = read_manifest(batch.folder)
    results = []
    for item in batch.plan():
        if item.ligne in reported:
            continue
        if not item.ok:
            results.append(RowResult(item.ligne, "invalide", None, item.issues))
        elif done.get(item.fichier) == item.empreinte:
            results.append(RowResult(item.ligne, "ecrit", item.fichier, tuple(warnings(item.issues))))
        else:
            results.append(RowResult(item.ligne, "non-traite", None, item.issues))
    return results
