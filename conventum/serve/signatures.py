"""``POST /v1/signatures/verification``: the verification report of a signed PDF (the server verifies,
it never signs: a private key stays on the signer's machine)."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from conventum.errors import ConventumError
from conventum.serve.inputs import media_type
from conventum.serve.openapi import COMMON, responses
from conventum.serve.problems import HttpProblem
from conventum.validation.report import failure_report_data

router = APIRouter()
ACCEPTED = "application/pdf ou multipart/form-data (document, racines)"


@router.post(
    "/v1/signatures/verification",
    summary="Vérifie les signatures d’un PDF (rapport JSON)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Le PDF signé, ou un formulaire : « document » et les « racines » de confiance.",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["document"],
                        "properties": {
                            "document": {"type": "string", "format": "binary"},
                            "racines": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            },
        }
    },
    responses={
        200: {
            "description": "Le rapport de « conventum verifier --format json »",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **responses(*COMMON, 415, 422, report=True),
    },
)
async def verify_signatures(request: Request) -> JSONResponse:
    """Le PDF en corps (``application/pdf``), ou un formulaire multipart : ``document`` (le PDF) et
    ``racines`` (certificats des autorités de confiance, PEM ou DER, répétable). Réponse : le rapport
    de ``conventum verifier --format json`` ; ``statut`` vaut ``valide``, ``invalide`` ou
    ``non_approuvee``. 422 quand le fichier n’est pas un PDF signé lisible."""
    kind = media_type(request.headers.get("content-type"))
    roots: list[bytes] = []
    if kind == "application/pdf":
        pdf = await request.body()
    elif kind == "multipart/form-data":
        form = await request.form()
        document = form.get("document")
        if not isinstance(document, UploadFile):
            raise HttpProblem(422, "requete.champ_manquant", champ="document")
        pdf = await document.read()
        roots = [await item.read() for item in form.getlist("racines") if isinstance(item, UploadFile)]
    else:
        raise HttpProblem(415, "requete.type_contenu", recu=kind or "aucun", attendu=ACCEPTED)

    def work() -> dict[str, Any]:
        from conventum.signing.api import verify_pdf  # noqa: PLC0415 - pyHanko only when asked
        from conventum.signing.report import report_data  # noqa: PLC0415

        return report_data(verify_pdf(pdf, roots))

    try:
        report = await anyio.to_thread.run_sync(work)
    except ConventumError as exc:
        return JSONResponse(failure_report_data(exc), status_code=422)
    return JSONResponse(report)
