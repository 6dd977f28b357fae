"""The signer's key: from a PKCS#12 file or a PKCS#11 token (RGS** USB tokens, HSMs), its certificate
checked for the date and the signing key usage before anything is signed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509
from pyhanko.sign.signers import Signer, SimpleSigner

from conventum.errors import (
    CertificateNotForSigningError,
    CertificateOutOfDateError,
    KeyUnavailableError,
    SecretRefusedError,
)
from conventum.french.formatting import format_date

SIGNING_USAGES = {"digital_signature", "non_repudiation"}


@dataclass(frozen=True)
class SigningKey:
    """A pyHanko signer and the certificate it signs with."""

    signer: Signer
    certificate: x509.Certificate

    @property
    def holder(self) -> str:
        """The certificate holder's name (its common name)."""
        return holder_name(self.certificate)


def holder_name(certificate: x509.Certificate) -> str:
    subject = certificate.subject.native
    return str(subject.get("common_name") or certificate.subject.human_friendly)


def from_pkcs12(data: bytes, password: bytes | None, *, where: str) -> SigningKey:
    """The key and certificate of a PKCS#12 file (``where``: its name in messages)."""
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - parsing is the check
    except (ValueError, TypeError) as exc:
        raise KeyUnavailableError(f"{where} n’est pas un fichier PKCS#12 (.p12, .pfx) lisible.") from exc
    try:
        signer = SimpleSigner.load_pkcs12_data(data, [], passphrase=password)
    except ValueError as exc:
        raise SecretRefusedError(f"Le mot de passe du fichier {where} est incorrect.") from exc
    certificate = signer.signing_cert
    assert certificate is not None  # load_pkcs12_data refuses a file without one
    check_certificate(certificate)
    return SigningKey(signer, certificate)


@contextlib.contextmanager
def from_pkcs11(library: str, token: str, key: str, pin: str) -> Iterator[SigningKey]:
    """The key ``key`` (and the certificate of that label) on the token ``token``; the session is
    closed on leaving."""
    from pkcs11 import exceptions as p11  # noqa: PLC0415 - only a token needs it
    from pyhanko.config.pkcs11 import TokenCriteria  # noqa: PLC0415
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session  # noqa: PLC0415

    if not Path(library).is_file():
        raise KeyUnavailableError(f"La bibliothèque PKCS#11 {library} n’existe pas.")
    try:
        session: Any = open_pkcs11_session(library, token_criteria=TokenCriteria(label=token), user_pin=pin)
    except (p11.PinIncorrect, p11.PinLenRange, p11.PinInvalid) as exc:
        raise SecretRefusedError(f"Le code PIN du jeton « {token} » est incorrect.") from exc
    except p11.PinLocked as exc:
        raise SecretRefusedError(f"Le jeton « {token} » est bloqué (trop de codes PIN faux).") from exc
    except p11.PKCS11Error as exc:
        raise KeyUnavailableError(f"Aucun jeton « {token} » n’est présent ({library}).") from exc
    except (OSError, RuntimeError) as exc:
        raise KeyUnavailableError(f"La bibliothèque PKCS#11 {library} ne s’ouvre pas : {exc}") from exc
    try:
        # other_certs_to_pull=None: every certificate on the token (its CA chain) goes into the signature
        signer = PKCS11Signer(session, key_label=key, cert_label=key, other_certs_to_pull=None)
        try:
            certificate = signer.signing_cert
        except p11.PKCS11Error as exc:
            raise KeyUnavailableError(
                f"Le jeton « {token} » n’a pas de clé et de certificat nommés « {key} »."
            ) from exc
        check_certificate(certificate)
        yield SigningKey(signer, certificate)
    finally:
        session.close()


def check_certificate(certificate: x509.Certificate, when: datetime | None = None) -> None:
    """Refuse a certificate out of its validity dates, or whose key usage does not allow signing."""
    when = when or datetime.now(UTC)
    holder = holder_name(certificate)
    start, end = certificate.not_valid_before, certificate.not_valid_after
    if when < start:
        raise CertificateOutOfDateError(
            f"Le certificat de {holder} n’est valable qu’à partir du {format_date(start.date())}."
        )
    if when > end:
        raise CertificateOutOfDateError(f"Le certificat de {holder} a expiré le {format_date(end.date())}.")
    usage = certificate.key_usage_value
    if usage is not None and not SIGNING_USAGES & set(usage.native):
        raise CertificateNotForSigningError(
            f"Le certificat de {holder} ne permet pas de signer (usages de sa clé : "
            f"{', '.join(sorted(usage.native))}) : utilisez le certificat de signature."
        )
