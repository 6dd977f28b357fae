"""A test PKI made with ``cryptography``: a root, an intermediate, signer certificates (good, expired,
not yet valid, without the signing key usage), a time-stamping authority; PKCS#12 files of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.now(UTC)
SIGNING_USAGE = {"digital_signature": True, "content_commitment": True}
ENCIPHERMENT_ONLY = {"key_encipherment": True}


@dataclass(frozen=True)
class Identity:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_der(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def _name(common: str, organisation: str = "Conventum test") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _usage(**flags: bool) -> x509.KeyUsage:
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
    )
    values = {name: flags.get(name, False) for name in names}
    return x509.KeyUsage(**values, encipher_only=False, decipher_only=False)


def issue(
    common: str,
    issuer: Identity | None,
    *,
    ca: bool = False,
    usage: dict[str, bool] | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    timestamping: bool = False,
) -> Identity:
    """A certificate for ``common`` signed by ``issuer`` (self-signed when None)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(common)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=30))
        .not_valid_after(not_after or NOW + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        builder = builder.add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
    else:
        builder = builder.add_extension(_usage(**(usage or SIGNING_USAGE)), critical=True)
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    signer_key = issuer.key if issuer else key
    return Identity(builder.sign(signer_key, hashes.SHA256()), key)


@dataclass(frozen=True)
class Pki:
    root: Identity
    intermediate: Identity
    maire: Identity
    president: Identity
    expired: Identity
    future: Identity
    no_signing: Identity
    tsa: Identity

    def p12(self, who: Identity, path: Path, password: bytes) -> Path:
        """``who``'s key, certificate and the intermediate in a PKCS#12 file."""
        data = pkcs12.serialize_key_and_certificates(
            who.cert.subject.rfc4514_string().encode(),
            who.key,
            who.cert,
            [self.intermediate.cert],
            serialization.BestAvailableEncryption(password),
        )
        path.write_bytes(data)
        return path


def make_pki() -> Pki:
    root = issue("AC racine de test", None, ca=True, not_after=NOW + timedelta(days=3650))
    intermediate = issue("AC signature de test", root, ca=True, not_after=NOW + timedelta(days=1825))
    return Pki(
        root=root,
        intermediate=intermediate,
        maire=issue("Christophe COULON", intermediate),
        president=issue("Jean-Claude LEROY", intermediate),
        expired=issue(
            "Agent expiré",
            intermediate,
            not_before=NOW - timedelta(days=400),
            not_after=NOW - timedelta(days=1),
        ),
        future=issue("Agent futur", intermediate, not_before=NOW + timedelta(days=10)),
        no_signing=issue("Agent chiffrement", intermediate, usage=ENCIPHERMENT_ONLY),
        tsa=issue("Horodatage de test", intermediate, timestamping=True),
    )
