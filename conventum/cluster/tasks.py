"""The tasks the workers run: one batch row (``conventum.ligne``) and a batch's report and zip
(``conventum.bilan``). Each is signed, idempotent and safe to run twice: a row re-delivered after
its worker died finds its document (written once, under a name fixed by the row) and its record."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from celery import Task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_process_shutdown
from kombu.exceptions import OperationalError
from redis import RedisError

from conventum.api import render_document
from conventum.batch.report import REPORT_CSV, REPORT_JSON, BatchReport, write_zip
from conventum.batch.run import Batch, BatchOptions, RowResult
from conventum.cluster import keys
from conventum.cluster.application import app
from conventum.cluster.config import KEYS, LEASE, ClusterConfig, lease_key, redis_client
from conventum.cluster.signing import Refused, shared_key, sign, verify
from conventum.cluster.storage import Store, open_store
from conventum.draft import make_draft
from conventum.errors import ConventumError, StorageError, StorageFullError, ValidationFailed
from conventum.issues import warnings
from conventum.pdf.converter import Converter
from conventum.rendering.prepared import prepared_template
from conventum.validation.validation import validate

FETCHES = 16  # objects read at once from the storage by a batch's report
log = logging.getLogger("conventum.worker")


@dataclass
class _Row:
    data: dict[str, Any]
    fichier: str
    empreinte: str


@dataclass
class _Job:
    state: dict[str, Any]
    batch: Batch
    rows: dict[int, _Row]
    folder: tempfile.TemporaryDirectory[str]


class _Process:
    """What one worker process keeps: its storage client, Redis client, key, the jobs it has read,
    and its own LibreOffice (started by its first PDF, one per process)."""

    def __init__(self, config: ClusterConfig) -> None:
        self.pid = os.getpid()
        self.config = config
        self.store: Store = open_store(config.storage)
        self.redis = redis_client(config)
        self.key = shared_key(self.store)
        self.jobs: dict[str, _Job] = {}
        self.converter: Converter | None = None

    def job(self, job_id: str) -> _Job:
        if job_id not in self.jobs:
            while len(self.jobs) >= 4:
                oldest = next(iter(self.jobs))
                self.jobs.pop(oldest).folder.cleanup()
            self.jobs[job_id] = self._read(job_id)
        return self.jobs[job_id]

    def _read(self, job_id: str) -> _Job:
        raw = self.store.get(keys.state(job_id))
        if raw is None:
            raise Refused(f"lot inconnu du stockage : {job_id}")
        state: dict[str, Any] = json.loads(raw)
        folder = tempfile.TemporaryDirectory(prefix="conventum-lot-")
        base = Path(folder.name)
        sheet = base / f"tableur{Path(state['tableur']).suffix.lower()}"
        sheet.write_bytes(self.store.get(keys.sheet(job_id, state["tableur"])) or b"")
        commun = json.loads(self.store.get(keys.commun(job_id)) or b"{}")
        (base / "documents").mkdir()
        options = BatchOptions(fmt=state["format"], resume=True, jobs=1)
        batch = Batch(state["type"], sheet, base / "documents", commun=commun, options=options)
        data = dict(batch.rows())
        rows = {n: _Row(data[n], fichier, empreinte) for n, fichier, empreinte in batch.outline()}
        return _Job(state, batch, rows, folder)

    def pdf_converter(self) -> Converter:
        if self.converter is None:
            self.converter = Converter(workers=1, timeout=self.config.deadline)
        return self.converter

    def close(self) -> None:
        if self.converter is not None:
            self.converter.close()
        for job in self.jobs.values():
            job.folder.cleanup()


_PROCESS: list[_Process] = []


def process() -> _Process:
    """This process's state, made after the fork (a boto3 client is not shared across forks)."""
    if not _PROCESS or _PROCESS[0].pid != os.getpid():
        _PROCESS[:] = [_Process(app.conventum_config)]
    return _PROCESS[0]


@worker_process_init.connect
def _start_process(**_kwargs: Any) -> None:
    """Each worker process starts its LibreOffice at once (as ``conventum serve`` does)."""
    try:
        process().pdf_converter().start()
    except ConventumError as exc:  # DOCX rows are still made; a PDF row reports it
        log.warning("LibreOffice non démarré : %s", exc.message)


