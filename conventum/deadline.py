"""The deadline of the request a thread works for: its steps stop at the first check past it.

``conventum serve`` sets one per request (``within``); the library's long paths (validation,
filling, conversion, read-back, merging) call ``checkpoint`` between their steps, and the PDF
converter gives LibreOffice only the time that is left. Outside a request (the CLI, a batch)
there is no deadline and a checkpoint costs one attribute read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from conventum.errors import DeadlineError

_LOCAL = threading.local()


@contextmanager
def within(at: float | None) -> Iterator[None]:
    """The steps run in this block stop at ``at`` (``time.monotonic``); None: no deadline."""
    before = getattr(_LOCAL, "at", None)
    _LOCAL.at = at
    try:
        yield
    finally:
        _LOCAL.at = before


def current() -> float | None:
    """The deadline of the work this thread does, if any."""
    at: float | None = getattr(_LOCAL, "at", None)
    return at


def remaining() -> float | None:
    """Seconds left before the deadline (0 when past), None without one."""
    at = current()
    return None if at is None else max(0.0, at - time.monotonic())


def checkpoint(step: str) -> None:
    """Raise DeadlineError when the deadline passed before ``step`` (French, e.g. « la conversion »)."""
    at = current()
    if at is not None and time.monotonic() >= at:
        raise DeadlineError(f"délai de la demande dépassé avant {step}")
