"""A page per type (what the convention is for, who signs, what is needed, a sample) and the
official geography a party's name is searched in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from conventum.geo.search import QueryError, search_places
from conventum.serve.http_api import known_type
from conventum.serve.pages import client_of, templates
from conventum.serve.problems import HttpProblem
from conventum.serve.throttle import Throttle, retry_after
from conventum.serve.typepage import roles_of, sample_of

router = APIRouter(include_in_schema=False)
SEARCHES = Throttle(20, 2.0)  # a clerk types: a few searches a second, never fifty


@router.get("/type/{type_name}", response_class=HTMLResponse)
def type_page(type_name: str, request: Request) -> HTMLResponse:
    """What the convention is for, who signs, what is needed, a sample."""
    ctype = known_type(type_name)
    context = {"ctype": ctype, "roles": roles_of(ctype), "sample": sample_of(ctype) is not None}
    return templates.TemplateResponse(request, "type.html", context)


@router.get("/type/{type_name}/exemple.yaml")
def type_sample(type_name: str) -> Response:
    ctype = known_type(type_name)
    sample = sample_of(ctype)
    if sample is None:
        raise HttpProblem(404, "page.introuvable", chemin=f"/type/{type_name}/exemple.yaml")
    headers = {"Content-Disposition": f'attachment; filename="exemple-{ctype.name}.yaml"'}
    return Response(sample.read_bytes(), media_type="application/yaml; charset=utf-8", headers=headers)


@router.get("/geographie")
def geography_search(request: Request, q: str = "") -> JSONResponse:
    """The official geography as a party's name is typed (JSON for the page's script)."""
    wait = SEARCHES.wait(client_of(request))
    if wait:
        message = "Trop de recherches d’un coup : réessayez dans un instant."
        return JSONResponse(
            {"resultats": [], "message": message}, status_code=429, headers={"Retry-After": retry_after(wait)}
        )
    try:
        places = search_places(q)
    except QueryError as exc:
        return JSONResponse({"resultats": [], "message": str(exc)}, status_code=400 if len(q) > 2 else 200)
    found: str | None = None if places else f"Aucune collectivité ne correspond à « {q} »."
    return JSONResponse({"resultats": [place.as_dict() for place in places], "message": found})
