"""Batch rendering: one convention per spreadsheet row, every row validated first, rendered in parallel."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from conventum.batch.columns import column_letter
from conventum.batch.files import (
    Manifest,
    NameBook,
    file_digest,
    format_pattern,
    input_hash,
    looks_whole,
    read_manifest,
    remove_leftovers,
)
from conventum.batch.sheetmodel import imply_roles
from conventum.batch.spreadsheet import map_headers, merge_data, open_sheet, row_data
from conventum.context.build import build_context
from conventum.errors import ConventumError, ExitCode, OutputError, UsageError
from conventum.issues import Issue, warnings
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, load_type
from conventum.output import write_atomic
from conventum.pdf.convention import convention_pdf
from conventum.pdf.converter import Converter, default_workers
from conventum.rendering.prepared import prepared_template
from conventum.validation.validation import ValidationResult, validate

Status = Literal["ecrit", "repris", "invalide", "echec", "non-traite"]
RowSource = str | Path | Sequence[Mapping[str, Any]]
CHUNK = {"docx": 8, "pdf": 1}


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs: output format, names, parallelism and what to do with existing files."""

    fmt: Literal["docx", "pdf"] = "docx"
    pattern: str | None = None
    jobs: int = 0
    force: bool = False
    resume: bool = False
    stop_on_error: bool = False
    today: date | None = None


@dataclass(frozen=True)
class RowResult:
    """What became of one row: its status, its file, its problems."""

    ligne: int
    statut: Status
    fichier: str | None = None
    issues: tuple[Issue, ...] = ()
    erreur: str | None = None
    exit_code: int = 0


@dataclass(frozen=True)
class _Planned:
    ligne: int
    fichier: str
    empreinte: str
    issues: tuple[Issue, ...]
    ok: bool


@dataclass(frozen=True)
class _Task:
    """One row to render: its context, built once from its validation (and, for a PDF rendered in
    this process, its typed convention, which the finishing reads)."""

    ligne: int
    context: dict[str, Any]
    fichier: str
    empreinte: str
    overwrite: bool
    issues: tuple[Issue, ...] = ()
    convention: Convention | None = None


@dataclass
class _Chunk:
    tasks: list[_Task] = field(default_factory=list)


class _Renderer:
    """What a worker keeps between rows: the type and its template, prepared once.

    With a converter (PDF), it is shared by the threads of the batch's process, each row
    finished as ``conventum render`` finishes it."""

    def __init__(
        self,
        ctype: ConventionType,
        folder: Path,
        options: BatchOptions,
        base: Path,
        converter: Converter | None = None,
    ) -> None:
        self.ctype = ctype
        self.folder = folder
        self.options = options
        self.base = base
        self.converter = converter
        self.template = prepared_template(ctype.template_path)
        self.manifest = Manifest(folder)

    def render_all(self, tasks: list[_Task]) -> list[RowResult]:
        return [self.render(task) for task in tasks]

    def render(self, task: _Task) -> RowResult:
        try:
            content = self.template.render(task.context)
            if self.converter is not None:
                if task.convention is None:
                    raise UsageError("une ligne à convertir en PDF n’a pas de convention validée")
                content = convention_pdf(
                    self.ctype,
                    task.convention,
                    task.context,
                    content,
                    base=self.base,
                    converter=self.converter,
                )
            write_atomic(self.folder / task.fichier, content, force=task.overwrite, sync=False)
            self.manifest.record(task.fichier, task.empreinte)
            return RowResult(task.ligne, "ecrit", task.fichier, tuple(warnings(task.issues)))
        except ConventumError as exc:
            return RowResult(task.ligne, "echec", None, erreur=exc.message, exit_code=exc.exit_code)


_WORKER: list[_Renderer] = []


def _init_worker(ctype: ConventionType, folder: Path, options: BatchOptions, base: Path) -> None:
    # Ctrl-C reaches the whole process group: the main process decides, a worker ends its chunk.
    # (SIGTERM stops a worker at once: the pool's own way to stop a broken pool's workers.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.append(_Renderer(ctype, folder, options, base))


def _render_chunk(tasks: list[_Task]) -> list[RowResult]:
    return _WORKER[0].render_all(tasks)


