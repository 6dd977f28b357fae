"""The form for clerks (``/``): server-rendered pages, each field checked as the clerk leaves it
(htmx, vendored in ``static/``), and everything working without JavaScript (submit, full page)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread
import yaml
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile

from conventum.batch.columns import column_letter
from conventum.batch.report import STATUS_WORDS
from conventum.batch.sheetmodel import write_model
from conventum.batch.spreadsheet import map_headers, open_sheet
from conventum.dossier import build_dossier
from conventum.errors import ConventumError, ValidationFailed
from conventum.geo.search import QueryError, search_places
from conventum.issues import Issue, errors
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.model.json_schema import json_schema
from conventum.serve.forms import (
    FormField,
    SchemaForm,
    added_path,
    apply_action,
    field_names,
    find_field,
    form_data,
    initial_data,
    prune,
    title_of,
)
from conventum.serve.http_api import MEDIA, known_type, state_of
from conventum.serve.inputs import parse_data, safe_name, upload_folder
from conventum.serve.jobs import JobFiles
from conventum.serve.naming import download_name, slug
from conventum.serve.preview import preview_pages
from conventum.serve.problems import HttpProblem
from conventum.serve.throttle import Throttle, retry_after
from conventum.serve.typepage import roles_of, sample_of
from conventum.validation.validation import validate

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
API_PREFIXES = ("/v1", "/health", "/metrics", "/docs", "/openapi", "/redoc", "/static")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEARCHES = Throttle(20, 2.0)  # a clerk types: a few searches a second, never fifty
PREVIEWS = Throttle(3, 10.0)  # a preview renders a PDF: three in ten seconds at most per client
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
    focus: str | None = None,
) -> HTMLResponse:
    """The form for these data; with ``issues``, each beside its field and the rules below."""
    form = SchemaForm(ctype, json_schema(ctype))
    fields = form.fields(data, issues or [])
    names = field_names(fields)
    placed = [
        (issue, _anchor(fields, issue), title_of(fields, issue.path))
        for issue in issues or []
        if issue.severity == "error"
    ]
    added = find_field(fields, focus) if focus else None
    if added is not None:
        added.focus = True
    context = {
        "ctype": ctype,
        "fields": fields,
        "summary": placed if summary else [],
        "title": lambda path: title_of(fields, path),
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
    rules = [issue for issue in issues if issue.path not in names]  # the others are at their fields
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
            changed = apply_action(ctype, data, action)
            return _page(request, ctype, changed, None, focus=added_path(changed, action))
        if action == "yaml":
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            headers = {"Content-Disposition": download_name(ctype, data, "yaml")}
            return Response(text.encode(), media_type="application/yaml; charset=utf-8", headers=headers)
        if action in ("pdf", "docx"):
            fmt: Any = action
            try:
                document = await state_of(request).render(ctype, data, fmt=fmt, base=folder)
            except ValidationFailed as exc:
                return _page(request, ctype, data, exc.issues, status=422, summary=True)
            headers = {"Content-Disposition": download_name(ctype, data, action)}
            return Response(document.content, media_type=MEDIA[action], headers=headers)
        return await state_of(request).off_loop(partial(_checked_page, request, ctype, data, folder))


@router.post("/formulaire/{type_name}/champ", response_class=HTMLResponse)
async def field_check(type_name: str, request: Request) -> HTMLResponse:
    """htmx, as the clerk leaves a field: its messages, and the rules' panel (out of band)."""
    ctype = known_type(type_name)
    name = request.headers.get("HX-Trigger-Name", "")
    form = await request.form()
    with upload_folder() as folder:
        data = await _submitted(form, folder)
        return await state_of(request).off_loop(partial(_field_messages, ctype, data, folder, name))


def _checked_page(
    request: Request, ctype: ConventionType, data: dict[str, Any], folder: Path
) -> HTMLResponse:
    """The form with every problem of its data beside its field (in the lane: off the event loop)."""
    result = validate(ctype, data, base=folder)
    return _page(request, ctype, data, result.issues, summary=bool(errors(result.issues)))


def _field_messages(ctype: ConventionType, data: dict[str, Any], folder: Path, name: str) -> HTMLResponse:
    """A field's messages and the rules' panel (in the lane: off the event loop)."""
    result = validate(ctype, data, base=folder)
    fields = SchemaForm(ctype, json_schema(ctype)).fields(data, result.issues)
    target = find_field(fields, name)
    page = templates.get_template("check.html")
    # the fields filled, and those a rule blames (an empty one left as it was keeps its message)
    filled = [
        f
        for f in _inputs(fields)
        if f.value not in (None, "", False) or any(issue.code != "field.missing" for issue in f.errors)
    ]
    others = [f for f in filled if f is not target]
    context = _rules(result.issues, field_names(fields))
    text = page.render(target=target, others=others, title=lambda path: title_of(fields, path), **context)
    return HTMLResponse(text)


def _inputs(fields: list[FormField]) -> list[FormField]:
    """The fields a clerk fills (with an error area), in the page's order."""
    found: list[FormField] = []
    for item in fields:
        if item.kind not in ("group", "list", "hidden", "fixed"):
            found.append(item)
        found += _inputs(item.children)
    return found


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


@router.get("/geographie")
def geography_search(request: Request, q: str = "") -> JSONResponse:
    """The official geography as a party's name is typed (JSON for the page's script)."""
    wait = SEARCHES.wait(_client(request))
    if wait:
        message = "Trop de recherches d’un coup : réessayez dans un instant."
        return JSONResponse(
            {"resultats": [], "message": message}, status_code=429, headers={"Retry-After": retry_after(wait)}
        )
    try:
        places = search_places(q)
    except QueryError as exc:
        return JSONResponse({"resultats": [], "message": str(exc)}, status_code=400 if len(q) > 2 else 200)
    found: str | None = None if places else f"Aucune collectivité ne correspond à « {q} »."
    return JSONResponse({"resultats": [place.as_dict() for place in places], "message": found})


