"""« Importer un modèle » (``/importer``): an office's Word file becomes a type of the server's
local types folder. The author uploads it, reads the report (each field, its kind, label and place)
beside the template's text with the fields marked, renames a field, changes its label or kind, makes
a blank a choice, and saves: the type is at once in the list, with its form, spreadsheet model and
API. Saving a type that exists makes its next version; the earlier ones are kept (model/versions.py).

The page keeps no state on the server: the uploaded file travels in the form (base64) until saved."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile

from conventum.errors import ConventumError, TemplateError
from conventum.model.catalogue import available_types, load_type, read_type, resource_dir
from conventum.model.versions import kept_versions, save_version
from conventum.serve import openapi
from conventum.serve.importview import ImportPage, outline, party_rows, show
from conventum.serve.inputs import safe_name
from conventum.serve.problems import HttpProblem
from conventum.serve.throttle import Throttle, retry_after
from conventum.serve.uploads import word_refusal
from conventum.word.checking import check_template
from conventum.word.editing import EDITABLE_KINDS, FieldEdit, apply_edits, relabel_parties
from conventum.word.fields import identifier
from conventum.word.recognition.prepare import prepare_import

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
IMPORTS = Throttle(20, 30.0)  # an import reads a whole Word file: twenty in thirty seconds per client
TYPE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def local_types_folder() -> Path:
    """Where the server saves the types it imports: its working directory's ``schemas/`` and
    ``templates/`` (as ``conventum import`` writes by default), which the catalogue reads."""
    return Path.cwd()


def _page(
    request: Request, page: ImportPage, status: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    context = {"page": page, "kinds": EDITABLE_KINDS}
    return templates.TemplateResponse(request, "importer.html", context, status_code=status, headers=headers)


@router.get("/importer", response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    return _page(request, ImportPage())


@router.post("/importer", response_class=HTMLResponse)
async def import_submit(request: Request) -> HTMLResponse:
    """A Word file uploaded (its report), edits applied (``apercu``), or the type saved (``enregistrer``)."""
    form = await request.form()
    page = ImportPage()
    try:
        content = await _word_file(form, page)
    except HttpProblem as exc:
        page.problems = [exc.message]
        return _page(request, page, exc.status)
    wait = IMPORTS.wait(request.client.host if request.client else "?")  # a file refused costs nothing
    if wait:
        page.problems = ["Trop d’imports d’un coup : réessayez dans un instant."]
        return _page(request, page, 429, {"Retry-After": retry_after(wait)})
    action = str(form.get("action") or "apercu")
    status = await anyio.to_thread.run_sync(_work, page, content, form, action)
    if page.saved is not None and page.saved.created:
        request.app.openapi_schema = None  # the new type's endpoints in /openapi.json and /docs
    return _page(request, page, status)


async def _word_file(form: FormData, page: ImportPage) -> bytes:
    """The Word file: just uploaded, or carried by the page since; refused with a French reason."""
    upload = form.get("document")
    if isinstance(upload, UploadFile) and upload.filename:
        page.source = safe_name(upload.filename)
        content = await upload.read()
    else:
        page.source = safe_name(str(form.get("source") or "modele.docx"))
        try:
            content = base64.b64decode(str(form.get("fichier") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise HttpProblem(400, "requete.champ_refuse", detail="le fichier transmis est abîmé") from None
        if not content:
            raise HttpProblem(400, "requete.champ_manquant", champ="document")
    refusal = word_refusal(content, page.source)
    if refusal:
        raise HttpProblem(422, "requete.champ_refuse", detail=refusal)
    page.content = base64.b64encode(content).decode("ascii")
    return content


def _work(page: ImportPage, content: bytes, form: FormData, action: str) -> int:
    """Import, edit and (asked) save, in a worker thread; the page's status code."""
    upload = form.get("document")
    fresh = isinstance(upload, UploadFile) and bool(upload.filename)
    stem = identifier(Path(page.source).stem).replace("_", "-")
    page.name = stem if fresh else str(form.get("type") or "").strip()
    roles, accepted = (_texts(form, key) for key in ("partie.role", "partie.reconnue"))
    refused = set() if fresh else roles - accepted
    name = page.name if TYPE_NAME.fullmatch(page.name) else "import"
    try:
        prepared = prepare_import(content, name=name, source=page.source, refused=refused)
        everyone = prepare_import(content, name=name, source=page.source) if refused else prepared
    except ConventumError as exc:
        page.problems = _lines(exc.message)
        return 422
    page.title = _first_line(prepared.template) if fresh else str(form.get("titre") or "").strip()
    page.parties = party_rows(everyone.report, refused)
    page.originals = [item.name for item in prepared.report.fields]
    edits = [] if fresh else _edits(form, page.originals)
    labels = (
        {} if fresh else {row.role: str(form.get(f"partie.libelle.{row.role}") or "") for row in page.parties}
    )
    page.parties = [replace(row, label=labels.get(row.role) or row.label) for row in page.parties]
    template, schema = prepared.template, dict(prepared.schema)
    try:
        template, schema = apply_edits(template, schema, edits, taken={row.role for row in page.parties})
        schema = relabel_parties(
            schema, {role: label for role, label in labels.items() if role not in refused}
        )
    except TemplateError as exc:
        page.problems = _lines(exc.message)[1:] or [exc.message]
    show(page, template, prepared.report, schema, edits)
    page.existing = _existing(page.name)
    if page.problems:
        return 422
    if action == "enregistrer":
        return _save(page, template, schema)
    return 200


