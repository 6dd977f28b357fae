"""The library's signing entry points: ``conventum.sign_pdf`` and ``conventum.verify_pdf``."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from conventum.errors import KeyUnavailableError, UsageError
from conventum.output import check_writable, write_atomic
from conventum.signing import sign, verify
from conventum.signing.keys import SigningKey, from_pkcs11, from_pkcs12


@dataclass(frozen=True)
class TokenKey:
    """A key on a PKCS#11 token: the module's shared object, the token's label, the key's label, the PIN."""

    module: str
    token: str
    key: str
    pin: str


def sign_pdf(  # noqa: PLR0913 - keyword-only, one per way of giving the key
    pdf: bytes | Path,
    *,
    field: str,
    p12: Path | None = None,
    password: str | bytes | None = None,
    token: TokenKey | None = None,
    key: SigningKey | None = None,
    quality: str | None = None,
    timestamp_url: str | None = None,
    output: Path | None = None,
    force: bool = False,
) -> bytes:
    """``pdf`` signed in ``field`` (its number in the signing order, its name, or the party's name)
    with one key: a PKCS#12 file and its password, a PKCS#11 ``token``, or a ready ``key``.

    Returns the signed PDF; with ``output``, also writes it (atomically, replacing only with
    ``force=True``). The input is never modified."""
    if sum(source is not None for source in (p12, token, key)) != 1:
        raise UsageError("Donnez une seule clé : p12 (avec password), token ou key.")
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    prepared = sign.prepare(data, field)
    if output is not None:
        check_writable(output, force=force)
    with contextlib.ExitStack() as stack:
        if p12 is not None:
            secret = password.encode("utf-8") if isinstance(password, str) else password
            try:
                content = p12.read_bytes()
            except OSError as exc:
                raise KeyUnavailableError(f"Le fichier {p12} ne se lit pas : {exc.strerror}.") from exc
            key = from_pkcs12(content, secret, where=p12.name)
        elif token is not None:
            key = stack.enter_context(from_pkcs11(token.module, token.token, token.key, token.pin))
        assert key is not None
        signed = sign.sign_prepared(prepared, key, quality=quality, timestamp_url=timestamp_url)
    if output is not None:
        write_atomic(output, signed, force=force)
    return signed


def verify_pdf(pdf: bytes | Path, roots: Sequence[bytes | Path] = ()) -> verify.Verification:
    """Every signature of ``pdf`` checked offline; ``roots``: trusted root certificates (PEM or DER,
    as bytes or files). A signer whose chain reaches none of them is intact but not approved."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    contents = [root.read_bytes() if isinstance(root, Path) else root for root in roots]
    return verify.verify_pdf(data, verify.load_roots(contents))
