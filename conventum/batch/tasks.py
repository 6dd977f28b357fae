"""A batch's rows to render (tasks), what became of each (results), and the renderer that validates,
fills and writes them: in the batch's process, in a worker process or in a thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from conventum.batch.files import Manifest
from conventum.draft import make_draft
from conventum.errors import ConventumError, ExitCode
from conventum.issues import Issue, warnings
from conventum.model.catalogue import ConventionType
from conventum.output import write_atomic
from conventum.pdf.converter import Converter
from conventum.rendering.prepared import prepared_template
from conventum.settings import Settings, applied, current
from conventum.validation.validation import validate

Status = Literal["ecrit", "repris", "invalide", "echec", "non-traite"]
CRASHED = "le processus qui rendait cette ligne s’est arrêté brutalement : document non écrit"


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
class Task:
    """One row to render: its data (the row over the common data), its file and its fingerprint.
    Whoever renders it validates it: the batch's process only reads and names the rows."""

    ligne: int
    data: dict[str, Any]
    fichier: str
    empreinte: str
    overwrite: bool


@dataclass
class Chunk:
    """Rows rendered together by one worker."""

    tasks: list[Task] = field(default_factory=list)


class Renderer:
    """What a worker keeps between rows: the type and its template, prepared once.

    Each row is validated, drafted and written as ``conventum render`` does it (``make_draft``);
    with a converter (PDF), shared by the threads of the batch's process, the draft becomes a PDF."""

    def __init__(
        self,
        ctype: ConventionType,
        folder: Path,
        base: Path,
        *,
        today: date | None = None,
        converter: Converter | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.ctype = ctype
        self.settings = settings or current()  # the batch's: each row is made with them
        self.folder = folder
        self.base = base
        self.today = today
        self.converter = converter
        self.template = prepared_template(ctype.template_path)
        self.manifest = Manifest(folder)

    def render_all(self, tasks: list[Task]) -> list[RowResult]:
        return [self.render(task) for task in tasks]

    def render(self, task: Task) -> RowResult:
        with applied(self.settings):
            return self._render(task)

    def _render(self, task: Task) -> RowResult:
        result = validate(self.ctype, task.data, today=self.today, base=self.base)
        if not result.ok or result.convention is None:
            return RowResult(task.ligne, "invalide", None, tuple(result.issues))
        try:
            draft = make_draft(self.ctype, result, base=self.base, template=self.template)
            content = draft.docx if self.converter is None else draft.pdf(converter=self.converter)
            write_atomic(self.folder / task.fichier, content, force=task.overwrite, sync=False)
            self.manifest.record(task.fichier, task.empreinte)
            return RowResult(task.ligne, "ecrit", task.fichier, tuple(warnings(result.issues)))
        except ConventumError as exc:
            return RowResult(task.ligne, "echec", None, erreur=exc.message, exit_code=exc.exit_code)


def failed(task: Task, reason: str) -> RowResult:
    """A row lost to a fault that is not conventum's (a crash, an unexpected exception)."""
    return RowResult(task.ligne, "echec", None, erreur=reason, exit_code=ExitCode.TEMPLATE)
