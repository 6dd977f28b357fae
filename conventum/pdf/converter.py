"""The LibreOffice adapter: DOCX to PDF through soffice processes kept alive between documents.

``Converter`` is a pool of workers (``conventum.pdf.lobridge``), each a soffice with its own
profile driven over UNO; ``docx_to_pdf`` is the one-shot function. Every failure of
LibreOffice reaches callers as a ``ConversionError``.
"""

from __future__ import annotations

import atexit
import io
import os
import queue
import shutil
import threading
import weakref
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from types import TracebackType

import pikepdf

from conventum import deadline
from conventum.errors import ConversionError, DeadlineError
from conventum.pdf.levels import PdfA
from conventum.pdf.lobridge.worker import Worker, WorkerDied
from conventum.settings import current

INSTALL_HINT = (
    "LibreOffice est introuvable : installez-le (Debian/Ubuntu : "
    "« sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-crosextra-carlito "
    "fonts-crosextra-caladea ») ou lancez « ./setup.sh »."
)
_OPEN: weakref.WeakSet[Converter] = weakref.WeakSet()


def find_soffice() -> str:
    """The soffice executable: the settings' (``$CONVENTUM_SOFFICE`` at the edge), else the PATH's."""
    candidate = current().soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if not candidate:
        raise ConversionError(INSTALL_HINT)
    return candidate


