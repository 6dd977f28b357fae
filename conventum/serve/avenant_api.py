"""``POST /v1/registre/{numero}/avenants``: ``conventum registre avenant`` over HTTP — the body is the
avenant file (JSON or YAML), the answer the avenant's document; the avenant is recorded under its
convention unless ``brouillon``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from conventum.errors import (
    ExpiredRecordError,
    RegisterBusyError,
    RegisterError,
    TerminatedRecordError,
    UnknownRecordError,
    ValidationFailed,
)
from conventum.serve.http_api import MEDIA, REPORT_HEADER, invalid, report_header, request_data, state_of
from conventum.serve.openapi import COMMON, binary, responses
from conventum.serve.problems import HttpProblem
from conventum.serve.register_api import registers_of
from conventum.serve.state import ServerState
from conventum.serve.values import day_value
from conventum.validation.report import issues_report_data

router = APIRouter(tags=["registre"])
AVENANT_EXAMPLE = {
    "avenant": {
        "date_effet": "2026-04-01",
        "signature": {"lieu": "Ruitz", "date": "2026-03-10"},
        "autorisations": {"collectivite": {"organe": "conseil municipal", "date": "2026-03-02"}},
    },
    "modifications": {"reconduction": "expresse"},
}


@router.post(
    "/v1/registre/{numero}/avenants",
    summary="Rédige un avenant à une convention du registre et l’y inscrit",
    description="Comme « conventum registre avenant N FICHIER » : le corps est le fichier de l’avenant"
    " (avenant, modifications, ajouter, retirer), en JSON ou YAML ; la réponse, l’avenant (PDF ou DOCX)."
    " L’avenant est inscrit sous sa convention, ses parties et ses échéances suivent la version"
    " consolidée (sauf brouillon). 404 : convention inconnue ; 409 : résiliée ou terminée ; 422 : le"
    " rapport de chaque problème, avec son chemin.",
    status_code=201,
    response_class=Response,
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"example": AVENANT_EXAMPLE}}}
    },
    responses={
        201: binary(MEDIA["pdf"], MEDIA["docx"], description="L’avenant"),
        **responses(*COMMON, 404, 409, 415, 422, 429, 503, report=True),
    },
)
async def create_avenant(
    request: Request,
    numero: Annotated[int, PathParam(description="Le numéro de la convention au registre.")],
    format: Annotated[Literal["pdf", "docx"], Query(description="pdf ou docx.")] = "pdf",
    brouillon: Annotated[bool, Query(description="Produit l’avenant sans l’inscrire.")] = False,
    aujourdhui: Annotated[str | None, Query(description="Date du jour retenue (AAAA-MM-JJ).")] = None,
) -> Response:
    now = day_value("aujourdhui", aujourdhui) or date.today()
    data, _files = await request_data(request)
    state, registers = state_of(request), registers_of(request)

    def work() -> tuple[Any, bytes]:
        from conventum.avenants.service import prepare, record  # noqa: PLC0415 - the avenant's modules

        register = registers.get()
        _current, avenant = prepare(register, numero, data, today=now)
        content = avenant.draft.pdf(converter=state.pool.converter) if format == "pdf" else avenant.draft.docx
        if not brouillon:
            record(register, numero, avenant, data, content=content, path=None, today=now)
        return avenant, content

    try:
        avenant, content = await run_avenant(state, format, work)
    except ValidationFailed as exc:
        return invalid(exc)
    report = issues_report_data(list(avenant.issues), data=avenant.amendment.after, ctype=avenant.ctype)
    headers = {
        "Content-Disposition": f'attachment; filename="avenant-{avenant.numero}.{format}"',
        "Location": f"/v1/registre/{numero}",
        "X-Conventum-Avenant": str(avenant.numero),
        "X-Conventum-Articles": str(len(avenant.changes)),
        REPORT_HEADER: report_header(report),
    }
    return Response(content, status_code=201, media_type=MEDIA[format], headers=headers)


Result = TypeVar("Result")


async def run_avenant(state: ServerState, fmt: str, work: Callable[[], Result]) -> Result:
    """``work`` behind the pool's queue; the register's refusals as HTTP problems in French (a
    ValidationFailed is the caller's to show: a report, or the form again)."""
    try:
        return await state.pool.run(fmt, work)
    except UnknownRecordError as exc:
        raise HttpProblem(404, "registre.numero_inconnu", detail=exc.message) from exc
    except TerminatedRecordError as exc:
        raise HttpProblem(409, "registre.resiliee", detail=exc.message) from exc
    except ExpiredRecordError as exc:
        raise HttpProblem(409, "registre.expiree", detail=exc.message) from exc
    except RegisterBusyError as exc:
        raise HttpProblem(503, "registre.occupe", headers={"Retry-After": "5"}, detail=exc.message) from exc
    except RegisterError as exc:
        raise HttpProblem(503, "registre.indisponible", detail=exc.message) from exc
