"""The legal mention on a published acte, never at the cost of its signature.

Decision (with issue 26's signing in mind): conventum certifies the first signature of a document
at DocMDP level 2 (form filling and signing only) and verifies with pyHanko, whose policy refuses
any other change after a signature; an incremental update adding the mention (an annotation, a page,
a text) is therefore reported as a modification the signature does not allow. So:

- an unsigned acte is published as one PDF: the publication page (author, « Mis en ligne le … »)
  followed by the acte, whole;
- a signed acte is never changed: its publication is the publication page with the signed file
  attached byte for byte (``attach=True``), which a reader opens and a validator checks as signed;
  asked without it, the mention is refused with a French message and nothing is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

from conventum.errors import ConventumError, ExitCode
from conventum.pdf.merging import Part, merge
from conventum.pdf.pdfio import read_pdf


class SignedActeError(ConventumError):
    """The acte is signed: a mention inside it would break its signature."""

    exit_code = ExitCode.INVALID_DATA
    kind = "acte_signe"


@dataclass(frozen=True)
class SignatureState:
    """What a PDF says of its signatures: signed fields, and the DocMDP level of a certification."""

    fields: list[str]
    certification: int | None  # 1 no change, 2 form filling and signing, 3 also annotations

    @property
    def signed(self) -> bool:
        return bool(self.fields)


def signature_state(pdf: bytes, *, what: str = "l’acte") -> SignatureState:
    """The signed fields of a PDF (AcroForm /Sig fields with a value) and its DocMDP level."""
    reader = read_pdf(pdf, what=what)
    fields = []
    for name, field in (reader.get_fields() or {}).items():
        if field.get("/FT") == "/Sig" and field.get("/V") is not None:
            fields.append(str(name))
    return SignatureState(fields, _docmdp(reader))


def _docmdp(reader: PdfReader) -> int | None:
    perms = reader.root_object.get("/Perms")
    perms = perms.get_object() if perms is not None else None
    signature = perms.get("/DocMDP") if isinstance(perms, DictionaryObject) else None
    signature = signature.get_object() if signature is not None else None
    if not isinstance(signature, DictionaryObject):
        return None
    for reference in signature.get("/Reference") or []:
        entry = reference.get_object()
        params = entry.get("/TransformParams") if isinstance(entry, DictionaryObject) else None
        if isinstance(params, DictionaryObject):
            return int(params.get("/P", 2))
    return 2


def published_pdf(acte: bytes, cover: bytes, *, title: str, attach: bool, name: str) -> bytes:
    """The acte as published: cover + acte for an unsigned one; for a signed one, the cover with
    the signed file attached unchanged (``attach``), else SignedActeError (nothing is written)."""
    state = signature_state(acte)
    if not state.signed:
        return merge([Part("Publication", cover), Part(title, acte)], title=title)
    if not attach:
        level = f", signature certifiée de niveau DocMDP {state.certification}" if state.certification else ""
        raise SignedActeError(
            f"{name} est signé (champ {', '.join(state.fields)}{level}) : y ajouter la mention de publication"
            " romprait sa signature. Publiez-le avec la page de publication qui le joint tel quel"
            " (option --joindre-signe) ; rien n’a été écrit."
        )
    writer = PdfWriter()
    writer.append(read_pdf(cover, what="la page de publication"))
    writer.add_attachment(name, acte)
    writer.add_metadata({"/Title": title, "/Producer": "conventum"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
