"""The library's entry points: validate and render a convention, from data to DOCX or PDF."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from conventum.context.build import build_context
from conventum.errors import UsageError, ValidationFailed
from conventum.issues import Issue, errors, warnings
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, load_type
from conventum.model.loading import load_data
from conventum.output import check_writable, write_atomic
from conventum.pdf.levels import PdfA, pdfa_version
from conventum.rendering.prepared import render_docx
from conventum.validation.validation import ValidationResult
from conventum.validation.validation import validate as validate_data

if TYPE_CHECKING:
    from conventum.pdf.converter import Converter

OutputFormat = Literal["docx", "pdf"]
DataSource = Mapping[str, Any] | str | Path


@dataclass(frozen=True)
class Document:
    """A rendered convention: its bytes in the asked format, and the warnings found."""

    type_name: str
    format: OutputFormat
    content: bytes
    issues: list[Issue] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict, repr=False)
    data: dict[str, Any] = field(default_factory=dict, repr=False)
    convention: Convention | None = field(default=None, repr=False)  # the typed, validated data


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
    result = validate_data(ctype, _as_data(data), today=today, base=base)
    return render_validated(ctype, result, fmt=fmt, strict=strict, pdfa=pdfa, converter=converter, base=base)


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
    issues = result.issues + _pdfa_warnings(result, base or Path.cwd(), pdfa if fmt == "pdf" else False)
    blocking = issues if strict else errors(issues)
    if blocking or result.convention is None:
        raise ValidationFailed(issues, data=result.data, ctype=ctype)
    context = build_context(ctype, result.convention, result.computed)
    content = render_docx(ctype.template_path, context)
    if fmt == "pdf":
        from conventum.pdf.convention import convention_pdf  # noqa: PLC0415 - LibreOffice and pypdf, for a PDF

        content = convention_pdf(
            ctype,
            result.convention,
            context,
            content,
            base=base or Path.cwd(),
            pdfa=pdfa,
            converter=converter,
        )
    return Document(ctype.name, fmt, content, warnings(issues), context, result.data, result.convention)


def _pdfa_warnings(result: ValidationResult, base: Path, pdfa: PdfA) -> list[Issue]:
    """PDF/A asked: a warning for each PDF annex that is not PDF/A (appended as given)."""
    if result.convention is None or not pdfa_version(pdfa):
        return []
    from conventum.pdf.annexes import non_pdfa_annexes  # noqa: PLC0415 - pypdf, for a PDF/A only

    return non_pdfa_annexes(result.convention.annexes, base)


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
