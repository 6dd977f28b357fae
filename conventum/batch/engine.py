"""The worker processes of a DOCX batch, through the public API of concurrent.futures only, and
the rows' results kept in order whoever renders them (processes, or a PDF's threads).

A worker that dies (a signal, a crash in a library) breaks the pool: the pool is started again,
and the rows it held are rendered once more, each in a process of its own, so that the crash
costs only the row that causes it."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import queue
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from conventum.batch.tasks import CRASHED, Chunk, Renderer, RowResult, Task, failed
from conventum.model.catalogue import ConventionType
from conventum.settings import Settings, configure, current

_WORKER: list[Renderer] = []
Handle = tuple["Future[list[RowResult]]", list[Task], ProcessPoolExecutor]


def _init_worker(
    ctype: ConventionType, folder: Path, base: Path, today: date | None, settings: Settings, started: Any
) -> None:
    # Ctrl-C reaches the whole process group: the main process decides, a worker ends its chunk.
    # (SIGTERM stops a worker at once: the pool's own way to stop a broken pool's workers.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started.put(os.getpid())  # the pool does not tell its workers' ids publicly: each says it
    configure(settings)  # the batch's settings (limits, annexes folder…), given, not read again
    _WORKER.append(Renderer(ctype, folder, base, today=today, settings=settings))


def _render_chunk(tasks: list[Task]) -> list[RowResult]:
    return _WORKER[0].render_all(tasks)


class Workers:
    """A pool of renderer processes, started again when a worker dies."""

    def __init__(
        self,
        size: int,
        ctype: ConventionType,
        folder: Path,
        base: Path,
        today: date | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.size = size
        self.context = _process_context()
        self.started = self.context.Queue()  # each worker's process id, put there as it starts
        self.initargs = (ctype, folder, base, today, settings or current(), self.started)
        self.pool = self._start(size)

    def _start(self, size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(size, self.context, _init_worker, self.initargs)

    def submit(self, tasks: list[Task]) -> Handle:
        pool = self.pool
        try:
            return pool.submit(_render_chunk, tasks), tasks, pool
        except BrokenExecutor:
            self._restart(pool)
            return self.pool.submit(_render_chunk, tasks), tasks, self.pool

    def collect(self, handle: Handle) -> list[RowResult]:
        future, tasks, pool = handle
        try:
            return future.result()
        except BrokenExecutor:
            return self._again(tasks, pool)
        except Exception as exc:
            return [failed(task, f"erreur inattendue : {exc!r}") for task in tasks]

    def _again(self, tasks: list[Task], broken: ProcessPoolExecutor) -> list[RowResult]:
        """The rows of a chunk lost with a broken pool, one by one on a new pool (in parallel);
        a row that breaks that pool too is tried alone, and reported ``echec`` if it kills that."""
        self._restart(broken)
        # The dead worker may have put a document in place before dying: it is replaced.
        retried = [dataclasses.replace(task, overwrite=True) for task in tasks]
        pool = self.pool
        futures = [pool.submit(_render_chunk, [task]) for task in retried]
        results = []
        for future, task in zip(futures, retried, strict=True):
            try:
                results += future.result()
            except BrokenExecutor:
                self._restart(pool)
                results.append(self._alone(task))
        return results

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        """A new pool in place of the broken one (once: the chunks it held all fail alike)."""
        if self.pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start(self.size)

    def _alone(self, task: Task) -> RowResult:
        pool = self._start(1)
        try:
            return pool.submit(_render_chunk, [task]).result()[0]
        except BrokenExecutor:
            return failed(task, CRASHED)
        finally:
            pool.shutdown(wait=True)

    def shutdown(self) -> None:
        """Stop the pool and wait until every worker process is gone, even when the pool thinks
        them dead already (its forkserver killed by a signal sent to the whole group): what is on
        disk afterwards is final."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        deadline = time.monotonic() + 30
        for pid in self._started():
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        self.started.close()

    def _started(self) -> list[int]:
        pids = []
        while True:
            try:
                pids.append(self.started.get(timeout=0.1))
            except queue.Empty:
                return pids


ThreadHandle = tuple["Future[list[RowResult]]", list[Task]]


H = TypeVar("H", bound=tuple[Any, ...])


def in_order(
    entries: Iterator[Chunk | list[RowResult]],
    submit: Callable[[list[Task]], H],
    collect: Callable[[H], list[RowResult]],
    window: int,
) -> Iterator[RowResult]:
    """The results of the entries in row order, at most ``window`` chunks ahead of the reader."""
    pending: deque[H | list[RowResult]] = deque()
    for entry in entries:
        pending.append(submit(entry.tasks) if isinstance(entry, Chunk) else entry)
        while len(pending) > window:
            yield from _pop(pending, collect)
    while pending:
        yield from _pop(pending, collect)


def _pop(pending: deque[H | list[RowResult]], collect: Callable[[H], list[RowResult]]) -> list[RowResult]:
    head = pending.popleft()
    return head if isinstance(head, list) else collect(head)


def collect_threaded(handle: ThreadHandle) -> list[RowResult]:
    """A chunk's results; a fault that is not conventum's costs the chunk's rows, each reported."""
    future, tasks = handle
    try:
        return future.result()
    except Exception as exc:
        return [failed(task, f"erreur inattendue : {exc!r}") for task in tasks]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        finished, _status = os.waitpid(pid, os.WNOHANG)  # a child of ours: reap it
    except ChildProcessError:
        return True  # a child of the forkserver: alive as long as kill() reaches it
    return finished == 0


def _process_context() -> Any:
    """Fresh worker processes (forkserver where it exists): no lock inherited from a thread. The
    fork server imports the renderer once; each worker is forked from it, ready to render."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context
