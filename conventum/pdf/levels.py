"""The PDF/A levels conventum writes (``--pdfa 1b|2b``), without reading any PDF."""

from __future__ import annotations

from conventum.errors import UsageError

PdfA = bool | str | None  # False/None: plain PDF; True: the default level; "1b" or "2b"
LEVELS = {"1b": 1, "2b": 2}
DEFAULT_LEVEL = "2b"


def pdfa_version(pdfa: PdfA) -> int:
    """LibreOffice's ``SelectPdfVersion``: 0 (plain PDF), 1 (PDF/A-1b) or 2 (PDF/A-2b)."""
    if pdfa is None or pdfa is False:
        return 0
    if pdfa is True:
        return LEVELS[DEFAULT_LEVEL]
    level = str(pdfa).lower().removeprefix("pdf/a-")
    if level not in LEVELS:
        raise UsageError(f"niveau PDF/A inconnu : « {pdfa} » (attendu : 1b ou 2b)")
    return LEVELS[level]
