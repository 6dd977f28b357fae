"""Batch jobs of the server: one folder each (spreadsheet, common data, documents, state),
run one at a time by a background thread, taken up again after a restart."""

from __future__ import annotations

import json
import logging
import queue
import re
import secrets
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from conventum.batch.jobstate import document_name, kept_state
from conventum.batch.report import REPORT_JSON
from conventum.batch.run import Batch, BatchOptions, RowResult
from conventum.errors import ConventumError
from conventum.output import write_atomic
from conventum.pdf.converter import Converter
from conventum.serve.metrics import Metrics

STATE = "lot.json"
ZIP = "documents.zip"
JOB_ID = re.compile(r"^[0-9a-f]{32}$")
JobState = Literal["en_attente", "en_cours", "termine", "echec"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobFiles:
    """Where one job keeps its things."""

    folder: Path

    @property
    def state(self) -> Path:
        return self.folder / STATE

    @property
    def documents(self) -> Path:
        return self.folder / "documents"

    @property
    def zip(self) -> Path:
        return self.folder / ZIP

    @property
    def commun(self) -> Path:
        return self.folder / "commun.json"

    def sheet(self) -> Path:
        return next(self.folder.glob("tableur.*"))


class JobBackend(Protocol):
    """What the API asks of batch jobs: here (``Jobs``) or on a queue (``cluster.jobs.ClusterJobs``)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def create(
        self, type_name: str, sheet_name: str, sheet: bytes, commun: dict[str, Any], fmt: str
    ) -> tuple[str, Batch]: ...

    def state(self, job_id: str) -> dict[str, Any] | None: ...

    def report(self, job_id: str) -> dict[str, Any] | None: ...

    def download(self, job_id: str) -> str | Path | None: ...

    def files(self, job_id: str) -> JobFiles | None: ...

    def document(self, job_id: str, name: str) -> str | Path | None: ...


class Jobs:
    """The job folders under ``root`` and the thread that runs them in order of arrival."""

    def __init__(self, root: Path, converter: Converter, metrics: Metrics | None = None) -> None:
        self.metrics = metrics  # documents of a batch are counted as those of /render
        self.root = root
        self.converter = converter
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start the runner; jobs left waiting or running by a previous server start again (resumed)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._set_aside_unreadable()
        unfinished = [
            (state.get("cree", ""), state["id"])
            for state in (self.state(path.name) for path in self.root.iterdir() if JOB_ID.match(path.name))
            if state is not None and state["statut"] in ("en_attente", "en_cours")
        ]
        for _created, job_id in sorted(unfinished):
            self._queue.put(job_id)
        self._thread = threading.Thread(target=self._run_all, name="conventum-lots", daemon=True)
        self._thread.start()

    def _set_aside_unreadable(self) -> None:
        """A job whose state cannot be read (cut short by a crash, edited by hand) is renamed
        ``ID.illisible`` with a warning: the server starts, the other jobs run, nothing is deleted."""
        for folder in sorted(self.root.iterdir()):
            if JOB_ID.match(folder.name) and (folder / STATE).is_file() and self._read(folder) is None:
                aside = folder.with_name(f"{folder.name}.illisible")
                log.warning("lot %s : état illisible (%s), mis de côté dans %s", folder.name, STATE, aside)
                folder.rename(aside)

    @staticmethod
    def _read(folder: Path) -> dict[str, Any] | None:
        try:
            state = json.loads((folder / STATE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict):
            return None
        return kept_state(folder.name, state)

    def stop(self) -> None:
        """Stop after the current row: the job is left ``en_cours``, resumed at the next start."""
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def files(self, job_id: str) -> JobFiles | None:
        if not JOB_ID.match(job_id) or not (self.root / job_id / STATE).is_file():
            return None
        return JobFiles(self.root / job_id)

    def download(self, job_id: str) -> str | Path | None:
        """The finished job's zip."""
        files = self.files(job_id)
        return files.zip if files is not None and files.zip.is_file() else None

    def document(self, job_id: str, name: str) -> str | Path | None:
        """One document of the job, by the name its report gives it (None when there is none)."""
        files = self.files(job_id)
        path = files.documents / name if files is not None and document_name(name) else None
        return path if path is not None and path.is_file() else None

    def state(self, job_id: str) -> dict[str, Any] | None:
        files = self.files(job_id)
        if files is None:
            return None
        return self._read(files.folder)

    def report(self, job_id: str) -> dict[str, Any] | None:
        files = self.files(job_id)
        path = files.documents / REPORT_JSON if files else None
        if path is None or not path.is_file():
            return None
        try:
            report = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            log.warning("lot %s : rapport illisible (%s)", job_id, path)
            return None
        return report if isinstance(report, dict) else None

    def create(
        self, type_name: str, sheet_name: str, sheet: bytes, commun: dict[str, Any], fmt: str
    ) -> tuple[str, Batch]:
        """A new job folder holding the upload; its batch opened (the sheet read) before it is queued.

        A sheet that cannot be read raises its ConventumError and leaves nothing behind."""
        job_id = secrets.token_hex(16)
        files = JobFiles(self.root / job_id)
        files.documents.mkdir(parents=True)
        try:
            suffix = Path(sheet_name).suffix.lower()
            (files.folder / f"tableur{suffix}").write_bytes(sheet)
            files.commun.write_text(json.dumps(commun, ensure_ascii=False, default=str), "utf-8")
            batch = self._batch(type_name, files, fmt)
            self._write_state(
                files,
                {
                    "id": job_id,
                    "type": type_name,
                    "format": fmt,
                    "tableur": sheet_name,
                    "statut": "en_attente",
                    "cree": datetime.now(UTC).isoformat(timespec="seconds"),
                    "lignes": None,
                    "faites": 0,
                    "bilan": {},
                    "erreur": None,
                },
            )
        except BaseException:
            shutil.rmtree(files.folder, ignore_errors=True)
            raise
        self._queue.put(job_id)
        return job_id, batch

    def _batch(self, type_name: str, files: JobFiles, fmt: str) -> Batch:
        commun = json.loads(files.commun.read_text("utf-8"))
        options = BatchOptions(fmt="pdf" if fmt == "pdf" else "docx", resume=True, jobs=1)
        converter = self.converter if fmt == "pdf" else None
        return Batch(
            type_name, files.sheet(), files.documents, commun=commun, options=options, converter=converter
        )

    def _write_state(self, files: JobFiles, state: dict[str, Any]) -> None:
        data = json.dumps(state, ensure_ascii=False, indent=2).encode()
        write_atomic(files.state, data, force=True, sync=True)  # a crash leaves the old or the new

    def _run_all(self) -> None:
        while not self._stopping.is_set():
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                self._run(job_id)
            except Exception:  # a bug in one job must not stop the others
                log.exception("lot %s", job_id)

    def _count(self, status: str, fmt: str, started: float) -> float:
        """The metrics of one row: a document made (its time since the previous row), or a failure."""
        now = time.monotonic()
        if self.metrics is not None:
            if status == "ecrit":
                self.metrics.document(fmt, now - started)
            elif status in ("invalide", "echec", "erreur"):
                self.metrics.failure("lot_" + status)
        return now

    def _run(self, job_id: str) -> None:
        files = self.files(job_id)
        state = self.state(job_id)
        if files is None or state is None:
            return
        state.update(statut="en_cours", erreur=None)
        self._write_state(files, state)
        try:
            batch = self._batch(state["type"], files, state["format"])
            state["lignes"] = batch.row_count()
            started = time.monotonic()

            def progress(result: RowResult, counts: Mapping[str, int]) -> bool:
                nonlocal started
                started = self._count(result.statut, state["format"], started)
                state.update(faites=sum(counts.values()), bilan=dict(sorted(counts.items())))
                self._write_state(files, state)
                return not self._stopping.is_set()

            summary = batch.run(on_result=progress, zip_path=files.zip, force=True)
            if summary.stopped:
                return  # left « en_cours »: resumed at the next start
            state.update(statut="termine", bilan=summary.counts)
        except ConventumError as exc:
            state.update(statut="echec", erreur=exc.message)
        self._write_state(files, state)