class Batch:
    """A batch over a spreadsheet (or a sequence of row data): plan first, then stream results.

    DOCX rows are rendered across processes; PDF rows by threads of this process that share
    one ``Converter`` (``converter``, left open, or one started for the batch and always closed).
    Relative annex paths start from the spreadsheet's folder (else the working directory).
    """

    def __init__(
        self,
        convention_type: str | ConventionType,
        source: RowSource,
        folder: str | Path,
        *,
        commun: Mapping[str, Any] | None = None,
        options: BatchOptions | None = None,
        converter: Converter | None = None,
    ) -> None:
        self.ctype = load_type(convention_type) if isinstance(convention_type, str) else convention_type
        self.folder = Path(folder)
        self.commun = dict(commun or {})
        self.options = options or BatchOptions()
        self.source = source
        self.converter = converter
        self.base = Path(source).parent if isinstance(source, (str, Path)) else Path.cwd()
        self._sheet = open_sheet(Path(source)) if isinstance(source, (str, Path)) else None
        self._columns = map_headers(self.ctype, self._sheet) if self._sheet else []
        self._plan: list[_Planned] | None = None
        self._outline: list[tuple[int, str, str]] | None = None
        self._begun = False
        format_pattern(self.pattern(), {}, 0)  # a malformed pattern fails now, not after validation

    @property
    def column_letters(self) -> dict[str, str]:
        """Field path → the letter of the spreadsheet column that fills it, as the sheet shows it."""
        return {column.path: column_letter(i + 1) for i, column in enumerate(self._columns) if column}

    @property
    def extension(self) -> str:
        return "." + self.options.fmt

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, the row's data over the common data), read again on each call."""
        if self._sheet is None:
            given: Sequence[Mapping[str, Any]] = self.source  # type: ignore[assignment]
            for number, data in enumerate(given, start=1):
                yield number, merge_data(self.commun, data)
            return
        for number, cells in self._sheet.rows():
            yield (
                number,
                imply_roles(
                    self.ctype,
                    self.commun,
                    merge_data(self.commun, row_data(self._sheet, self._columns, number, cells)),
                ),
            )

    def pattern(self) -> str:
        """The name pattern asked for, else the name of the first party the rows fill."""
        if self.options.pattern:
            return self.options.pattern
        indexes = [c.segments[0][1] for c in self._columns if c and c.segments[0][0] == "parties"]
        first = min((index for index in indexes if index is not None), default=0)
        return f"{{parties[{first}].nom}}-convention"

    def plan(self) -> list[_Planned]:
        """Validate every row and give each its file name; nothing is written, nothing kept but
        these records (``results`` validates as it goes: this is for looking before rendering)."""
        if self._plan is None:
            self._plan = [item for item, _result in self._validated()]
        return self._plan

    def _validated(self) -> Iterator[tuple[_Planned, ValidationResult | None]]:
        """Each row validated, in order, with its file name: its record and, when it is valid, what
        validation gave (the typed convention, the computed values) for its rendering only."""
        for number, data, fichier, empreinte in self._named():
            result = validate(self.ctype, data, today=self.options.today, base=self.base)
            item = _Planned(number, fichier, empreinte, tuple(result.issues), result.ok)
            yield item, (result if result.ok else None)

    def _named(self) -> Iterator[tuple[int, dict[str, Any], str, str]]:
        """Each row with its file name and the hash of its input (not validated)."""
        self._check_folder()
        digest = file_digest(self.ctype.template_path) + file_digest(self.ctype.schema_path)
        names = NameBook(self.folder, self.extension)
        pattern = self.pattern()
        for number, data in self.rows():
            fichier = names.claim(pattern, data, number)
            yield number, data, fichier, input_hash(self.ctype.name, self.options.fmt, digest, data)

    def outline(self) -> list[tuple[int, str, str]]:
        """(row, file name, input hash) of every row, read once and not validated: the files checked
        before writing, the row count, and what an interrupted run reports the rows it did not reach by."""
        if self._outline is None:
            self._outline = [
                (number, fichier, empreinte) for number, _data, fichier, empreinte in self._named()
            ]
        return self._outline

    def _check_folder(self) -> None:
        if not self.folder.is_dir():
            raise OutputError(f"le dossier {self.folder} n’existe pas", path=str(self.folder))

    def begin(self) -> None:
        """Before anything is written (once): the folder exists, a resumed run's temporary files are
        removed, and no file is overwritten without --force or --resume. Call it before opening the
        batch's report (``results`` calls it otherwise, and would remove the report's own file)."""
        if self._begun:
            return
        self._check_folder()
        if self.options.resume:
            remove_leftovers(self.folder, self.extension)
        self.check_outputs()
        self._begun = True

    def row_count(self) -> int:
        """How many rows the source has (read, not validated)."""
        return len(self.outline())

    def results(self) -> Iterator[RowResult]:
        """One result per row, in row order, as the documents are written. Each row is validated
        once, just before it is rendered: memory does not grow with the rows. With
        ``stop_on_error``, every row is first checked (and so validated twice)."""
        if self.options.stop_on_error:
            plan = self.plan()
            if not all(item.ok for item in plan):
                for item in plan:
                    yield RowResult(item.ligne, "non-traite" if item.ok else "invalide", None, item.issues)
                return
        self.begin()
        done = read_manifest(self.folder) if self.options.resume else {}
        entries = self._entries(self._validated(), done)
        written = False
        if self.options.fmt == "pdf":
            runs = self._converted(entries)
        else:
            runs = self._sequential(entries) if self.jobs() == 1 else self._parallel(entries)
        try:
            for result in runs:
                written = written or result.statut == "ecrit"
                yield result
        finally:
            if written:
                os.sync()  # the documents reach the disk once, not one fsync per document

    def jobs(self) -> int:
        """Processes (PDF: LibreOffice workers) to use: as asked (0: one per core), never more than
        there are chunks to render."""
        wanted = self.options.jobs if self.options.jobs > 0 else default_workers()
        chunks = -(-self.row_count() // CHUNK[self.options.fmt])
        return max(1, min(wanted, chunks))

    def check_outputs(self) -> None:
        """Refuse, before anything is written, to overwrite files without ``force`` or ``resume``."""
        if self.options.force or self.options.resume:
            return
        existing = [
            fichier for _ligne, fichier, _empreinte in self.outline() if (self.folder / fichier).exists()
        ]
        if existing:
            shown = ", ".join(existing[:3]) + (" …" if len(existing) > 3 else "")
            raise OutputError(
                f"{len(existing)} fichier(s) existent déjà dans {self.folder} ({shown})",
                path=str(self.folder),
                remedies={"force": "les remplacer", "resume": "reprendre"},
            )

    def _entries(
        self, rows: Iterator[tuple[_Planned, ValidationResult | None]], done: dict[str, str]
    ) -> Iterator[_Chunk | list[RowResult]]:
        """The rows in order: chunks of rows to render, or results known without rendering."""
        chunk = _Chunk()
        in_process = self.options.fmt == "pdf"  # threads of this process: the convention is at hand
        for item, result in rows:
            known = self._known(item, done)
            if known is None and result is not None:
                chunk.tasks.append(self._task(item, result, keep_convention=in_process))
                if len(chunk.tasks) < CHUNK[self.options.fmt]:
                    continue
            if chunk.tasks:
                yield chunk
                chunk = _Chunk()
            if known is not None:
                yield [known]
        if chunk.tasks:
            yield chunk

    def _known(self, item: _Planned, done: dict[str, str]) -> RowResult | None:
        if not item.ok:
            return RowResult(item.ligne, "invalide", None, item.issues)
        if done.get(item.fichier) == item.empreinte and looks_whole(self.folder / item.fichier):
            return RowResult(item.ligne, "repris", item.fichier, tuple(warnings(item.issues)))
        return None

    def _task(self, item: _Planned, result: ValidationResult, *, keep_convention: bool) -> _Task:
        if result.convention is None:
            raise UsageError(f"ligne {item.ligne} : données non validées")
        overwrite = self.options.force or self.options.resume
        context = build_context(self.ctype, result.convention, result.computed)
        convention = result.convention if keep_convention else None
        return _Task(item.ligne, context, item.fichier, item.empreinte, overwrite, item.issues, convention)

    def _sequential(self, entries: Iterator[_Chunk | list[RowResult]]) -> Iterator[RowResult]:
        renderer: _Renderer | None = None
        try:
            for entry in entries:
                if isinstance(entry, list):
                    yield from entry
                    continue
                renderer = renderer or _Renderer(self.ctype, self.folder, self.options, self.base)
                for task in entry.tasks:
                    yield renderer.render(task)
        finally:
            if renderer is not None:
                renderer.manifest.close()

    def _parallel(self, entries: Iterator[_Chunk | list[RowResult]]) -> Iterator[RowResult]:
        prepared_template(self.ctype.template_path)  # a broken template fails here, not in each worker
        workers = _Workers(self.jobs(), (self.ctype, self.folder, self.options, self.base))
        try:
            yield from _in_order(entries, workers.submit, workers.collect, self.jobs() * 4)
        finally:
            workers.shutdown()

    def _converted(self, entries: Iterator[_Chunk | list[RowResult]]) -> Iterator[RowResult]:
        """PDF: threads render, convert through the one converter and finish, a row each."""
        converter = self.converter or Converter(workers=self.jobs())  # started by its first document
        renderer = _Renderer(self.ctype, self.folder, self.options, self.base, converter)
        pool = ThreadPoolExecutor(converter.size + 1)  # one more: a row is rendered while others convert

        def submit(tasks: list[_Task]) -> _Handle:
            return pool.submit(renderer.render_all, tasks), tasks

        try:
            yield from _in_order(entries, submit, _collect, converter.size * 2)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            if self.converter is None:
                converter.close()  # before waiting: a row being converted fails at once
            pool.shutdown(wait=True)
            renderer.manifest.close()


_Handle = tuple["Future[list[RowResult]]", list[_Task]]
_Collect = Callable[[_Handle], list[RowResult]]
CRASHED = "le processus qui rendait cette ligne s’est arrêté brutalement : document non écrit"


def _in_order(
    entries: Iterator[_Chunk | list[RowResult]],
    submit: Callable[[list[_Task]], _Handle],
    collect: Callable[[_Handle], list[RowResult]],
    window: int,
) -> Iterator[RowResult]:
    """The results of the entries in row order, at most ``window`` chunks ahead of the reader."""
    pending: deque[_Handle | list[RowResult]] = deque()
    for entry in entries:
        pending.append(submit(entry.tasks) if isinstance(entry, _Chunk) else entry)
        while len(pending) > window:
            yield from _pop(pending, collect)
    while pending:
        yield from _pop(pending, collect)


def _pop(
    pending: deque[_Handle | list[RowResult]], collect: Callable[[_Handle], list[RowResult]]
) -> list[RowResult]:
    head = pending.popleft()
    return head if isinstance(head, list) else collect(head)


def _collect(handle: _Handle) -> list[RowResult]:
    """A chunk's results; a fault that is not conventum's costs the chunk's rows, each reported."""
    future, tasks = handle
    try:
        return future.result()
    except Exception as exc:
        return [_failed(task, f"erreur inattendue : {exc!r}") for task in tasks]


def _failed(task: _Task, reason: str) -> RowResult:
    return RowResult(task.ligne, "echec", None, erreur=reason, exit_code=ExitCode.TEMPLATE)


class _Workers:
    """The worker processes of a DOCX batch. A worker that dies (a signal, a crash in a library)
    breaks the pool: the pool is started again, and the rows it held are rendered once more, each
    in a process of its own, so that the crash costs only the row that causes it."""

    def __init__(self, size: int, initargs: tuple[Any, ...]) -> None:
        self.size = size
        self.initargs = initargs
        self.pool = self._start(size)

    def _start(self, size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(size, _process_context(), _init_worker, self.initargs)

    def submit(self, tasks: list[_Task]) -> _Handle:
        try:
            return self.pool.submit(_render_chunk, tasks), tasks
        except BrokenExecutor:
            self._restart()
            return self.pool.submit(_render_chunk, tasks), tasks

    def collect(self, handle: _Handle) -> list[RowResult]:
        future, tasks = handle
        try:
            return future.result()
        except BrokenExecutor:
            return self._again(tasks)
        except Exception as exc:
            return [_failed(task, f"erreur inattendue : {exc!r}") for task in tasks]

    def _again(self, tasks: list[_Task]) -> list[RowResult]:
        """The rows of a chunk lost with a broken pool, one by one on a new pool (in parallel);
        a row that breaks that pool too is tried alone, and reported ``echec`` if it kills that."""
        self._restart()
        # The dead worker may have put a document in place before dying: it is replaced.
        retried = [dataclasses.replace(task, overwrite=True) for task in tasks]
        futures = [self.pool.submit(_render_chunk, [task]) for task in retried]
        results = []
        for future, task in zip(futures, retried, strict=True):
            try:
                results += future.result()
            except BrokenExecutor:
                self._restart()
                results.append(self._alone(task))
        return results

    def _restart(self) -> None:
        if getattr(self.pool, "_broken", False):
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start(self.size)

    def _alone(self, task: _Task) -> RowResult:
        pool = self._start(1)
        try:
            return pool.submit(_render_chunk, [task]).result()[0]
        except BrokenExecutor:
            return _failed(task, CRASHED)
        finally:
            pool.shutdown(wait=True)

    def shutdown(self) -> None:
        """Stop the pool and wait until every worker process is gone, even when the pool thinks
        them dead already (its forkserver killed by a signal sent to the whole group): what is on
        disk afterwards is final."""
        processes = list(getattr(self.pool, "_processes", None) or {})
        self.pool.shutdown(wait=True, cancel_futures=True)
        deadline = time.monotonic() + 30
        for pid in processes:
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)


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


def iter_render(
    convention_type: str | ConventionType,
    source: RowSource,
    folder: str | Path,
    *,
    commun: Mapping[str, Any] | None = None,
    options: BatchOptions | None = None,
    converter: Converter | None = None,
) -> Iterator[RowResult]:
    """Validate every row, then render the valid ones; yields one result per row, in row order.

    For PDF, ``converter`` (an open ``Converter``) is shared when given, else one is started
    for the batch (workers: ``options.jobs``, else one per core) and closed at its end. A missing
    ``folder`` is created."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)  # as the command does
    except OSError as exc:
        raise OutputError(
            f"impossible de créer le dossier {folder} : {exc.strerror}", path=str(folder)
        ) from exc
    batch = Batch(convention_type, source, folder, commun=commun, options=options, converter=converter)
    return batch.results()
