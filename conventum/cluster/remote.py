"""A single document (``/v1/types/{type}/render``, ``/v1/dossiers``) made on a worker: the API
instance sends the task and waits, within the request's deadline, for the worker's answer on a
Redis list; the document itself comes back through the shared storage. The key of a document
(type, data, options, template) makes a second identical request reuse the first's document."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from conventum.batch.files import file_digest
from conventum.cluster.config import KEYS, QUEUE
from conventum.cluster.signing import sign
from conventum.errors import (
    BrokerError,
    ConventumError,
    ConversionError,
    StorageError,
    TemplateError,
    ValidationFailed,
)
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType, load_type


@dataclass(frozen=True)
class Made:
    """What the worker made: the document's bytes and its warnings."""

    content: bytes
    issues: list[Issue]


def _error(answer: dict[str, Any]) -> ConventumError:
    """The worker's error as the API knows it (a template's, a conversion's, or another)."""
    kinds: dict[str, type[ConventumError]] = {"modele": TemplateError, "conversion": ConversionError}
    error = kinds.get(str(answer.get("genre")), ConventumError)(str(answer["message"]))
    error.exit_code = int(answer.get("code_sortie", 1))
    error.kind = str(answer.get("genre", "erreur"))
    return error


def issue_of(item: dict[str, Any]) -> Issue:
    return Issue(item["code"], item["path"], dict(item.get("params") or {}), item.get("severity", "error"))


def document_key(kind: str, type_name: str | None, data: dict[str, Any], options: dict[str, Any]) -> str:
    """A fingerprint of everything the document is made from, the template's bytes included."""
    templates = []
    if type_name is not None:
        ctype = load_type(type_name)
        templates = [file_digest(ctype.template_path), file_digest(ctype.schema_path)]
    text = json.dumps(
        [kind, type_name, templates, options, data], sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


class RemoteDocuments:
    """Sends document tasks and waits for their answers (one blocking call per request)."""

    def __init__(self, jobs: Any) -> None:
        self.jobs = jobs  # ClusterJobs: its Celery app, Redis client, storage and key

    def make(
        self,
        kind: str,
        ctype: ConventionType | None,
        data: dict[str, Any],
        *,
        options: dict[str, Any],
        deadline: float,
    ) -> Made:
        """The document, or the error the worker met (ValidationFailed, ConventumError);
        ConversionError when the deadline passes first, BrokerError when the queue is gone."""
        type_name = ctype.name if ctype is not None else None
        options = {**options, "today": str(options.get("today") or date.today())}
        key = document_key(kind, type_name, data, options)
        answer = self._stored(key) or self._ask(kind, type_name, data, options, key, deadline)
        return self._made(answer, key, ctype, data)

    def _stored(self, key: str) -> dict[str, Any] | None:
        raw = self.jobs.store.get(f"rendus/{key}.json")
        return None if raw is None else dict(json.loads(raw))

    def _ask(
        self,
        kind: str,
        type_name: str | None,
        data: dict[str, Any],
        options: dict[str, Any],
        key: str,
        deadline: float,
    ) -> dict[str, Any]:
        reply = f"{KEYS}reponse:{secrets.token_hex(12)}"
        payload = {
            "genre": kind,
            "type": type_name,
            "donnees": data,
            "options": options,
            "cle": key,
            "reponse": reply,
        }
        payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))  # dates as ISO text
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ConversionError("délai de la demande dépassé avant l’envoi au worker")
        try:
            self.jobs.app.send_task(
                "conventum.document", args=[sign(self.jobs.key, payload)], queue=QUEUE, expires=remaining
            )
            popped = self.jobs.redis.blpop([reply], timeout=max(0.01, deadline - time.monotonic()))
        except ConventumError:
            raise
        except Exception as exc:  # kombu's and redis's connection errors
            raise BrokerError(f"file de tâches injoignable ({type(exc).__name__})") from exc
        if popped is None:
            raise ConversionError("délai de la demande dépassé avant la réponse d’un worker")
        return dict(json.loads(popped[1]))

    def _made(
        self, answer: dict[str, Any], key: str, ctype: ConventionType | None, data: dict[str, Any]
    ) -> Made:
        issues = [issue_of(item) for item in answer.get("problemes", [])]
        if answer["statut"] == "invalide":
            raise ValidationFailed(issues, data=data, ctype=ctype)
        if answer["statut"] == "echec":
            raise _error(answer)
        content = self.jobs.store.get(f"rendus/{key}.{answer['format']}")
        if content is None:
            raise StorageError(f"document absent du stockage : rendus/{key}")
        return Made(content, issues)