def _texts(form: FormData, key: str) -> set[str]:
    return {str(value) for value in form.getlist(key)}


def _lines(message: str) -> list[str]:
    """An error's lines without their list marks (the page lists them)."""
    return [line.strip().removeprefix("- ") for line in message.splitlines() if line.strip()]


def _first_line(template: bytes) -> str:
    """The template's first paragraphs with text, joined while they are capitals: most often the
    convention's title (« CONVENTION D’ADHESION / A LA CENTRALE D’ACHATS / … »)."""
    lines: list[str] = []
    for paragraph in outline(template, {}):
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        if "{" in text or "[" in text or (lines and not text.isupper()):
            break
        lines.append(text)
        if not text.isupper():
            break
    return " ".join(lines)[:200]


def _edits(form: FormData, originals: list[str]) -> list[FieldEdit]:
    """The author's changes, row by row; a row is matched to its field by the field's first name."""
    rows = {
        str(value): key.rsplit(".", 1)[0] for key, value in form.multi_items() if key.endswith(".origine")
    }
    edits = []
    for original in originals:
        key = rows.get(original)
        if key is None:
            continue  # a field the page did not show (a party's recognition undone since)
        lines = str(form.get(f"{key}.choix") or "").splitlines()
        edits.append(
            FieldEdit(
                original=original,
                name=str(form.get(f"{key}.nom") or original).strip(),
                label=str(form.get(f"{key}.libelle") or "").strip(),
                kind=str(form.get(f"{key}.type") or "texte"),
                choices=tuple(line.strip() for line in lines if line.strip()),
            )
        )
    return edits


def _save(page: ImportPage, template: bytes, schema: dict[str, Any]) -> int:
    """The type saved as its next version, when its name, schema and template are right."""
    page.problems = _name_problems(page.name)
    schema = {
        **schema,
        "titre": page.title or page.name,
        "description": f"Modèle Word importé de {page.source}",
    }
    if not page.problems:
        try:
            read_type(Path(f"{page.name}.yaml"), schema)
        except TemplateError as exc:
            page.problems = [exc.message]
    if not page.problems:
        checked = check_template(template, schema=schema)
        page.problems = [f"modèle : {issue.message}" for issue in checked.issues if issue.severity == "error"]
    if page.problems:
        return 422
    origin = f"Type importé par « Importer un modèle » de conventum depuis {page.source}"
    try:
        page.saved = save_version(local_types_folder(), page.name, template, schema, origin=origin)
    except ConventumError as exc:
        page.problems = [exc.message]
        return 500
    openapi.forget_types()
    page.existing = kept_versions(local_types_folder(), page.name)
    return 200


def _existing(name: str) -> list[str]:
    """The versions of a local type of that name (an unversioned one counts), or none."""
    if not TYPE_NAME.fullmatch(name):
        return []
    kept = kept_versions(local_types_folder(), name)
    if not kept and name in available_types():
        return [load_type(name).version or "sans numéro"]
    return kept


def _name_problems(name: str) -> list[str]:
    if not TYPE_NAME.fullmatch(name):
        return [
            f"nom de type « {name} » invalide : minuscules sans accent, chiffres et tirets"
            " (par exemple medecine-preventive)"
        ]
    if (resource_dir("schemas") / f"{name}.yaml").is_file():
        return [f"« {name} » est un type intégré de conventum : choisissez un autre nom"]
    if (
        name in available_types()
        and load_type(name).schema_path.parent.parent.resolve() != local_types_folder().resolve()
    ):
        return [f"« {name} » est un type installé ailleurs que dans le dossier des types de ce serveur"]
    return []
