"""conventum: typed, validated conventions between French local authorities, in DOCX or PDF."""

from conventum.api import Document, render, render_document, validate
from conventum.batch.run import Batch, BatchOptions, RowResult, iter_render
from conventum.context.build import build_context
from conventum.context.calculations import calculation
from conventum.dossier import Dossier, build_dossier, render_dossier
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
from conventum.pdf.converter import Converter, docx_to_pdf
from conventum.render.check import check_template
from conventum.render.prepared import PreparedTemplate, render_docx
from conventum.validate.validation import ValidationResult
from conventum.word.filling import fill_word
from conventum.word.importing import import_word

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
    "validate",
]