@worker_process_shutdown.connect
def _close_process(**_kwargs: Any) -> None:
    if _PROCESS and _PROCESS[0].pid == os.getpid():
        _PROCESS[0].close()  # its soffice stopped with it


def _checked(payload: Any, name: str) -> dict[str, Any]:
    try:
        return verify(process().key, payload)
    except Refused as exc:
        log.error("tâche %s refusée : %s", name, exc.args[0])
        raise Reject(exc.args[0], requeue=False) from exc


@app.task(
    bind=True,
    name="conventum.ligne",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(StorageError,),
    retry_backoff=2,
    retry_backoff_max=30,
    max_retries=40,
)
def render_row(self: Task, payload: Any) -> None:
    """One batch row: its document written once, then its record; the report once all are in. A
    storage with no room left fails the job (said in its state), the other rows are not made."""
    checked = _checked(payload, "conventum.ligne")
    job_id, number = str(checked["lot"]), int(checked["ligne"])
    state = process()
    if _failed(state, job_id):
        return
    try:
        _row(state, checked, job_id, number)
    except StorageFullError as exc:
        _fail_job(state, job_id, f"stockage plein à la ligne {number} : {exc.message}")


def _row(state: _Process, checked: dict[str, Any], job_id: str, number: int) -> None:
    record_key = keys.row(job_id, number)
    if not _recorded(state, job_id, number, record_key):
        try:
            job = state.job(job_id)
        except Refused as exc:
            log.error("tâche conventum.ligne refusée : %s", exc.args[0])
            raise Reject(exc.args[0], requeue=False) from exc
        started = time.monotonic()
        result = _render(state, job, job_id, number, str(checked["cle"]))
        record = json.dumps(keys.row_record(result), ensure_ascii=False).encode()
        if state.store.put_once(record_key, record):  # a delivery that rendered it again counts nothing
            _count(state, job.state["format"], result, time.monotonic() - started)
    _progress(state, job_id, number, int(checked["lignes"]))


def _failed(state: _Process, job_id: str) -> bool:
    try:
        return bool(state.redis.exists(keys.failure(job_id)))
    except RedisError:
        return False


def _fail_job(state: _Process, job_id: str, reason: str) -> None:
    """The job stopped for a reason no retry mends (no room in the storage): said in the broker,
    where every instance reads it (the storage has no room for it); the report is never made."""
    log.error("lot %s : %s", job_id, reason)
    try:
        state.redis.set(keys.failure(job_id), reason, nx=True, ex=7 * 86400)
    except RedisError as exc:
        log.error("lot %s : échec non enregistré (%s)", job_id, exc)


def _recorded(state: _Process, job_id: str, number: int, record_key: str) -> bool:
    """Done by an earlier delivery: counted in the broker (one quick question), else, the broker
    away, recorded in the storage. A row counted nowhere is rendered again, and its document and
    record, written once, stay the first ones."""
    try:
        return bool(state.redis.sismember(f"{KEYS}lot:{job_id}:faites", number))
    except RedisError:
        return state.store.get(record_key) is not None


def _render(state: _Process, job: _Job, job_id: str, number: int, key: str) -> RowResult:
    row = job.rows.get(number)
    if row is None or row.empreinte != key:
        return RowResult(number, "echec", erreur="ligne absente du tableur, ou modèle changé depuis l’envoi")
    batch = job.batch
    try:
        result = validate(batch.ctype, row.data, base=batch.base)
        if not result.ok or result.convention is None:
            return RowResult(number, "invalide", None, tuple(result.issues))
        template = prepared_template(batch.ctype.template_path)
        draft = make_draft(batch.ctype, result, base=batch.base, template=template)
        content = draft.pdf(converter=state.pdf_converter()) if job.state["format"] == "pdf" else draft.docx
        # Written once: a second delivery of this row finds the document and keeps it.
        state.store.put_once(keys.document(job_id, row.fichier), content)
        return RowResult(number, "ecrit", row.fichier, tuple(warnings(result.issues)))
    except SoftTimeLimitExceeded:
        return RowResult(number, "echec", erreur=f"délai de {state.config.deadline:g} s dépassé")
    except StorageError:
        raise  # retried: the storage may come back
    except ConventumError as exc:
        return RowResult(number, "echec", erreur=exc.message, exit_code=exc.exit_code)
    except Exception as exc:  # a row's bug costs that row, reported, never the batch
        log.exception("lot %s, ligne %s", job_id, number)
        return RowResult(number, "echec", erreur=f"erreur inattendue : {type(exc).__name__}")


