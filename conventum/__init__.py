"""conventum: typed, validated conventions between French local authorities, in DOCX or PDF."""

import importlib
from typing import TYPE_CHECKING, Any

from conventum.errors import (
    CalculationError,
    ConventumError,
    ConversionError,
    DataFileError,
    ExitCode,
    ImportRefused,
    OutputError,
    TemplateError,
    UnknownTypeError,
    UsageError,
    ValidationFailed,
)

if TYPE_CHECKING:  # imported when first used: ``conventum --help`` needs none of them
    from conventum.api import Document, render, render_document, validate
    from conventum.avenants.making import Avenant, make_avenant
    from conventum.avenants.tracked import compare_docx
    from conventum.batch.run import Batch, BatchOptions, RowResult, iter_render
    from conventum.context.build import build_context
    from conventum.context.calculations import calculation
    from conventum.dossier import Dossier, build_dossier, render_dossier
    from conventum.draft import Draft
    from conventum.issues import Issue
    from conventum.limits import Limits
    from conventum.model.blocks import (
        Adresse,
        Annexe,
        Autorisation,
        Convention,
        Partie,
        Representant,
        Signature,
    )
    from conventum.model.catalogue import ConventionType, available_types, load_type
    from conventum.model.json_schema import json_schema
    from conventum.model.loading import load_data
    from conventum.pdf.converter import Converter, docx_to_pdf
    from conventum.rendering.prepared import PreparedTemplate, render_docx
    from conventum.settings import Settings, configure
    from conventum.signing.api import sign_pdf, verify_pdf
    from conventum.validation.validation import ValidationResult
    from conventum.word.checking import check_template
    from conventum.word.filling import fill_word
    from conventum.word.importing import import_word
    from conventum.word.recognition.prepare import PreparedImport, prepare_import, write_prepared
    from conventum.word.recognition.report import ImportReport

# Public names, imported on first use (a command's start-up imports only what it runs).
_LAZY = {
    "Adresse": "conventum.model.blocks",
    "Annexe": "conventum.model.blocks",
    "Autorisation": "conventum.model.blocks",
    "Convention": "conventum.model.blocks",
    "ConventionType": "conventum.model.catalogue",
    "Document": "conventum.api",
    "Draft": "conventum.draft",
    "Issue": "conventum.issues",
    "Partie": "conventum.model.blocks",
    "PreparedTemplate": "conventum.rendering.prepared",
    "Representant": "conventum.model.blocks",
    "Signature": "conventum.model.blocks",
    "ValidationResult": "conventum.validation.validation",
    "available_types": "conventum.model.catalogue",
    "build_context": "conventum.context.build",
    "calculation": "conventum.context.calculations",
    "json_schema": "conventum.model.json_schema",
    "load_data": "conventum.model.loading",
    "load_type": "conventum.model.catalogue",
    "render": "conventum.api",
    "render_document": "conventum.api",
    "render_docx": "conventum.rendering.prepared",
    "validate": "conventum.api",
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
    "ImportReport": "conventum.word.recognition.report",
    "PreparedImport": "conventum.word.recognition.prepare",
    "prepare_import": "conventum.word.recognition.prepare",
    "write_prepared": "conventum.word.recognition.prepare",
    "iter_render": "conventum.batch.run",
    "render_dossier": "conventum.dossier",
    "sign_pdf": "conventum.signing.api",
    "verify_pdf": "conventum.signing.api",
    "Avenant": "conventum.avenants.making",
    "compare_docx": "conventum.avenants.tracked",
    "make_avenant": "conventum.avenants.making",
    "Limits": "conventum.limits",
    "Settings": "conventum.settings",
    "configure": "conventum.settings",
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
    "Avenant",
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
    "ImportRefused",
    "ImportReport",
    "Issue",
    "Limits",
    "OutputError",
    "Partie",
    "PreparedImport",
    "PreparedTemplate",
    "Representant",
    "RowResult",
    "Settings",
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
    "compare_docx",
    "configure",
    "docx_to_pdf",
    "fill_word",
    "import_word",
    "iter_render",
    "json_schema",
    "load_data",
    "load_type",
    "make_avenant",
    "prepare_import",
    "render",
    "render_document",
    "render_docx",
    "render_dossier",
    "sign_pdf",
    "validate",
    "verify_pdf",
    "write_prepared",
]
