"""What one server holds while it runs: its settings, the LibreOffice pool, the batch jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import anyio.to_thread
from starlette.datastructures import UploadFile

from conventum.api import Document, render_document
from conventum.errors import ConventumError, TemplateError
from conventum.model.catalogue import ConventionType
from conventum.serve.inputs import safe_name
from conventum.serve.jobs import Jobs
from conventum.serve.pool import RenderPool
from conventum.serve.problems import HttpProblem
from conventum.serve.registers import Registers

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")


@dataclass(frozen=True)
class Settings:
    """How ``conventum serve`` runs (see ``conventum serve --help``)."""

    workers: int = 2
    queue: int = 16
    deadline: float = 60.0
    max_body: int = 20_000_000
    header_timeout: float = 10.0
    tokens: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    jobs_dir: Path = field(default_factory=lambda: Path("conventum-lots"))
    start_pool: bool = True  # False: LibreOffice starts with the first PDF
    register: str | None = None  # the register's file or URL (None: $CONVENTUM_REGISTRE, else the default)


class ServerState:
    """The pool and the jobs of one running server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = RenderPool(settings.workers, queue=settings.queue, deadline=settings.deadline)
        self.jobs = Jobs(settings.jobs_dir, self.pool.converter, self.pool.metrics)
        self.registers = Registers(settings.register)

    def start(self) -> None:
        if self.settings.start_pool:
            self.pool.start()
        self.jobs.start()

    def close(self) -> None:
        """Refuse new work, stop the batch runner after its row, then stop every soffice."""
        self.pool.closing = True
        self.jobs.stop()
        self.pool.close()
        self.registers.close()

    async def render(
        self,
        ctype: ConventionType,
        data: dict[str, Any],
        *,
        fmt: Literal["pdf", "docx"],
        pdfa: bool = False,
        strict: bool = False,
        today: date | None = None,
        base: Path,
    ) -> Document:
        """``conventum render``'s document, made behind the pool's queue (a DOCX holds no LibreOffice)."""

        def work() -> Document:
            return render_document(
                ctype,
                data,
                fmt=fmt,
                today=today,
                strict=strict,
                pdfa=pdfa,
                converter=self.pool.converter,
                base=base,
            )

        try:
            # DOCX too: CPU-bound, no more at once than there are workers (memory stays bounded)
            return await self.pool.run(fmt, work)
        except TemplateError as exc:
            self.pool.metrics.failure("modele")
            raise HttpProblem(500, "service.modele", detail=exc.message) from exc

    async def create_batch(self, type_name: str, sheet: UploadFile, commun: dict[str, Any], fmt: str) -> str:
        """A batch job from an uploaded spreadsheet; 415/422 when it is not one or cannot be read."""
        name = safe_name(sheet.filename or "tableur")
        if Path(name).suffix.lower() not in SHEET_SUFFIXES:
            raise HttpProblem(415, "tableur.format", nom=name)
        content = await sheet.read()

        def create() -> str:
            try:
                job_id, _batch = self.jobs.create(type_name, name, content, commun, fmt)
            except ConventumError as exc:
                detail = exc.message.replace(str(self.settings.jobs_dir), "…")
                raise HttpProblem(422, "tableur.illisible", detail=detail) from exc
            except (ValueError, KeyError, OSError) as exc:  # openpyxl on a file that is no workbook
                raise HttpProblem(422, "tableur.illisible", detail=f"{type(exc).__name__}") from exc
            return job_id

        return await anyio.to_thread.run_sync(create)
