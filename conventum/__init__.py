"""conventum: typed, validated conventions between French local authorities, in DOCX or PDF."""

import importlib
from typing import TYPE_CHECKING, Any

from conventum.api import Document, render, render_document, validate
from conventum.context.build import build_context
from conventum.context.calculations import calculation
from conventum.draft import Draft
from conventum.errors import (
    CalculationError,
    ConventumError,
    ConversionError,
    DataFileError,
    ExitCode,
    OutputError,
    TemplateError,
    UnknownTypeError,
    UsageError,
    ValidationFailed,
)
from conventum.issues import Issue
from conventum.model.blocks import Adresse, Annexe, Autorisation, Convention, Partie, Representant, Signature
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.model.json_schema import json_schema
from conventum.model.loading import load_data
from conventum.rendering.prepared import PreparedTemplate, render_docx
from conventum.validation.validation import ValidationResult

if TYPE_CHECKING:  # imported when first used: a DOCX render needs neither pypdf, openpyxl nor LibreOffice
    from conventum.batch.run import Batch, BatchOptions, RowResult, iter_render
    from conventum.dossier import Dossier, build_dossier, render_dossier
    from conventum.pdf.converter import Converter, docx_to_pdf
    from conventum.signing.api import sign_pdf, verify_pdf
    from conventum.word.checking import check_template
    from conventum.word.filling import fill_word
    from conventum.word.importing import import_word

# Public names of the heavier stages (batch, PDF, dossier, Word forms), imported on first use.
_LAZY = {
    "Batch": "conventum.batch.run",
    "BatchOptions": "conventum.batch.run",
    "Converter": "conventum.pdf.converter",
    "Dossier": "conventum.dossier",
    "RowResult": "conventum.batch.run",
    "build_dossier": "conventum.dossier",
    "check_template": "conventum.word.checking",
    "docx_to_pdf": "conventum.pdf.converter",
    "fill_word": "conventum.word.filling",
    "import_word": "conventum.word.importing",
    "iter_render": "conventum.batch.run",
    "render_dossier": "conventum.dossier",
    "sign_pdf": "conventum.signing.api",
    "verify_pdf": "conventum.signing.api",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'conventum' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Adresse",
    "Annexe",
    "Autorisation",
    "Batch",
    "BatchOptions",
    "CalculationError",
    "Convention",
    "ConventionType",
    "ConventumError",
    "ConversionError",
    "Converter",
    "DataFileError",
    "Document",
    "Dossier",
    "Draft",
    "ExitCode",
    "Issue",
    "OutputError",
    "Partie",
    "PreparedTemplate",
    "Representant",
    "RowResult",
    "Signature",
    "TemplateError",
    "UnknownTypeError",
    "UsageError",
    "ValidationFailed",
    "ValidationResult",
    "available_types",
    "build_context",
    "build_dossier",
    "calculation",
    "check_template",
    "docx_to_pdf",
    "fill_word",
    "import_word",
    "iter_render",
    "json_schema",
    "load_data",
    "load_type",
    "render",
    "render_document",
    "render_docx",
    "render_dossier",
    "sign_pdf",
    "validate",
    "verify_pdf",
]
