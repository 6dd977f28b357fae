"""The library's entry points: validate and render a convention, from data to DOCX or PDF."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conventum.deadline import checkpoint
from conventum.draft import Document, OutputFormat, make_draft
from conventum.errors import UsageError
from conventum.model.catalogue import ConventionType, load_type
from conventum.model.loading import load_data
from conventum.output import check_writable, write_atomic
from conventum.pdf.levels import PdfA
from conventum.validation.validation import ValidationResult
from conventum.validation.validation import validate as validate_data

if TYPE_CHECKING:
    from conventum.pdf.converter import Converter

__all__ = ["DataSource", "Document", "OutputFormat", "format_for", "render", "render_document", "validate"]

DataSource = Mapping[str, Any] | str | Path


def _as_type(convention_type: str | ConventionType) -> ConventionType:
    return load_type(convention_type) if isinstance(convention_type, str) else convention_type


def _as_data(data: DataSource) -> Mapping[str, Any]:
    return load_data(data) if isinstance(data, (str, Path)) else data


def validate(
    convention_type: str | ConventionType, data: DataSource, *, today: date | None = None
) -> ValidationResult:
    """Check data against a type; the result lists every issue, it never raises on bad data."""
    return validate_data(_as_type(convention_type), _as_data(data), today=today, base=_base(data))


def _base(data: DataSource) -> Path:
    """The folder relative annex paths start from: the data file's, else the working directory."""
    return Path(data).parent if isinstance(data, (str, Path)) and str(data) != "-" else Path.cwd()


def render_document(
    convention_type: str | ConventionType,
    data: DataSource,
    *,
    fmt: OutputFormat = "docx",
    today: date | None = None,
    strict: bool = False,
    pdfa: PdfA = False,
    converter: Converter | None = None,
    base: Path | None = None,
) -> Document:
    """Validate, then fill the template; raise ValidationFailed on an error (or, strict, a warning).

    For a PDF, annex files are checked before anything is converted; ``converter`` (an open
    ``Converter``) is used when given, else one LibreOffice is started for this document.
    Relative annex paths start from ``base``: by default the data file's folder, else the
    working directory.
    """
    ctype = _as_type(convention_type)
    base = base or _base(data)
    if fmt == "pdf" and converter is None:
        with _starting_converter() as own:
            result = validate_data(ctype, _as_data(data), today=today, base=base)
            checkpoint("le remplissage du modèle")
            return render_validated(
                ctype, result, fmt=fmt, strict=strict, pdfa=pdfa, converter=own, base=base
            )
    result = validate_data(ctype, _as_data(data), today=today, base=base)
    checkpoint("le remplissage du modèle")
    return render_validated(ctype, result, fmt=fmt, strict=strict, pdfa=pdfa, converter=converter, base=base)


@contextmanager
def _starting_converter() -> Iterator[Converter]:
    """A one-worker converter for one PDF, its LibreOffice started in the background: a cold first
    PDF waits for the slower of LibreOffice's start and Python's validation, not for both. Closed
    at the end (at once when the data is refused: no waiting for LibreOffice to finish starting)."""
    from conventum.pdf.converter import Converter  # noqa: PLC0415 - LibreOffice, for a PDF only

    own = Converter(workers=1)

    def start() -> None:
        # The conversion says why LibreOffice did not start (the converter keeps its error in its
        # queue, whatever the exception); a start cut by ``close`` (refused data) may fail any way.
        with suppress(Exception):
            own.start()

    starting = threading.Thread(target=start, name="conventum-libreoffice-start", daemon=True)
    starting.start()
    try:
        yield own
    finally:
        own.close()
        starting.join()
        own.close()  # a worker that finished starting after the first close


def render_validated(
    ctype: ConventionType,
    result: ValidationResult,
    *,
    fmt: OutputFormat = "docx",
    strict: bool = False,
    pdfa: PdfA = False,
    converter: Converter | None = None,
    base: Path | None = None,
) -> Document:
    """Render data this type has validated (``result``), without validating or computing again;
    raise ValidationFailed when the result holds an error (or, strict, a warning)."""
    draft = make_draft(ctype, result, strict=strict, pdfa=pdfa if fmt == "pdf" else False, base=base)
    return draft.document(fmt, pdfa=pdfa, converter=converter)


def format_for(path: Path) -> OutputFormat:
    """The output format named by a file's extension."""
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise UsageError(f"extension de sortie non prise en charge : « {suffix} » (attendu : .docx ou .pdf)")
    return "pdf" if suffix == ".pdf" else "docx"


def render(
    convention_type: str | ConventionType,
    data: DataSource,
    output: str | Path,
    *,
    force: bool = False,
    today: date | None = None,
    strict: bool = False,
    pdfa: PdfA = False,
    converter: Converter | None = None,
) -> Document:
    """Render a convention to a .docx or .pdf file, written atomically once everything succeeded."""
    target = Path(output)
    fmt = format_for(target)
    if pdfa and fmt != "pdf":
        raise UsageError("--pdfa ne s’applique qu’à une sortie .pdf")
    check_writable(target, force=force)
    document = render_document(
        convention_type, data, fmt=fmt, today=today, strict=strict, pdfa=pdfa, converter=converter
    )
    write_atomic(target, document.content, force=force)
    return document
