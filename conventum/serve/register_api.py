"""The register over HTTP: ``/v1/registre`` (list, show, résilier), its calendar as a subscription
URL (``/v1/registre/echeances.ics``), and the clerks' page ``/registre``.

The answers are those of ``conventum registre liste/montre --format json`` (one builder,
:mod:`conventum.register.reports`); dates are read as the command reads them (AAAA-MM-JJ or
JJ/MM/AAAA); the register's errors keep their French message and get their HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from fastapi import APIRouter, Body, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from conventum.errors import (
    RegisterBusyError,
    RegisterError,
    TerminatedRecordError,
    UnknownRecordError,
    UsageError,
)
from conventum.register.ics import ics_bytes
from conventum.register.reports import STATUS_WORDS, entry_json, list_json, status_of
from conventum.register.store import Register
from conventum.serve.openapi import REGISTER_EXAMPLE, responses
from conventum.serve.problems import HttpProblem
from conventum.serve.registers import Registers
from conventum.serve.values import day_value

router = APIRouter(tags=["registre"])
pages = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
Result = TypeVar("Result")


def registers_of(request: Request) -> Registers:
    found: Registers = request.app.state.conventum.registers
    return found


async def using(request: Request, work: Callable[[Register], Result]) -> Result:
    """Run ``work`` on the register in a thread; its errors as HTTP problems in French."""
    registers = registers_of(request)

    def run() -> Result:
        return work(registers.get())

    try:
        return await anyio.to_thread.run_sync(run)
    except UnknownRecordError as exc:
        raise HttpProblem(404, "registre.numero_inconnu", detail=exc.message) from exc
    except TerminatedRecordError as exc:
        raise HttpProblem(409, "registre.resiliee", detail=exc.message) from exc
    except RegisterBusyError as exc:
        raise HttpProblem(503, "registre.occupe", headers={"Retry-After": "5"}, detail=exc.message) from exc
    except RegisterError as exc:
        raise HttpProblem(503, "registre.indisponible", detail=exc.message) from exc
    except UsageError as exc:
        raise HttpProblem(422, "registre.refus", detail=exc.message) from exc


TodayQuery = Annotated[
    str | None,
    Query(
        description="Date du jour retenue (AAAA-MM-JJ ou JJ/MM/AAAA) ; par défaut, celle du serveur.",
        examples=["2026-01-01"],
    ),
]


@router.get(
    "/v1/registre",
    summary="Les conventions du registre et leur prochaine échéance",
    description="La réponse de « conventum registre liste --format json ». La recherche par partenaire"
    " compare le nom sans casse ni accents, ou le SIREN ou le code INSEE exact.",
    responses={
        200: {"description": "La liste", "content": {"application/json": {"example": REGISTER_EXAMPLE}}},
        **responses(400, 401, 503),
    },
)
async def list_register(
    request: Request,
    type: Annotated[str | None, Query(description="Seulement ce type de convention.")] = None,
    partenaire: Annotated[
        str | None,
        Query(
            description="Nom (ou partie du nom) d’une partie, son SIREN ou son code INSEE.", max_length=200
        ),
    ] = None,
    echeance_avant: Annotated[
        str | None,
        Query(
            description="Seulement les conventions ayant une échéance d’ici ce jour (AAAA-MM-JJ, JJ/MM/AAAA)."
        ),
    ] = None,
    aujourdhui: TodayQuery = None,
) -> JSONResponse:
    now = day_value("aujourdhui", aujourdhui) or date.today()
    until = day_value("echeance_avant", echeance_avant)
    found = await using(
        request,
        lambda register: register.entries(type_name=type, partner=partenaire, due_before=until, today=now),
    )
    filters = {"type": type, "partenaire": partenaire, "echeance_avant": until.isoformat() if until else None}
    return JSONResponse(list_json(found, now, filters))


@router.get(
    "/v1/registre/echeances.ics",
    summary="Le calendrier des échéances (abonnement iCalendar)",
    description="Une adresse à laquelle un agenda s’abonne : le jeton d’accès peut y être passé en"
    " paramètre « jeton » (les agendas n’envoient pas d’en-tête Authorization). Les échéances annulées"
    " par une résiliation restent, au statut CANCELLED et à la SEQUENCE supérieure.",
    response_class=Response,
    responses={
        200: {
            "description": "Le calendrier",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        },
        **responses(400, 401, 503),
    },
)
async def register_calendar(
    request: Request,
    depuis: Annotated[
        str | None,
        Query(description="Seulement les échéances à partir de ce jour (AAAA-MM-JJ ou JJ/MM/AAAA)."),
    ] = None,
    jeton: Annotated[
        str | None, Query(description="Le jeton d’accès, pour un agenda qui ne sait pas envoyer d’en-tête.")
    ] = None,
) -> Response:
    since = day_value("depuis", depuis)
    found = await using(request, lambda register: register.calendar(since))
    return Response(
        ics_bytes(found),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="echeances.ics"'},
    )


NumberPath = Annotated[int, PathParam(description="Le numéro de la convention au registre.", examples=[1])]


@router.get(
    "/v1/registre/{numero}",
    summary="Une convention du registre",
    description="La réponse de « conventum registre montre N --format json ».",
    responses={200: {"description": "La convention"}, **responses(400, 401, 404, 503)},
)
async def show_entry(request: Request, numero: NumberPath, aujourdhui: TodayQuery = None) -> JSONResponse:
    now = day_value("aujourdhui", aujourdhui) or date.today()
    entry = await using(request, lambda register: register.entry(numero))
    return JSONResponse(entry_json(entry, now))


class Resiliation(BaseModel):
    """La résiliation d’une convention."""

    date: str = Field(
        description="Date d’effet (AAAA-MM-JJ ou JJ/MM/AAAA) ; les échéances après elle sont annulées.",
        examples=["2026-12-31"],
        max_length=20,
    )
    motif: str = Field(
        description="Motif (délibération, courrier…).",
        examples=["Délibération du 3 décembre 2026"],
        min_length=1,
        max_length=2000,
    )


@router.post(
    "/v1/registre/{numero}/resiliation",
    summary="Résilie une convention",
    description="Comme « conventum registre resilier N --date … --motif … » : les échéances postérieures"
    " sont annulées (le calendrier les annule aussi). 409 si elle l’est déjà, 422 si la date précède la"
    " signature.",
    responses={
        200: {"description": "La convention résiliée"},
        **responses(400, 401, 404, 409, 415, 422, 503),
    },
)
async def terminate_entry(
    request: Request, numero: NumberPath, resiliation: Annotated[Resiliation, Body()]
) -> JSONResponse:
    effective = day_value("date", resiliation.date)
    if effective is None:
        raise HttpProblem(
            400, "requete.valeur", nom="date", raison="vide ; attendu : AAAA-MM-JJ ou JJ/MM/AAAA"
        )
    entry = await using(
        request, lambda register: register.terminate(numero, effective=effective, reason=resiliation.motif)
    )
    return JSONResponse(entry_json(entry, date.today()))


@pages.get("/registre", response_class=HTMLResponse)
async def register_page(
    request: Request, partenaire: str | None = None, type: str | None = None
) -> HTMLResponse:
    """The clerks' page: every convention, its partner, status and next deadline."""
    today = date.today()
    found = await using(
        request, lambda register: register.entries(type_name=type or None, partner=partenaire or None)
    )
    rows: list[dict[str, Any]] = []
    for entry in found:
        upcoming = entry.next_due(today)
        rows.append(
            {
                "entry": entry,
                "statut": STATUS_WORDS[status_of(entry, today)],
                "prochaine": upcoming,
            }
        )
    return templates.TemplateResponse(
        request, "registre.html", {"rows": rows, "partenaire": partenaire or "", "today": today}
    )
