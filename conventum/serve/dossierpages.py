"""The dossier (délibération + convention + rapport) in the browser: its form, its PDF, its problems
in French."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from conventum.dossier import build_dossier
from conventum.errors import ConventumError, ValidationFailed
from conventum.issues import errors
from conventum.model.catalogue import load_type
from conventum.serve.http_api import MEDIA, state_of
from conventum.serve.inputs import parse_data, safe_name
from conventum.serve.naming import slug
from conventum.serve.pages import data_kind, templates
from conventum.serve.problems import HttpProblem
from conventum.serve.typepage import sample_of

router = APIRouter(include_in_schema=False)


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
    kind = data_kind(upload.filename)
    try:
        data = parse_data(await upload.read(), kind, source=safe_name(upload.filename))
    except HttpProblem as exc:
        return page([], exc.message, exc.status)
    state = state_of(request)

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
