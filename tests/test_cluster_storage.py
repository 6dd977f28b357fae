"""Distributed ``conventum serve`` when its shared storage fills up: a real redis-server, one API
instance and one ``conventum worker`` on a shared folder that is a small tmpfs (a real full disk).
The job fails with its reason, nothing half-written is left or served, no report or zip is made."""

from __future__ import annotations

import os
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.batch_support import TYPE, member, real_communes, write_csv
from tests.cluster_support import Redis, Worker, available, environment
from tests.serve_support import Server

pytestmark = [
    pytest.mark.skipif(not available(), reason="redis-server ou moto_server absent (setup.sh)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="monter un tmpfs demande d’être root"),
]
ROWS = 60


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 320 kB tmpfs: the job's upload fits, a few documents do, the batch does not."""
    folder = tmp_path / "stockage"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_storage_fails_the_job_and_publishes_nothing_half_written(
    tmp_path: Path, small_disk: Path
) -> None:
    redis = Redis(tmp_path)
    env = {"CONVENTUM_CLE": "cle-des-essais"}
    options = ("--workers", "1", "--deadline", "10", "--file", redis.url, "--stockage", str(small_disk))
    server: Server | None = None
    worker: Worker | None = None
    try:
        with environment(env):
            server = Server(*options, folder=tmp_path)
        worker = Worker(tmp_path, redis.url, str(small_disk), env, "--deadline", "10", "--workers", "1")
        worker.wait_ready()
        table = write_csv(tmp_path / "membres.csv", [member(commune) for commune in real_communes(ROWS)])
        answer = httpx.post(
            f"{server.url}/v1/batches",
            data={"type": TYPE},
            files={"tableur": ("membres.csv", table.read_bytes(), "text/csv")},
            timeout=60,
        )
        assert answer.status_code == 202, answer.text
        job = answer.json()["id"]
        status = wait_end(server, job)
        assert status["statut"] == "echec", status
        assert "stockage plein" in status["erreur"] and "le disque est plein" in status["erreur"]
        assert 0 < status["faites"] < ROWS  # some rows were written before the disk filled up
        # nothing half-published: no zip, no report, the page says why
        assert httpx.get(f"{server.url}/v1/batches/{job}/documents.zip", timeout=30).status_code == 409
        page = httpx.get(f"{server.url}/lot/{job}", timeout=30)
        assert page.status_code == 200 and "stockage plein" in page.text
        assert "documents.zip" not in page.text
        stored = [path for path in small_disk.rglob("*") if path.is_file()]
        assert not [path for path in stored if path.name.endswith(".tmp")], "fichiers temporaires laissés"
        assert not [path for path in stored if "/sortie/" in path.as_posix()], "rapport ou archive publiés"
        documents = [path for path in stored if "/documents/" in path.as_posix()]
        assert documents, "aucun document écrit avant que le disque soit plein"
        for path in documents:  # each one whole
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
        assert "Traceback" not in worker.log.read_text()
        again = httpx.post(  # the storage still full: the next job is refused, and says why
            f"{server.url}/v1/batches",
            data={"type": TYPE},
            files={"tableur": ("membres.csv", table.read_bytes(), "text/csv")},
            timeout=60,
        )
        assert again.status_code == 507, again.text
        assert again.json()["erreur"]["code"] == "service.stockage_plein"
        assert again.json()["erreur"]["message"].startswith("Le stockage partagé est plein")
        assert worker.stop() == 0
        worker = None
    finally:
        if worker is not None:
            worker.stop()
        if server is not None:
            assert server.stop() == 0
        redis.stop()


def wait_end(server: Server, job: str, timeout: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: dict[str, object] = httpx.get(f"{server.url}/v1/batches/{job}", timeout=30).json()
        if status["statut"] in ("termine", "echec"):
            return status
        time.sleep(0.5)
    raise AssertionError(f"lot ni terminé ni en échec à temps : {status}")
