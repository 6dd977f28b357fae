"""Work a request does off the event loop: bounded, admitted or refused at once, within its deadline.

Every request has one deadline, counted from its arrival (``RequestClock`` stamps it): the wait for
a place, the parsing of its body, validation, filling, conversion and read-back all fall within it.
A lane runs the work in its own threads, at most ``size`` at once with up to ``queue`` more
waiting; beyond, the request is refused at once with ``Retry-After``. At the deadline the request
is answered 503 at once; the thread stops at its next step (``conventum.deadline.checkpoint``,
LibreOffice given only the time left) and only then frees its place, so a lane never runs more
than ``size`` works, answered or not.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from starlette.types import ASGIApp, Receive, Scope, Send

from conventum import deadline as request_deadline
from conventum.errors import DeadlineError
from conventum.serve.problems import HttpProblem

T = TypeVar("T")
ARRIVAL: contextvars.ContextVar[float | None] = contextvars.ContextVar("conventum_arrival", default=None)


class RequestClock:
    """Stamps each request's arrival: its deadline counts from there, whatever it waits for."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            ARRIVAL.set(time.monotonic())
        await self.app(scope, receive, send)


def deadline_after(seconds: float) -> float:
    """The deadline (``time.monotonic``) of the request being served: ``seconds`` after it arrived."""
    return (ARRIVAL.get() or time.monotonic()) + seconds


class Lane:
    """``size`` threads, ``queue`` places to wait, one deadline per request (``deadline`` seconds)."""

    full_status = 503
    full_code = "service.sature"
    late_code = "service.delai_demande"

    def __init__(self, size: int, *, queue: int, deadline: float, name: str) -> None:
        self.size = size
        self.queue = queue
        self.deadline = deadline
        self.admitted = 0  # running and waiting (a work answered at its deadline counts until it stops)
        self.running = 0
        self.closing = False
        self._average = 1.0  # seconds per work, smoothed
        self._slots: asyncio.Semaphore | None = None
        # The same threads for every work (lxml keeps a dictionary per thread: new threads, new ones)
        self._threads = ThreadPoolExecutor(size, thread_name_prefix=f"conventum-{name}")

    @property
    def waiting(self) -> int:
        return max(0, self.admitted - self.running)

    def retry_after(self) -> int:
        """Seconds until a place frees up, estimated from the recent time per work."""
        return max(1, math.ceil(self._average * (self.waiting + 1) / self.size))

    def shutdown(self) -> None:
        self.closing = True
        self._threads.shutdown(wait=True, cancel_futures=True)

    def refuse_full(self) -> HttpProblem:
        seconds = self.retry_after()
        headers = {"Retry-After": str(seconds)}
        return HttpProblem(
            self.full_status, self.full_code, headers=headers, attente=self.waiting, secondes=seconds
        )

    def late(self) -> HttpProblem:
        return HttpProblem(503, self.late_code, headers={"Retry-After": "5"}, delai=f"{self.deadline:g}")

    async def call(self, work: Callable[[], T]) -> tuple[T, float]:
        """``work``'s result and its seconds, or HttpProblem: closing, full, past the deadline."""
        if self.closing:
            raise HttpProblem(503, "service.arret", headers={"Retry-After": "5"})
        if self.admitted >= self.size + self.queue:
            raise self.refuse_full()
        at = deadline_after(self.deadline)
        self.admitted += 1
        try:
            await self._acquire(at)
        except BaseException:
            self.admitted -= 1
            raise
        self.running += 1
        started = time.monotonic()
        future = asyncio.get_running_loop().run_in_executor(self._threads, partial(_within, at, work))
        future.add_done_callback(self._freed)  # the place is freed when the thread stops, not before
        done, _ = await asyncio.wait({future}, timeout=max(0.0, at - time.monotonic()))
        if not done:
            raise self.late()
        try:
            result = future.result()
        except DeadlineError:
            raise self.late() from None
        seconds = time.monotonic() - started
        self._average = 0.8 * self._average + 0.2 * seconds
        return result, seconds

    async def _acquire(self, at: float) -> None:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=max(0.0, at - time.monotonic()))
        except TimeoutError:
            raise self.late() from None

    def _freed(self, future: asyncio.Future[Any]) -> None:
        if not future.cancelled():
            future.exception()  # retrieved: a work answered at its deadline logs nothing more
        self.running -= 1
        self.admitted -= 1
        assert self._slots is not None
        self._slots.release()


def _within(at: float, work: Callable[[], T]) -> T:
    with request_deadline.within(at):
        return work()
