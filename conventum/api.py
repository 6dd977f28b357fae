"""The library's entry points: validate and render a convention, from data to DOCX or PDF."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from conventum.catalogue import ConventionType, load_type
from conventum.context import build_context
from conventum.conversion import docx_to_pdf
from conventum.errors import UsageError, ValidationFailed
from conventum.issues import Issue, errors, warnings
from conventum.loading import load_data
from conventum.output import check_writable, write_atomic
from conventum.rendering import render_docx
from conventum.validation import ValidationResult
from conventum.validation import validate as validate_data

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


def _as_type(convention_type: str | ConventionType) -> ConventionType:
    return load_type(convention_type) if isinstance(convention_type, str) else convention_type


def _as_data(data: DataSource) -> Mapping[str, Any]:
    return load_data(data) if isinstance(data, (str, Path)) else data


def validate(
    convention_type: str | ConventionType, data: DataSource, *, today: date | None = None
) -> ValidationResult:
    """Check data against a type; the result lists every issue, it never raises on bad data."""
    return validate_data(_as_type(convention_type), _as_data(data), today=today)


def render_document(
    convention_type: str | ConventionType,
    data: DataSource,
    *,
    fmt: OutputFormat = "docx",
    today: date | None = None,
    strict: bool = False,
) -> Document:
    """Validate, then fill the template; raise ValidationFailed on an error (or, strict, a warning)."""
    ctype = _as_type(convention_type)
    result = validate_data(ctype, _as_data(data), today=today)
    blocking = result.issues if strict else errors(result.issues)
    if blocking or result.convention is None:
        raise ValidationFailed(result.issues, data=result.data, ctype=ctype)
    context = build_context(ctype, result.convention)
    content = render_docx(ctype.template_path, context)
    if fmt == "pdf":
        content = docx_to_pdf(content)
    return Document(ctype.name, fmt, content, warnings(result.issues), context, result.data)


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
) -> Document:
    """Render a convention to a .docx or .pdf file, written atomically once everything succeeded."""
    target = Path(output)
    fmt = format_for(target)
    check_writable(target, force=force)
    document = render_document(convention_type, data, fmt=fmt, today=today, strict=strict)
    write_atomic(target, document.content, force=force)
    return document
