"""``conventum publication``: everything checked first (classification, matières, signatures), then
the documents made on one LibreOffice, then the folder written at once (or nothing)."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conventum.actes.classification import Classification
from conventum.errors import ConversionError, OutputError
from conventum.output import current_umask
from conventum.pdf.converter import Converter
from conventum.publication.documents import couverture_docx, feuillet_docx, liste_docx
from conventum.publication.mention import published_pdf, signature_state
from conventum.publication.scdl import rows, scdl_csv
from conventum.publication.seance import Deliberation, Seance

LISTE = "liste-des-deliberations.pdf"
FEUILLET = "feuillet-de-cloture.pdf"
SCDL = "deliberations-scdl.csv"
Renderer = Callable[[str, Mapping[str, Any]], bytes]


@dataclass(frozen=True)
class Published:
    """What was written: the folder and its files."""

    folder: Path
    files: list[str]


def default_renderer(type_name: str, data: Mapping[str, Any]) -> bytes:
    """The délibération's PDF by conventum's own path, when no signed PDF is given."""
    from conventum.api import render_document  # noqa: PLC0415

    return render_document(type_name, dict(data), fmt="pdf").content


def acte_name(item: Deliberation) -> str:
    """``deliberation-2023-338.pdf``: the published file of a délibération."""
    return "deliberation-" + (re.sub(r"[^0-9A-Za-z_-]+", "_", item.numero) or str(item.ordre)) + ".pdf"


def write_publication(
    seance: Seance,
    classification: Classification,
    output: Path,
    *,
    force: bool = False,
    attach: bool = False,
    converter: Converter | None = None,
    render: Renderer = default_renderer,
) -> Published:
    """Write the séance's publication folder."""
    if output.exists() and not (force and output.is_dir()):
        raise OutputError(
            f"le dossier {output} existe déjà", path=str(output), remedies={"force": "le remplacer"}
        )
    if not output.parent.is_dir():
        raise OutputError(f"le dossier {output.parent} n’existe pas", path=str(output))
    rows(seance, classification)  # the matières, before anything is made
    actes = _actes(seance, attach=attach, render=render)
    documents = [liste_docx(seance), feuillet_docx(seance)]
    documents += [couverture_docx(seance, item, attached=signature_state(actes[item.ordre]).signed)
                  for item in seance.deliberations]  # fmt: skip
    pdfs = _convert(documents, converter)
    outputs: dict[str, bytes] = {LISTE: pdfs[0], FEUILLET: pdfs[1], SCDL: scdl_csv(seance, classification)}
    for item, cover in zip(seance.deliberations, pdfs[2:], strict=True):
        title = f"Délibération n°{item.numero} — {item.objet}"
        outputs[acte_name(item)] = published_pdf(actes[item.ordre], cover, title=title, attach=attach,
                                                 name=_source_name(item))  # fmt: skip
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        staging.chmod(0o777 & ~current_umask())  # mkdtemp's 0700: a published folder is readable as usual
        for name, content in outputs.items():
            (staging / name).write_bytes(content)
        if output.exists():
            shutil.rmtree(output)
        staging.rename(output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"impossible d’écrire {output} : {exc.strerror}", path=str(output)) from exc
    return Published(output, sorted(outputs))


def _source_name(item: Deliberation) -> str:
    return item.pdf.name if item.pdf else acte_name(item)


def _actes(seance: Seance, *, attach: bool, render: Renderer) -> dict[int, bytes]:
    """Each délibération's PDF (the signed one given, else rendered), signatures checked first."""
    found: dict[int, bytes] = {}
    for item in seance.deliberations:
        if item.pdf is not None:
            try:
                found[item.ordre] = item.pdf.read_bytes()
            except OSError as exc:
                raise OutputError(
                    f"impossible de lire {item.pdf} : {exc.strerror}", path=str(item.pdf)
                ) from exc
            state = signature_state(found[item.ordre], what=str(item.pdf))
            if state.signed and not attach:
                published_pdf(found[item.ordre], b"", title="", attach=False, name=item.pdf.name)  # raises
        else:
            found[item.ordre] = render("deliberation", item.data)
    return found


def _convert(documents: list[bytes], converter: Converter | None) -> list[bytes]:
    own = converter is None
    active = converter or Converter(workers=1)
    try:
        results = active.convert_many(documents)
    finally:
        if own:
            active.close()
    failures = [result for result in results if isinstance(result, ConversionError)]
    if failures:
        raise failures[0]
    return [result for result in results if isinstance(result, bytes)]


def publication_json(seance: Seance, published: Published) -> dict[str, Any]:
    """What ``conventum publication --format json`` prints (and the API answers): the séance, each
    délibération with its published file, the files written."""
    return {
        "version": 1,
        "collectivite": seance.collectivite.nom,
        "seance": seance.date.isoformat(),
        "mise_en_ligne": seance.mise_en_ligne.isoformat(),
        "auteur": seance.auteur.model_dump(),
        "deliberations": [
            {
                "ordre": item.ordre,
                "numero": item.numero,
                "objet": item.objet,
                "matiere": item.matiere,
                "fichier": acte_name(item),
            }
            for item in seance.deliberations
        ],
        "liste": LISTE,
        "feuillet": FEUILLET,
        "scdl": SCDL,
        "dossier": str(published.folder),
        "fichiers": published.files,
    }
