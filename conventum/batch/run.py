"""Batch rendering: one convention per spreadsheet row. The batch reads and names its rows and owns the
run's protocol (begin, report, results, zip); whoever renders a row validates it (``batch.tasks``),
in this process, in worker processes or in threads (``batch.streams``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from conventum.batch import streams
from conventum.batch.columns import column_letter
from conventum.batch.common import common_data
from conventum.batch.files import (
    NameBook,
    file_digest,
    format_pattern,
    input_hash,
    looks_whole,
    read_manifest,
    remove_leftovers,
)
from conventum.batch.merging import merge_data
from conventum.batch.report import BatchReport, write_zip
from conventum.batch.settling import interruptible, uninterrupted, unreported
from conventum.batch.sheetmodel import imply_roles
from conventum.batch.spreadsheet import map_headers, open_sheet, row_data
from conventum.batch.tasks import Chunk, Renderer, RowResult, Status, Task
from conventum.errors import OutputError
from conventum.issues import Issue, warnings
from conventum.model.catalogue import ConventionType, load_type
from conventum.pdf.converter import Converter, default_workers
from conventum.settings import applied, current
from conventum.validation.validation import validate

__all__ = ["Batch", "BatchOptions", "RowResult", "RowSource", "Status", "iter_render"]

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
class _Planned:
    ligne: int
    fichier: str
    empreinte: str
    issues: tuple[Issue, ...]
    ok: bool


@dataclass
class RunSummary:
    """What a run did: the rows by status, the documents written, how it ended."""

    counts: dict[str, int] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # in row order, for the zip
    failure: int = 0  # the exit code of the first row that failed, 0 when none did
    interrupted: bool = False  # Ctrl-C or SIGTERM: the rows not reached are reported « non traité »
    stopped: bool = False  # the caller stopped it (a service shutting down): resumable

    def note(self, result: RowResult) -> None:
        if result.statut in ("ecrit", "repris") and result.fichier:
            self.written.append(result.fichier)
        if result.statut == "echec" and not self.failure:
            self.failure = result.exit_code


# Told of each row as it is reported, with the counts so far; False stops the run.
OnResult = Callable[[RowResult, Mapping[str, int]], bool | None]


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
        self.settings = current()  # in effect when the batch was made: its worker processes get them
        self.base = Path(source).parent if isinstance(source, (str, Path)) else Path.cwd()
        self._sheet = open_sheet(Path(source)) if isinstance(source, (str, Path)) else None
        self._columns = map_headers(self.ctype, self._sheet) if self._sheet else []
        if self._sheet is not None and self._sheet.common:  # the workbook's « Données communes »
            shared = common_data(self.ctype, self._sheet.common, str(self._sheet.path))
            self.commun = merge_data(self.commun, shared)
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
            self._plan = []
            for number, data, fichier, empreinte in self._named():
                result = validate(self.ctype, data, today=self.options.today, base=self.base)
                self._plan.append(_Planned(number, fichier, empreinte, tuple(result.issues), result.ok))
        return self._plan

    def _named(self) -> Iterator[tuple[int, dict[str, Any], str, str]]:
        """Each row with its file name and the hash of its input (not validated); names and hashes
        are made once, by the first reading (the outline, when it was read)."""
        self._check_folder()
        if self._outline is not None:
            for (number, data), (_number, fichier, empreinte) in zip(self.rows(), self._outline, strict=True):
                yield number, data, fichier, empreinte
            return
        digest = file_digest(self.ctype.template_path) + file_digest(self.ctype.schema_path)
        names = NameBook(self.folder, self.extension)
        pattern = self.pattern()
        for number, data in self.rows():
            with applied(self.settings):  # the length of a file name is one of its limits
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

    def run(
        self,
        *,
        on_result: OnResult | None = None,
        zip_path: Path | None = None,
        force: bool = False,
        signals: bool = False,
    ) -> RunSummary:
        """The run the command and the service share: begun (folder checked, leftovers removed)
        before the report is opened, each row reported as it finishes, then the zip of what was
        written. With ``signals`` (the main thread only), Ctrl-C and SIGTERM stop it and the rows
        not reached are reported « non traité »; ``on_result`` returning False stops it too."""
        if not self.options.stop_on_error or all(item.ok for item in self.plan()):
            self.begin()  # before the report is begun: it would remove the report's own file
        summary = RunSummary()
        with BatchReport(self.folder, type_name=self.ctype.name) as report:
            self._report(report, summary, on_result, signals)
            summary.counts = dict(sorted(report.counts.items()))
        if zip_path is not None and not (summary.interrupted or summary.stopped):
            write_zip(zip_path, self.folder, summary.written, force=force)
        return summary

    def _report(
        self, report: BatchReport, summary: RunSummary, on_result: OnResult | None, signals: bool
    ) -> None:
        results = self.results()
        reported: set[int] = set()
        try:
            with interruptible() if signals else nullcontext():
                for result in results:
                    report.add(result)
                    reported.add(result.ligne)
                    summary.note(result)
                    if on_result is not None and on_result(result, report.counts) is False:
                        summary.stopped = True
                        break
        except KeyboardInterrupt:
            summary.interrupted = True
            with uninterrupted():
                results.close()  # workers end the rows they hold; the rest is cancelled
                for result in unreported(self.folder, self.outline(), reported):
                    report.add(result)
        finally:
            results.close()

    def results(self) -> Generator[RowResult, None, None]:
        """One result per row, in row order, as the documents are written. Each row is validated
        once, by whoever renders it: memory does not grow with the rows. With ``stop_on_error``,
        every row is first checked (and so validated twice)."""
        if self.options.stop_on_error:
            plan = self.plan()
            if not all(item.ok for item in plan):
                for item in plan:
                    yield RowResult(item.ligne, "non-traite" if item.ok else "invalide", None, item.issues)
                return
        self.begin()
        done = read_manifest(self.folder) if self.options.resume else {}
        written = False
        try:
            for result in self._rendered(self._entries(done)):
                written = written or result.statut == "ecrit"
                yield result
        finally:
            if written:
                os.sync()  # the documents reach the disk once, not one fsync per document

    def _rendered(self, entries: streams.Entries) -> Iterator[RowResult]:
        today = self.options.today
        if self.options.fmt == "pdf":
            converter = self.converter or Converter(workers=self.jobs())  # started by its first document
            renderer = Renderer(
                self.ctype, self.folder, self.base, today=today, converter=converter, settings=self.settings
            )
            return streams.converted(entries, renderer, converter, owned=self.converter is None)
        if self.jobs() == 1:
            return streams.sequential(
                entries,
                lambda: Renderer(self.ctype, self.folder, self.base, today=today, settings=self.settings),
            )
        return streams.parallel(
            entries, self.jobs(), self.ctype, self.folder, self.base, today, self.settings
        )

    def jobs(self) -> int:
        """Processes (PDF: LibreOffice workers) to use: as asked (0: one per core), never more than
        there are chunks to render."""
        wanted = self.options.jobs if self.options.jobs > 0 else default_workers()
        if wanted == 1:
            return 1
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

    def _entries(self, done: dict[str, str]) -> streams.Entries:
        """The rows in order: chunks of rows to render, or results known without rendering."""
        chunk, size = Chunk(), CHUNK[self.options.fmt]
        overwrite = self.options.force or self.options.resume
        for number, data, fichier, empreinte in self._named():
            known = self._known(number, data, fichier, empreinte, done)
            if known is None:
                chunk.tasks.append(Task(number, data, fichier, empreinte, overwrite))
                if len(chunk.tasks) < size:
                    continue
            if chunk.tasks:
                yield chunk
                chunk = Chunk()
            if known is not None:
                yield [known]
        if chunk.tasks:
            yield chunk

    def _known(
        self, number: int, data: dict[str, Any], fichier: str, empreinte: str, done: dict[str, str]
    ) -> RowResult | None:
        """A row a resumed run finds written whole from the same input: « repris », unless its data
        is (now) invalid."""
        if done.get(fichier) != empreinte or not looks_whole(self.folder / fichier):
            return None
        result = validate(self.ctype, data, today=self.options.today, base=self.base)
        if not result.ok:
            return RowResult(number, "invalide", None, tuple(result.issues))
        return RowResult(number, "repris", fichier, tuple(warnings(result.issues)))


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
