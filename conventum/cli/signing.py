"""The ``signer`` and ``verifier`` subcommands: sign one party's field with a PKCS#12 file or a PKCS#11
token; verify every signature of a PDF offline. The secret never comes from the command line."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from conventum.cli.reporting import failure_report, stderr_console
from conventum.errors import ConventumError, ExitCode, KeyUnavailableError, OutputError, UsageError
from conventum.output import check_writable, write_atomic

if TYPE_CHECKING:
    from conventum.signing.keys import SigningKey

PASSWORD_HELP = (
    "Fichier dont la première ligne est le mot de passe du .p12 ou le code PIN du jeton "
    "(/dev/fd/N pour un descripteur ouvert) ; sans lui, il est demandé, sans écho."
)


@click.command("signer")
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Fichier PDF signé.")
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier de sortie s’il existe.")
@click.option(
    "--champ",
    required=True,
    help="Champ à signer : son numéro dans l’ordre des signatures, son nom, ou le nom de la partie.",
)
@click.option(
    "--p12", type=click.Path(path_type=Path, dir_okay=False), help="Clé et certificat (.p12, .pfx)."
)
@click.option("--pkcs11", "library", help="Bibliothèque PKCS#11 du jeton (par ex. libsofthsm2.so).")
@click.option("--jeton", "token", help="Nom (étiquette) du jeton PKCS#11.")
@click.option("--cle", "key_label", help="Nom (étiquette) de la clé et du certificat sur le jeton.")
@click.option("--mot-de-passe-fichier", "secret_file", type=click.Path(path_type=Path), help=PASSWORD_HELP)
@click.option(
    "--mot-de-passe-fd", "secret_fd", type=int, help="Descripteur de fichier ouvert d’où lire le secret."
)
@click.option(
    "--qualite", "quality", help="Qualité du signataire sur le tampon (par défaut, celle du champ)."
)
@click.option(
    "--horodatage", "timestamp_url", metavar="URL", help="Service d’horodatage RFC 3161 (PAdES B-T)."
)
def sign_command(  # noqa: PLR0913, PLR0917 - one parameter per option, as Click passes them
    pdf: Path,
    output: Path,
    force: bool,
    champ: str,
    p12: Path | None,
    library: str | None,
    token: str | None,
    key_label: str | None,
    secret_file: Path | None,
    secret_fd: int | None,
    quality: str | None,
    timestamp_url: str | None,
) -> None:
    """Signe le champ d’une partie (PAdES) ; le PDF d’origine n’est jamais modifié."""
    from conventum.signing.keys import from_pkcs11  # noqa: PLC0415 - pyHanko only when signing
    from conventum.signing.sign import prepare, sign_prepared  # noqa: PLC0415

    _check_key_options(p12, library, token, key_label)
    if output.resolve() == pdf.resolve():
        raise UsageError("Le PDF signé ne peut pas remplacer l’original : donnez un autre fichier (-o).")
    prepared = prepare(pdf.read_bytes(), champ)
    check_writable(output, force=force)
    what = "le mot de passe du fichier .p12" if p12 else f"le code PIN du jeton « {token} »"
    secret = _secret(secret_file, secret_fd, what)
    with contextlib.ExitStack() as stack:
        if p12 is not None:
            key = _p12_key(p12, secret)
        else:
            assert library and token and key_label
            key = stack.enter_context(from_pkcs11(library, token, key_label, secret))
        signed = sign_prepared(prepared, key, quality=quality, timestamp_url=timestamp_url)
    write_atomic(output, signed, force=force)
    stderr_console().print(f"[green]Signé :[/] champ « {prepared.field.name} » par {key.holder} → {output}")


def _check_key_options(p12: Path | None, library: str | None, token: str | None, key: str | None) -> None:
    if (p12 is None) == (library is None):
        raise UsageError("Indiquez la clé : --p12 FICHIER, ou --pkcs11 BIBLIOTHÈQUE --jeton NOM --cle NOM.")
    if library is not None and not (token and key):
        raise UsageError("Avec --pkcs11, indiquez aussi --jeton (le jeton) et --cle (la clé).")


def _p12_key(path: Path, secret: str) -> SigningKey:
    from conventum.signing.keys import from_pkcs12  # noqa: PLC0415

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyUnavailableError(f"Le fichier {path} ne se lit pas : {exc.strerror}.") from exc
    return from_pkcs12(data, secret.encode("utf-8"), where=path.name)


def _secret(secret_file: Path | None, secret_fd: int | None, what: str) -> str:
    """The password or PIN: first line of a file or a descriptor, or typed at a hidden prompt."""
    if secret_file is not None and secret_fd is not None:
        raise UsageError("--mot-de-passe-fichier et --mot-de-passe-fd s’excluent : donnez l’un des deux.")
    try:
        if secret_file is not None:
            return _first_line(secret_file.read_bytes())
        if secret_fd is not None:
            with os.fdopen(secret_fd, "rb", closefd=False) as handle:
                return _first_line(handle.read())
    except OSError as exc:
        raise UsageError(f"Le secret ne se lit pas : {exc.strerror or exc}.") from exc
    value: str = click.prompt(f"Saisissez {what}", hide_input=True, err=True)
    return value


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8").splitlines()
    return lines[0] if lines else ""


@click.command("verifier")
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--racines",
    "roots",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Certificats des autorités racines de confiance (PEM ou DER) ; répétable.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format du rapport."
)
def verify_command(pdf: Path, roots: tuple[Path, ...], fmt: str) -> None:
    """Vérifie hors ligne chaque signature : signataire, date, intégrité, portée, confiance."""
    from conventum.signing.report import report_data, report_text  # noqa: PLC0415
    from conventum.signing.verify import load_roots, verify_pdf  # noqa: PLC0415

    with _json_failures(fmt == "json"):
        verification = verify_pdf(pdf.read_bytes(), load_roots([path.read_bytes() for path in roots]))
    if fmt == "json":
        click.echo(json.dumps(report_data(verification), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(verification))
    sys.exit(EXIT_CODES[verification.status])


EXIT_CODES = {
    "valide": ExitCode.OK,
    "invalide": ExitCode.SIGNATURE_INVALID,
    "non_approuvee": ExitCode.SIGNATURE_UNTRUSTED,
}


@contextlib.contextmanager
def _json_failures(wanted: bool) -> Iterator[None]:
    """With ``--format json``, a failure is a JSON report on stdout too (then its exit code)."""
    try:
        yield
    except ConventumError as exc:
        if not wanted or isinstance(exc, OutputError):
            raise
        click.echo(failure_report(exc))
        sys.exit(exc.exit_code)


COMMANDS = [sign_command, verify_command]