def _count(state: _Process, fmt: str, result: RowResult, seconds: float) -> None:
    try:
        _add_counts(state, fmt, result, seconds)
    except RedisError as exc:  # the broker away: the counters miss this row, nothing else does
        log.warning("compteurs non mis à jour : %s", exc)


def _add_counts(state: _Process, fmt: str, result: RowResult, seconds: float) -> None:
    pipe = state.redis.pipeline()
    if result.statut == "ecrit":
        pipe.hincrby(KEYS + "documents", fmt, 1)
        pipe.hincrbyfloat(KEYS + "secondes", fmt, seconds)
    else:
        pipe.hincrby(KEYS + "echecs", result.statut, 1)
    pipe.execute()


def _progress(state: _Process, job_id: str, number: int, total: int) -> None:
    """The row counted once; the last one sends the job's report task (once). With the broker
    away, the row is recorded all the same: an API instance sends the report task once every row
    is in the storage (``ClusterJobs.state``)."""
    try:
        _count_row(state, job_id, number, total)
    except (RedisError, OperationalError) as exc:
        log.warning("lot %s, ligne %s : avancement non compté (%s)", job_id, number, exc)


def _count_row(state: _Process, job_id: str, number: int, total: int) -> None:
    done_key = f"{KEYS}lot:{job_id}:faites"
    pipe = state.redis.pipeline()
    pipe.sadd(done_key, number)
    pipe.scard(done_key)
    pipe.expire(done_key, 7 * 86400)
    _added, done, _ = pipe.execute()
    if int(done) >= total and state.redis.set(f"{KEYS}lot:{job_id}:bilan", 1, nx=True, ex=LEASE):
        app.send_task("conventum.bilan", args=[sign(state.key, {"lot": job_id})])


@app.task(
    bind=True,
    name="conventum.bilan",
    acks_late=False,  # long (every document read): watched by its lease, not by the visibility timeout
    autoretry_for=(StorageError,),
    retry_backoff=2,
    max_retries=40,
)
def finish_batch(self: Task, payload: Any) -> None:
    """The report (CSV and JSON) and the zip of a batch whose rows are all recorded; past its
    time, the job is reported failed with the rows done (never left waiting without a word)."""
    checked = _checked(payload, "conventum.bilan")
    job_id = str(checked["lot"])
    state = process()
    if state.store.get(keys.final(job_id)) is not None:
        return  # made by an earlier delivery
    raw = state.store.get(keys.state(job_id))
    if raw is None:
        raise Reject(f"lot inconnu du stockage : {job_id}", requeue=False)
    job_state = json.loads(raw)
    try:
        _finish(self, state, job_id, job_state)
    except StorageFullError as exc:
        _fail_job(state, job_id, f"stockage plein pour le rapport et l’archive : {exc.message}")


def _finish(task: Task, state: _Process, job_id: str, job_state: dict[str, Any]) -> None:
    try:
        with Lease(state.redis, job_id), ThreadPoolExecutor(FETCHES) as fetch:
            records = list(fetch.map(state.store.get, state.store.keys(keys.rows(job_id))))
            results = sorted(
                (keys.row_result(json.loads(item)) for item in records if item), key=lambda r: r.ligne
            )
            if len(results) < job_state["lignes"]:
                raise task.retry(countdown=2, max_retries=60)
            final = _report(state, fetch, job_id, job_state["type"], results)
    except SoftTimeLimitExceeded:
        final = {
            "statut": "echec",
            "erreur": "rapport et archive non produits dans le délai ; les documents sont écrits",
            "bilan": {},
        }
    state.store.put_once(keys.final(job_id), json.dumps(final, ensure_ascii=False).encode())


