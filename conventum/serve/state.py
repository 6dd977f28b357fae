"""What one server holds while it runs: its settings, the LibreOffice pool, the batch jobs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio.to_thread
from starlette.datastructures import UploadFile

from conventum.api import Document, render_document
from conventum.dossier import build_dossier
from conventum.errors import ClusterError, ConventumError, StorageFullError, TemplateError
from conventum.model.catalogue import ConventionType
from conventum.serve.inputs import safe_name
from conventum.serve.jobs import JobBackend, Jobs
from conventum.serve.lanes import Lane
from conventum.serve.pool import RenderPool, request_deadline
from conventum.serve.problems import HttpProblem
from conventum.serve.registers import Registers
from conventum.serve.settings import Settings

if TYPE_CHECKING:
    from conventum.cluster.remote import RemoteDocuments

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
T = TypeVar("T")
Data = dict[str, Any] | Callable[[], dict[str, Any]]  # the data, or how to read it (in the pool)


def values(data: Data) -> dict[str, Any]:
    return data() if callable(data) else data


def cluster_problem(exc: ClusterError) -> HttpProblem:
    """The queue or the shared storage failing, as the client reads it: 507 when the storage has no
    room left (retrying will not help until room is made), else 503 with ``Retry-After``."""
    if isinstance(exc, StorageFullError):
        return HttpProblem(507, "service.stockage_plein", detail=exc.message)
    return HttpProblem(503, "service.file", detail=exc.message, headers={"Retry-After": "10"})


class ServerState:
    """The pool and the jobs of one running server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = RenderPool(settings.workers, queue=settings.queue, deadline=settings.deadline)
        # bodies parsed, data validated, reports and pages built: off the event loop, admitted too
        self.lane = Lane(settings.workers, queue=settings.queue, deadline=settings.deadline, name="verif")
        self.jobs: JobBackend = self._jobs(settings)
        self.registers = Registers(settings.register)

    def _jobs(self, settings: Settings) -> JobBackend:
        """The in-process runner on a folder, or, distributed, the shared storage and the queue."""
        if settings.broker and settings.storage:
            from conventum.cluster.config import ClusterConfig  # noqa: PLC0415 - the cluster extra
            from conventum.cluster.jobs import ClusterJobs  # noqa: PLC0415 - the cluster extra

            config = ClusterConfig(
                broker=settings.broker, storage=settings.storage, deadline=settings.deadline
            )
            return ClusterJobs(config)
        return Jobs(settings.jobs_dir, self.pool.converter, self.pool.metrics)

    def start(self) -> None:
        if self.settings.start_pool:
            self.pool.start()
        self.jobs.start()

    def close(self) -> None:
        """Refuse new work, stop the batch runner after its row, then stop every soffice."""
        self.pool.closing = True
        self.jobs.stop()
        self.pool.close()
        self.lane.shutdown()
        self.registers.close()

    async def off_loop(self, work: Callable[[], T]) -> T:
        """``work`` (CPU-bound, not a document) in the lane's threads within the request's deadline;
        503 with ``Retry-After`` when the lane is full."""
        result, _seconds = await self.lane.call(work)
        return result

    async def render(
        self,
        ctype: ConventionType,
        data: Data,
        *,
        fmt: Literal["pdf", "docx"],
        pdfa: bool = False,
        strict: bool = False,
        today: date | None = None,
        base: Path,
    ) -> Document:
        """``conventum render``'s document, made behind the pool's queue (a DOCX holds no LibreOffice);
        data given as a function is read (a body parsed) in the pool, within the same admission."""

        remote = self.remote()
        if remote is not None and not any(base.iterdir()):  # files sent with it: made here

            def remote_work() -> Document:
                options = {"format": fmt, "pdfa": pdfa, "strict": strict, "today": today}
                made = remote.make("rendu", ctype, values(data), options=options, deadline=self._deadline())
                return Document(ctype.name, fmt, made.content, made.issues)

            return await self._run(fmt, remote_work)

        def work() -> Document:
            return render_document(
                ctype,
                values(data),
                fmt=fmt,
                today=today,
                strict=strict,
                pdfa=pdfa,
                converter=self.pool.converter,
                base=base,
            )

        # DOCX too: CPU-bound, no more at once than there are workers (memory stays bounded)
        return await self._run(fmt, work)

    async def _run(self, fmt: str, work: Callable[[], T]) -> T:
        try:
            return await self.pool.run(fmt, work)
        except ClusterError as exc:
            self.pool.metrics.failure("file")
            raise cluster_problem(exc) from exc
        except TemplateError as exc:
            self.pool.metrics.failure("modele")
            raise HttpProblem(500, "service.modele", detail=exc.message) from exc

    def remote(self) -> RemoteDocuments | None:
        """Distributed: documents are made by the workers of the queue."""
        if not isinstance(self.jobs, Jobs):
            from conventum.cluster.remote import RemoteDocuments  # noqa: PLC0415 - the cluster extra

            return RemoteDocuments(self.jobs)
        return None

    def _deadline(self) -> float:
        return request_deadline() or time.monotonic() + self.settings.deadline

    def dossier_work(self, data: Data, *, today: date | None, strict: bool) -> Callable[[], bytes]:
        """What ``/v1/dossiers`` runs in the pool: the dossier made here, or by a worker."""
        remote = self.remote()
        if remote is not None:
            options = {"strict": strict, "today": today}
            return lambda: (
                remote.make("dossier", None, values(data), options=options, deadline=self._deadline()).content
            )
        converter = self.pool.converter
        return lambda: build_dossier(values(data), today=today, strict=strict, converter=converter).pdf

    async def run_dossier(self, work: Callable[[], bytes]) -> bytes:
        """The dossier behind the pool's queue; 503 when the queue is unreachable."""
        try:
            return await self.pool.run("dossier", work)
        except ClusterError as exc:
            raise cluster_problem(exc) from exc

    async def create_batch(self, type_name: str, sheet: UploadFile, commun: dict[str, Any], fmt: str) -> str:
        """A batch job from an uploaded spreadsheet; 415/422 when it is not one or cannot be read."""
        content = await sheet.read()
        name = sheet_name(safe_name(sheet.filename or "tableur"), content)

        def create() -> str:
            try:
                job_id, _batch = self.jobs.create(type_name, name, content, commun, fmt)
            except ClusterError as exc:
                raise cluster_problem(exc) from exc
            except ConventumError as exc:
                detail = exc.message.replace(str(self.settings.jobs_dir), "…")
                raise HttpProblem(422, "tableur.illisible", detail=detail) from exc
            except (ValueError, KeyError, OSError) as exc:  # openpyxl on a file that is no workbook
                raise HttpProblem(422, "tableur.illisible", detail=f"{type(exc).__name__}") from exc
            return job_id

        return await anyio.to_thread.run_sync(create)


def sheet_name(name: str, content: bytes) -> str:
    """The spreadsheet's name with its kind: its own suffix, or, for a file sent without one (a
    client names the part after its field), ``.xlsx`` for a zip, ``.csv`` for UTF-8 text; 415 else."""
    if Path(name).suffix.lower() in SHEET_SUFFIXES:
        return name
    if not Path(name).suffix:
        if content.startswith(b"PK\x03\x04"):
            return f"{name}.xlsx"
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return f"{name}.csv"
    raise HttpProblem(415, "tableur.format", nom=name)
