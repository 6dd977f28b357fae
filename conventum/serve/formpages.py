"""The form of a type (``/formulaire/…``): the page, each field checked as the clerk leaves it (htmx,
vendored in ``static/``), the preview, the downloads, data saved earlier loaded back; everything
works without JavaScript too (submit, full page)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread
import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from conventum.errors import ValidationFailed
from conventum.issues import Issue, errors
from conventum.model.catalogue import ConventionType
from conventum.model.json_schema import json_schema
from conventum.serve.formdata import added_path, apply_action
from conventum.serve.formviews import check_text, fields_context, submitted
from conventum.serve.http_api import MEDIA, known_type, state_of
from conventum.serve.inputs import parse_data, safe_name, upload_folder
from conventum.serve.naming import download_name
from conventum.serve.pages import client_of, data_kind, templates
from conventum.serve.partyform import initial_data, new_party
from conventum.serve.preview import preview_pages
from conventum.serve.problems import HttpProblem
from conventum.serve.schemaform import SchemaForm
from conventum.serve.throttle import Throttle
from conventum.validation.validation import validate

router = APIRouter(include_in_schema=False)
PREVIEWS = Throttle(3, 10.0)  # a preview renders a PDF: three in ten seconds at most per client


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
    fields = SchemaForm(ctype, json_schema(ctype)).fields(data, issues or [])
    context = {"ctype": ctype, **fields_context(fields, issues, summary=summary, focus=focus)}
    return templates.TemplateResponse(request, "form.html", context, status_code=status)


@router.get("/formulaire/{type_name}", response_class=HTMLResponse)
def form_page(type_name: str, request: Request) -> HTMLResponse:
    ctype = known_type(type_name)
    return _page(request, ctype, initial_data(ctype), None)


@router.post("/formulaire/{type_name}", response_model=None)
async def form_submit(type_name: str, request: Request) -> Response:
    ctype = known_type(type_name)
    form = await request.form()
    action = str(form.get("action") or "verifier")
    with upload_folder() as folder:
        data = await submitted(form, folder)
        if action.startswith(("ajouter:", "retirer:")) or action == "actualiser":
            changed = apply_action(data, action, lambda role: new_party(ctype, role))
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
    return HTMLResponse(check_text(fields, name, result.issues))


@router.post("/formulaire/{type_name}/champ", response_class=HTMLResponse)
async def field_check(type_name: str, request: Request) -> HTMLResponse:
    """htmx, as the clerk leaves a field: its messages, and the rules' panel (out of band)."""
    ctype = known_type(type_name)
    name = request.headers.get("HX-Trigger-Name", "")
    form = await request.form()
    with upload_folder() as folder:
        data = await submitted(form, folder)
        return await state_of(request).off_loop(partial(_field_messages, ctype, data, folder, name))


@router.post("/formulaire/{type_name}/apercu", response_class=HTMLResponse)
async def form_preview(type_name: str, request: Request) -> HTMLResponse:
    """The document's pages as images, from the same render as the download (htmx, in the page)."""
    ctype = known_type(type_name)
    wait = PREVIEWS.wait(client_of(request))
    if wait:
        return _preview(request, message="Aperçu demandé trop souvent : il sera refait dans un instant.")
    form = await request.form()
    with upload_folder() as folder:
        data = await submitted(form, folder)
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
    async with request.form() as form:
        upload = form.get("donnees")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise HttpProblem(400, "requete.champ_manquant", champ="donnees")
        kind = data_kind(upload.filename)
        raw, source = await upload.read(), safe_name(upload.filename)
    state = state_of(request)
    data = await state.off_loop(partial(parse_data, raw, kind, source=source))
    with upload_folder() as folder:
        return await state.off_loop(partial(_checked_page, request, ctype, data, folder))
