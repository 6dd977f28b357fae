"""A PDF signed as conventum's signing (issue 26) signs: PAdES with pyHanko, the first signature
certifying at DocMDP level 2, by a self-signed test certificate made here (no key on disk)."""

from __future__ import annotations

import datetime as dt
import io
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

with warnings.catch_warnings():  # pyHanko imports cryptography's deprecated DSA (a warning, an error here)
    warnings.simplefilter("ignore")
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext


def _certificate() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Jean-Claude LEROY (test)")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


KEY, CERTIFICATE = _certificate()


def sign(pdf: bytes, *, certify: bool = True) -> bytes:
    """The PDF signed in a new field, certified (DocMDP 2) or an approval signature."""
    der_key = KEY.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    der_cert = CERTIFICATE.public_bytes(serialization.Encoding.DER)
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(der_cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=None,  # type: ignore[arg-type]
    )
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", certify=certify, docmdp_permissions=fields.MDPPerm.FILL_FORMS
    )
    output = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer, output=output)
    return output.getvalue()


def signature_intact(pdf: bytes) -> bool:
    """pyHanko's judgement: the signature intact, valid, covering the file, no disallowed change."""
    root = asn1_x509.Certificate.load(CERTIFICATE.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root])
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0], context)
    return bool(status.intact and status.valid and status.docmdp_ok)
