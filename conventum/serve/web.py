"""The form for clerks (``/``): server-rendered pages, each field checked as the clerk leaves it
(htmx, vendored in ``static/``), and everything working without JavaScript (submit, full page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile

from conventum.batch.report import STATUS_WORDS
from conventum.errors import ValidationFailed
from conventum.issues import Issue, errors
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.model.json_schema import json_schema
from conventum.serve.forms import (
    SchemaForm,
    apply_action,
    field_names,
    find_field,
    form_data,
    initial_data,
    prune,
)
from conventum.serve.http_api import MEDIA, known_type, state_of
from conventum.serve.inputs import parse_data, safe_name, upload_folder
from conventum.serve.problems import HttpProblem
from conventum.validation.validation import validate

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
API_PREFIXES = ("/v1", "/health", "/metrics", "/docs", "/openapi", "/redoc", "/static")
JOB_WORDS = {"en_attente": "En attente", "en_cours": "En cours", "termine": "Terminé", "echec": "Échec"}


def wants_page(request: Request) -> bool:
    """A page for the browser's requests, JSON for the API's."""
    return not request.url.path.startswith(API_PREFIXES)


def problem_page(request: Request, problem: HttpProblem) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "problem.html",
        {"status": problem.status, "message": problem.message},
        status_code=problem.status,
        headers=problem.headers,
    )


def _types() -> list[ConventionType]:
    return [load_type(name) for name in sorted(available_types())]


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "index.html", {"types": _types()})


def _page(
    request: Request,
    ctype: ConventionType,
    data: dict[str, Any],
    issues: list[Issue] | None,
    *,
    status: int = 200,
    summary: bool = False,
) -> HTMLResponse:
    """The form for these data; with ``issues``, each beside its field and the rules below."""
    form = SchemaForm(ctype, json_schema(ctype))
    fields = form.fields(data, issues or [])
    names = field_names(fields)
    placed = [(issue, _anchor(fields, issue)) for issue in issues or [] if issue.severity == "error"]
    context = {
        "ctype": ctype,
        "fields": fields,
        "summary": placed if summary else [],
        **_rules(issues, names),
    }
    return templates.TemplateResponse(request, "form.html", context, status_code=status)


def _anchor(fields: list[Any], issue: Issue) -> str:
    found = find_field(fields, issue.path)
    return found.id if found is not None else "regles"


def _rules(issues: list[Issue] | None, names: set[str]) -> dict[str, Any]:
    """The whole-document checks: every rule's problem, and field problems no field shows."""
    if issues is None:
        return {"checked": False, "rules": [], "errors": 0}
    rules = [issue for issue in issues if not issue.code.startswith("field.") or issue.path not in names]
    return {"checked": True, "rules": rules, "errors": len(errors(issues))}


@router.get("/formulaire/{type_name}", response_class=HTMLResponse)
def form_page(type_name: str, request: Request) -> HTMLResponse:
    ctype = known_type(type_name)
    return _page(request, ctype, initial_data(ctype), None)


async def _submitted(form: FormData, folder: Path) -> dict[str, Any]:
    """The form's data, its annex files saved (under their checked names) in the request's folder."""
    files: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile) and value.filename:
            name = safe_name(value.filename)
            (folder / name).write_bytes(await value.read())
            files[key] = name
    data: dict[str, Any] = prune(form_data(form, files))
    return data


@router.post("/formulaire/{type_name}", response_model=None)
async def form_submit(type_name: str, request: Request) -> Response:
    ctype = known_type(type_name)
    form = await request.form()
    action = str(form.get("action") or "verifier")
    with upload_folder() as folder:
        data = await _submitted(form, folder)
        if action.startswith(("ajouter:", "retirer:")):
            return _page(request, ctype, apply_action(ctype, data, action), None)
        if action == "yaml":
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            headers = {"Content-Disposition": f'attachment; filename="{type_name}.yaml"'}
            return Response(text.encode(), media_type="application/yaml; charset=utf-8", headers=headers)
        if action in ("pdf", "docx"):
            fmt: Any = action
            try:
                document = await state_of(request).render(ctype, data, fmt=fmt, base=folder)
            except ValidationFailed as exc:
                return _page(request, ctype, data, exc.issues, status=422, summary=True)
            headers = {"Content-Disposition": f'attachment; filename="{type_name}.{action}"'}
            return Response(document.content, media_type=MEDIA[action], headers=headers)
        result = validate(ctype, data, base=folder)
        return _page(request, ctype, data, result.issues, summary=bool(errors(result.issues)))


@router.post("/formulaire/{type_name}/champ", response_class=HTMLResponse)
async def field_check(type_name: str, request: Request) -> HTMLResponse:
    """htmx, as the clerk leaves a field: its messages, and the rules' panel (out of band)."""
    ctype = known_type(type_name)
    name = request.headers.get("HX-Trigger-Name", "")
    form = await request.form()
    with upload_folder() as folder:
        data = await _submitted(form, folder)
        result = validate(ctype, data, base=folder)
    fields = SchemaForm(ctype, json_schema(ctype)).fields(data, result.issues)
    target = find_field(fields, name)
    mine = target.errors if target is not None else []
    messages = "".join(
        f'<p>{_escape(issue.message)} <span class="code">({_escape(issue.code)})</span></p>' for issue in mine
    )
    rules = templates.get_template("rules.html").render(**_rules(result.issues, field_names(fields)))
    return HTMLResponse(
        f'{messages}<section id="regles" aria-live="polite" hx-swap-oob="true">{rules}</section>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@router.post("/formulaire/{type_name}/charger", response_class=HTMLResponse)
async def form_load(type_name: str, request: Request) -> HTMLResponse:
    """Data saved earlier (YAML or JSON), back in the form, checked."""
    ctype = known_type(type_name)
    form = await request.form()
    upload = form.get("donnees")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HttpProblem(400, "requete.champ_manquant", champ="donnees")
    kind = "application/json" if upload.filename.lower().endswith(".json") else "application/yaml"
    data = parse_data(await upload.read(), kind, source=safe_name(upload.filename))
    with upload_folder() as folder:
        result = validate(ctype, data, base=folder)
    return _page(request, ctype, data, result.issues, summary=bool(errors(result.issues)))


@router.get("/lot", response_class=HTMLResponse)
def batch_page(request: Request, type: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "batch.html", {"types": _types(), "chosen": type, "problem": None}
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
                kind = "application/json" if commun.filename.lower().endswith(".json") else "application/yaml"
                data = parse_data(await commun.read(), kind, source="commun")
            fmt = "pdf" if form.get("format") == "pdf" else "docx"
            job_id = await state_of(request).create_batch(type_name, sheet, data, fmt)
            return RedirectResponse(f"/lot/{job_id}", status_code=303)
        except HttpProblem as exc:
            problem = exc
    context = {"types": _types(), "chosen": type_name, "problem": problem.message}
    return templates.TemplateResponse(request, "batch.html", context, status_code=problem.status)


@router.get("/lot/{job_id}", response_class=HTMLResponse)
def job_page(job_id: str, request: Request) -> HTMLResponse:
    jobs = state_of(request).jobs
    job = jobs.state(job_id)
    if job is None:
        raise HttpProblem(404, "lot.inconnu", id=job_id)
    done = job["statut"] in ("termine", "echec")
    context = {
        "job": job,
        "done": done,
        "report": jobs.report(job_id) if done else None,
        "words": JOB_WORDS,
        "status_words": STATUS_WORDS,
    }
    return templates.TemplateResponse(request, "job.html", context)


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
