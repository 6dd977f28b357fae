"""« Rédiger un avenant » from the ``/registre`` page: a form pre-filled with every field of the
convention as it stands (a line per field path, its value in force), the avenant's own fields and
each party's authorising act; the fields the clerk changes are highlighted, become the avenant's
``modifications``, and the avenant (PDF) is written and recorded as ``registre avenant`` does. A
refusal shows the form again with every problem at its field."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from conventum.errors import ValidationFailed
from conventum.french.grammar import capitalise, denomination
from conventum.issues import Issue
from conventum.model.catalogue import load_type
from conventum.model.json_schema import json_schema
from conventum.serve.avenant_api import run_avenant
from conventum.serve.formfields import FormField, find_field, title_of
from conventum.serve.http_api import MEDIA, state_of
from conventum.serve.register_api import registers_of, using
from conventum.serve.schemaform import SchemaForm

pages = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
FIELD = "champ:"  # the form's name of a field of the convention: "champ:parties[0].representant.nom"
MAX_FIELDS = 2000  # a form of more fields than this is no clerk's
OWN = {  # the avenant's own fields, as the page names them
    "avenant.numero": "Numéro de l’avenant",
    "avenant.date_effet": "Date d’effet",
    "avenant.signature.lieu": "Lieu de signature",
    "avenant.signature.date": "Date de signature",
    "avenant.objet": "Objet",
    "avenant.autorisations": "Décision autorisant chaque partie à signer l’avenant",
    "modifications": "Les champs de la convention",
}


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every field path of the data and its value (a list of values: one line per element).

    >>> list(leaves({"a": {"b": 1}, "c": ["x"]}))
    [('a.b', 1), ('c[0]', 'x')]
    """
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def shown(value: Any) -> str:
    """A value as the form shows it (YAML's words for yes, no and nothing)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def typed(text: str, original: Any) -> Any:
    """What the clerk typed, of the kind the field had: a text stays a text ("62018" is a postal
    code, not a number); a number, a yes/no or an empty field is read as YAML reads it."""
    if isinstance(original, str):
        return text
    try:
        return yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        return text


def labeller(type_name: str, data: Mapping[str, Any]) -> Callable[[str], str]:
    """A field path as the clerk's form names it, with the type's labels ("Code postal (Membre
    fondateur n°1)"); a line of a list field, by its list's label and rank ("Visas, ligne 2")."""
    ctype = load_type(type_name)
    fields = SchemaForm(ctype, json_schema(ctype)).fields(data)

    def label(path: str) -> str:
        if path in OWN:
            return OWN[path]
        if find_field(fields, form_path(fields, path)) is not None:
            return title_of(fields, form_path(fields, path))
        whole, _, rank = path.rpartition("[")
        if whole and rank.rstrip("]").isdigit() and find_field(fields, whole) is not None:
            return f"{title_of(fields, whole)}, ligne {int(rank.rstrip(']')) + 1}"
        return path

    return label


def form_path(fields: list[FormField], path: str) -> str:
    """The form's name of a data path: one thing the form offers as a list of them (a party's
    ``autorisation``) is its first item there (``parties[0].autorisation[0].date``)."""
    done = ""
    for step in path.split("."):
        done = f"{done}.{step}" if done else step
        if not step.endswith("]") and find_field(fields, done + "[0]") is not None:
            done += "[0]"
    return done


def _named(party: Mapping[str, Any]) -> str:
    """ "Département du Pas-de-Calais", as the convention names the party (its name alone when its
    nature is unknown)."""
    try:
        return capitalise(denomination(str(party["nature"]), str(party["nom"])))
    except (KeyError, ValueError):
        return str(party.get("nom", ""))


async def _in_force(request: Request, numero: int) -> tuple[Any, dict[str, Any]]:
    from conventum.register.amendments import in_force  # noqa: PLC0415 - the register's avenants

    current = await using(request, lambda register: in_force(register, numero))
    return current, current.donnees


def _page(
    request: Request, current: Any, form: Mapping[str, str], issues: list[Issue], status: int
) -> HTMLResponse:
    data = current.donnees
    label = labeller(current.entry.type, data)
    rows = [
        {
            "chemin": path,
            "libelle": label(path),
            "origine": shown(value),
            "valeur": form.get(FIELD + path, shown(value)),
        }
        for path, value in list(leaves(data))[:MAX_FIELDS]
    ]
    parties = [
        {"chemin": f"parties[{index}]", "nom": _named(party), "role": party.get("role", "")}
        for index, party in enumerate(data.get("parties") or [])
        if isinstance(party, Mapping)
    ]
    context = {
        "entry": current.entry,
        "rows": rows,
        "parties": parties,
        "form": form,
        "suivant": current.next_number,
        "problemes": [
            {
                "chemin": issue.path,
                "libelle": label(issue.path.removeprefix("modifications.")),
                "message": issue.message,
                "code": issue.code,
                "grave": issue.severity == "error",
            }
            for issue in issues
        ],
    }
    return templates.TemplateResponse(request, "avenant.html", context, status_code=status)


@pages.get("/registre/{numero}/avenant", response_class=HTMLResponse)
async def avenant_form(request: Request, numero: Annotated[int, PathParam()]) -> HTMLResponse:
    current, _data = await _in_force(request, numero)
    return _page(request, current, {}, [], 200)


def avenant_of(form: Mapping[str, str], data: Mapping[str, Any]) -> dict[str, Any]:
    """The avenant file the form describes: its fields, each party's act, the changed fields."""
    originals = dict(leaves(data))
    changes = {
        path: typed(form[FIELD + path], value)
        for path, value in originals.items()
        if FIELD + path in form and form[FIELD + path] != shown(value)
    }
    fields: dict[str, Any] = {
        key: form[key].strip() for key in ("numero", "date_effet", "objet") if form.get(key, "").strip()
    }
    signature = {
        key: form[f"signature_{key}"].strip() for key in ("lieu", "date") if form.get(f"signature_{key}")
    }
    if signature:
        fields["signature"] = signature
    acts = {}
    for index in range(len(data.get("parties") or [])):
        act = {key: form.get(f"acte_{index}_{key}", "").strip() for key in ("organe", "date", "numero")}
        if act["organe"] or act["date"]:
            acts[f"parties[{index}]"] = {key: value for key, value in act.items() if value}
    if acts:
        fields["autorisations"] = acts
    return {"avenant": fields, "modifications": changes}


@pages.post("/registre/{numero}/avenant", response_model=None)
async def avenant_from_page(request: Request, numero: Annotated[int, PathParam()]) -> Response:
    current, data = await _in_force(request, numero)
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    raw = avenant_of(form, data)
    state, registers = state_of(request), registers_of(request)

    def work() -> tuple[Any, bytes]:
        from conventum.avenants.service import prepare, record  # noqa: PLC0415

        register = registers.get()
        _current, avenant = prepare(register, numero, raw, today=date.today())
        content = avenant.draft.pdf(converter=state.pool.converter)
        record(register, numero, avenant, raw, content=content, path=None, today=date.today())
        return avenant, content

    try:
        avenant, content = await run_avenant(state, "pdf", work)
    except ValidationFailed as exc:
        return _page(request, current, form, list(exc.issues), 422)
    disposition = f'attachment; filename="avenant-{avenant.numero}-convention-{numero}.pdf"'
    return Response(content, media_type=MEDIA["pdf"], headers={"Content-Disposition": disposition})
