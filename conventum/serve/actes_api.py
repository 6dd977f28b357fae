"""``POST /v1/actes``: ``conventum actes`` over HTTP. The form gives the data (a type's, or a
dossier), the collectivité's classification, the signed PDF and the annexes, and the options of
the command; the answer is the envoi as a ZIP (ACTES message, pieces under their ACTES names, the
ls-actes JSON, the glaneur drop) with the report of ``--format json`` in ``X-Conventum-Rapport``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from conventum.serve.handoff import (
    ZIP,
    answered,
    data_field,
    file_field,
    flag_field,
    form_of,
    multipart_body,
    save,
    text_field,
    zipped,
)
from conventum.serve.http_api import REPORT_HEADER, state_of
from conventum.serve.inputs import upload_folder
from conventum.serve.openapi import COMMON, binary, responses
from conventum.serve.values import day_value

router = APIRouter(tags=["actes et publication"])
TEXT = {"type": "string"}
FILE = {"type": "string", "format": "binary"}
FIELDS = {
    "type": {**TEXT, "description": "Le type de l’acte ; absent : « donnees » est un dossier."},
    "donnees": {**TEXT, "description": "Les données (JSON ou YAML) : d’un type, ou un dossier."},
    "classification": {
        **FILE,
        "description": "La classification de la collectivité (RetourClassification XML).",
    },
    "pdf": {**FILE, "description": "L’acte signé (PDF) ; sans lui, conventum le produit des données."},
    "autorisation": {**FILE, "description": "La délibération qui autorise la convention (PDF)."},
    "annexes": {"type": "array", "items": FILE, "description": "Les annexes (PDF), dans l’ordre."},
    "types_annexes": {
        "type": "array",
        "items": TEXT,
        "description": "Le code du type de pièce de chaque annexe, dans le même ordre (facultatif).",
    },
    "numero": {**TEXT, "description": "Numéro de l’acte (chiffres, majuscules, « _ » ; 15 au plus)."},
    "objet": {**TEXT, "description": "Objet de l’acte (par défaut : le titre du type et les parties)."},
    "matiere": {**TEXT, "description": "Code de classification (matière), par exemple 1.4.2."},
    "date_decision": {**TEXT, "description": "Date de la décision (AAAA-MM-JJ ou JJ/MM/AAAA)."},
    "date_transmission": {**TEXT, "description": "Date de transmission, par défaut aujourd’hui."},
    "siren": {**TEXT, "description": "SIREN de la collectivité qui transmet."},
    "departement": {**TEXT, "description": "Département, sur trois caractères (062)."},
    "avenant": {
        "type": "boolean",
        "description": "L’acte est un avenant (pièce 42_AC) ; « pdf » obligatoire.",
    },
}
OPTIONS = ("numero", "objet", "matiere", "siren", "departement")


@router.post(
    "/v1/actes",
    summary="Prépare l’envoi d’un acte au contrôle de légalité (comme « conventum actes »)",
    description="Réponse : l’envoi en ZIP (message ACTES validé par le schéma, pièces nommées selon la"
    f" règle ACTES, JSON ls-actes, dépôt du glaneur Pastell) ; son compte rendu dans « {REPORT_HEADER} »"
    " (le JSON de --format json, encodé en pourcentage). 422 : le rapport de chaque refus.",
    response_class=Response,
    openapi_extra={"requestBody": multipart_body(FIELDS, ["donnees"], "Le formulaire de l’envoi.")},
    responses={
        200: {
            **binary(ZIP, description="L’envoi"),
            "headers": {
                REPORT_HEADER: {
                    "description": "Le compte rendu (JSON encodé en pourcentage).",
                    "schema": TEXT,
                }
            },
        },
        **responses(*COMMON, 415, 422, 429, 500, 503, report=True),
    },
)
async def actes(request: Request) -> Response:
    form = await form_of(request)
    with upload_folder() as folder:
        work = await _work(form, folder, state_of(request).pool.converter)
        return await answered(request, work, filename="envoi.zip")


async def _work(form: FormData, folder: Path, converter: Any) -> Any:
    from conventum.actes.sources import Request as Envoi  # noqa: PLC0415 - lxml on demand
    from conventum.actes.writing import envoi_json, write_envoi  # noqa: PLC0415

    type_name, data = text_field(form, "type"), await data_field(form, "donnees")
    classification = await file_field(form, "classification", folder)
    codes = [str(code).strip() or None for code in form.getlist("types_annexes")]
    annexes = [await save(item, folder) for item in form.getlist("annexes") if not isinstance(item, str)]
    envoi = Envoi(
        transmission=day_value("date_transmission", text_field(form, "date_transmission")) or dt.date.today(),
        decision=day_value("date_decision", text_field(form, "date_decision")),
        pdf=await file_field(form, "pdf", folder),
        autorisation=await file_field(form, "autorisation", folder),
        annexes=[(path, codes[rank] if rank < len(codes) else None) for rank, path in enumerate(annexes)],
        avenant=flag_field(form, "avenant"),
        **{key: text_field(form, key) for key in OPTIONS},
    )

    def run() -> tuple[bytes, dict[str, Any]]:
        written = write_envoi(
            type_name,
            data or {},
            envoi,
            folder / "envoi",
            classification=classification,
            render=_renderer(converter),
        )
        report = envoi_json(written)
        report.pop("dossier")  # a path of the server's disk
        return zipped(written.folder), report

    return run


def _renderer(converter: Any) -> Any:
    def render(type_name: str, data: Any) -> bytes:
        from conventum.api import render_document  # noqa: PLC0415

        return render_document(type_name, dict(data), fmt="pdf", converter=converter).content

    return render
