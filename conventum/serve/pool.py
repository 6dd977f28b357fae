"""The one LibreOffice pool of the server, behind a bounded queue with a deadline per request.

At most ``workers`` documents are produced at once; up to ``queue`` more wait for a worker;
beyond, a request is refused at once (429 with ``Retry-After``) rather than left to time out.
A request waits and converts within its deadline: past it, it fails (503) and the LibreOffice
job is abandoned — its worker killed and started afresh for the next document. A worker that
dies under a document costs that document one more try on a fresh worker (``Converter``).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from conventum.errors import ConversionError
from conventum.pdf.converter import Converter
from conventum.pdf.levels import PdfA
from conventum.serve.metrics import Metrics
from conventum.serve.problems import HttpProblem

T = TypeVar("T")
_DEADLINE = threading.local()


class DeadlineConverter(Converter):
    """A converter whose conversions stop at the deadline of the request the thread serves."""

    def __init__(self, workers: int, *, timeout: float) -> None:
        super().__init__(workers, timeout=timeout)
        self._seen: set[int] = set()
        self._seen_lock = threading.Lock()

    def convert(self, docx: bytes, *, pdfa: PdfA = False, timeout: float | None = None) -> bytes:
        deadline: float | None = getattr(_DEADLINE, "at", None)
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConversionError("délai de la demande dépassé avant la conversion")
            timeout = min(timeout or self.timeout, remaining)
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


class RenderPool:
    """Admission (bounded queue), deadline and metrics around one ``DeadlineConverter``."""

    def __init__(self, workers: int, *, queue: int, deadline: float, metrics: Metrics | None = None) -> None:
        self.workers = workers
        self.queue = queue
        self.deadline = deadline
        self.metrics = metrics or Metrics()
        self.converter = DeadlineConverter(workers, timeout=deadline)
        self.admitted = 0  # running and waiting
        self.running = 0
        self.closing = False
        self._average = 1.0  # seconds per document, smoothed
        self._slots: asyncio.Semaphore | None = None
        # The same threads for every document (lxml keeps a dictionary per thread: new threads, new ones)
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="conventum-rendu")

    def start(self) -> None:
        self.converter.start()
        self.converter.note_processes()

    def close(self) -> None:
        self.closing = True
        self.converter.close()
        self._threads.shutdown(wait=True, cancel_futures=True)

    @property
    def waiting(self) -> int:
        return max(0, self.admitted - self.running)

    def retry_after(self) -> int:
        """Seconds until a place frees up, estimated from the recent time per document."""
        return max(1, math.ceil(self._average * (self.waiting + 1) / self.workers))

    async def run(self, fmt: str, work: Callable[[], T]) -> T:
        """``work`` in a thread once a worker is free, within the deadline; HttpProblem otherwise."""
        if self.closing:
            raise HttpProblem(503, "service.arret", headers={"Retry-After": "5"})
        if self.admitted >= self.workers + self.queue:
            self.metrics.reject()
            seconds = self.retry_after()
            raise HttpProblem(
                429,
                "service.occupe",
                headers={"Retry-After": str(seconds)},
                attente=self.waiting,
                secondes=seconds,
            )
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        deadline = time.monotonic() + self.deadline
        self.admitted += 1
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), timeout=self.deadline)
            except TimeoutError:
                self.metrics.failure("delai")
                raise HttpProblem(503, "service.delai", delai=f"{self.deadline:g}") from None
            self.running += 1
            try:
                return await self._timed(fmt, deadline, work)
            finally:
                self.running -= 1
                self._slots.release()
        finally:
            self.admitted -= 1

    async def _timed(self, fmt: str, deadline: float, work: Callable[[], T]) -> T:
        started = time.monotonic()
        try:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._threads, partial(_within, deadline, work))
        except ConversionError as exc:
            if time.monotonic() >= deadline - 0.05:
                self.metrics.failure("delai")
                raise HttpProblem(503, "service.delai", delai=f"{self.deadline:g}") from exc
            self.metrics.failure("conversion")
            if self.closing:
                raise HttpProblem(503, "service.arret", headers={"Retry-After": "5"}) from exc
            raise HttpProblem(503, "service.conversion", detail=exc.message) from exc
        seconds = time.monotonic() - started
        self._average = 0.8 * self._average + 0.2 * seconds
        self.metrics.document(fmt, seconds)
        return result


def request_deadline() -> float | None:
    """The deadline (``time.monotonic``) of the request this thread serves, if any."""
    at: float | None = getattr(_DEADLINE, "at", None)
    return at


def _within(deadline: float, work: Callable[[], T]) -> T:
    _DEADLINE.at = deadline
    try:
        return work()
    finally:
        _DEADLINE.at = None
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
