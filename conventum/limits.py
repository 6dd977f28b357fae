"""The bounds hostile or mistaken input meets where it enters, each a default a user can raise.

Each limit is read from ``CONVENTUM_<NAME>`` by the command or the server when set (a positive
integer), so a service with unusual documents raises one bound without patching the code:
``CONVENTUM_MAX_TEXT_LENGTH=200000 conventum render …``. The library takes them as a value
(``conventum.settings``): it never reads the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Every bound, with its default. Sizes in bytes unless the name says characters."""

    # Data files (YAML, JSON, TOML, stdin)
    max_data_bytes: int = 10_000_000
    max_depth: int = 64  # nested mappings and lists
    max_integer_digits: int = 100
    max_yaml_aliases: int = 100  # alias references (*name) in one YAML file
    # One text value of the data (a field error with its path beyond it)
    max_text_length: int = 100_000
    # Office archives (DOCX, XLSX) before they are opened
    max_archive_bytes: int = 200_000_000  # uncompressed total of its parts
    max_archive_ratio: int = 200  # uncompressed / compressed, for parts over 1 MB
    max_archive_parts: int = 10_000
    # Spreadsheets
    max_sheet_rows: int = 100_000
    max_sheet_columns: int = 1_000
    # Items of one list (parties, annexes, budget lines…): a list index past it is refused where a
    # field name is read (spreadsheet header, form field), before anything is built
    max_list_items: int = 1_000
    # Problems listed in one report (JSON, the command's output); the others counted, never listed
    max_problems_reported: int = 1_000
    # Templates, per document
    # Word files imported or filled: content controls (w:sdt) in all their story parts
    max_word_controls: int = 5_000
    max_template_steps: int = 50_000  # loop iterations and calls (the built-in templates take < 50)
    max_template_seconds: int = 5
    max_output_chars: int = 20_000_000  # one rendered part, and any text built on the way
    # Batch file names
    max_filename_bytes: int = 200

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Limits:
        """The defaults, each replaced by ``CONVENTUM_<NAME>`` when it is a positive integer.

        >>> Limits.from_environment({"CONVENTUM_MAX_DEPTH": "8", "CONVENTUM_MAX_TEXT_LENGTH": "x"}).max_depth
        8
        """
        values = {}
        for field in fields(cls):
            raw = environ.get(f"CONVENTUM_{field.name.upper()}")
            if raw and raw.strip().isdigit() and int(raw) > 0:
                values[field.name] = int(raw)
        return cls(**values)
