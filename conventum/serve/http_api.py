"""The JSON API (``/v1``), ``/health`` and ``/metrics``: the library's functions over HTTP."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from conventum.errors import ConventumError, TemplateError, UnknownTypeError, ValidationFailed
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.model.json_schema import json_schema
from conventum.serve.inputs import (
    check_annex_files,
    data_format,
    media_type,
    parse_data,
    save_uploads,
    upload_folder,
)
from conventum.serve.openapi import COMMON, DOCX, Report, binary, responses
from conventum.serve.problems import HttpProblem
from conventum.serve.state import ServerState
from conventum.serve.values import DATE_FORMATS, day_value
from conventum.validation.report import failure_report_data, issues_report_data
from conventum.validation.validation import validate as validate_checked

router = APIRouter()
MEDIA = {"pdf": "application/pdf", "docx": DOCX}
REPORT_HEADER = "X-Conventum-Rapport"
ERROR_400 = {
    "description": "Paramètre refusé (message en français).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorAnswer"}}},
}
TodayQuery = Annotated[
    str | None,
    Query(
        description=f"Date du jour retenue pour les contrôles ({DATE_FORMATS}), comme --today.",
        examples=["2025-12-31"],
    ),
]
StrictQuery = Annotated[
    bool, Query(description="Les avertissements comptent comme des erreurs (comme --strict).")
]


def report_header(report: dict[str, Any]) -> str:
    """The report of a rendered document as one header: its JSON, UTF-8, percent-encoded (an HTTP
    header holds ASCII only); ``urllib.parse.unquote`` or ``decodeURIComponent`` gives the JSON back."""
    return urllib.parse.quote(json.dumps(report, ensure_ascii=False, separators=(",", ":")), safe="")


def state_of(request: Request) -> ServerState:
    server_state: ServerState = request.app.state.conventum
    return server_state


def known_type(name: str) -> ConventionType:
    try:
        return load_type(name)
    except UnknownTypeError as exc:
        raise HttpProblem(404, "type.inconnu", detail=exc.message) from exc


def report_json(report: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(report, status_code=status)


def invalid(exc: ValidationFailed, **extra: Any) -> JSONResponse:
    """422 with the report of ``--format json``: every problem, its code and path."""
    return report_json(issues_report_data(exc.issues, data=exc.data, ctype=exc.ctype, **extra), 422)


Body = tuple[bytes, str]  # a request's data as sent, and its content type


async def request_body(request: Request) -> tuple[Body, list[UploadFile]]:
    """The data as sent (a JSON/YAML body, or a multipart form's ``donnees``) and its files
    (``fichiers``), its type checked (415) but not parsed: parsing is work, done off the event loop."""
    if media_type(request.headers.get("content-type")) == "multipart/form-data":
        form = await request.form()
        donnees = form.get("donnees")
        if donnees is None:
            raise HttpProblem(400, "requete.champ_manquant", champ="donnees")
        if isinstance(donnees, UploadFile):
            raw, kind = await donnees.read(), donnees.content_type or "application/json"
            if (donnees.filename or "").lower().endswith((".yaml", ".yml")):
                kind = "application/yaml"
        else:
            raw, kind = donnees.encode(), "application/json"
        data_format(kind)
        return (raw, kind), [item for item in form.getlist("fichiers") if isinstance(item, UploadFile)]
    kind = request.headers.get("content-type", "")
    data_format(kind)
    return (await request.body(), kind), []


async def request_data(request: Request) -> tuple[dict[str, Any], list[UploadFile]]:
    """The data of a JSON/YAML body or a multipart form, parsed off the event loop (in the lane)."""
    body, files = await request_body(request)
    return await state_of(request).off_loop(partial(parse_data, *body)), files


def parsed(body: Body, files: list[str]) -> dict[str, Any]:
    """The data of a body, each annex it names checked against the files sent with it."""
    data = parse_data(*body)
    check_annex_files(data, files)
    return data


@router.get(
    "/v1/types",
    summary="Les types de convention installés",
    responses={
        200: {"description": "Nom, titre, description et version (null si non déclarée) de chaque type"},
        **responses(401),
    },
)
def list_types() -> list[dict[str, str | None]]:
    types: list[dict[str, str | None]] = []
    for name in sorted(available_types()):
        ctype = load_type(name)
        types.append(
            {"type": name, "titre": ctype.titre, "description": ctype.description, "version": ctype.version}
        )
    return types


@router.get(
    "/v1/types/{type_name}/schema",
    summary="Le schéma JSON d’un type",
    responses={
        200: {
            "description": "Le schéma JSON (Draft 2020-12) des données du type",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        **responses(401, 404),
    },
)
def type_schema(type_name: str) -> Response:
    schema = json_schema(known_type(type_name))
    return Response(json.dumps(schema, ensure_ascii=False, default=str), media_type="application/json")


@router.post(
    "/v1/types/{type_name}/validate",
    summary="Vérifie des données (rapport de --format json)",
    response_model=Report,
    responses={
        200: {"description": "Le rapport, valide ou non (chaque problème, son code et son chemin)"},
        **responses(*COMMON, 404, 415, 422),
    },
)
async def validate_data(
    type_name: str, request: Request, strict: StrictQuery = False, today: TodayQuery = None
) -> JSONResponse:
    ctype = known_type(type_name)
    day = day_value("today", today)
    body, files = await request_body(request)

    def checked(folder: Path, names: list[str]) -> JSONResponse:
        data = parsed(body, names)
        result = validate_checked(ctype, data, today=day, base=folder)
        issues = result.issues
        if strict:
            issues = [issue if issue.severity == "error" else _as_error(issue) for issue in issues]
        return report_json(
            issues_report_data(issues, data=result.data, ctype=ctype, type=type_name, strict=strict)
        )

    with upload_folder() as folder:
        names = await save_uploads(files, folder)
        return await state_of(request).off_loop(partial(checked, folder, names))


def _as_error(issue: Issue) -> Issue:
    return replace(issue, severity="error")


@router.post(
    "/v1/types/{type_name}/render",
    summary="Produit le document (PDF ou DOCX), ou 422 et le rapport",
    description="Le document dans le corps ; son rapport entier (les avertissements) dans l’en-tête"
    f" « {REPORT_HEADER} » : le JSON du rapport de --format json, encodé en pourcentage (UTF-8).",
    response_class=Response,
    responses={
        200: {
            **binary(MEDIA["pdf"], MEDIA["docx"], description="Le document"),
            "headers": {
                REPORT_HEADER: {
                    "description": "Le rapport (JSON encodé en pourcentage) : avertissements compris.",
                    "schema": {"type": "string"},
                },
                "X-Conventum-Avertissements": {
                    "description": "Le nombre d’avertissements.",
                    "schema": {"type": "integer"},
                },
            },
        },
        **responses(*COMMON, 404, 415, 422, 429, 500, 503, report=True),
    },
)
async def render(
    type_name: str,
    request: Request,
    format: Annotated[Literal["pdf", "docx"], Query(description="pdf ou docx (comme --format).")] = "pdf",
    pdfa: Annotated[bool, Query(description="PDF/A (comme --pdfa).")] = False,
    strict: StrictQuery = False,
    today: TodayQuery = None,
) -> Response:
    ctype = known_type(type_name)
    day = day_value("today", today)
    state = state_of(request)
    body, files = await request_body(request)
    with upload_folder() as folder:
        data = partial(parsed, body, await save_uploads(files, folder))  # parsed in the pool
        try:
            document = await state.render(
                ctype, data, fmt=format, pdfa=pdfa, strict=strict, today=day, base=folder
            )
        except ValidationFailed as exc:
            state.pool.metrics.failure("invalide")
            return invalid(exc, type=type_name, type_version=ctype.version, strict=strict)
    headers = {
        "Content-Disposition": f'attachment; filename="{type_name}.{format}"',
        "X-Conventum-Avertissements": str(len(document.issues)),
        REPORT_HEADER: report_header(
            issues_report_data(
                document.issues,
                data=document.data,
                ctype=ctype,
                type=type_name,
                type_version=ctype.version,  # the version that made the document (NAME@V renders it again)
                strict=strict,
            )
        ),
    }
    return Response(document.content, media_type=MEDIA[format], headers=headers)


@router.post(
    "/v1/dossiers",
    summary="Délibération, convention et rapport en un PDF",
    description="Le corps : le dossier de « conventum dossier » (JSON ou YAML).",
    response_class=Response,
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {}}}},  # see
    # openapi_examples: the dossier's schema and sample
    responses={
        200: binary(MEDIA["pdf"], description="Le dossier en un PDF"),
        **responses(*COMMON, 415, 422, 429, 500, 503, report=True),
    },
)
async def dossier(request: Request, strict: StrictQuery = False, today: TodayQuery = None) -> Response:
    day = day_value("today", today)
    state = state_of(request)
    body, _files = await request_body(request)
    work = state.dossier_work(partial(parsed, body, []), today=day, strict=strict)
    try:
        pdf = await state.run_dossier(work)
    except ValidationFailed as exc:
        state.pool.metrics.failure("invalide")
        return invalid(exc, strict=strict)
    except TemplateError as exc:
        raise HttpProblem(500, "service.modele", detail=exc.message) from exc
    except ConventumError as exc:
        return report_json(failure_report_data(exc, strict=strict), 422)
    return Response(
        pdf, media_type=MEDIA["pdf"], headers={"Content-Disposition": 'attachment; filename="dossier.pdf"'}
    )


@router.post(
    "/v1/batches",
    status_code=202,
    summary="Lance un lot : une convention par ligne d’un tableur",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["type", "tableur"],
                        "properties": {
                            "type": {"type": "string", "description": "Le type de convention."},
                            "tableur": {"type": "string", "format": "binary", "description": ".xlsx ou .csv"},
                            "commun": {"type": "string", "description": "Données communes (JSON ou YAML)."},
                            "format": {"type": "string", "enum": ["docx", "pdf"], "default": "docx"},
                        },
                    }
                }
            },
        }
    },
    responses={202: {"description": "Le lot accepté ; son suivi"}, **responses(*COMMON, 404, 415, 422)},
)
async def create_batch(request: Request) -> JSONResponse:
    """multipart : ``type``, ``tableur`` (.xlsx ou .csv), ``commun`` (JSON ou YAML, facultatif),
    ``format`` (docx ou pdf)."""
    state = state_of(request)
    if media_type(request.headers.get("content-type")) != "multipart/form-data":
        raise HttpProblem(
            415,
            "requete.type_contenu",
            recu=media_type(request.headers.get("content-type")) or "aucun",
            attendu="multipart/form-data",
        )
    form = await request.form()
    type_name, sheet, fmt = form.get("type"), form.get("tableur"), form.get("format") or "docx"
    if not isinstance(type_name, str):
        raise HttpProblem(400, "requete.champ_manquant", champ="type")
    if not isinstance(sheet, UploadFile):
        raise HttpProblem(400, "requete.champ_manquant", champ="tableur")
    if fmt not in ("docx", "pdf"):
        raise HttpProblem(400, "requete.parametre", nom="format", valeur=fmt, choix="docx, pdf")
    known_type(type_name)
    commun = await _commun(form.get("commun"))
    job_id = await state.create_batch(type_name, sheet, commun, str(fmt))
    return JSONResponse(
        {"id": job_id, "statut": "en_attente", "suivi": f"/v1/batches/{job_id}"},
        status_code=202,
        headers={"Location": f"/v1/batches/{job_id}"},
    )


async def _commun(value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, UploadFile):
        kind = (
            "application/yaml"
            if (value.filename or "").lower().endswith((".yaml", ".yml"))
            else "application/json"
        )
        return parse_data(await value.read(), kind, source="commun")
    return parse_data(str(value).encode(), "application/yaml", source="commun")  # YAML reads JSON too


@router.get(
    "/v1/batches/{job_id}",
    summary="Avancement et rapport d’un lot",
    responses={200: {"description": "L’état du lot, et son rapport une fois terminé"}, **responses(401, 404)},
)
def batch_status(job_id: str, request: Request) -> JSONResponse:
    jobs = state_of(request).jobs
    status = jobs.state(job_id)
    if status is None:
        raise HttpProblem(404, "lot.inconnu", id=job_id)
    if status["statut"] == "termine":
        status["rapport"] = jobs.report(job_id)
        status["documents"] = f"/v1/batches/{job_id}/documents.zip"
    return JSONResponse(status)


@router.get(
    "/v1/batches/{job_id}/documents.zip",
    summary="Les documents d’un lot terminé et son rapport",
    response_class=FileResponse,
    responses={
        200: binary("application/zip", description="L’archive des documents et du rapport"),
        **responses(401, 404, 409),
    },
)
def batch_zip(job_id: str, request: Request) -> Response:
    """The zip, or, from a shared S3 storage, a redirection (307) to its presigned link."""
    jobs = state_of(request).jobs
    status = jobs.state(job_id)
    if status is None:
        raise HttpProblem(404, "lot.inconnu", id=job_id)
    where = jobs.download(job_id) if status["statut"] == "termine" else None
    if where is None or (isinstance(where, Path) and not where.is_file()):
        raise HttpProblem(409, "lot.pas_fini", id=job_id, statut=status["statut"])
    if isinstance(where, str):
        return RedirectResponse(where, status_code=307)
    return FileResponse(where, media_type="application/zip", filename=f"lot-{job_id}.zip")


@router.get(
    "/health",
    summary="Les workers LibreOffice en vie et la file d’attente",
    responses={200: {"description": "En service"}, 503: {"description": "Le serveur s’arrête"}},
)
async def health(request: Request) -> JSONResponse:
    """Answered on the event loop itself (counters only: no thread to wait for while the server is
    saturated); the distributed checks, which ask Redis and the storage, in a thread."""
    pool, lane = state_of(request).pool, state_of(request).lane
    alive = len(pool.converter.processes)
    body: dict[str, Any] = {
        "statut": "arret" if pool.closing else "ok",
        "workers": pool.workers,
        "workers_vivants": alive,
        "en_cours": pool.running,
        "en_attente": pool.waiting,
        "file_max": pool.queue,
        "redemarrages": pool.converter.restarts,
        "processus": pool.converter.processes,
        "verifications_en_cours": lane.running,  # bodies parsed, data validated, pages built
        "verifications_en_attente": lane.waiting,
    }
    cluster = None
    if getattr(state_of(request).jobs, "health", None) is not None:
        cluster = await anyio.to_thread.run_sync(cluster_health, state_of(request))
    if cluster is not None:
        body["distribue"] = cluster
        if cluster["file"] != "ok" or cluster["stockage"] != "ok":
            body["statut"] = "degrade"
    return JSONResponse(body, status_code=503 if pool.closing or body["statut"] != "ok" else 200)


def cluster_health(state: ServerState) -> dict[str, Any] | None:
    health: Callable[[], dict[str, Any]] | None = getattr(state.jobs, "health", None)
    return None if health is None else health()


@router.get(
    "/metrics",
    summary="Compteurs au format Prometheus",
    response_class=PlainTextResponse,
    responses={200: {"description": "Les compteurs (format texte de Prometheus)"}, **responses(401)},
)
def metrics(request: Request) -> PlainTextResponse:
    pool = state_of(request).pool
    gauges = {
        "conventum_queue_depth": ("Demandes en attente d’un worker.", lambda: float(pool.waiting)),
        "conventum_in_flight": ("Documents en cours de production.", lambda: float(pool.running)),
        "conventum_workers_alive": (
            "Workers LibreOffice en vie.",
            lambda: float(len(pool.converter.processes)),
        ),
        "conventum_worker_restarts": (
            "Workers redémarrés (plantage, délai, quota).",
            lambda: float(pool.converter.restarts),
        ),
    }
    text = pool.metrics.text(gauges) + cluster_metrics(state_of(request))
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")


def cluster_metrics(state: ServerState) -> str:
    """Distributed: the counters every worker adds to in the broker, and the queue's depth."""
    read: Callable[[], dict[str, dict[str, float]]] | None = getattr(state.jobs, "counters", None)
    health: Callable[[], dict[str, Any]] | None = getattr(state.jobs, "health", None)
    if read is None or health is None:
        return ""
    counters, status = read(), health()
    lines = [
        "# HELP conventum_cluster_documents_total Documents produits par les workers de la file.",
        "# TYPE conventum_cluster_documents_total counter",
    ]
    lines += [
        f'conventum_cluster_documents_total{{format="{k}"}} {v:g}'
        for k, v in sorted(counters.get("documents", {}).items())
    ]
    lines += [
        "# HELP conventum_cluster_render_seconds_total Durée cumulée de production par les workers.",
        "# TYPE conventum_cluster_render_seconds_total counter",
    ]
    lines += [
        f'conventum_cluster_render_seconds_total{{format="{k}"}} {v:.6f}'
        for k, v in sorted(counters.get("secondes", {}).items())
    ]
    lines += [
        "# HELP conventum_cluster_rows_failed_total Lignes de lot non produites, par statut.",
        "# TYPE conventum_cluster_rows_failed_total counter",
    ]
    lines += [
        f'conventum_cluster_rows_failed_total{{statut="{k}"}} {v:g}'
        for k, v in sorted(counters.get("echecs", {}).items())
    ]
    lines += [
        "# HELP conventum_cluster_queue_depth Tâches en attente dans la file.",
        "# TYPE conventum_cluster_queue_depth gauge",
        f"conventum_cluster_queue_depth {status.get('file_attente', 0)}",
        "# HELP conventum_cluster_workers Workers dont le battement est récent.",
        "# TYPE conventum_cluster_workers gauge",
        f"conventum_cluster_workers {len(status.get('travailleurs', []))}",
    ]
    return "\n".join(lines) + "\n"
