"""Reading what a request sends: data as JSON or YAML, uploaded files kept in a temporary folder
under safe names, annex references checked against those files."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from starlette.datastructures import UploadFile

from conventum.errors import DataFileError
from conventum.model.loading import parse_text
from conventum.serve.problems import HttpProblem

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
SAFE_NAME = re.compile(r"^[^\x00-\x1f/\\:*?\"<>|]{1,150}$")


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def data_format(content_type: str) -> str:
    """``json`` or ``yaml`` for a body of this type, else a 415 with a French message."""
    kind = media_type(content_type)
    fmt = "json" if kind in JSON_TYPES else "yaml" if kind in YAML_TYPES else None
    if fmt is None:
        raise HttpProblem(
            415, "requete.type_contenu", recu=kind or "aucun", attendu="application/json ou application/yaml"
        )
    return fmt


def parse_data(raw: bytes, content_type: str, *, source: str = "requête") -> dict[str, Any]:
    """The data of a JSON or YAML body: an object, else a 400 with a French message."""
    fmt = data_format(content_type)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HttpProblem(400, "requete.json_invalide", detail="le texte n’est pas en UTF-8") from None
    try:
        data = parse_text(text, fmt=fmt, source=source)
    except DataFileError as exc:
        raise HttpProblem(400, "requete.json_invalide", detail=exc.message) from exc
    if not isinstance(data, dict):
        raise HttpProblem(400, "requete.json_objet")
    return data


def safe_name(name: str) -> str:
    """An uploaded file's name, refused (400) when it holds a folder, ``..`` or a forbidden character."""
    if not SAFE_NAME.match(name) or name in (".", "..") or PurePosixPath(name).name != name:
        raise HttpProblem(400, "requete.nom_fichier", nom=name)
    return name


@contextmanager
def upload_folder() -> Iterator[Path]:
    """A temporary folder for one request's files, removed when the response is done."""
    folder = Path(tempfile.mkdtemp(prefix="conventum-serve-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def save_uploads(files: list[UploadFile], folder: Path) -> list[str]:
    """Write each uploaded file under its (checked) name in the folder."""
    names = []
    for upload in files:
        if not upload.filename:
            continue
        name = safe_name(upload.filename)
        with (folder / name).open("wb") as handle:
            while chunk := await upload.read(1 << 20):
                handle.write(chunk)
        names.append(name)
    return names


def check_annex_files(data: Mapping[str, Any], available: list[str]) -> None:
    """Every annex ``fichier`` in the data (at any depth) names one of the uploaded files.

    The server never reads a file of its own disk because data named it."""
    for numero, fichier in _annex_files(data):
        if PurePosixPath(fichier.replace("\\", "/")).name != fichier:
            raise HttpProblem(422, "requete.nom_fichier", nom=fichier)
        if fichier not in available:
            raise HttpProblem(422, "requete.annexe_sans_fichier", numero=numero, fichier=fichier)


def _annex_files(value: Any) -> Iterator[tuple[Any, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "annexes" and isinstance(item, list):
                for annex in item:
                    if isinstance(annex, Mapping) and annex.get("fichier") not in (None, ""):
                        yield annex.get("numero", "?"), str(annex["fichier"])
            yield from _annex_files(item)
    elif isinstance(value, list):
        for item in value:
            yield from _annex_files(item)
