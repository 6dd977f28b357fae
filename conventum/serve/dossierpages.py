"""The dossier (délibération + convention + rapport) in the browser: its form field by field, checked
as each field is left; a dossier file loaded into it or made at once; its PDF; its problems in French."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from conventum.errors import ConventumError, ValidationFailed
from conventum.issues import Issue, errors
from conventum.model.catalogue import available_types, load_type
from conventum.serve.dossierform import dossier_fields, dossier_issues
from conventum.serve.formdata import added_path, apply_action
from conventum.serve.formviews import check_text, fields_context, submitted
from conventum.serve.http_api import MEDIA, state_of
from conventum.serve.inputs import parse_data, safe_name, upload_folder
from conventum.serve.naming import slug
from conventum.serve.pages import data_kind, templates
from conventum.serve.partyform import new_party
from conventum.serve.problems import HttpProblem
from conventum.serve.typepage import sample_of

router = APIRouter(include_in_schema=False)
DOSSIER_SAMPLE = "dossier-2023-338.yaml"
FORM = "/dossier/formulaire"
CHOOSE_FILE = "Choisissez le fichier du dossier (YAML ou JSON)."


def _page(
    request: Request,
    data: dict[str, Any],
    issues: list[Issue] | None,
    *,
    status: int = 200,
    summary: bool = False,
    focus: str | None = None,
    problems: list[tuple[str, str]] | None = None,
    message: str | None = None,
) -> HTMLResponse:
    """The dossier's form for these data, each problem beside its field (and those of a file sent
    to be made at once, listed at the top)."""
    fields = dossier_fields(data, issues or [])
    context = {
        **fields_context(fields, issues, summary=summary, focus=focus),
        "problems": problems or [],
        "message": message,
    }
    return templates.TemplateResponse(request, "dossier.html", context, status_code=status)


@router.get("/dossier", response_class=HTMLResponse)
def dossier_page(request: Request) -> HTMLResponse:
    return _page(request, {}, None)


@router.post(FORM, response_model=None)
async def dossier_form_submit(request: Request) -> Response:
    """The dossier's form sent: checked, drawn again (a block added, a type chosen), saved, or made."""
    form = await request.form()
    action = str(form.get("action") or "verifier")
    with upload_folder() as folder:
        data = await submitted(form, folder)
        if action.startswith(("ajouter:", "retirer:")) or action == "actualiser":
            changed = apply_action(data, action, lambda role: _new_party(data, role))
            return _page(request, changed, None, focus=added_path(changed, action))
        if action == "yaml":
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
            headers = {"Content-Disposition": f'attachment; filename="{_name(data, "yaml")}"'}
            return Response(text, media_type="application/yaml; charset=utf-8", headers=headers)
        issues = dossier_issues(data, folder)
        if action != "pdf" or errors(issues):
            return _page(
                request, data, issues, status=422 if action == "pdf" else 200, summary=bool(errors(issues))
            )
        return await _made(request, data)


def _new_party(data: dict[str, Any], role: str) -> dict[str, Any] | None:
    convention = data.get("convention")
    type_name = convention.get("type") if isinstance(convention, dict) else None
    return new_party(load_type(type_name), role) if type_name in available_types() else None


@router.post(f"{FORM}/champ", response_class=HTMLResponse)
async def dossier_field_check(request: Request) -> HTMLResponse:
    """htmx, as the clerk leaves a field of the dossier: as for one document."""
    name = request.headers.get("HX-Trigger-Name", "")
    form = await request.form()
    with upload_folder() as folder:
        data = await submitted(form, folder)
        issues = dossier_issues(data, folder)
    return HTMLResponse(check_text(dossier_fields(data, issues), name, issues))


async def _made(request: Request, data: dict[str, Any]) -> Response:
    """The dossier's PDF, or the form with the problems only its making finds."""
    state = state_of(request)
    try:
        pdf = await state.run_dossier(state.dossier_work(data, today=None, strict=False))
    except ValidationFailed as exc:
        return _page(request, data, exc.issues, status=422, summary=True)
    except ConventumError as exc:
        return _page(request, data, [], status=422, message=exc.message)
    headers = {"Content-Disposition": f'attachment; filename="{_name(data, "pdf")}"'}
    return Response(pdf, media_type=MEDIA["pdf"], headers=headers)


def _name(data: dict[str, Any], extension: str) -> str:
    return f"dossier-{slug(str(data.get('objet') or 'deliberation'))[:80]}.{extension}"


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
    """A dossier file sent: loaded into the form (« Charger »), or made at once (its PDF, or the page
    with every problem in French, no path, no code)."""
    async with request.form() as form:
        upload, action = form.get("donnees"), str(form.get("action") or "pdf")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(
                request, {}, None, status=400, message="Choisissez le fichier du dossier (YAML ou JSON)."
            )
        raw, kind = await upload.read(), data_kind(upload.filename)
        try:
            data = await state_of(request).off_loop(
                partial(parse_data, raw, kind, source=safe_name(upload.filename))
            )
        except HttpProblem as exc:
            return _page(request, {}, None, status=exc.status, message=exc.message)
    if action == "charger":
        with upload_folder() as folder:
            issues = dossier_issues(data, folder)
        return _page(request, data, issues, summary=bool(errors(issues)))
    state = state_of(request)
    try:
        pdf = await state.run_dossier(state.dossier_work(data, today=None, strict=False))
    except ValidationFailed as exc:
        problems = [(_dossier_label(issue.path), issue.message) for issue in errors(exc.issues)]
        return _page(request, {}, None, status=422, problems=problems)
    except ConventumError as exc:
        return _page(request, {}, None, status=422, message=exc.message)
    headers = {"Content-Disposition": f'attachment; filename="{_name(data, "pdf")}"'}
    return Response(pdf, media_type=MEDIA["pdf"], headers=headers)


DOSSIER_PARTS = {"convention": "Convention", "deliberation": "Délibération", "rapport": "Rapport"}


def _dossier_label(path: str) -> str:
    """The part of the dossier a problem is in, as a clerk names it."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    return DOSSIER_PARTS.get(head, "Dossier")
