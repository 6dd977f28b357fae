"""The signature fields of a PDF, read generically (any /Sig field, whatever its name or tags), and the
one a signer asks for: by its number in the signing order, its name, or the party it names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from conventum.errors import FieldAlreadySignedError, NotSignableError, UnknownFieldError


@dataclass(frozen=True)
class SignatureField:
    """A signature field: its order (1 = first to sign), full name, tooltip, page (1 = first), state."""

    order: int
    name: str
    tooltip: str
    page: int | None
    signed: bool

    def label(self) -> str:
        """How a clerk reads it in a list: « 2. Département du Pas-de-Calais (page 4, signé) »."""
        where = [f"page {self.page}"] if self.page else []
        where += ["signé"] if self.signed else []
        return f"{self.order}. {self.name}" + (f" ({', '.join(where)})" if where else "")


def signature_fields(reader: PdfFileReader) -> list[SignatureField]:
    """Every signature field, in the order of the form (conventum writes them in the signing order)."""
    pages = _page_numbers(reader)
    found = []
    for order, (name, value, reference) in enumerate(enumerate_sig_fields(reader, filled_status=None), 1):
        field = reference.get_object()
        tooltip = str(field.get("/TU", ""))
        found.append(SignatureField(order, str(name), tooltip, _page_of(field, pages), value is not None))
    return found


def _page_numbers(reader: PdfFileReader) -> dict[int, int]:
    """Page object number → page number (from 1)."""
    numbers = {}
    for index in range(int(reader.root["/Pages"]["/Count"])):
        reference, _ = reader.find_page_for_modification(index)
        numbers[reference.idnum] = index + 1
    return numbers


def _page_of(field: Any, pages: dict[int, int]) -> int | None:
    widgets = [field] if "/Kids" not in field else [kid.get_object() for kid in field["/Kids"]]
    for widget in widgets:
        page = widget.raw_get("/P") if "/P" in widget else None
        if page is not None and getattr(page, "idnum", None) in pages:
            return pages[page.idnum]
    return None


def choose_field(fields: list[SignatureField], wanted: str) -> SignatureField:
    """The empty field ``wanted`` designates: a number (its order), its exact name, or a name or
    tooltip words that designate one field only (accents, case and punctuation ignored)."""
    if not fields:
        raise NotSignableError(
            "Ce PDF n’a aucun champ de signature : ce n’est pas une convention préparée par conventum."
        )
    field = _designated(fields, wanted.strip())
    if field.signed:
        raise FieldAlreadySignedError(
            f"Le champ de signature « {field.name} » est déjà signé ; champs encore à signer : "
            + (", ".join(f"« {f.name} »" for f in fields if not f.signed) or "aucun")
            + "."
        )
    return field


def _designated(fields: list[SignatureField], wanted: str) -> SignatureField:
    if wanted.isdigit() and 1 <= int(wanted) <= len(fields):
        return fields[int(wanted) - 1]
    exact = [field for field in fields if field.name == wanted]
    if exact:
        return exact[0]
    key = _folded(wanted)
    same = [field for field in fields if _folded(field.name) == key]
    if len(same) == 1:
        return same[0]
    within = [
        field for field in fields if key and (key in _folded(field.name) or key in _folded(field.tooltip))
    ]
    if len(within) == 1:
        return within[0]
    listing = " ; ".join(field.label() for field in fields)
    if len(within) > 1:
        message = f"« {wanted} » désigne plusieurs champs de signature : précisez lequel. Champs : {listing}."
    else:
        message = f"Aucun champ de signature ne s’appelle « {wanted} ». Champs du document : {listing}."
    raise UnknownFieldError(message, fields=[field.name for field in fields])


def _folded(text: str) -> str:
    """Lower case, no accents, words separated by one space: « Département du Pas-de-Calais » →
    « departement du pas de calais »."""
    plain = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))
