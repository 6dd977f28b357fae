"""The séance's published documents as DOCX (python-docx), made PDF by conventum's LibreOffice path:
the liste des délibérations, the feuillet de clôture (CGCT R.2121-9: the date of the séance, the
délibérations by numéro d'ordre with their objet, the members present, the places of the président's
and the secrétaire(s)' signatures) and the publication page of an acte (author, date put online)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from conventum.errors import TieError
from conventum.french.formatting import format_date
from conventum.publication.seance import Deliberation, Seance
from conventum.seance.assembly import attendance
from conventum.seance.votes import outcome

FONT = "Liberation Sans"


def _document(title: str, seance: Seance) -> object:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(str(seance.assembly["collectivite"]))
    run.bold = True
    organ = document.add_paragraph(str(seance.assembly["organe"]["sujet"]))
    organ.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = document.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in heading.runs:
        run.font.name = FONT
        run.font.color.rgb = RGBColor(0, 0, 0)
    return document


def _result(item: Deliberation) -> str:
    vote = item.data.get("vote") or {}
    try:
        result = outcome(
            int((vote.get("pour") or {}).get("voix") or 0),
            int((vote.get("contre") or {}).get("voix") or 0),
            casting=vote.get("voix_preponderante"),
        )
    except TieError:
        return "Partage des voix"
    return "Adoptée" if result == "Adopté" else "Rejetée"


def _table(
    document: object, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid LibreOffice lays the table out from
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].add_run(text)
    header_row = table.rows[0]._tr  # the header repeats on each page
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    properties = header_row.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _save(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def liste_docx(seance: Seance) -> bytes:
    """The liste des délibérations examinées en séance (CGCT L.2121-25), with their result."""
    day = format_date(seance.date)
    document = _document(f"Liste des délibérations de la séance du {day}", seance)
    document.add_paragraph(f"Séance tenue à {seance.lieu} le {day}.")  # type: ignore[attr-defined]
    rows = [(str(item.ordre), item.numero, item.objet, _result(item)) for item in seance.deliberations]
    _table(document, ("N° d’ordre", "Numéro", "Objet", "Résultat"), rows, (2.0, 2.6, 10.0, 2.4))
    online = document.add_paragraph()  # type: ignore[attr-defined]
    online.paragraph_format.space_before = Pt(12)
    online.add_run(f"Liste mise en ligne le {format_date(seance.mise_en_ligne)}.")
    return _save(document)


def feuillet_docx(seance: Seance) -> bytes:
    """The feuillet de clôture of the séance (CGCT R.2121-9)."""
    day = format_date(seance.date)
    document = _document(f"Feuillet de clôture de la séance du {day}", seance)
    add = document.add_paragraph  # type: ignore[attr-defined]
    add(f"Séance du {day}, tenue à {seance.lieu}, sous la présidence de {seance.president.full}.")
    add(f"Délibérations examinées au cours de la séance ({len(seance.deliberations)}) :")
    rows = [(str(item.ordre), item.numero, item.objet) for item in seance.deliberations]
    _table(document, ("N° d’ordre", "Numéro", "Objet"), rows, (2.0, 2.6, 12.4))
    present = seance.presents()
    title = add()
    title.paragraph_format.space_before = Pt(12)
    title.add_run(f"Membres présents ({len(present)}) : ").bold = True
    title.add_run(attendance(present) + ".")
    secretaries = seance.secretaires
    signatures = document.add_table(rows=2, cols=1 + max(len(secretaries), 1))  # type: ignore[attr-defined]
    labels = [f"Le Président de séance\n{seance.president.name}"] + [
        f"{'La' if person.feminine else 'Le'} secrétaire de séance\n{person.name}" for person in secretaries
    ]
    if not secretaries:
        labels.append("Le ou les secrétaires de séance")
    for cell, label in zip(signatures.rows[0].cells, labels, strict=True):
        cell.paragraphs[0].paragraph_format.space_before = Pt(18)
        cell.paragraphs[0].add_run(label)
    for cell in signatures.rows[1].cells:
        cell.paragraphs[0].add_run("Signature :")
        cell.add_paragraph()
        cell.add_paragraph()
        cell.add_paragraph()
    return _save(document)


def couverture_docx(seance: Seance, item: Deliberation, *, attached: bool) -> bytes:
    """The publication page of an acte: what it is, its author (prénom, nom, qualité), when it went online."""
    day = format_date(seance.date)
    document = _document("Publication d’un acte", seance)
    add = document.add_paragraph  # type: ignore[attr-defined]
    add(f"Délibération n°{item.numero} de la séance du {day}").runs[0].bold = True
    add(f"Objet : {item.objet}")
    author = seance.auteur
    add(f"Auteur de l’acte : {author.prenom} {author.nom}, {author.qualite}")
    online = add()
    online.add_run(f"Mis en ligne le {format_date(seance.mise_en_ligne)}").bold = True
    if attached:
        add(
            "L’acte signé électroniquement est joint à ce document, tel qu’il a été signé : "
            "l’ajout de cette mention à l’intérieur du fichier aurait rompu sa signature."
        )
    else:
        add("L’acte publié suit cette page, dans son intégralité.")
    add(
        "Publication sous forme électronique (article L. 2131-1 et suivants du code général des"
        " collectivités territoriales, dans leur rédaction issue de l’ordonnance n° 2021-1310"
        " du 7 octobre 2021)."
    )
    return _save(document)
