"""The text of a PDF as PDFium reads it (pypdfium2): a page is read only when asked, in C.

pypdf's text extraction is pure Python (≈ 40 ms a page): reading a 90-page convention twice
cost more than converting it, and held the GIL that ``conventum serve``'s threads share. PDFium
reads the same page in about 1 ms, the GIL released. PDFium is not thread-safe: every call
goes through one lock.
"""

from __future__ import annotations

import re
import threading
from types import TracebackType

import pypdfium2 as pdfium

from conventum.errors import ConversionError

_PDFIUM = threading.Lock()
# Characters read after a found prefix: room for the whole match.
SEARCH_SPAN = 40


class PdfText:
    """A PDF opened for reading its text; pages are read once, on demand. Use it in ``with``."""

    def __init__(self, pdf: bytes, *, what: str) -> None:
        self.what = what
        self._texts: dict[int, str] = {}
        with _PDFIUM:
            try:
                self._document = pdfium.PdfDocument(pdf)
                self.pages = len(self._document)
            except pdfium.PdfiumError as exc:
                raise ConversionError(f"{what} est illisible : {exc}") from exc

    def __enter__(self) -> PdfText:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with _PDFIUM:
            self._document.close()

    def text(self, index: int) -> str:
        """The text of a page (0-based), lines ending with line breaks."""
        known = self._texts.get(index)
        if known is None:
            with _PDFIUM:
                page = self._document[index]
                textpage = page.get_textpage()
                known = textpage.get_text_range().replace("\r\n", "\n")
                textpage.close()
                page.close()
            self._texts[index] = known
        return known

    def find(
        self, index: int, prefix: str, pattern: re.Pattern[str]
    ) -> list[tuple[re.Match[str], float, float]]:
        """Each match of a pattern starting where PDFium finds ``prefix`` on a page, with the centre
        of its width and its baseline (the bottom of its first character), in PDF points."""
        found = []
        with _PDFIUM:
            page = self._document[index]
            textpage = page.get_textpage()
            try:
                searcher = textpage.search(prefix, match_case=True)
                while (hit := searcher.get_next()) is not None:
                    start = hit[0]
                    match = pattern.match(textpage.get_text_range(start, SEARCH_SPAN))
                    if match is None:
                        continue
                    left, bottom, _right, _top = textpage.get_charbox(start)
                    _left, _bottom, right, _top2 = textpage.get_charbox(start + len(match.group(0)) - 1)
                    found.append((match, (left + right) / 2, bottom))
                searcher.close()
            finally:
                textpage.close()
                page.close()
        return found
