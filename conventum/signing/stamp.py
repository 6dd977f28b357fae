"""The visible stamp in the signature field: who signed, in which quality, for which party, when — in
French, drawn with an embedded TrueType font (subset, with its CIDSet for PDF/A-1) and no transparency."""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import TextStampStyle

from conventum.errors import SignatureError
from conventum.french.formatting import format_date

# DejaVu Sans (fonts-dejavu-core): pyHanko writes its widths right (with Liberation Sans, PDFBox
# Preflight finds the /W widths unscaled: error 3.1.6).
FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
FONT_SIZE = 7
LINE_WIDTH = 46  # characters of a line at FONT_SIZE in a 170-point field
# The tooltip conventum writes on each field: « Signature de <nom>, <qualité> (<partie>) ».
TOOLTIP = re.compile(r"^Signature de (?P<name>.+?), (?P<quality>.+) \((?P<party>.+)\)$")


@dataclass(frozen=True)
class StampText:
    """What the stamp says: the signer's name, quality, the party signing, the moment."""

    name: str
    quality: str
    party: str
    when: datetime

    def lines(self) -> str:
        lines = ["Signé électroniquement par", self.name]
        lines += textwrap.wrap(self.quality, LINE_WIDTH) if self.quality else []
        lines += textwrap.wrap(f"pour {self.party}", LINE_WIDTH) if self.party else []
        lines.append(moment(self.when))
        return "\n".join(line.replace("%", "%%") for line in lines)


def moment(when: datetime) -> str:
    """« le 7 décembre 2026 à 19 h 24 (UTC) », or « (UTC+01:00) » for another offset."""
    offset = when.utcoffset()
    zone = "UTC"
    if offset:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    day = format_date(when.date()).replace("\u00a0", " ")
    return f"le {day} à {when.hour} h {when.minute:02d} ({zone})"


def quality_from_tooltip(tooltip: str) -> str:
    """The signatory's quality, read from the tooltip conventum gives the field ('' when another tool
    wrote it)."""
    found = TOOLTIP.match(tooltip.strip())
    return found.group("quality") if found else ""


def party_from_tooltip(tooltip: str, field_name: str) -> str:
    """The party as the tooltip writes it, with its article (« le Département du Pas-de-Calais »);
    the field's name when another tool wrote the tooltip."""
    found = TOOLTIP.match(tooltip.strip())
    return found.group("party") if found else field_name


def font_file() -> Path:
    for candidate in FONTS:
        if candidate.is_file():
            return candidate
    raise SignatureError(
        "Aucune police pour le tampon de signature : installez fonts-dejavu-core (./setup.sh l’installe)."
    )


def stamp_style() -> TextStampStyle:
    """A bordered text stamp, no background (hence no transparency), the font embedded."""
    font = CidSetFontFactory(str(font_file()), font_size=FONT_SIZE, bcp47_lang_code="fr")
    return TextStampStyle(
        stamp_text="%(conventum)s",
        text_box_style=TextBoxStyle(font=font, font_size=FONT_SIZE, leading=FONT_SIZE + 2),
        border_width=1,
    )


class CidSetFontFactory(GlyphAccumulatorFactory):
    """pyHanko's OpenType embedding, with the font read once into memory (no open file left behind)."""

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> GlyphAccumulator:
        return CidSetAccumulator(
            writer=writer,
            font_handle=io.BytesIO(Path(self.font_file).read_bytes()),
            font_size=self.font_size,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


class CidSetAccumulator(GlyphAccumulator):
    """pyHanko's glyph accumulator made right for PDF/A-1 with any TrueType font:

    - its widths and positions in thousandths of an em, as PDF wants them (pyHanko writes them in the
      font's own units: with DejaVu's 2048 units per em every glyph is drawn twice as wide apart, and
      Preflight finds the /W widths wrong, error 3.1.6);
    - the subset's glyphs listed in a /CIDSet, as PDF/A-1 requires of subsets (ISO 19005-1, 6.3.5;
      Preflight error 3.1.11 without it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.font_units = int(self.tt["head"].unitsPerEm)
        self.hb_font.scale = (1000, 1000)
        self.units_per_em = 1000

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        known = self._glyphs.get(glyph_id)
        if known is not None:
            return known
        cid, width = super()._get_cid_and_width(glyph_id)
        self._glyphs[glyph_id] = scaled = cid, round(width * 1000 / self.font_units)
        return scaled

    def prepare_write(self) -> None:
        if self._write_prepared:
            return
        super().prepare_write()
        cids = {0, *(cid for cid, _ in self._glyphs.values())}
        bits = bytearray(max(cids) // 8 + 1)
        for cid in cids:
            bits[cid // 8] |= 0x80 >> (cid % 8)
        stream = generic.StreamObject(stream_data=bytes(bits))
        stream.compress()
        descriptor = self.cidfont_obj["/FontDescriptor"].get_object()
        descriptor[generic.pdf_name("/CIDSet")] = self.writer.add_object(stream)
