"""The tables of the registre des délibérations (CGCT R.2121-9): every délibération of the séances
given, by date (séance, then numéro d'ordre) and by objet (in alphabetical order, accents and case
aside), as one PDF/A made by conventum's LibreOffice path."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from docx.shared import Pt

from conventum.errors import OutputError, UsageError
from conventum.french.formatting import format_date
from conventum.pdf.converter import Converter
from conventum.publication.documents import _document, _save, _table
from conventum.publication.seance import Deliberation, Seance
from conventum.publication.writing import PDFA, finished

Row = tuple[Seance, Deliberation]


def sort_key(text: str) -> str:
    """The alphabetical key of an objet: accents and case aside, spaces collapsed.

    >>> sorted(["Élection", "adhésion", "Convention"], key=sort_key)
    ['adhésion', 'Convention', 'Élection']
    """
    plain = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).casefold().split())


def _title(seances: Sequence[Seance]) -> str:
    years = sorted({seance.date.year for seance in seances})
    span = str(years[0]) if len(years) == 1 else f"{years[0]} à {years[-1]}"
    return f"Tables du registre des délibérations ({span})"


def tables_docx(seances: Sequence[Seance]) -> bytes:
    """The two tables as a DOCX: chronological, then by objet."""
    rows: list[Row] = [(seance, item) for seance in seances for item in seance.deliberations]
    document = _document(_title(seances), seances[0])
    add = document.add_paragraph  # type: ignore[attr-defined]
    add(f"{len(rows)} délibération(s) de {len(seances)} séance(s).")
    chrono = sorted(rows, key=lambda row: (row[0].date, row[1].ordre))
    heading = add()
    heading.paragraph_format.space_before = Pt(12)
    heading.add_run("Table chronologique").bold = True
    _table(
        document,
        ("Séance", "N° d’ordre", "Numéro", "Objet"),
        [(format_date(s.date), str(i.ordre), i.numero, i.objet) for s, i in chrono],
        (3.4, 1.8, 2.6, 9.2),
    )
    by_objet = sorted(rows, key=lambda row: (sort_key(row[1].objet), row[0].date, row[1].ordre))
    heading = add()
    heading.paragraph_format.space_before = Pt(18)
    heading.add_run("Table par objet").bold = True
    _table(
        document,
        ("Objet", "Numéro", "Séance"),
        [(i.objet, i.numero, format_date(s.date)) for s, i in by_objet],
        (10.6, 2.6, 3.8),
    )
    return _save(document)


def write_tables(
    seances: Sequence[Seance], output: Path, *, force: bool = False, converter: Converter | None = None
) -> Path:
    """The tables' PDF/A-1b, written at once (or nothing)."""
    if not seances:
        raise UsageError("au moins une séance")
    if output.exists() and not force:
        raise OutputError(
            f"le fichier {output} existe déjà", path=str(output), remedies={"force": "le remplacer"}
        )
    own = converter is None
    active = converter or Converter(workers=1)
    try:
        pdf = finished(active.convert(tables_docx(seances), pdfa=PDFA), seances[0])
    finally:
        if own:
            active.close()
    try:
        partial = output.with_name(f".{output.name}.partiel")
        partial.write_bytes(pdf)
        partial.replace(output)
    except OSError as exc:
        raise OutputError(f"impossible d’écrire {output} : {exc.strerror}", path=str(output)) from exc
    return output
