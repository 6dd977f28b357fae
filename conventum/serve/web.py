"""The clerks' pages (``/``): server-rendered, French, working without JavaScript. Each job has its
module — the form of a type (``formpages``), the type's page and the geography (``typepages``), the
dossier (``dossierpages``), the batch (``batchpages``); this one gathers their routes and answers the
browser's errors with a page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from conventum.serve import batchpages, dossierpages, formpages, typepages
from conventum.serve.pages import all_types, templates
from conventum.serve.problems import HttpProblem

router = APIRouter(include_in_schema=False)
for pages in (formpages, typepages, dossierpages, batchpages):
    router.include_router(pages.router)
API_PREFIXES = ("/v1", "/health", "/metrics", "/docs", "/openapi", "/redoc", "/static")


def wants_page(request: Request) -> bool:
    """A page for the browser's requests, JSON for the API's."""
    return not request.url.path.startswith(API_PREFIXES)


def problem_page(request: Request, problem: HttpProblem) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "problem.html",
        {"status": problem.status, "message": problem.message},
        status_code=problem.status,
        headers=problem.headers,
    )


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "index.html", {"types": all_types()})
