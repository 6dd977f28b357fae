"""Verifying a signed PDF offline: for each signature its signer, time, integrity, coverage, what was
modified after it, and whether its chain leads to one of the given roots (nothing is fetched)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from conventum.errors import NotSignableError, SignatureError, UnsignedError
from conventum.signing.fields import signature_fields
from conventum.signing.keys import SIGNING_USAGES, holder_name

# What pyHanko's difference analysis says was changed after a signature, in a clerk's words.
MODIFICATIONS = {
    "NONE": "aucune",
    "LTA_UPDATES": "données de validation et horodatages ajoutés",
    "FORM_FILLING": "remplissage de champs et signatures suivantes",
    "ANNOTATIONS": "annotations ajoutées",
    "OTHER": "modifications non permises",
}
COVERAGE = {
    "ENTIRE_FILE": "tout le document",
    "ENTIRE_REVISION": "tout le document jusqu’à elle",
    "CONTIGUOUS_BLOCK_FROM_START": "une partie du document seulement",
    "UNCLEAR": "incertaine",
}
PERMISSIONS = {
    1: "aucune modification",
    2: "remplissage des champs et signatures",
    3: "remplissage, signatures et annotations",
}


@dataclass(frozen=True)
class SignatureCheck:
    """What verification found about one signature."""

    field: str
    signer: str
    issuer: str
    signed_at: datetime | None  # the time the signer's machine claimed
    timestamp: datetime | None  # the time a time-stamping authority certified (B-T)
    intact: bool  # the signed bytes are unchanged and the signature matches the certificate
    coverage: str  # pyHanko's SignatureCoverageLevel name
    modifications: str  # pyHanko's ModificationLevel name (changes after the signature)
    modifications_allowed: bool  # the changes after it are within what the certification allows
    certification: int | None  # DocMDP level of a certifying signature (1, 2, 3), None otherwise
    trusted: bool
    trust_problem: str = ""

    @property
    def valid(self) -> bool:
        return (
            self.intact and self.modifications_allowed and self.coverage in {"ENTIRE_FILE", "ENTIRE_REVISION"}
        )


@dataclass(frozen=True)
class Verification:
    """Every signature of a document, in signing order, and the verdict over all."""

    signatures: Sequence[SignatureCheck]
    roots: int  # how many trusted roots were given
    unsigned_fields: Sequence[str] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        """« valide », « invalide » or « non_approuvee » (intact, but no chain to a given root)."""
        if not all(check.valid for check in self.signatures):
            return "invalide"
        if not all(check.trusted for check in self.signatures):
            return "non_approuvee"
        return "valide"


def load_roots(data: Sequence[bytes]) -> list[x509.Certificate]:
    """The trusted roots, from PEM or DER files' contents."""
    roots = []
    for content in data:
        try:
            roots += list(load_certs_from_pemder_data(content))
        except (ValueError, TypeError) as exc:
            raise SignatureError(f"Un fichier de certificats racines est illisible : {exc}") from exc
    return roots


def verify_pdf(pdf: bytes, roots: Sequence[x509.Certificate] = ()) -> Verification:
    """Verify every signature of ``pdf`` against the trusted ``roots`` (offline, nothing fetched)."""
    reader = open_signed(pdf)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        raise UnsignedError("Ce PDF ne porte aucune signature.")
    checks = [_check(signature, roots) for signature in signatures]
    unsigned = [item.name for item in signature_fields(reader) if not item.signed]
    return Verification(checks, len(roots), unsigned)


def open_signed(pdf: bytes) -> PdfFileReader:
    """The PDF opened by pyHanko; NotSignableError when it is not a PDF or is encrypted."""
    if not pdf.lstrip()[:5].startswith(b"%PDF-"):
        raise NotSignableError("Ce fichier n’est pas un PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root  # noqa: B018 - reading the catalog is the check
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotSignableError(f"Ce PDF est illisible : {exc}") from exc
    if reader.encrypted:
        raise NotSignableError("Ce PDF est chiffré : conventum ne signe et ne vérifie que des PDF en clair.")
    return reader


def _check(signature: Any, roots: Sequence[x509.Certificate]) -> SignatureCheck:
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail")
    usage = KeyUsageConstraints(key_usage=SIGNING_USAGES, match_all_key_usages=False)
    try:
        status: PdfSignatureStatus = validate_pdf_signature(
            signature, signer_validation_context=context, key_usage_settings=usage
        )
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotSignableError(
            f"La signature du champ « {signature.field_name} » est illisible : {exc}"
        ) from exc
    level = status.modification_level
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    docmdp = signature.docmdp_level
    timestamp = status.timestamp_validity
    problem = status.trust_problem_indic
    return SignatureCheck(
        field=str(signature.field_name),
        signer=holder_name(status.signing_cert),
        issuer=str(status.signing_cert.issuer.native.get("common_name", "")),
        signed_at=signature.self_reported_timestamp,
        timestamp=timestamp.timestamp
        if timestamp is not None and timestamp.intact and timestamp.valid
        else None,
        intact=bool(status.intact and status.valid),
        coverage=coverage.name,
        modifications=level.name if level is not None else "OTHER",
        modifications_allowed=bool(status.docmdp_ok) and (level is None or level.name != "OTHER"),
        certification=int(docmdp.value) if docmdp is not None else None,
        trusted=bool(status.trusted),
        trust_problem=str(problem.standard_name) if problem is not None else "",
    )
