"""Batch jobs of a distributed server: kept in the shared storage, their rows sent to the queue.
Any instance creates a job and any instance answers for it (nothing is held in one process)."""

from __future__ import annotations

import json
import logging
import re
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conventum.batch.jobstate import document_name, kept_state
from conventum.batch.run import Batch, BatchOptions
from conventum.cluster import heartbeat, keys
from conventum.cluster.config import KEYS, LEASE, QUEUE, ClusterConfig, celery_app, lease_key, redis_client
from conventum.cluster.signing import shared_key, sign
from conventum.cluster.storage import Store, open_store
from conventum.errors import BrokerError, StorageError

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
log = logging.getLogger(__name__)


class ClusterJobs:
    """The same questions as ``serve.jobs.Jobs`` (create, state, report, download), answered from
    the shared storage; the rows run on the workers of the queue."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.store: Store = open_store(config.storage)
        self.app = celery_app(config)
        self.redis = redis_client(config)
        self.key = b""

    def start(self) -> None:
        self.key = shared_key(self.store)

    def stop(self) -> None:
        """Nothing runs here: the workers carry on."""

    def create(
        self, type_name: str, sheet_name: str, sheet: bytes, commun: dict[str, Any], fmt: str
    ) -> tuple[str, Batch]:
        """The job in the storage, its sheet read here first (a sheet that cannot be read raises
        its ConventumError and nothing is stored), then one task per row."""
        self._broker_alive()
        job_id = secrets.token_hex(16)
        with tempfile.TemporaryDirectory(prefix="conventum-lot-") as name:
            folder = Path(name)
            (folder / "documents").mkdir()
            path = folder / f"tableur{Path(sheet_name).suffix.lower()}"
            path.write_bytes(sheet)
            options = BatchOptions(fmt="pdf" if fmt == "pdf" else "docx", resume=True, jobs=1)
            batch = Batch(type_name, path, folder / "documents", commun=commun, options=options)
            outline = [(number, empreinte) for number, _name, empreinte in batch.outline()]
        total = len(outline)
        state = {
            "id": job_id,
            "type": type_name,
            "format": options.fmt,
            "tableur": sheet_name,
            "cree": datetime.now(UTC).isoformat(timespec="seconds"),
            "lignes": total,
        }
        self.store.put(keys.sheet(job_id, sheet_name), sheet)
        self.store.put(keys.commun(job_id), json.dumps(commun, ensure_ascii=False, default=str).encode())
        self.store.put(keys.state(job_id), json.dumps(state, ensure_ascii=False).encode())
        self._send(job_id, outline)
        return job_id, batch

    def _send(self, job_id: str, outline: list[tuple[int, str]]) -> None:
        """One task per row, named by the job and the row; its key is the row's input hash
        (type, data, template): the worker checks that it renders that very row."""
        sent, total = 0, len(outline)
        try:
            with self.app.producer_or_acquire() as producer:
                for number, empreinte in outline:
                    payload = {"lot": job_id, "ligne": number, "lignes": total, "cle": empreinte}
                    payload = sign(self.key, payload)
                    self.app.send_task(
                        "conventum.ligne",
                        args=[payload],
                        task_id=f"{job_id}-{number}",
                        queue=QUEUE,
                        producer=producer,
                    )
                    sent += 1
        except Exception as exc:  # kombu's connection errors: the job says what was sent
            reason = f"file de tâches injoignable après {sent} ligne(s) envoyée(s) sur {total}"
            log.error("lot %s : %s (%s)", job_id, reason, exc)
            self._fail(job_id, reason)
            raise BrokerError(reason) from exc

    def _fail(self, job_id: str, reason: str) -> None:
        try:
            final = {"statut": "echec", "erreur": reason, "bilan": {}}
            self.store.put_once(keys.final(job_id), json.dumps(final, ensure_ascii=False).encode())
        except StorageError:
            log.exception("lot %s", job_id)

    def _broker_alive(self) -> None:
        try:
            self.redis.ping()
        except Exception as exc:
            raise BrokerError(f"file de tâches injoignable ({type(exc).__name__})") from exc

    def state(self, job_id: str) -> dict[str, Any] | None:
        """The job's state: from its end record when it has one, else counted from its rows."""
        if not JOB_ID.match(job_id):
            return None
        raw = self.store.get(keys.state(job_id))
        if raw is None:
            return None
        state: dict[str, Any] = json.loads(raw)
        final = self.store.get(keys.final(job_id))
        if final is not None:
            state.update(json.loads(final))
            state["faites"] = state["lignes"] if state["statut"] == "termine" else self._done(job_id)
            return kept_state(job_id, state)
        done = self._done(job_id)
        state.update(statut="en_cours" if done else "en_attente", faites=done, bilan={}, erreur=None)
        try:
            failure = self.redis.get(keys.failure(job_id))
            if failure is not None:  # stopped for good (no room in the storage): no report, no zip
                state.update(statut="echec", erreur=failure.decode("utf-8", "replace"))
                return kept_state(job_id, state)
            if done >= state["lignes"]:
                self._watch_report(job_id)
        except Exception as exc:
            state["erreur"] = f"file de tâches injoignable ({type(exc).__name__}) : reprise à son retour"
        return state

    def _watch_report(self, job_id: str) -> None:
        """Every row is recorded but no report: unless a worker holds its lease, the report task is
        sent again (its sender or its worker died; at most once per lease period)."""
        if self.redis.exists(lease_key(job_id)):
            return
        if self.redis.set(f"{KEYS}lot:{job_id}:bilan", 1, nx=True, ex=LEASE):
            log.warning("lot %s : rapport relancé", job_id)
            self.app.send_task("conventum.bilan", args=[sign(self.key, {"lot": job_id})], queue=QUEUE)

    def _done(self, job_id: str) -> int:
        return len(self.store.keys(keys.rows(job_id)))

    def report(self, job_id: str) -> dict[str, Any] | None:
        """The report of a finished job (a report written before the job failed is not shown)."""
        final = self.store.get(keys.final(job_id))
        if final is None or json.loads(final).get("statut") != "termine":
            return None
        raw = self.store.get(keys.output(job_id, "rapport-lot.json"))
        if raw is None:
            return None
        report: dict[str, Any] = json.loads(raw)
        return report

    def download(self, job_id: str) -> str | Path | None:
        """Where the finished job's zip is downloaded (a presigned link, or the file)."""
        return self.store.link(keys.output(job_id, "documents.zip"))

    def document(self, job_id: str, name: str) -> str | Path | None:
        """One document of the job in the shared storage: its presigned link, or its file; None
        when the job or the document is not there."""
        if not JOB_ID.match(job_id) or not document_name(name):
            return None
        key = keys.document(job_id, name)
        if key not in self.store.keys(key):
            return None
        return self.store.link(key)

    def files(self, job_id: str) -> None:
        """No job folder on this machine: the documents are in the shared storage."""
        return None

    def health(self) -> dict[str, Any]:
        """The broker, the storage and the workers' heartbeats, as /health reports them."""
        body: dict[str, Any] = {"file": "ok", "stockage": "ok", "travailleurs": []}
        try:
            self.redis.ping()
            body["travailleurs"] = heartbeat.alive(self.redis)
            body["file_attente"] = int(self.redis.llen(QUEUE))
        except Exception as exc:
            body["file"] = f"injoignable ({type(exc).__name__})"
        try:
            self.store.check()
        except StorageError as exc:
            body["stockage"] = exc.message
        return body

    def counters(self) -> dict[str, dict[str, float]]:
        """The cluster's counters kept in the broker: documents, seconds and failures by kind."""
        found: dict[str, dict[str, float]] = {}
        try:
            for name in ("documents", "secondes", "echecs"):
                values = self.redis.hgetall(KEYS + name)
                found[name] = {key.decode(): float(value) for key, value in values.items()}
        except Exception:
            log.warning("compteurs de la file illisibles", exc_info=True)
        return found
