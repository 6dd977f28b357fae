"""A batch's rows to render (tasks), what became of each (results), and the renderer that writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from conventum.batch.files import Manifest
from conventum.draft import Draft
from conventum.errors import ConventumError, ExitCode, UsageError
from conventum.issues import Issue, warnings
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType
from conventum.output import write_atomic
from conventum.pdf.converter import Converter
from conventum.pdf.inspection import AnnexFiles
from conventum.rendering.prepared import prepared_template

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
    """One row to render: its context, built once from its validation (and, for a PDF rendered in
    this process, its typed convention, which the finishing reads)."""

    ligne: int
    context: dict[str, Any]
    fichier: str
    empreinte: str
    overwrite: bool
    issues: tuple[Issue, ...] = ()
    convention: Convention | None = None
    files: AnnexFiles | None = None  # the annex files its validation read (a PDF in this process)


@dataclass
class Chunk:
    """Rows rendered together by one worker."""

    tasks: list[Task] = field(default_factory=list)


class Renderer:
    """What a worker keeps between rows: the type and its template, prepared once.

    With a converter (PDF), it is shared by the threads of the batch's process, each row
    finished as ``conventum render`` finishes it: through the row's draft."""

    def __init__(
        self, ctype: ConventionType, folder: Path, base: Path, converter: Converter | None = None
    ) -> None:
        self.ctype = ctype
        self.folder = folder
        self.base = base
        self.converter = converter
        self.template = prepared_template(ctype.template_path)
        self.manifest = Manifest(folder)

    def render_all(self, tasks: list[Task]) -> list[RowResult]:
        return [self.render(task) for task in tasks]

    def render(self, task: Task) -> RowResult:
        try:
            content = self.template.render(task.context)
            if self.converter is not None:
                if task.convention is None:
                    raise UsageError("une ligne à convertir en PDF n’a pas de convention validée")
                files = task.files or AnnexFiles(self.base)
                draft = Draft(self.ctype, task.convention, task.context, content, files, list(task.issues))
                content = draft.pdf(converter=self.converter)
            write_atomic(self.folder / task.fichier, content, force=task.overwrite, sync=False)
            self.manifest.record(task.fichier, task.empreinte)
            return RowResult(task.ligne, "ecrit", task.fichier, tuple(warnings(task.issues)))
        except ConventumError as exc:
            return RowResult(task.ligne, "echec", None, erreur=exc.message, exit_code=exc.exit_code)


def failed(task: Task, reason: str) -> RowResult:
    """A row lost to a fault that is not conventum's (a crash, an unexpected exception)."""
    return RowResult(task.ligne, "echec", None, erreur=reason, exit_code=ExitCode.TEMPLATE)