class Lease:
    """The report of a job is being made: a key renewed while it is, gone when its worker dies
    (then any API instance sends the report task again, see ``ClusterJobs.state``)."""

    def __init__(self, client: Any, job_id: str) -> None:
        self.client = client
        self.key = lease_key(job_id)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, daemon=True)

    def _renew(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(RedisError):
                self.client.set(self.key, os.getpid(), ex=LEASE)
            self._stop.wait(LEASE / 3)

    def __enter__(self) -> Lease:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        with contextlib.suppress(RedisError):
            self.client.delete(self.key)


def _report(
    state: _Process, fetch: ThreadPoolExecutor, job_id: str, type_name: str, results: list[RowResult]
) -> dict[str, Any]:
    written = [result.fichier for result in results if result.statut == "ecrit" and result.fichier]
    contents = fetch.map(lambda name: state.store.get(keys.document(job_id, name)), written)
    with tempfile.TemporaryDirectory(prefix="conventum-bilan-") as name:
        folder = Path(name)
        for fichier, content in zip(written, contents, strict=True):
            if content is None:
                raise StorageError(f"document absent du stockage : {fichier}")
            (folder / fichier).write_bytes(content)
        with BatchReport(folder, type_name=type_name) as report:
            for result in results:
                report.add(result)
        write_zip(folder / "documents.zip", folder, written, force=True)
        for item in (REPORT_JSON, REPORT_CSV, "documents.zip"):
            state.store.put(keys.output(job_id, item), (folder / item).read_bytes())
    return {"statut": "termine", "bilan": dict(sorted(report.counts.items()))}


@app.task(bind=True, name="conventum.document", acks_late=True, reject_on_worker_lost=True)
def make_document(self: Task, payload: Any) -> None:
    """One document asked by an API instance (a render or a dossier): made once under its key,
    its answer pushed to the list the instance waits on."""
    checked = _checked(payload, "conventum.document")
    state = process()
    key = str(checked["cle"])
    answer_key = f"rendus/{key}.json"
    raw = state.store.get(answer_key)
    if raw is None:
        answer = _document(state, checked, key)
        state.store.put_once(answer_key, json.dumps(answer, ensure_ascii=False).encode())
        raw = json.dumps(answer, ensure_ascii=False).encode()
    pipe = state.redis.pipeline()
    pipe.rpush(str(checked["reponse"]), raw)
    pipe.expire(str(checked["reponse"]), 120)
    pipe.execute()


def _document(state: _Process, checked: dict[str, Any], key: str) -> dict[str, Any]:
    options = checked["options"]
    today = date.fromisoformat(options["today"])
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="conventum-rendu-") as base:
            if checked["genre"] == "dossier":
                from conventum.dossier import build_dossier  # noqa: PLC0415 - dossiers only

                fmt, issues = "pdf", []
                content = build_dossier(
                    checked["donnees"],
                    today=today,
                    strict=bool(options.get("strict")),
                    converter=state.pdf_converter(),
                ).pdf
            else:
                fmt = options["format"]
                document = render_document(
                    str(checked["type"]),
                    checked["donnees"],
                    fmt=fmt,
                    today=today,
                    strict=bool(options.get("strict")),
                    pdfa=options.get("pdfa") or False,
                    converter=state.pdf_converter(),
                    base=Path(base),
                )
                content, issues = document.content, document.issues
        state.store.put_once(f"rendus/{key}.{fmt}", content)
    except ValidationFailed as exc:
        return {"statut": "invalide", "problemes": [issue.as_dict() for issue in exc.issues]}
    except SoftTimeLimitExceeded:
        return {"statut": "echec", "genre": "conversion", "message": "délai dépassé", "code_sortie": 7}
    except StorageError:
        raise
    except ConventumError as exc:
        return {"statut": "echec", "genre": exc.kind, "message": exc.message, "code_sortie": exc.exit_code}
    _count(state, fmt, RowResult(0, "ecrit"), time.monotonic() - started)
    return {"statut": "ok", "format": fmt, "problemes": [issue.as_dict() for issue in issues]}
