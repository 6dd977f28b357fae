"""For the signing tests: an RFC 3161 time-stamping authority on a loopback port (pyHanko's test TSA
behind a small HTTP server), a SoftHSM2 token made by the test, the text a stamp draws."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from tests.pki import Identity, Pki

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "4321"


def asn1_cert(identity: Identity) -> Any:
    return asn1_x509.Certificate.load(identity.cert.public_bytes(serialization.Encoding.DER))


@contextlib.contextmanager
def time_stamping_authority(pki: Pki) -> Iterator[str]:
    """An RFC 3161 TSA on 127.0.0.1 signing with the PKI's TSA certificate; yields its URL."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from pyhanko_certvalidator.registry import SimpleCertificateStore

    stamper = DummyTimeStamper(
        tsa_cert=asn1_cert(pki.tsa),
        tsa_key=keys.PrivateKeyInfo.load(pki.tsa.key_der()),
        certs_to_embed=SimpleCertificateStore.from_certs([asn1_cert(pki.intermediate)]),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = tsp.TimeStampReq.load(body)
            response = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def make_token(folder: Path, label: str, who: Identity, chain: Identity) -> dict[str, str]:
    """A SoftHSM2 token ``label`` (PIN ``PIN``) holding ``who``'s key and certificate under the label
    "signature", and its issuing CA's certificate (as RGS tokens do); returns the environment
    (SOFTHSM2_CONF) the library must see."""
    assert SOFTHSM.is_file(), "SoftHSM2 absent : ./setup.sh installe softhsm2"
    assert shutil.which("pkcs11-tool"), "pkcs11-tool absent : ./setup.sh installe opensc"
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    run = lambda *args: subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)  # noqa: E731
    run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "87654321", "--pin", PIN)
    (folder / "key.der").write_bytes(who.key_der())
    (folder / "cert.der").write_bytes(who.cert.public_bytes(serialization.Encoding.DER))
    tool = ("pkcs11-tool", "--module", str(SOFTHSM), "--token-label", label, "--login", "--pin", PIN)
    run(
        *tool,
        "--write-object",
        str(folder / "key.der"),
        "--type",
        "privkey",
        "--label",
        "signature",
        "--id",
        "01",
    )
    run(
        *tool,
        "--write-object",
        str(folder / "cert.der"),
        "--type",
        "cert",
        "--label",
        "signature",
        "--id",
        "01",
    )
    (folder / "ca.der").write_bytes(chain.cert.public_bytes(serialization.Encoding.DER))
    run(*tool, "--write-object", str(folder / "ca.der"), "--type", "cert", "--label", "AC", "--id", "02")
    (folder / "key.der").unlink()
    return {"SOFTHSM2_CONF": str(conf)}


def stamp_text(pdf: bytes, field: str) -> str:
    """The text drawn in a signature field's appearance (its stamp), read through its ToUnicode map:
    the appearance is painted on a blank page and that page's text extracted."""
    reader = PdfReader(io.BytesIO(pdf))
    widget = next(
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/T") == field
    )
    appearance = widget["/AP"]["/N"]
    writer = PdfWriter()
    page = writer.add_blank_page(600, 200)
    copied = writer._add_object(appearance.get_object().clone(writer))
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Stamp"): copied})}
    )
    content = StreamObject()
    content.set_data(b"q 1 0 0 1 10 10 cm /Stamp Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    output = io.BytesIO()
    writer.write(output)
    return PdfReader(output).pages[0].extract_text()