def default_workers() -> int:
    """One worker per core available to this process."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def check_pdf(pdf: bytes) -> int:
    """The page count of a PDF LibreOffice wrote; an error if it is empty or does not open. qpdf
    (pikepdf) reads its cross-reference and page tree only: a 90-page PDF is not parsed whole."""
    if not pdf:
        raise ConversionError("LibreOffice n’a produit aucun PDF (document illisible ?)")
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            pages = len(document.pages)
    except pikepdf.PdfError as exc:
        raise ConversionError(f"le PDF produit par LibreOffice est illisible : {exc}") from exc
    if pages == 0:
        raise ConversionError("le PDF produit par LibreOffice n’a aucune page")
    return pages


class Converter:
    """LibreOffice workers kept alive: ``with Converter() as c: pdf = c.convert(docx)``.

    Thread-safe: up to ``workers`` documents convert at once. A document taking longer than
    ``timeout`` seconds is abandoned and its worker killed; a worker that dies is restarted
    (and the document tried once more); a worker is restarted after ``restart_after`` documents.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = 60.0,
        restart_after: int = 200,
        startup_timeout: float = 60.0,
    ) -> None:
        self.size = workers or default_workers()
        self.timeout = timeout
        self.restart_after = restart_after
        self.startup_timeout = startup_timeout
        self._workers: list[Worker] = []
        # An error in the queue: closed or failed to start; every waiter takes it, puts it back, raises it.
        self._idle: queue.Queue[Worker | ConversionError] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._restarting: set[threading.Thread] = set()

    def __enter__(self) -> Converter:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def processes(self) -> list[int]:
        """The process group ids of the live workers (each holds a helper and its soffice)."""
        return [worker.pid for worker in self._workers if worker.alive and worker.pid is not None]

    def start(self) -> None:
        """Start every worker (in parallel); called by ``with``, or by the first conversion."""
        with self._lock:
            self._closed = False
            if not self._workers:
                self._start_workers()

    def _start_workers(self) -> None:
        soffice = find_soffice()
        self._drain()
        workers = [Worker(soffice, startup_timeout=self.startup_timeout) for _ in range(self.size)]
        self._workers = list(workers)
        _OPEN.add(self)
        try:
            with ThreadPoolExecutor(self.size) as pool:
                list(pool.map(Worker.start, workers))
            if self._closed:  # closed while starting (Ctrl-C): a worker stopped early may have started again
                for worker in workers:
                    worker.stop()
                raise ConversionError("le convertisseur est fermé")
        except BaseException as exc:
            self._stop_all()  # the next conversion tries to start again, unless closed
            self._idle.put(
                exc if isinstance(exc, ConversionError) else ConversionError("LibreOffice ne démarre pas")
            )
            raise
        for worker in self._workers:
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every soffice and remove the temporary files; safe to call twice.

        A conversion waiting for a worker, or started after, fails with a ConversionError
        (it never starts LibreOffice again); ``start`` opens the converter anew."""
        self._closed = True
        self._stop_all()
        with self._lock:
            restarting = list(self._restarting)
        for thread in restarting:  # a worker starting in the background: stopped before we return
            thread.join()
        self._idle.put(ConversionError("le convertisseur est fermé"))

    def _stop_all(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
        self._drain()
        _OPEN.discard(self)

    def _drain(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait()

    def convert(self, docx: bytes, *, pdfa: PdfA = False, timeout: float | None = None) -> bytes:
        """One DOCX to PDF bytes, checked (it opens and has pages); ConversionError otherwise."""
        worker = self._take(deadline.remaining())
        try:
            return self._convert_on(worker, docx, pdfa, timeout or self.timeout)
        finally:
            if worker.documents >= self.restart_after:
                worker.stop()
            if worker not in self._workers:  # closed meanwhile
                worker.stop()
            elif worker.alive or deadline.current() is None:
                self._idle.put(worker)  # a stopped one started again by the next document
            else:  # serving a request: restarted while this one answers, not in the next one's time
                self._restart_later(worker)

    def _restart_later(self, worker: Worker) -> None:
        thread = threading.Thread(target=self._restart, args=(worker,), daemon=True)
        with self._lock:
            self._restarting.add(thread)
        thread.start()

    def _restart(self, worker: Worker) -> None:
        """A stopped worker started again in the background, then offered to the next document (a
        failed start is tried again by that document); stopped if the converter closed meanwhile."""
        try:
            with suppress(ConversionError, OSError, ValueError):  # a start cut by close fails any way
                worker.start()
            if worker in self._workers and not self._closed:
                self._idle.put(worker)
            else:
                worker.stop()
        finally:
            with self._lock:
                self._restarting.discard(threading.current_thread())

    def _take(self, wait: float | None = None) -> Worker:
        """An idle worker (starting the pool on first use), waited for at most ``wait`` seconds
        (the deadline of the request served, if any); ConversionError once closed or past it."""
        if not self._workers:
            with self._lock:
                if not self._workers and not self._closed:
                    self._start_workers()
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise DeadlineError("délai de la demande dépassé en attendant LibreOffice") from None
        if isinstance(worker, ConversionError):
            self._idle.put(worker)  # the next waiter wakes too
            raise ConversionError(worker.message)
        return worker

    def convert_many(
        self, documents: Iterable[bytes], *, pdfa: PdfA = False
    ) -> list[bytes | ConversionError]:
        """Many DOCX at once on every worker: in the same order, a PDF or the error of that document."""

        def one(docx: bytes) -> bytes | ConversionError:
            try:
                return self.convert(docx, pdfa=pdfa)
            except ConversionError as exc:
                return exc

        with ThreadPoolExecutor(self.size) as pool:
            return list(pool.map(one, documents))

    def _convert_on(self, worker: Worker, docx: bytes, pdfa: PdfA, timeout: float) -> bytes:
        try:
            return self._attempt(worker, docx, pdfa, timeout)
        except WorkerDied:
            # The process died under this document (killed, crashed): one more try on a fresh one.
            return self._attempt(worker, docx, pdfa, timeout)

    def _attempt(self, worker: Worker, docx: bytes, pdfa: PdfA, timeout: float) -> bytes:
        if not self._workers:
            raise ConversionError("le convertisseur est fermé")
        pdf = worker.convert(docx, pdfa=pdfa, timeout=timeout)
        check_pdf(pdf)
        return pdf


def docx_to_pdf(docx: bytes, *, pdfa: PdfA = False, timeout: float = 120.0) -> bytes:
    """Convert one .docx to PDF bytes with a one-worker converter started for it."""
    with Converter(workers=1, timeout=timeout) as converter:
        return converter.convert(docx, pdfa=pdfa)


@atexit.register
def _close_open_converters() -> None:
    """No soffice outlives the Python process, even when a converter was never closed."""
    for converter in list(_OPEN):
        converter.close()
