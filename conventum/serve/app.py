"""The web application: the API and the form on one ``ServerState``, behind the guards."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from conventum.batch.columns import IndexRefused
from conventum.serve import (
    actes_api,
    avenant_api,
    avenant_pages,
    http_api,
    importing,
    publication_api,
    register_api,
    register_pages,
    signatures,
    web,
)
from conventum.serve.guards import AllowedHosts, SameOrigin, SizeLimit, TokenGuard
from conventum.serve.lanes import RequestClock
from conventum.serve.openapi import per_type_paths
from conventum.serve.openapi_examples import add_examples
from conventum.serve.problems import HttpProblem, client_reason, http_message
from conventum.serve.settings import Settings
from conventum.serve.state import ServerState

STATIC = Path(__file__).with_name("static")
log = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    """The ASGI application; its LibreOffice pool starts and stops with it (lifespan)."""
    state = ServerState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(state.start)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(state.close)

    app = FastAPI(
        title="conventum",
        description="Conventions entre collectivités : vérification et production en DOCX ou PDF.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below from the vendored Swagger UI, not from a CDN
        redoc_url=None,
    )
    app.state.conventum = state
    app.include_router(http_api.router)
    app.include_router(register_api.router)
    app.include_router(avenant_api.router)  # issue 28: avenants
    app.include_router(avenant_pages.pages)
    app.include_router(register_api.pages)
    app.include_router(register_pages.pages)
    app.include_router(signatures.router)
    app.include_router(actes_api.router)
    app.include_router(publication_api.router)
    app.include_router(web.router)
    app.include_router(importing.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _handlers(app)
    _openapi(app)
    _docs(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=[
                "Content-Disposition",
                "Retry-After",
                "X-Conventum-Avertissements",
                http_api.REPORT_HEADER,
            ],
        )
    app.add_middleware(SameOrigin, allowed=list(settings.cors_origins))  # the form: no cross-site post
    if settings.tokens:
        app.add_middleware(TokenGuard, tokens=list(settings.tokens))
    app.add_middleware(
        SizeLimit, limit=settings.max_body, idle=settings.header_timeout
    )  # before anything reads a body
    if settings.allowed_hosts:
        app.add_middleware(AllowedHosts, allowed=list(settings.allowed_hosts))
    app.add_middleware(RequestClock)  # outermost: the request's deadline counts from its arrival
    return app


def _openapi(app: FastAPI) -> None:
    """The document FastAPI builds, made true: one operation per type with its body, no
    ``HTTPValidationError`` (a bad parameter is a 400 with conventum's error)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            per_type_paths(document)
            add_examples(document)
            for path in document["paths"].values():
                for operation in path.values():
                    answers = operation.get("responses", {})
                    for status, answer in answers.items():  # errors are JSON whatever the success is
                        content = answer.get("content") or {}
                        if status >= "400" and content and "application/json" not in content:
                            answer["content"] = {"application/json": next(iter(content.values()))}
                    found = answers.get("422", {}).get("content", {}).get("application/json", {})
                    if "HTTPValidationError" in str(found.get("schema", "")):
                        del answers["422"]
                        answers.setdefault("400", http_api.ERROR_400)
            schemas = document.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


def _docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from ``static/swagger-ui`` (vendored from npm), no request elsewhere."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="conventum — API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"defaultModelsExpandDepth": 0, "validatorUrl": None},
        )


def problem_response(problem: HttpProblem) -> JSONResponse:
    return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers)


def _http_problem(request: Request, exc: StarletteHTTPException) -> HttpProblem:
    if exc.status_code == 404:
        return HttpProblem(404, "page.introuvable", chemin=request.url.path)
    if exc.status_code == 405:
        return HttpProblem(405, "methode.interdite", methode=request.method)
    if 400 <= exc.status_code < 500:  # a body the client sent wrong (multipart…): its reason
        return HttpProblem(exc.status_code, "requete.mal_formee", detail=client_reason(exc.detail))
    return HttpProblem(exc.status_code, "interne")


EXPECTED = {
    "int_parsing": "un nombre entier",
    "bool_parsing": "true ou false",
    "string_type": "un texte",
    "dict_type": "un objet JSON",
    "model_attributes_type": "un objet JSON",
    "missing": "une valeur (le champ manque)",
    "string_too_short": "un texte non vide",
    "string_too_long": "un texte plus court",
    "json_invalid": "du JSON valide",
}


def parameter_problem(errors: Sequence[Any], content_type: str = "") -> HttpProblem:
    """The first refused parameter or field, in French: its name, value and what is accepted
    (``pdf, docx`` rather than pydantic's ``'pdf' or 'docx'``)."""
    first = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ())]
    name = ".".join(location[1:]) or "?"
    expected = first.get("ctx", {}).get("expected")
    if expected is not None:
        expected = ", ".join(
            part.strip().strip("'") for part in str(expected).replace(" or ", ",").split(",")
        )
    else:
        expected = EXPECTED.get(first.get("type", ""), "une valeur permise")
    value = first.get("input", "")
    if location == ["body"] and isinstance(value, bytes):  # a body that is not JSON
        return HttpProblem(
            415, "requete.type_contenu", recu=content_type or "aucun", attendu="application/json"
        )
    if location[:1] == ["body"]:
        shown = (
            "absent"
            if first.get("type") == "missing"
            else json.dumps(value, ensure_ascii=False, default=str)[:80]
        )
        return HttpProblem(400, "requete.valeur", nom=name, raison=f"{shown} ; attendu : {expected}")
    return HttpProblem(400, "requete.parametre", nom=name, valeur=str(value)[:80], choix=expected)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(HttpProblem)
    async def on_problem(request: Request, exc: HttpProblem) -> Response:
        if web.wants_page(request):
            return web.problem_page(request, exc)
        return problem_response(exc)

    @app.exception_handler(IndexRefused)
    async def on_index(request: Request, exc: IndexRefused) -> Response:
        """A field name whose list index is past the bound (``parties[3000000].nom``): 400, nothing built."""
        return await on_problem(request, HttpProblem(400, "requete.champ_refuse", detail=exc.message))

    @app.exception_handler(ClientDisconnect)
    async def on_disconnect(request: Request, exc: ClientDisconnect) -> Response:
        """The client left before its body arrived: one line in the log, no traceback, no answer read."""
        log.warning("client parti avant la fin de sa requête %s %s", request.method, request.url.path)
        return Response(status_code=400)

    @app.exception_handler(RequestValidationError)
    async def on_parameters(request: Request, exc: RequestValidationError) -> JSONResponse:
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        return problem_response(parameter_problem(exc.errors(), kind))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        problem = _http_problem(request, exc)
        if web.wants_page(request):
            return web.problem_page(request, problem)
        return problem_response(problem)

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("erreur interne sur %s", request.url.path)
        return JSONResponse(
            {"erreur": {"code": "interne", "message": http_message("interne")}}, status_code=500
        )
