"""The one LibreOffice pool of the server, behind a bounded queue with a deadline per request.

At most ``workers`` documents are produced at once; up to ``queue`` more wait for a worker;
beyond, a request is refused at once (429 with ``Retry-After``) rather than left to time out.
A request is served within its deadline (``lanes``): past it, it is answered 503 at once, its work
stops at its next step and the LibreOffice job is abandoned — its worker killed and started afresh
for the next document. A worker that
dies under a document costs that document one more try on a fresh worker (``Converter``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from conventum import deadline
from conventum.errors import ConversionError, DeadlineError
from conventum.pdf.converter import Converter
from conventum.pdf.levels import PdfA
from conventum.serve.lanes import Lane, deadline_after
from conventum.serve.metrics import Metrics
from conventum.serve.problems import HttpProblem

T = TypeVar("T")


class DeadlineConverter(Converter):
    """A converter whose conversions stop at the deadline of the request the thread serves."""

    def __init__(self, workers: int, *, timeout: float) -> None:
        super().__init__(workers, timeout=timeout)
        self._seen: set[int] = set()
        self._seen_lock = threading.Lock()

    def convert(self, docx: bytes, *, pdfa: PdfA = False, timeout: float | None = None) -> bytes:
        left = deadline.remaining()
        if left is not None:
            if left <= 0:
                raise DeadlineError("délai de la demande dépassé avant la conversion")
            timeout = min(timeout or self.timeout, left)
        try:
            return super().convert(docx, pdfa=pdfa, timeout=timeout)
        finally:
            self.note_processes()

    def note_processes(self) -> None:
        with self._seen_lock:
            self._seen.update(self.processes)

    @property
    def restarts(self) -> int:
        """Workers started beyond the first ones: after a crash, a deadline, or their quota."""
        with self._seen_lock:
            return max(0, len(self._seen) - self.size)


class RenderPool(Lane):
    """Admission (bounded queue, 429 past it), deadline and metrics around one ``DeadlineConverter``."""

    full_status = 429
    full_code = "service.occupe"
    late_code = "service.delai"

    def __init__(self, workers: int, *, queue: int, deadline: float, metrics: Metrics | None = None) -> None:
        super().__init__(workers, queue=queue, deadline=deadline, name="rendu")
        self.workers = workers
        self.metrics = metrics or Metrics()
        self.converter = DeadlineConverter(workers, timeout=deadline)

    def start(self) -> None:
        self.converter.start()
        self.converter.note_processes()

    def close(self) -> None:
        self.closing = True
        self.converter.close()
        self.shutdown()

    async def run(self, fmt: str, work: Callable[[], T]) -> T:
        """``work`` in a thread once a worker is free, within the request’s deadline; else HttpProblem."""
        try:
            result, seconds = await self.call(partial(_trimmed, work))
        except HttpProblem as exc:
            if exc.status == 429:
                self.metrics.reject()
            elif exc.code == "service.delai":
                self.metrics.failure("delai")
            raise
        except ConversionError as exc:  # LibreOffice stopped at the time left: the deadline
            if time.monotonic() >= deadline_after(self.deadline) - 0.05:
                self.metrics.failure("delai")
                raise self.late() from exc
            self.metrics.failure("conversion")
            if self.closing:
                raise HttpProblem(503, "service.arret", headers={"Retry-After": "5"}) from exc
            raise HttpProblem(503, "service.conversion", detail=exc.message) from exc
        self.metrics.document(fmt, seconds)
        return result


def request_deadline() -> float | None:
    """The deadline (``time.monotonic``) of the request this thread serves, if any."""
    return deadline.current()


def _trimmed(work: Callable[[], T]) -> T:
    try:
        return work()
    finally:
        _trim()


def _load_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``: the memory a document's peak (lxml, pypdf) freed goes back to the
    system instead of staying in the heap's free lists; None elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_MALLOC_TRIM = _load_trim()


def _trim() -> None:
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
