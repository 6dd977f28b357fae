"""conventum: typed, validated conventions between French local authorities, in DOCX or PDF."""

from conventum.api import Document, render, render_document, validate
from conventum.catalogue import ConventionType, available_types, json_schema, load_type
from conventum.context import build_context
from conventum.conversion import Converter, docx_to_pdf
from conventum.errors import (
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
from conventum.loading import load_data
from conventum.models import Adresse, Annexe, Autorisation, Convention, Partie, Representant, Signature
from conventum.rendering import render_docx
from conventum.validation import ValidationResult

__all__ = [
    "Adresse",
    "Annexe",
    "Autorisation",
    "Convention",
    "ConventionType",
    "ConventumError",
    "ConversionError",
    "Converter",
    "DataFileError",
    "Document",
    "ExitCode",
    "Issue",
    "OutputError",
    "Partie",
    "Representant",
    "Signature",
    "TemplateError",
    "UnknownTypeError",
    "UsageError",
    "ValidationFailed",
    "ValidationResult",
    "available_types",
    "build_context",
    "docx_to_pdf",
    "json_schema",
    "load_data",
    "load_type",
    "render",
    "render_document",
    "render_docx",
    "validate",
]
