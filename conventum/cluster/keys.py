"""Where a batch job's things live in the shared storage, and a row's record there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conventum.batch.report import result_dict
from conventum.batch.run import RowResult
from conventum.cluster.config import KEYS
from conventum.issues import Issue


def folder(job_id: str) -> str:
    return f"lots/{job_id}/"


def state(job_id: str) -> str:
    """The job as it was created: type, format, sheet's name, rows, date."""
    return folder(job_id) + "lot.json"


def sheet(job_id: str, name: str) -> str:
    return folder(job_id) + "tableur" + Path(name).suffix.lower()


def commun(job_id: str) -> str:
    return folder(job_id) + "commun.json"


def rows(job_id: str) -> str:
    return folder(job_id) + "lignes/"


def row(job_id: str, number: int) -> str:
    return f"{rows(job_id)}{number:07d}.json"


def document(job_id: str, name: str) -> str:
    return folder(job_id) + "documents/" + name


def failure(job_id: str) -> str:
    """In the broker: why the job stopped for good (the storage full), when it did."""
    return f"{KEYS}lot:{job_id}:echec"


def output(job_id: str, name: str) -> str:
    """The report files and the zip, written once every row is recorded."""
    return folder(job_id) + "sortie/" + name


def final(job_id: str) -> str:
    """Written last: the job is finished (its report and zip are in place)."""
    return folder(job_id) + "fin.json"


def row_record(result: RowResult) -> dict[str, Any]:
    return {**result_dict(result), "code_sortie": result.exit_code}


def row_result(record: dict[str, Any]) -> RowResult:
    issues = tuple(
        Issue(item["code"], item["path"], dict(item.get("params") or {}), item.get("severity", "error"))
        for item in record.get("problemes", [])
    )
    return RowResult(
        int(record["ligne"]),
        record["statut"],
        record.get("fichier"),
        issues,
        record.get("erreur"),
        int(record.get("code_sortie", 0)),
    )
