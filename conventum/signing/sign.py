"""Signing one party's field: PAdES B-B (B-T with an RFC 3161 time-stamp), the first signature
certifying the document (later fields may still be filled and signed), each one an incremental update
that keeps the PDF/A valid. The input is never modified: the signed PDF is returned."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from asyncio import to_thread
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import tzlocal
from asn1crypto import tsp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers

from conventum.errors import SignatureInvalidError, TimestampError
from conventum.signing.fields import SignatureField, choose_field, signature_fields
from conventum.signing.keys import SigningKey
from conventum.signing.metadata import SigningWriter
from conventum.signing.stamp import StampText, party_from_tooltip, quality_from_tooltip, stamp_style
from conventum.signing.verify import open_signed, verify_pdf

TSA_TIMEOUT = 20  # seconds


@dataclass(frozen=True)
class Prepared:
    """A document checked for signing: the field to sign, whether this signature certifies it."""

    pdf: bytes
    field: SignatureField
    certify: bool


def prepare(pdf: bytes, field: str) -> Prepared:
    """Check before any key is asked for: a readable PDF in clear, with signature fields, ``field``
    one of them and empty, the signatures already there intact (a document tampered with after a
    signature is refused)."""
    reader = open_signed(pdf)
    chosen = choose_field(signature_fields(reader), field)
    signed = reader.embedded_regular_signatures
    if signed:
        broken = [check.field for check in verify_pdf(pdf).signatures if not check.valid]
        if broken:
            raise SignatureInvalidError(
                "Le document a été modifié après la signature de "
                + ", ".join(f"« {name} »" for name in broken)
                + " : il ne peut pas être signé (demandez l’original signé)."
            )
    return Prepared(pdf, chosen, certify=not signed)


def sign_prepared(
    prepared: Prepared,
    key: SigningKey,
    *,
    quality: str | None = None,
    timestamp_url: str | None = None,
    when: datetime | None = None,
) -> bytes:
    """The document with ``key``'s signature in the prepared field."""
    field = prepared.field
    text = StampText(
        name=key.holder,
        quality=quality if quality is not None else quality_from_tooltip(field.tooltip),
        party=party_from_tooltip(field.tooltip, field.name),
        when=when or datetime.now(tzlocal.get_localzone()),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field.name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=prepared.certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        name=key.holder,
    )
    timestamper = UrlTimeStamper(timestamp_url) if timestamp_url else None
    signer = signers.PdfSigner(metadata, key.signer, timestamper=timestamper, stamp_style=stamp_style())
    reader = PdfFileReader(io.BytesIO(prepared.pdf), strict=False)
    writer = SigningWriter(reader.stream, prev=reader)
    try:
        output = signer.sign_pdf(
            writer, existing_fields_only=True, appearance_text_params={"conventum": text.lines()}
        )
    except (TimestampRequestError, SigningError) as exc:
        if not timestamp_url:
            raise
        raise TimestampError(
            f"Le service d’horodatage {timestamp_url} n’a pas répondu correctement : {exc}"
        ) from exc
    return bytes(output.getbuffer())


def sign_pdf(
    pdf: bytes,
    key: SigningKey,
    *,
    field: str,
    quality: str | None = None,
    timestamp_url: str | None = None,
) -> bytes:
    """``pdf`` with ``key``'s signature in the field ``field`` (its number, name or party)."""
    return sign_prepared(prepare(pdf, field), key, quality=quality, timestamp_url=timestamp_url)


class UrlTimeStamper(TimeStamper):
    """An RFC 3161 client over the standard library's HTTP (no extra dependency)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def post() -> Any:
            request = urllib.request.Request(
                self.url, data=req.dump(), headers=set_tsp_headers({}), method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=TSA_TIMEOUT) as response:
                    kind = response.headers.get("Content-Type", "")
                    body = response.read()
            except (OSError, urllib.error.URLError) as exc:
                raise TimestampRequestError(f"injoignable ({exc})") from exc
            if kind != "application/timestamp-reply":
                raise TimestampRequestError(f"réponse de type « {kind} » au lieu d’un jeton d’horodatage")
            return tsp.TimeStampResp.load(body)

        response: tsp.TimeStampResp = await to_thread(post)
        return response
