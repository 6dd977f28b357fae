"""The three ways a batch's rows are rendered, each yielding the results in row order: one after the
other in the batch's process, across worker processes (DOCX), or by threads sharing one converter
(PDF)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from conventum.batch.engine import ThreadHandle, Workers, collect_threaded, in_order
from conventum.batch.tasks import Chunk, Renderer, RowResult, Task
from conventum.model.catalogue import ConventionType
from conventum.pdf.converter import Converter
from conventum.rendering.prepared import prepared_template
from conventum.settings import Settings

Entries = Iterator[Chunk | list[RowResult]]


def sequential(entries: Entries, make_renderer: Callable[[], Renderer]) -> Iterator[RowResult]:
    """In this process; the renderer (its template prepared) made for the first row to render."""
    renderer: Renderer | None = None
    try:
        for entry in entries:
            if isinstance(entry, list):
                yield from entry
                continue
            renderer = renderer or make_renderer()
            for task in entry.tasks:
                yield renderer.render(task)
    finally:
        if renderer is not None:
            renderer.manifest.close()


def parallel(
    entries: Entries,
    jobs: int,
    ctype: ConventionType,
    folder: Path,
    base: Path,
    today: date | None,
    settings: Settings,
) -> Iterator[RowResult]:
    """Across ``jobs`` worker processes, each validating, filling and writing its rows with the
    batch's settings (given to each as an argument)."""
    prepared_template(ctype.template_path)  # a broken template fails here, not in each worker
    workers = Workers(jobs, ctype, folder, base, today, settings)
    try:
        yield from in_order(entries, workers.submit, workers.collect, jobs * 4)
    finally:
        workers.shutdown()


def converted(entries: Entries, renderer: Renderer, converter: Converter, owned: bool) -> Iterator[RowResult]:
    """PDF: threads render, convert through the one converter and finish, a row each. A converter
    the batch started (``owned``) is closed at its end."""
    pool = ThreadPoolExecutor(converter.size + 1)  # one more: a row is rendered while others convert

    def submit(tasks: list[Task]) -> ThreadHandle:
        return pool.submit(renderer.render_all, tasks), tasks

    try:
        yield from in_order(entries, submit, collect_threaded, converter.size * 2)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        if owned:
            converter.close()  # before waiting: a row being converted fails at once
        pool.shutdown(wait=True)
        renderer.manifest.close()
