"""``conventum publication``: everything checked first (classification, matières, signatures), then
the documents made on one LibreOffice, in PDF/A-1b, then the folder written at once (or nothing)."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conventum.actes.classification import Classification
from conventum.errors import ConversionError, OutputError
from conventum.issues import Issue
from conventum.output import current_umask
from conventum.pdf.converter import Converter
from conventum.pdf.finishing import Finish, PdfInfo, finish_pdf
from conventum.pdf.pdfa import declared_part
from conventum.pdf.pdfio import read_pdf
from conventum.publication.documents import couverture_docx, feuillet_docx, liste_docx
from conventum.publication.mention import published_pdf, signature_state
from conventum.publication.scdl import rows, scdl_csv
from conventum.publication.seance import Deliberation, Seance, deadline_issues

LISTE = "liste-des-deliberations.pdf"
FEUILLET = "feuillet-de-cloture.pdf"
SCDL = "deliberations-scdl.csv"
PDFA = "1b"  # the level PDFBox Preflight validates in the tests
Renderer = Callable[[str, Mapping[str, Any]], bytes]


@dataclass(frozen=True)
class Published:
    """What was written: the folder, its files, and the published PDFs that are not PDF/A (why)."""

    folder: Path
    files: list[str]
    non_pdfa: dict[str, str] = field(default_factory=dict)
    warnings: list[Issue] = field(default_factory=list)


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
    render: Renderer | None = None,
) -> Published:
    """Write the séance's publication folder: the liste, the feuillet, the publication pages and
    the délibérations conventum renders in PDF/A-1b; an acte given as a PDF is published as it is."""
    if output.exists() and not (force and output.is_dir()):
        raise OutputError(
            f"le dossier {output} existe déjà", path=str(output), remedies={"force": "le remplacer"}
        )
    if not output.parent.is_dir():
        raise OutputError(f"le dossier {output.parent} n’existe pas", path=str(output))
    rows(seance, classification)  # the matières, before anything is made
    own = converter is None
    active = converter or Converter(workers=1)
    try:
        made = render or _renderer(active)
        outputs = _outputs(seance, classification, attach=attach, render=made, converter=active)
    finally:
        if own:
            active.close()
    _write(outputs, output)
    return Published(output, sorted(outputs), _non_pdfa(seance, outputs), deadline_issues(seance))


def _write(outputs: Mapping[str, bytes], output: Path) -> None:
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


def _renderer(converter: Converter) -> Renderer:
    """A délibération's PDF/A by conventum's own path, on the publication's LibreOffice."""

    def render(type_name: str, data: Mapping[str, Any]) -> bytes:
        from conventum.api import render_document  # noqa: PLC0415

        return render_document(type_name, dict(data), fmt="pdf", pdfa=PDFA, converter=converter).content

    return render


def _outputs(
    seance: Seance, classification: Classification, *, attach: bool, render: Renderer, converter: Converter
) -> dict[str, bytes]:
    actes = _actes(seance, attach=attach, render=render)
    documents = [liste_docx(seance), feuillet_docx(seance)]
    documents += [couverture_docx(seance, item, attached=signature_state(actes[item.ordre]).signed)
                  for item in seance.deliberations]  # fmt: skip
    pdfs = [finished(pdf, seance) for pdf in _convert(documents, converter)]
    outputs: dict[str, bytes] = {LISTE: pdfs[0], FEUILLET: pdfs[1], SCDL: scdl_csv(seance, classification)}
    for item, cover in zip(seance.deliberations, pdfs[2:], strict=True):
        title = f"Délibération n°{item.numero} — {item.objet}"
        outputs[acte_name(item)] = published_pdf(actes[item.ordre], cover, title=title, attach=attach,
                                                 name=_source_name(item))  # fmt: skip
    return outputs


def finished(pdf: bytes, seance: Seance) -> bytes:
    """LibreOffice's PDF finished as a convention's is: its information and XMP agreeing (the
    title the DOCX gives), tagged for accessibility, the PDF/UA identification described so that
    the PDF/A-1b packet is valid."""
    metadata = read_pdf(pdf, what="un document de la publication").metadata
    title = str(metadata.get("/Title") or "") if metadata is not None else ""
    info = PdfInfo(title=title, author=seance.collectivite.nom, subject=title, keywords="publication")
    return finish_pdf(pdf, Finish(info))


def _non_pdfa(seance: Seance, outputs: Mapping[str, bytes]) -> dict[str, str]:
    """The published PDFs that are not PDF/A, and why: an acte given that is not one (the merged
    file then does not claim it), a signed acte joined as it is (a PDF/A-1b joins no file)."""
    found = {}
    for item in seance.deliberations:
        name = acte_name(item)
        if declared_part(outputs[name]) is not None:
            continue
        given = item.pdf.name if item.pdf else name
        signed = item.pdf is not None and signature_state(item.pdf.read_bytes(), what=given).signed
        found[name] = (
            f"l’acte signé {given} y est joint tel quel (un PDF/A-1b ne peut joindre aucun fichier)"
            if signed
            else f"l’acte fourni {given} n’est pas un PDF/A"
        )
    return found


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


def _convert(documents: list[bytes], converter: Converter) -> list[bytes]:
    results = converter.convert_many(documents, pdfa=PDFA)
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
        "non_pdfa": published.non_pdfa,
        "avertissements": [issue.as_dict() for issue in published.warnings],
    }