@router.post("/formulaire/{type_name}/apercu", response_class=HTMLResponse)
async def form_preview(type_name: str, request: Request) -> HTMLResponse:
    """The document's pages as images, from the same render as the download (htmx, in the page)."""
    ctype = known_type(type_name)
    wait = PREVIEWS.wait(_client(request))
    if wait:
        return _preview(request, message="Aperçu demandé trop souvent : il sera refait dans un instant.")
    form = await request.form()
    with upload_folder() as folder:
        data = await _submitted(form, folder)
        try:
            document = await state_of(request).render(ctype, data, fmt="pdf", base=folder)
        except ValidationFailed as exc:
            count = len(errors(exc.issues))
            message = f"L’aperçu viendra quand le formulaire sera complet : {count} problème(s) à corriger."
            return _preview(request, message=message)
        except HttpProblem as exc:
            return _preview(request, message=exc.message)
    pages = await anyio.to_thread.run_sync(preview_pages, document.content)
    return _preview(request, pages=pages)


def _preview(request: Request, *, pages: list[str] | None = None, message: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(request, "preview.html", {"pages": pages or [], "message": message})


@router.post("/formulaire/{type_name}/charger", response_class=HTMLResponse)
async def form_load(type_name: str, request: Request) -> HTMLResponse:
    """Data saved earlier (YAML or JSON), back in the form, checked."""
    ctype = known_type(type_name)
    form = await request.form()
    upload = form.get("donnees")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HttpProblem(400, "requete.champ_manquant", champ="donnees")
    kind = "application/json" if upload.filename.lower().endswith(".json") else "application/yaml"
    raw, source = await upload.read(), safe_name(upload.filename)
    state = state_of(request)
    data = await state.off_loop(partial(parse_data, raw, kind, source=source))
    with upload_folder() as folder:
        return await state.off_loop(partial(_checked_page, request, ctype, data, folder))


@router.get("/type/{type_name}", response_class=HTMLResponse)
def type_page(type_name: str, request: Request) -> HTMLResponse:
    """What the convention is for, who signs, what is needed, a sample."""
    ctype = known_type(type_name)
    context = {"ctype": ctype, "roles": roles_of(ctype), "sample": sample_of(ctype) is not None}
    return templates.TemplateResponse(request, "type.html", context)


@router.get("/type/{type_name}/exemple.yaml")
def type_sample(type_name: str) -> Response:
    ctype = known_type(type_name)
    sample = sample_of(ctype)
    if sample is None:
        raise HttpProblem(404, "page.introuvable", chemin=f"/type/{type_name}/exemple.yaml")
    headers = {"Content-Disposition": f'attachment; filename="exemple-{ctype.name}.yaml"'}
    return Response(sample.read_bytes(), media_type="application/yaml; charset=utf-8", headers=headers)


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


DOSSIER_SAMPLE = "dossier-2023-338.yaml"


@router.get("/dossier", response_class=HTMLResponse)
def dossier_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "dossier.html", {"problems": [], "message": None})


@router.get("/dossier/exemple.yaml")
def dossier_sample() -> Response:
    sample = _samples_folder() / DOSSIER_SAMPLE
    if not sample.is_file():
        raise HttpProblem(404, "page.introuvable", chemin="/dossier/exemple.yaml")
    headers = {"Content-Disposition": 'attachment; filename="exemple-dossier.yaml"'}
    return Response(sample.read_bytes(), media_type="application/yaml; charset=utf-8", headers=headers)


def _samples_folder() -> Path:
    found = sample_of(load_type("adhesion-centrale-achats"))
    return found.parent if found is not None else Path("samples")


@router.post("/dossier", response_model=None)
async def dossier_submit(request: Request) -> Response:
    """The dossier's PDF, or the page with every problem in French (no path, no code)."""
    form = await request.form()
    upload = form.get("donnees")

    def page(problems: list[tuple[str, str]], message: str | None, status: int) -> HTMLResponse:
        context = {"problems": problems, "message": message}
        return templates.TemplateResponse(request, "dossier.html", context, status_code=status)

    if not isinstance(upload, UploadFile) or not upload.filename:
        return page([], "Choisissez le fichier du dossier (YAML ou JSON).", 400)
    kind = "application/json" if upload.filename.lower().endswith(".json") else "application/yaml"
    state = state_of(request)
    raw = await upload.read()
    try:
        data = await state.off_loop(partial(parse_data, raw, kind, source=safe_name(upload.filename)))
    except HttpProblem as exc:
        return page([], exc.message, exc.status)

    def work() -> bytes:
        return build_dossier(data, converter=state.pool.converter).pdf

    try:
        pdf = await state.pool.run("dossier", work)
    except ValidationFailed as exc:
        problems = [(_dossier_label(issue.path), issue.message) for issue in errors(exc.issues)]
        return page(problems, None, 422)
    except ConventumError as exc:
        return page([], exc.message, 422)
    name = f"dossier-{slug(str(data.get('objet') or 'deliberation'))[:80]}.pdf"
    return Response(
        pdf, media_type=MEDIA["pdf"], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


DOSSIER_PARTS = {"convention": "Convention", "deliberation": "Délibération", "rapport": "Rapport"}


def _dossier_label(path: str) -> str:
    """The part of the dossier a problem is in, as a clerk names it."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    return DOSSIER_PARTS.get(head, "Dossier")


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
