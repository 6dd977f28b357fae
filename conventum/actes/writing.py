"""``conventum actes``: the envoi checked whole, then its folder written at once (or nothing).

The folder holds the ACTES message and the pieces under their ACTES names (what a TdT connector
takes as is), the ``ls-actes`` JSON and the glaneur ZIP for Pastell."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conventum.actes.classification import Classification, read_classification
from conventum.actes.envoi import Envoi, require_valid
from conventum.actes.message import acte_message, file_names, message_name
from conventum.actes.pastell import glaneur_zip, ls_actes_json
from conventum.actes.sources import Renderer, Request, envoi_from_dossier, envoi_from_type, is_dossier
from conventum.errors import OutputError
from conventum.issues import Issue

LS_ACTES = "pastell-ls-actes.json"


@dataclass(frozen=True)
class Written:
    """What ``conventum actes`` wrote: the envoi and the files of its folder."""

    envoi: Envoi
    folder: Path
    files: list[str]


class LibreOfficeRenderer:
    """The PDFs of the parts made by conventum's own path (template → DOCX → LibreOffice), on one
    LibreOffice started at the first part and stopped by ``close``."""

    def __init__(self) -> None:
        self.converter: Any = None

    def __call__(self, type_name: str, data: Mapping[str, Any]) -> bytes:
        from conventum.api import render_document  # noqa: PLC0415 - LibreOffice only when no PDF is given
        from conventum.pdf.converter import Converter  # noqa: PLC0415

        if self.converter is None:
            self.converter = Converter(workers=1)
        return render_document(type_name, dict(data), fmt="pdf", converter=self.converter).content

    def close(self) -> None:
        if self.converter is not None:
            self.converter.close()


def write_envoi(
    type_name: str | None,
    data: Mapping[str, Any],
    request: Request,
    output: Path,
    *,
    classification: Path | Classification | None,
    force: bool = False,
    render: Renderer | None = None,
) -> Written:
    """Check the envoi against the classification and the schema, then write its folder."""
    if output.exists() and not (force and output.is_dir()):
        raise OutputError(
            f"le dossier {output} existe déjà", path=str(output), remedies={"force": "le remplacer"}
        )
    if not output.parent.is_dir():
        raise OutputError(f"le dossier {output.parent} n’existe pas", path=str(output))
    chosen = read_classification(classification) if isinstance(classification, Path) else classification
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    own = LibreOfficeRenderer() if render is None else None
    render = render or own
    assert render is not None
    try:
        work = staging / "travail"
        work.mkdir()
        if type_name is None and is_dossier(data):
            envoi = envoi_from_dossier(data, request, work, render)
        else:
            envoi = envoi_from_type(type_name or "", data, request, work, render)
        if chosen is not None:
            envoi = dataclasses.replace(envoi, classification_date=chosen.date)
        require_valid(envoi, chosen)
        files = _fill(envoi, staging / "envoi")
        if output.exists():
            shutil.rmtree(output)
        (staging / "envoi").rename(output)
    except OSError as exc:
        raise OutputError(f"impossible d’écrire {output} : {exc.strerror}", path=str(output)) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if own is not None:
            own.close()
    return Written(envoi, output, files)


def _fill(envoi: Envoi, folder: Path) -> list[str]:
    folder.mkdir()
    outputs: dict[str, bytes] = {
        message_name(envoi): acte_message(envoi),
        LS_ACTES: ls_actes_json(envoi),
        f"glaneur-{envoi.acte_id}.zip": glaneur_zip(envoi),
    }
    for name, content in outputs.items():
        (folder / name).write_bytes(content)
    for name, piece in zip(file_names(envoi), envoi.pieces, strict=True):
        shutil.copyfile(piece.path, folder / name)
    return sorted(path.name for path in folder.iterdir())


def warnings(envoi: Envoi) -> list[Issue]:
    """What was not checked: without the collectivité's classification, its piece types and matière
    (the default ``99_AU`` of annexes is not in every classification)."""
    if envoi.classification_date is not None:
        return []
    codes = ", ".join(dict.fromkeys(piece.code for piece in envoi.pieces))
    return [
        Issue(
            "actes.types_non_controles",
            "classification",
            {"codes": codes, "matiere": envoi.matiere},
            "warning",
        )
    ]


def envoi_json(written: Written) -> dict[str, Any]:
    """What ``conventum actes --format json`` prints (and the API answers): the acte, its pieces
    with their ACTES names and typology, the files written."""
    envoi = written.envoi
    return {
        "version": 1,
        "acte": envoi.acte_id,
        "type": envoi.type_name,
        "nature": envoi.nature,
        "numero": envoi.numero,
        "objet": envoi.objet,
        "matiere": envoi.matiere,
        "date_decision": envoi.decision.isoformat(),
        "date_transmission": envoi.transmission.isoformat(),
        "siren": envoi.siren,
        "departement": envoi.departement,
        "message": message_name(envoi),
        "pieces": [
            {"fichier": name, "type_piece": piece.code, "role": piece.role, "titre": piece.title}
            for name, piece in zip(file_names(envoi), envoi.pieces, strict=True)
        ],
        "dossier": str(written.folder),
        "fichiers": written.files,
        "avertissements": [issue.as_dict() for issue in warnings(envoi)],
    }
