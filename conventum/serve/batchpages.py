"""The batch in the browser: the clerk's model spreadsheet of a type, a spreadsheet sent as a job,
the job's page (problems by column letter and row, a link to each document), its downloads."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from conventum.batch.columns import column_letter
from conventum.batch.report import STATUS_WORDS
from conventum.batch.sheetmodel import write_model
from conventum.batch.spreadsheet import map_headers, open_sheet
from conventum.errors import ConventumError
from conventum.model.catalogue import load_type
from conventum.serve.http_api import MEDIA, known_type, state_of
from conventum.serve.inputs import parse_data, upload_folder
from conventum.serve.jobs import JobFiles
from conventum.serve.pages import all_types, data_kind, templates
from conventum.serve.problems import HttpProblem

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOB_WORDS = {"en_attente": "En attente", "en_cours": "En cours", "termine": "Terminé", "echec": "Échec"}


@router.get("/lot/modele/{type_name}.xlsx")
def batch_model(type_name: str) -> Response:
    """The clerk's model spreadsheet of a type (``conventum batch --modele``)."""
    ctype = known_type(type_name)
    with upload_folder() as folder:
        target = folder / f"modele-{ctype.name}.xlsx"
        write_model(ctype, target)
        content = target.read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="modele-{ctype.name}.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)


@router.get("/lot", response_class=HTMLResponse)
def batch_page(request: Request, type: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "batch.html", {"types": all_types(), "chosen": type, "problem": None}
    )


@router.post("/lot", response_model=None)
async def batch_submit(request: Request) -> Response:
    form = await request.form()
    type_name, sheet, commun = form.get("type"), form.get("tableur"), form.get("commun")
    problem = None
    if not isinstance(type_name, str) or not isinstance(sheet, UploadFile) or not sheet.filename:
        problem = HttpProblem(400, "requete.champ_manquant", champ="tableur")
    else:
        known_type(type_name)
        try:
            data = {}
            if isinstance(commun, UploadFile) and commun.filename:
                kind = data_kind(commun.filename)
                data = parse_data(await commun.read(), kind, source="commun")
            fmt = "pdf" if form.get("format") == "pdf" else "docx"
            job_id = await state_of(request).create_batch(type_name, sheet, data, fmt)
            return RedirectResponse(f"/lot/{job_id}", status_code=303)
        except HttpProblem as exc:
            problem = exc
    context = {"types": all_types(), "chosen": type_name, "problem": problem.message}
    return templates.TemplateResponse(request, "batch.html", context, status_code=problem.status)


@router.get("/lot/{job_id}", response_class=HTMLResponse)
def job_page(job_id: str, request: Request) -> HTMLResponse:
    jobs = state_of(request).jobs
    job = jobs.state(job_id)
    if job is None:
        raise HttpProblem(404, "lot.inconnu", id=job_id)
    done = job["statut"] in ("termine", "echec")
    files = jobs.files(job_id)
    context = {
        "job": job,
        "done": done,
        "letters": _letters(job["type"], files) if done and files is not None else {},
        "report": jobs.report(job_id) if done else None,
        "words": JOB_WORDS,
        "status_words": STATUS_WORDS,
    }
    return templates.TemplateResponse(request, "job.html", context)


def _letters(type_name: str, files: JobFiles) -> dict[str, str]:
    """Field path → the letter of the column of the clerk's spreadsheet that fills it (none when the
    job's folder lost its spreadsheet)."""
    try:
        columns = map_headers(load_type(type_name), open_sheet(files.sheet()))
    except (ConventumError, OSError, StopIteration):
        return {}
    return {column.path: column_letter(i + 1) for i, column in enumerate(columns) if column}


@router.get("/lot/{job_id}/documents/{name}")
def job_document(job_id: str, name: str, request: Request) -> Response:
    """One document of a finished batch, by the name the report gives it: the file, or, from a
    shared S3 storage, a redirection (307) to its presigned link."""
    jobs = state_of(request).jobs
    if jobs.state(job_id) is None:
        raise HttpProblem(404, "lot.inconnu", id=job_id)
    where = jobs.document(job_id, name)
    if where is None:
        raise HttpProblem(404, "page.introuvable", chemin=request.url.path)
    if isinstance(where, str):
        return RedirectResponse(where, status_code=307)
    kind = MEDIA.get(where.suffix.lstrip("."), "application/octet-stream")
    return FileResponse(where, media_type=kind, filename=name)


@router.get("/lot/{job_id}/documents.zip")
def job_zip(job_id: str, request: Request) -> Response:
    jobs = state_of(request).jobs
    job = jobs.state(job_id)
    if job is None:
        raise HttpProblem(404, "lot.inconnu", id=job_id)
    where = jobs.download(job_id) if job["statut"] == "termine" else None
    if where is None or (isinstance(where, Path) and not where.is_file()):
        raise HttpProblem(409, "lot.pas_fini", id=job_id, statut=job["statut"])
    if isinstance(where, str):  # a presigned link of the shared storage
        return RedirectResponse(where, status_code=307)
    return FileResponse(where, media_type="application/zip", filename=f"lot-{job_id[:8]}.zip")
