"""Signing a two-party convention in turn (a PKCS#12 file, then a SoftHSM2 token), verifying it with
conventum and independently with pyHanko's validator, the PDF/A-1b proved by Preflight after each
signature, and every bad input refused with its French message and exit code, nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

import conventum
from conventum import Converter, render_document
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.pdf.pdfio import page_texts
from tests.pki import Pki, make_pki
from tests.signing_support import PIN, SOFTHSM, asn1_cert, make_token, stamp_text, time_stamping_authority
from tests.support import SAMPLES
from tests.test_pdfa import preflight

PASSWORD = "mot de passe du maire"
SYNDICAT = "Syndicat mixte Nord – Pas-de-Calais Numérique – La Fibre Numérique 59 62"
DEPARTEMENT = "Département du Pas-de-Calais"


@dataclass
class Setup:
    folder: Path
    pki: Pki
    blank: Path  # the convention, PDF/A-1b, fields empty
    p12: Path
    password: Path
    pin: Path
    root: Path
    token_env: dict[str, str]

    def p12_of(self, who: Any, name: str) -> Path:
        return self.pki.p12(who, self.folder / name, PASSWORD.encode())


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("signature")
    pki = make_pki()
    with Converter(workers=1) as converter:
        pdf = render_document(
            "adhesion-centrale-achats",
            SAMPLES / "adhesion-centrale-achats.yaml",
            fmt="pdf",
            pdfa="1b",
            converter=converter,
        ).content
    (folder / "convention.pdf").write_bytes(pdf)
    (folder / "mdp.txt").write_text(PASSWORD + "\n")
    (folder / "pin.txt").write_text(PIN + "\n")
    (folder / "racine.pem").write_bytes(pki.root.pem())
    token_env = make_token(folder / "hsm", "Departement", pki.president, pki.intermediate)
    saved = {name: os.environ.get(name) for name in token_env}
    os.environ.update(token_env)  # the PKCS#11 library is loaded in this process by the command
    try:
        yield Setup(
            folder,
            pki,
            folder / "convention.pdf",
            pki.p12(pki.maire, folder / "maire.p12", PASSWORD.encode()),
            folder / "mdp.txt",
            folder / "pin.txt",
            folder / "racine.pem",
            token_env,
        )
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(*args: str | Path, input: str | None = None) -> Any:
    return CliRunner().invoke(main, [str(arg) for arg in args], input=input)


def sign_with_p12(setup: Setup, source: Path, target: Path, field: str, p12: Path | None = None) -> Any:
    return run(
        "signer", source, "--champ", field, "--p12", p12 or setup.p12,
        "--mot-de-passe-fichier", setup.password, "-o", target,
    )  # fmt: skip


def sign_with_token(setup: Setup, source: Path, target: Path, field: str, pin: Path | None = None) -> Any:
    return run(
        "signer", source, "--champ", field, "--pkcs11", SOFTHSM, "--jeton", "Departement",
        "--cle", "signature", "--mot-de-passe-fichier", pin or setup.pin, "-o", target,
    )  # fmt: skip


@pytest.fixture(scope="module")
def signed(setup: Setup) -> tuple[Path, Path]:
    """The convention signed by the syndicat (PKCS#12, by its party name), then by the département
    (the token, by its number in the signing order)."""
    first, second = setup.folder / "signee-1.pdf", setup.folder / "signee-2.pdf"
    result = sign_with_p12(setup, setup.blank, first, "Syndicat mixte Nord")
    assert result.exit_code == 0, result.output
    result = sign_with_token(setup, first, second, "2")
    assert result.exit_code == 0, result.output
    return first, second


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_both_parties_sign_in_turn_and_conventum_verifies(setup: Setup, signed: tuple[Path, Path]) -> None:
    first, second = signed
    assert second.read_bytes().startswith(first.read_bytes())  # the second is an incremental update
    result = run("verifier", second, "--racines", setup.root, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads(result.output)
    assert report["statut"] == "valide"
    one, two = report["signatures"]
    assert (one["champ"], one["signataire"]) == (SYNDICAT, "Christophe COULON")
    assert (two["champ"], two["signataire"]) == (DEPARTEMENT, "Jean-Claude LEROY")
    assert one["intacte"] and two["intacte"] and one["approuvee"] and two["approuvee"]
    assert one["certification"] == 2 and two["certification"] is None
    assert (one["portee"], one["modifications_apres"]) == ("entire_revision", "form_filling")
    assert (two["portee"], two["modifications_apres"]) == ("entire_file", "none")
    assert report["champs_non_signes"] == []
    text = run("verifier", second, "--racines", setup.root)
    assert text.exit_code == 0
    assert "Signataire : Christophe COULON" in text.output
    assert (
        "Modifications après elle : remplissage de champs et signatures suivantes (permises)" in text.output
    )
    assert "Verdict : toutes les signatures sont valides et approuvées." in text.output


def test_without_the_root_the_signatures_are_intact_but_not_approved(signed: tuple[Path, Path]) -> None:
    result = run("verifier", signed[1])
    assert result.exit_code == ExitCode.SIGNATURE_UNTRUSTED, result.output
    assert "aucune autorité racine donnée (--racines)" in result.output
    other = make_pki()  # another authority's root: still not approved
    verification = conventum.verify_pdf(signed[1], [other.root.pem()])
    assert verification.status == "non_approuvee"
    assert all(check.intact and not check.trusted for check in verification.signatures)


def test_pyhanko_validator_agrees(setup: Setup, signed: tuple[Path, Path]) -> None:
    """pyHanko's own validator, with its own validation context: intact, trusted with the root only,
    the certification allows the second signature and nothing else, each covers the whole document."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from conventum.signing.verify import MODIFICATIONS  # noqa: F401 - conventum.signing silences pyHanko's DSA warning

    reader = PdfFileReader(io.BytesIO(signed[1].read_bytes()))
    first, second = reader.embedded_regular_signatures
    trusted = ValidationContext(trust_roots=[asn1_cert(setup.pki.root)], allow_fetching=False)
    status = validate_pdf_signature(first, trusted)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert status.modification_level is not None and status.modification_level.name == "FORM_FILLING"
    assert status.docmdp_ok
    assert status.diff_result.changed_form_fields == {DEPARTEMENT}  # only the second signature
    assert first.docmdp_level is not None and first.docmdp_level.value == 2
    status = validate_pdf_signature(second, trusted)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    untrusted = ValidationContext(trust_roots=[], allow_fetching=False)
    status = validate_pdf_signature(first, untrusted)
    assert status.intact and status.valid and not status.trusted


def test_the_pdfa_1b_passes_preflight_after_each_signature(setup: Setup, signed: tuple[Path, Path]) -> None:
    for path in (setup.blank, *signed):
        verdict = preflight(path)
        assert "is a valid PDF/A-1b file" in verdict, verdict


def test_info_and_xmp_agree_after_signing(signed: tuple[Path, Path]) -> None:
    reader = PdfReader(signed[1])
    info = reader.metadata
    assert info is not None
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert info["/Producer"].startswith("LibreOffice") and "conventum" in info["/Producer"]
    assert f"<pdf:Producer>{info['/Producer']}</pdf:Producer>" in packet
    assert packet.count("Producer") == 2  # one element, opened and closed: the old one replaced
    moddate = str(info["/ModDate"])  # D:20261207193055Z… and 2026-12-07T19:30:55Z
    stamp = (
        f"{moddate[2:6]}-{moddate[6:8]}-{moddate[8:10]}T{moddate[10:12]}:{moddate[12:14]}:{moddate[14:16]}"
    )
    assert f"<xmp:ModifyDate>{stamp}" in packet
    assert "<dc:title>" in packet or "dc:title" in packet


def test_text_tags_and_accessibility_are_kept(
    setup: Setup, signed: tuple[Path, Path], tmp_path: Path
) -> None:
    from tests.test_page_layout import assert_accessible

    for path in (setup.blank, *signed):  # issue 22's checks (pdfua and the tagged fields), unchanged
        assert_accessible(path.read_bytes(), tmp_path, fields=2)
    before = page_texts(setup.blank.read_bytes(), what="la convention")
    after = page_texts(signed[1].read_bytes(), what="la convention signée")
    assert after == before
    assert any(re.search(r"#signature\d*#", page) for page in after)  # the parapheur tags are still there
    old, new = PdfReader(setup.blank), PdfReader(signed[1])
    for key in ("/StructTreeRoot", "/MarkInfo", "/Lang"):
        assert key in new.trailer["/Root"], key
    assert new.trailer["/Root"]["/MarkInfo"] == old.trailer["/Root"]["/MarkInfo"]
    tooltips = {name: field.get("/TU") for name, field in (old.get_fields() or {}).items()}
    assert {name: field.get("/TU") for name, field in (new.get_fields() or {}).items()} == tooltips
    for name, field in (new.get_fields() or {}).items():
        old_field = (old.get_fields() or {})[name]
        if "/StructParent" in old_field:
            assert field["/StructParent"] == old_field["/StructParent"]


def test_the_stamp_says_who_signed_in_which_quality_and_when(signed: tuple[Path, Path]) -> None:
    text = " ".join(stamp_text(signed[1].read_bytes(), DEPARTEMENT).split())
    assert text.startswith("Signé électroniquement par Jean-Claude LEROY Président du Conseil départemental")
    assert "pour le Département du Pas-de-Calais" in text
    assert " à " in text and "(UTC" in text
    first = " ".join(stamp_text(signed[1].read_bytes(), SYNDICAT).split())
    assert "Christophe COULON Président pour le Syndicat mixte" in first


def test_a_time_stamp_makes_it_pades_b_t(setup: Setup) -> None:
    target = setup.folder / "horodatee.pdf"
    with time_stamping_authority(setup.pki) as url:
        signed = conventum.sign_pdf(
            setup.blank, field="1", p12=setup.p12, password=PASSWORD, timestamp_url=url, output=target
        )
    assert target.read_bytes() == signed
    verification = conventum.verify_pdf(signed, [setup.root])
    (check,) = verification.signatures
    assert check.timestamp is not None and check.trusted and verification.status == "valide"
    assert (
        "certifiée par une autorité d’horodatage" in run("verifier", target, "--racines", setup.root).output
    )


def test_an_unreachable_time_stamping_authority(setup: Setup) -> None:
    with time_stamping_authority(setup.pki) as url:
        pass  # stopped: nobody answers there any more
    target = setup.folder / "jamais.pdf"
    result = run(
        "signer", setup.blank, "--champ", "1", "--p12", setup.p12, "--mot-de-passe-fichier", setup.password,
        "--horodatage", url, "-o", target,
    )  # fmt: skip
    assert result.exit_code == ExitCode.TIMESTAMP, result.output
    assert "Le service d’horodatage" in result.output and not target.exists()


def test_the_password_from_a_prompt_or_a_descriptor(setup: Setup) -> None:
    target = setup.folder / "invite.pdf"
    result = run(
        "signer", setup.blank, "--champ", "1", "--p12", setup.p12, "-o", target, input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Saisissez le mot de passe du fichier .p12" in result.output
    assert PASSWORD not in result.output  # not echoed
    read, write = os.pipe()
    os.write(write, PASSWORD.encode() + b"\n")
    os.close(write)
    try:
        target = setup.folder / "descripteur.pdf"
        result = run(
            "signer",
            setup.blank,
            "--champ",
            "1",
            "--p12",
            setup.p12,
            "--mot-de-passe-fd",
            str(read),
            "-o",
            target,
        )
    finally:
        os.close(read)
    assert result.exit_code == 0, result.output


@dataclass(frozen=True)
class Bad:
    name: str
    code: int
    words: str


def refused(setup: Setup, result: Any, source: Path, target: Path, bad: Bad, before: str) -> None:
    assert result.exit_code == bad.code, (bad.name, result.output)
    assert bad.words in " ".join(result.output.split()), (bad.name, result.output)
    assert not target.exists(), bad.name
    assert digest(source) == before, bad.name


def test_bad_keys_are_refused_each_with_its_code(setup: Setup) -> None:
    wrong = setup.folder / "faux.txt"
    wrong.write_text("pas le bon\n")
    pki = setup.pki
    cases = [
        (Bad("mot de passe", ExitCode.SECRET_REFUSED, "Le mot de passe du fichier maire.p12 est incorrect"),
         dict(p12=setup.p12, secret=wrong)),
        (Bad("PIN", ExitCode.SECRET_REFUSED, "Le code PIN du jeton « Departement » est incorrect"),
         dict(token=True, secret=wrong)),
        (Bad("expiré", ExitCode.CERTIFICATE_OUT_OF_DATE, "Le certificat de Agent expiré a expiré le"),
         dict(p12=setup.p12_of(pki.expired, "expire.p12"))),
        (Bad("futur", ExitCode.CERTIFICATE_OUT_OF_DATE, "n’est valable qu’à partir du"),
         dict(p12=setup.p12_of(pki.future, "futur.p12"))),
        (Bad("usage", ExitCode.CERTIFICATE_NOT_FOR_SIGNING, "ne permet pas de signer"),
         dict(p12=setup.p12_of(pki.no_signing, "chiffrement.p12"))),
        (Bad("pas un p12", ExitCode.KEY_UNAVAILABLE, "n’est pas un fichier PKCS#12"),
         dict(p12=setup.root)),
    ]  # fmt: skip
    before = digest(setup.blank)
    for bad, how in cases:
        target = setup.folder / f"refus-{bad.name}.pdf"
        if how.get("token"):
            result = sign_with_token(setup, setup.blank, target, "2", pin=how["secret"])
        else:
            result = run(
                "signer", setup.blank, "--champ", "1", "--p12", how["p12"],
                "--mot-de-passe-fichier", how.get("secret", setup.password), "-o", target,
            )  # fmt: skip
        refused(setup, result, setup.blank, target, bad, before)


def test_bad_fields_and_documents_are_refused_each_with_its_code(
    setup: Setup, signed: tuple[Path, Path]
) -> None:
    plain = setup.folder / "autre.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with plain.open("wb") as handle:
        writer.write(handle)
    encrypted = setup.folder / "chiffre.pdf"
    locked = PdfWriter(clone_from=setup.blank)
    locked.encrypt("secret", algorithm="AES-256")
    with encrypted.open("wb") as handle:
        locked.write(handle)
    not_pdf = setup.folder / "image.pdf"
    not_pdf.write_bytes(b"GIF89a pas un PDF")
    cases = [
        (setup.blank, "Mairie", Bad("champ", ExitCode.UNKNOWN_FIELD,
            f"Aucun champ de signature ne s’appelle « Mairie ». Champs du document : 1. {SYNDICAT} (page 5) ; 2. {DEPARTEMENT} (page 5)")),
        (setup.blank, "7", Bad("numéro", ExitCode.UNKNOWN_FIELD, "Aucun champ de signature ne s’appelle « 7 »")),
        (signed[0], SYNDICAT, Bad("déjà signé", ExitCode.FIELD_ALREADY_SIGNED,
            f"Le champ de signature « {SYNDICAT} » est déjà signé ; champs encore à signer : « {DEPARTEMENT} »")),
        (plain, "1", Bad("pas conventum", ExitCode.NOT_SIGNABLE, "Ce PDF n’a aucun champ de signature")),
        (encrypted, "1", Bad("chiffré", ExitCode.NOT_SIGNABLE, "Ce PDF est chiffré")),
        (not_pdf, "1", Bad("pas un PDF", ExitCode.NOT_SIGNABLE, "Ce fichier n’est pas un PDF")),
    ]  # fmt: skip
    for source, field, bad in cases:
        before = digest(source)
        target = setup.folder / f"refus-{bad.name}.pdf"
        refused(setup, sign_with_p12(setup, source, target, field), source, target, bad, before)


def test_a_tampered_signed_pdf_is_refused_by_signer_and_verifier(
    setup: Setup, signed: tuple[Path, Path]
) -> None:
    data = bytearray(signed[0].read_bytes())
    # One byte changed in the first compressed stream, well inside what the first signature covers.
    position = data.index(b"stream", data.index(b"/FlateDecode")) + 20
    data[position] ^= 0x01
    tampered = setup.folder / "alteree.pdf"
    tampered.write_bytes(bytes(data))
    before = digest(tampered)
    target = setup.folder / "refus-altere.pdf"
    result = sign_with_token(setup, tampered, target, "2")
    refused(setup, result, tampered, target,
            Bad("altéré", ExitCode.SIGNATURE_INVALID, f"Le document a été modifié après la signature de « {SYNDICAT} »"), before)  # fmt: skip
    result = run("verifier", tampered, "--racines", setup.root)
    assert result.exit_code == ExitCode.SIGNATURE_INVALID, result.output
    assert "Intégrité : ROMPUE" in result.output
    assert "Verdict : au moins une signature n’est pas valide." in result.output


def test_verifying_an_unsigned_pdf(setup: Setup) -> None:
    result = run("verifier", setup.blank, "--format", "json")
    assert result.exit_code == ExitCode.UNSIGNED
    assert json.loads(result.output)["echec"]["code"] == "document_non_signe"


def test_the_output_is_not_the_input_and_not_overwritten(setup: Setup, signed: tuple[Path, Path]) -> None:
    before = digest(setup.blank)
    result = sign_with_p12(setup, setup.blank, setup.blank, "1")
    assert result.exit_code == ExitCode.USAGE and digest(setup.blank) == before
    result = sign_with_p12(setup, setup.blank, signed[1], "1")
    assert result.exit_code == ExitCode.OUTPUT and "--force" in result.output


def test_the_server_verifies_and_never_signs(setup: Setup, signed: tuple[Path, Path]) -> None:
    from tests.serve_support import running_server

    pdf = signed[1].read_bytes()
    with running_server("--workers", "1", folder=setup.folder) as server, server.client() as http:
        plain = http.post(
            "/v1/signatures/verification", content=pdf, headers={"Content-Type": "application/pdf"}
        )
        assert plain.status_code == 200, plain.text
        assert plain.json()["statut"] == "non_approuvee"
        files = [
            ("document", ("signee.pdf", pdf, "application/pdf")),
            ("racines", ("ac.pem", setup.pki.root.pem())),
        ]
        rooted = http.post("/v1/signatures/verification", files=files)
        assert rooted.status_code == 200, rooted.text
        report = rooted.json()
        assert report == json.loads(
            run("verifier", signed[1], "--racines", setup.root, "--format", "json").output
        )
        junk = http.post(
            "/v1/signatures/verification", content=b"GIF89a", headers={"Content-Type": "application/pdf"}
        )
        assert junk.status_code == 422 and junk.json()["echec"]["code"] == "document_non_signable"
        assert "Ce fichier n’est pas un PDF" in junk.json()["echec"]["message"]
        paths = set(http.get("/openapi.json").json()["paths"])
        assert "/v1/signatures/verification" in paths
        assert not [path for path in paths if "sign" in path and "verification" not in path]
