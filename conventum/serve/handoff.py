"""What the hand-off endpoints (``/v1/actes``, ``/v1/publications``) share: the form's fields read
as the command's options, its files saved under checked names in the request's folder, the folder
written answered as one ZIP with its JSON report in a header, the library's refusals as reports."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from conventum.errors import ConventumError, TemplateError, ValidationFailed
from conventum.serve.http_api import REPORT_HEADER, invalid, report_header, report_json, state_of
from conventum.serve.inputs import media_type, parse_data, safe_name
from conventum.serve.problems import HttpProblem
from conventum.validation.report import failure_report_data

ZIP = "application/zip"
Result = TypeVar("Result")


async def form_of(request: Request) -> FormData:
    """The multipart form of the request; 415 for any other body."""
    kind = media_type(request.headers.get("content-type"))
    if kind != "multipart/form-data":
        raise HttpProblem(415, "requete.type_contenu", recu=kind or "aucun", attendu="multipart/form-data")
    return await request.form()


def text_field(form: FormData, name: str) -> str | None:
    """A text field of the form, stripped (None when absent or empty); 400 if a file was sent."""
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise HttpProblem(400, "requete.valeur", nom=name, raison="un fichier ; attendu : un texte")
    return value.strip() or None


def flag_field(form: FormData, name: str) -> bool:
    """A yes/no field: true, 1, oui, on (what a form or a client sends)."""
    return (text_field(form, name) or "").lower() in ("true", "1", "oui", "on")


async def data_field(form: FormData, name: str, *, required: bool = True) -> dict[str, Any] | None:
    """A JSON or YAML object, given as a text field or a file."""
    value = form.get(name)
    if value is None or value == "":
        if required:
            raise HttpProblem(400, "requete.champ_manquant", champ=name)
        return None
    if isinstance(value, UploadFile):
        return parse_data(await value.read(), "application/yaml", source=name)
    return parse_data(value.encode(), "application/yaml", source=name)  # YAML reads JSON too


async def file_field(form: FormData, name: str, folder: Path, *, required: bool = False) -> Path | None:
    """An uploaded file saved in the request's folder under its checked name."""
    found = [await save(item, folder) for item in form.getlist(name) if isinstance(item, UploadFile)]
    if not found and required:
        raise HttpProblem(400, "requete.champ_manquant", champ=name)
    return found[0] if found else None


async def save(upload: UploadFile, folder: Path) -> Path:
    name = safe_name(upload.filename or "fichier")
    target = folder / name
    if target.exists():
        raise HttpProblem(422, "requete.nom_fichier", nom=name)
    target.write_bytes(await upload.read())
    return target


def plain_name(name: str, available: Mapping[str, Path]) -> Path:
    """A file the data name: one of the uploaded files, never a path of the server's disk."""
    if PurePosixPath(name.replace("\\", "/")).name != name or name not in available:
        raise HttpProblem(422, "requete.nom_fichier", nom=name)
    return available[name]


def zipped(folder: Path) -> bytes:
    """The folder's files in one ZIP, by name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


async def answered(
    request: Request, work: Callable[[], tuple[bytes, dict[str, Any]]], *, filename: str
) -> Response:
    """Run the work behind the pool's queue; its ZIP with the report in ``X-Conventum-Rapport``,
    or the report of its refusal (422)."""
    try:
        content, report = await state_of(request).pool.run("zip", work)
    except ValidationFailed as exc:
        return invalid(exc)
    except TemplateError as exc:
        raise HttpProblem(500, "service.modele", detail=exc.message) from exc
    except ConventumError as exc:
        return report_json(failure_report_data(exc), 422)
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        REPORT_HEADER: report_header(report),
    }
    return Response(content, media_type=ZIP, headers=headers)


def multipart_body(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    """An OpenAPI multipart request body."""
    return {
        "required": True,
        "description": description,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "required": required, "properties": properties}
            }
        },
    }
