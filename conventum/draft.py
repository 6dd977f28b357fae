"""One path from validated data to a finished document: a draft (type, context, DOCX, annex files)
made once, turned into the DOCX or PDF asked, whoever asks (render, batch, dossier, service)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from conventum.context.build import build_context
from conventum.errors import ValidationFailed
from conventum.issues import Issue, errors, warnings
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, load_type
from conventum.pdf.inspection import AnnexFiles
from conventum.pdf.levels import PdfA, pdfa_version
from conventum.rendering.prepared import PreparedTemplate, render_docx
from conventum.validation.validation import ValidationResult

if TYPE_CHECKING:
    from conventum.pdf.converter import Converter

OutputFormat = Literal["docx", "pdf"]


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
    draft: Draft | None = field(default=None, repr=False, compare=False)  # what the document was made from

    @property
    def ctype(self) -> ConventionType:
        """The document's type, as it was loaded (not looked up again by its name)."""
        return self.draft.ctype if self.draft is not None else load_type(self.type_name)


@dataclass(frozen=True)
class Draft:
    """A validated convention filled into its template: it knows its type (not its name), its
    context, its DOCX and its annex files (read once), and turns itself into a PDF."""

    ctype: ConventionType
    convention: Convention
    context: dict[str, Any]
    docx: bytes
    files: AnnexFiles
    issues: list[Issue] = field(default_factory=list)  # the warnings that let it through
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def pdf(self, *, pdfa: PdfA = False, converter: Converter | None = None) -> bytes:
        """The finished PDF: converted (the caller's converter, else one for this document),
        checked against the DOCX, annexes appended, signature fields and metadata set."""
        from conventum.pdf.convention import convention_pdf  # noqa: PLC0415 - LibreOffice and pypdf, for a PDF

        return convention_pdf(self, pdfa=pdfa, converter=converter)

    def document(
        self, fmt: OutputFormat = "docx", *, pdfa: PdfA = False, converter: Converter | None = None
    ) -> Document:
        """The draft as a document in the asked format."""
        content = self.pdf(pdfa=pdfa, converter=converter) if fmt == "pdf" else self.docx
        convention = self.convention
        return Document(self.ctype.name, fmt, content, self.issues, self.context, self.data, convention, self)


def make_draft(
    ctype: ConventionType,
    result: ValidationResult,
    *,
    strict: bool = False,
    pdfa: PdfA = False,
    base: Path | None = None,
    template: PreparedTemplate | None = None,
) -> Draft:
    """Fill the template with data this type has validated (``result``), without validating or
    computing again; ValidationFailed when the result holds an error (or, strict, a warning).

    ``pdfa`` (for a PDF/A to come) adds a warning for each PDF annex that is not PDF/A."""
    files = result.files or AnnexFiles(base or Path.cwd())
    issues = result.issues + _pdfa_warnings(result, files, pdfa)
    blocking = issues if strict else errors(issues)
    if blocking or result.convention is None:
        raise ValidationFailed(issues, data=result.data, ctype=ctype)
    context = build_context(ctype, result.convention, result.computed)
    docx = template.render(context) if template is not None else render_docx(ctype.template_path, context)
    return Draft(ctype, result.convention, context, docx, files, warnings(issues), result.data)


def _pdfa_warnings(result: ValidationResult, files: AnnexFiles, pdfa: PdfA) -> list[Issue]:
    """PDF/A asked: a warning for each PDF annex that is not PDF/A (appended as given)."""
    if result.convention is None or not pdfa_version(pdfa):
        return []
    from conventum.pdf.annexes import non_pdfa_annexes  # noqa: PLC0415 - pypdf, for a PDF/A only

    return non_pdfa_annexes(result.convention.annexes, files)
