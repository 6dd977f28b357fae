"""The web application: the API and the form on one ``ServerState``, behind the guards."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from conventum.batch.columns import IndexRefused
from conventum.serve import http_api, signatures, web
from conventum.serve.guards import SameOrigin, SizeLimit, TokenGuard
from conventum.serve.problems import HttpProblem, client_reason, http_message
from conventum.serve.state import ServerState, Settings

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
    )
    app.state.conventum = state
    app.include_router(http_api.router)
    app.include_router(signatures.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Content-Disposition", "Retry-After", "X-Conventum-Avertissements"],
        )
    app.add_middleware(SameOrigin, allowed=list(settings.cors_origins))  # the form: no cross-site post
    if settings.tokens:
        app.add_middleware(TokenGuard, tokens=list(settings.tokens))
    app.add_middleware(
        SizeLimit, limit=settings.max_body, idle=settings.header_timeout
    )  # outermost: before anything reads a body
    return app


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
        errors = exc.errors()
        first = errors[0] if errors else {}
        name = ".".join(str(part) for part in first.get("loc", ())[1:]) or "?"
        expected = first.get("ctx", {}).get("expected", "une valeur permise")
        problem = HttpProblem(
            400, "requete.parametre", nom=name, valeur=first.get("input", ""), choix=expected
        )
        return problem_response(problem)

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
