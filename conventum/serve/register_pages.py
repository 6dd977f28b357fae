"""The clerks' résiliation from the ``/registre`` page: a form per convention in force, posted here
(the same check of origin as the other forms), the register changed as ``registre resilier`` does,
then back to the page, which says so; a refusal is a French page with its status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse

from conventum.serve.problems import HttpProblem
from conventum.serve.register_api import using
from conventum.serve.values import day_value

pages = APIRouter(include_in_schema=False)
MAX_REASON = 2000


@pages.post("/registre/{numero}/resiliation")
async def terminate_from_page(
    request: Request,
    numero: Annotated[int, PathParam()],
    date: Annotated[str, Form(max_length=20)] = "",
    motif: Annotated[str, Form(max_length=MAX_REASON)] = "",
) -> RedirectResponse:
    effective = day_value("date", date.strip() or None)
    if effective is None:
        raise HttpProblem(400, "requete.champ_manquant", champ="date")
    if not motif.strip():
        raise HttpProblem(400, "requete.champ_manquant", champ="motif")
    reason = " ".join(motif.split())
    await using(request, lambda register: register.terminate(numero, effective=effective, reason=reason))
    return RedirectResponse(f"/registre?resiliee={numero}", status_code=303)
