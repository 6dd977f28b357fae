"""The OpenAPI document that tells the truth: conventum's own error and report schemas for every
error status, binary answers with their media types, and, for each installed type, its validate and
render operations with the type's JSON Schema as request body (a generated client gets one typed
function per type) and its sample as example."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel, Field

from conventum.model.catalogue import available_types, load_type
from conventum.model.json_schema import json_schema


class ErrorDetail(BaseModel):
    """Une erreur de la requête : son code stable et sa phrase en français."""

    code: str = Field(description="Code stable de l’erreur (requete.parametre, type.inconnu…).")
    message: str = Field(description="La phrase en français, pour l’utilisateur.")


class ErrorAnswer(BaseModel):
    """La réponse d’erreur de conventum."""

    erreur: ErrorDetail


class Problem(BaseModel):
    """Un problème des données, à son chemin."""

    code: str = Field(description="Code stable du contrôle (dates.signature_future…).")
    severity: str = Field(description="« error » ou « warning ».")
    path: str = Field(description="Chemin du champ dans les données (parties[0].adresse.commune).")
    message: str = Field(description="La phrase en français.")
    params: dict[str, Any] = Field(default_factory=dict, description="Les valeurs citées par le message.")
    section: str | None = Field(default=None, description="La section des données.")
    rubrique: str | None = Field(default=None, description="Son intitulé pour l’agent.")


class Failure(BaseModel):
    """Pourquoi les données n’ont pas pu être contrôlées."""

    code: str
    message: str
    exit_code: int = Field(description="Le code de sortie de la commande pour la même erreur.")


class Report(BaseModel):
    """Le rapport de « conventum validate --format json » : chaque problème, son code et son chemin."""

    version: int
    valide: bool
    erreurs: int
    avertissements: int
    type: str | None = None
    type_version: str | None = None  # the version of the type that made (or refused) the document
    strict: bool | None = None
    problemes: list[Problem]
    autres_problemes: int | None = None  # past max_problems_reported: the problems not listed
    suite: str | None = None  # « … et N autres problèmes (non listés) »
    echec: Failure | None = None


DESCRIPTIONS = {
    400: "Requête mal formée : paramètre, date ou corps illisible (message en français).",
    401: "Jeton d’accès absent ou inconnu.",
    404: "Type, lot, convention ou adresse inconnus.",
    405: "Méthode non permise à cette adresse.",
    408: "La requête n’est pas arrivée à temps.",
    409: "L’état ne le permet pas (lot pas fini, convention déjà résiliée).",
    413: "La requête dépasse la taille permise.",
    415: "Type de contenu non pris en charge.",
    422: "Données refusées : le rapport donne chaque problème, son code et son chemin.",
    429: "File d’attente pleine : réessayer après Retry-After.",
    500: "Erreur interne ou modèle en erreur.",
    503: "Service indisponible (arrêt, délai dépassé, registre inaccessible).",
}
REPORT_STATUSES = {422}


def responses(*statuses: int, report: bool = False) -> dict[int | str, dict[str, Any]]:
    """The error answers of an operation, each with its French description and conventum's schema
    (the report for 422 when ``report``, else ``{"erreur": …}``)."""
    found: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        found[status] = {"description": DESCRIPTIONS[status], "model": ErrorAnswer}
        if report and status in REPORT_STATUSES:  # the data's report, or a request's error (annexes)
            either = {
                "anyOf": [
                    {"$ref": f"#/components/schemas/{model.__name__}"} for model in (Report, ErrorAnswer)
                ]
            }
            # no "model": FastAPI would put its $ref beside anyOf (both would then apply); Report is a
            # component through validate's response model
            found[status] = {
                "description": DESCRIPTIONS[status],
                "content": {"application/json": {"schema": either}},
            }
    return found


COMMON = (400, 401, 408, 413)  # any request may get these from the guards
REGISTER_EXAMPLE = {
    "version": 1,
    "aujourdhui": "2026-01-01",
    "filtres": {"partenaire": "Ruitz"},
    "nombre": 1,
    "conventions": [
        {
            "numero": 1,
            "type": "services-numeriques",
            "intitule": "services numériques",
            "partenaire": "Commune de Ruitz",
            "statut": "en_cours",
            "prochaine_echeance": {"nature": "preavis", "date": "2027-06-14"},
        }
    ],
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERRORS = ErrorAnswer


def binary(*media: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in media},
    }


def _component(type_name: str) -> str:
    return "Donnees_" + re.sub(r"[^A-Za-z0-9]", "_", type_name)


@cache
def type_schemas() -> dict[str, dict[str, Any]]:
    """Each type's JSON Schema moved into ``components/schemas`` (its ``$defs`` prefixed by the type,
    so two types may name a block alike)."""
    components: dict[str, dict[str, Any]] = {}
    for name in sorted(available_types()):
        schema = copy.deepcopy(json_schema(load_type(name)))
        prefix = _component(name)
        text = json.dumps(schema, ensure_ascii=False, default=str)
        text = re.sub(r'"#/\$defs/([^"]+)"', rf'"#/components/schemas/{prefix}_\1"', text)
        moved = json.loads(text)
        for key, definition in (moved.pop("$defs", None) or {}).items():
            named = definition
            if isinstance(definition, dict) and isinstance(definition.get("title"), str):
                # a generated client names its classes by title: "Adresse" of two types must differ
                named = {**definition, "title": f"{definition['title']} ({name})"}
            components[f"{prefix}_{key}"] = named
        moved = _enums(moved)
        components.update({key: _enums(value) for key, value in components.items() if key.startswith(prefix)})
        moved.pop("$schema", None)
        moved.pop("$id", None)
        components[prefix] = moved
    return components


def _enums(node: Any) -> Any:
    """Choices written ``oneOf: [{const, title}, …]`` (the JSON Schema of a type: each choice with its
    French title) as ``enum`` with the titles in ``x-enum-titles``: what client generators read."""
    if isinstance(node, list):
        return [_enums(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _enums(value) for key, value in node.items()}
    for keyword in ("oneOf", "anyOf"):
        choices = node.get(keyword)
        if (
            isinstance(choices, list)
            and choices
            and all(
                isinstance(item, dict) and "const" in item and set(item) <= {"const", "title"}
                for item in choices
            )
        ):
            node.pop(keyword)
            node["enum"] = [item["const"] for item in choices]
            node["x-enum-titles"] = [item.get("title", str(item["const"])) for item in choices]
    if "enum" in node and "title" in node:  # generators name an enum by its title: two alike would clash
        title = node.pop("title")
        node.setdefault("description", title)
    return node


@cache
def _example(type_name: str) -> dict[str, Any] | None:
    path = load_type(type_name).schema_path.parent.parent / "samples" / f"{type_name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return json.loads(json.dumps(data, default=str, ensure_ascii=False)) if isinstance(data, dict) else None


def _body(type_name: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{_component(type_name)}"}
    json_content: dict[str, Any] = {"schema": ref}
    example = _example(type_name)
    if example is not None:
        json_content["example"] = example
    return {
        "required": True,
        "description": "Les données de la convention en JSON. Le serveur accepte aussi du YAML"
        " (application/yaml) et, pour joindre les fichiers des annexes, un formulaire multipart/form-data :"
        " « donnees » (JSON ou YAML) et les fichiers dans « fichiers » (un par annexe, nommés comme dans"
        " les données).",
        "content": {
            "application/json": json_content,
        },
    }


def per_type_paths(document: dict[str, Any]) -> None:
    """Replace the generic ``/v1/types/{type_name}/…`` operations by one per installed type, with the
    type's own body; the generic route still answers (404 for an unknown type)."""
    paths: dict[str, Any] = document["paths"]
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.update(type_schemas())
    for action in ("validate", "render"):
        generic = paths.pop(f"/v1/types/{{type_name}}/{action}", None)
        if generic is None:
            continue
        operation = generic["post"]
        for name in sorted(available_types()):
            specific = copy.deepcopy(operation)
            specific["parameters"] = [
                p for p in specific.get("parameters", []) if p.get("name") != "type_name"
            ]
            specific["operationId"] = f"{action}_{re.sub(r'[^A-Za-z0-9]', '_', name)}"
            specific["summary"] = f"{operation['summary']} — {load_type(name).titre}"
            specific["requestBody"] = _body(name)
            paths[f"/v1/types/{name}/{action}"] = {"post": specific}


def forget_types() -> None:
    """A type saved while the server runs (« Importer un modèle »): the per-type documents made again."""
    type_schemas.cache_clear()
    _example.cache_clear()
