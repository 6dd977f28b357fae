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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile

from conventum.errors import ConventumError, TemplateError
from conventum.model.catalogue import available_types, field_specs, load_type, read_type, resource_dir
from conventum.model.versions import SavedVersion, kept_versions, save_version
from conventum.serve import openapi
from conventum.serve.importview import FieldRow, Paragraph, outline, report_rows
from conventum.serve.inputs import safe_name
from conventum.serve.problems import HttpProblem
from conventum.serve.throttle import Throttle, retry_after
from conventum.serve.uploads import word_refusal
from conventum.word.checking import check_template
from conventum.word.editing import EDITABLE_KINDS, FieldEdit, apply_edits
from conventum.word.fields import identifier
from conventum.word.importing import import_word

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
IMPORTS = Throttle(20, 30.0)  # an import reads a whole Word file: twenty in thirty seconds per client
TYPE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def local_types_folder() -> Path:
    """Where the server saves the types it imports: its working directory's ``schemas/`` and
    ``templates/`` (as ``conventum import`` writes by default), which the catalogue reads."""
    return Path.cwd()


@dataclass
class ImportPage:
    """Everything the page shows: the file, the type's name and title, the report, the preview."""

    source: str = ""
    content: str = ""  # the uploaded file, base64
    name: str = ""
    title: str = ""
    rows: list[FieldRow] = field(default_factory=list)
    originals: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # the versions kept of a type of that name
    saved: SavedVersion | None = None


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
    try:
        result = import_word(content, name="import", source=page.source)
    except ConventumError as exc:
        page.problems = [exc.message]
        return 422
    stem = identifier(Path(page.source).stem).replace("_", "-")
    page.name = str(form.get("type") or "").strip() if not fresh else stem
    page.title = str(form.get("titre") or "").strip() if not fresh else _first_line(result.template)
    declared = result.analysis.schema_fields
    page.originals = list(declared)
    if not page.originals:
        page.problems = [f"« {page.source} » ne contient aucun champ à importer (aucun contrôle de contenu)."]
        return 422
    edits = [] if fresh else _edits(form, page.originals)
    template, schema = result.template, dict(result.schema)
    try:
        template, declared = apply_edits(template, declared, edits)
        schema["champs"] = declared
    except TemplateError as exc:
        page.problems = [line.strip().removeprefix("- ") for line in exc.message.splitlines()[1:]] or [
            exc.message
        ]
    _show(page, template, declared, edits)
    if page.problems:
        return 422
    if action == "enregistrer":
        return _save(page, template, schema)
    return 200


def _first_line(template: bytes) -> str:
    """The template's first paragraphs with text, joined while they are capitals: most often the
    convention's title (« CONVENTION D’ADHESION / A LA CENTRALE D’ACHATS / … »)."""
    lines: list[str] = []
    for paragraph in outline(template, {}):
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        if "{" in text or (lines and not text.isupper()):
            break
        lines.append(text)
        if not text.isupper():
            break
    return " ".join(lines)[:200]


def _edits(form: FormData, originals: list[str]) -> list[FieldEdit]:
    edits = []
    for index, original in enumerate(originals):
        key = f"champ.{index}."
        if str(form.get(key + "origine") or "") != original:
            continue  # a page from another file: its rows do not match this one's
        choices = tuple(
            line.strip() for line in str(form.get(key + "choix") or "").splitlines() if line.strip()
        )
        edits.append(
            FieldEdit(
                original=original,
                name=str(form.get(key + "nom") or original).strip(),
                label=str(form.get(key + "libelle") or "").strip(),
                kind=str(form.get(key + "type") or "texte"),
                choices=choices,
            )
        )
    return edits


def _show(page: ImportPage, template: bytes, declared: dict[str, Any], edits: list[FieldEdit]) -> None:
    """The report and preview of the edited type; a row the author got wrong shows what they typed."""
    fields = field_specs(declared, source=page.source)
    page.paragraphs = outline(template, {name: spec.label for name, spec in fields.items()})
    page.rows = report_rows(fields, page.paragraphs)
    if page.problems:  # the edits were refused: the rows keep what was typed, the preview the original
        for row, edit in zip(page.rows, edits, strict=False):
            row.name, row.label, row.kind, row.choices = edit.name, edit.label, edit.kind, list(edit.choices)
    if TYPE_NAME.fullmatch(page.name):
        page.existing = kept_versions(local_types_folder(), page.name)
        if not page.existing and page.name in available_types():
            page.existing = [load_type(page.name).version or "sans numéro"]


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
