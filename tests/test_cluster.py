"""Distributed ``conventum serve``: real redis-server, moto's S3 server, two API instances and
``conventum worker`` processes on loopback. A batch survives a worker killed mid-run and a broker
restart; a worker drains on SIGTERM; a forged task is refused; nothing unreachable is a traceback."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from conventum.ooxml.text import document_text
from tests.batch_support import TYPE, member, real_communes, write_csv
from tests.cluster_support import S3, Redis, Worker, alive, available, descendants, environment, soffice_below
from tests.serve_support import Server, free_port

pytestmark = pytest.mark.skipif(not available(), reason="redis-server ou moto_server absent (setup.sh)")
ROWS = 600  # the batch; DOCX rows (a few tens of ms each)
DEADLINE = "10"  # s: the visibility timeout (2 × 10 + 10 s) is what a killed worker's rows wait
STORAGE = "s3://conventum/essai"
KEY = "cle-des-essais"


@dataclass
class Cluster:
    folder: Path
    redis: Redis
    s3: S3
    env: dict[str, str]
    servers: list[Server]
    workers: list[Worker]

    def worker(self, *options: str) -> Worker:
        worker = Worker(self.folder, self.redis.url, STORAGE, self.env, "--deadline", DEADLINE, *options)
        self.workers.append(worker)  # stopped at the end whatever happens
        worker.wait_ready()
        return worker

    def submit(self, server: Server, rows: int, name: str) -> str:
        table = write_csv(self.folder / name, [member(commune) for commune in real_communes(rows)])
        response = httpx.post(
            f"{server.url}/v1/batches",
            data={"type": TYPE},
            files={"tableur": (name, table.read_bytes(), "text/csv")},
            timeout=60,
        )
        assert response.status_code == 202, response.text
        job: str = response.json()["id"]
        return job

    def documents(self, job: str) -> list[str]:
        """The document objects of the job in the bucket (a duplicate would be a second object)."""
        client: Any = self.s3.client()
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket="conventum", Prefix=f"essai/lots/{job}/documents/"
        )
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("distribue")
    redis = Redis(folder)
    s3 = S3(folder)
    env = {**s3.env, "CONVENTUM_CLE": KEY}
    servers: list[Server] = []
    cluster = Cluster(folder, redis, s3, {}, servers, [])
    try:
        with environment(env):
            options = ("--workers", "1", "--deadline", DEADLINE, "--file", redis.url, "--stockage", STORAGE)
            servers = [Server(*options, folder=folder), Server(*options, folder=folder)]
            cluster = Cluster(folder, redis, s3, env, servers, [])
            yield cluster
    finally:
        leftovers = [worker for worker in cluster.workers if worker.process.poll() is None]
        for worker in leftovers:
            worker.stop()
        codes = [server.stop() for server in servers]
        s3.stop()
        redis.stop()
        assert codes == [0] * len(servers)
        assert [server.leftover_workers() for server in servers] == [[]] * len(servers)


def wait_done(server: Server, job: str, timeout: float = 150) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: dict[str, Any] = httpx.get(f"{server.url}/v1/batches/{job}", timeout=30).json()
        if status["statut"] in ("termine", "echec"):
            return status
        time.sleep(0.5)
    raise AssertionError(f"lot non terminé à temps : {status}")


def wait_rows(server: Server, job: str, rows: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(f"{server.url}/v1/batches/{job}", timeout=30).json()["faites"] < rows:
        assert time.monotonic() < deadline, "le lot n’avance pas"
        time.sleep(0.2)


def check_complete(cluster: Cluster, server: Server, job: str, rows: int) -> dict[str, Any]:
    """Every row written once: distinct documents, one object each, a complete report and zip."""
    status = wait_done(server, job)
    assert status["statut"] == "termine", status
    assert status["bilan"] == {"ecrit": rows}
    lines = status["rapport"]["lignes"]
    assert [line["ligne"] for line in lines] == list(range(2, rows + 2))  # one line per row, in order
    names = [line["fichier"] for line in lines]
    assert len(set(names)) == rows
    objects = cluster.documents(job)
    assert len(objects) == rows and {key.rsplit("/", 1)[1] for key in objects} == set(names)
    link = httpx.get(f"{server.url}/v1/batches/{job}/documents.zip", timeout=60)
    assert link.status_code == 307 and "X-Amz-Signature" in link.headers["location"]  # presigned
    archive = zipfile.ZipFile(io.BytesIO(httpx.get(link.headers["location"], timeout=60).content))
    assert sorted(archive.namelist()) == sorted([*names, "rapport-lot.csv", "rapport-lot.json"])
    first = names[0]
    assert first.removesuffix("-convention.docx") in document_text(archive.read(first))
    # the clerk's job page links every document; a link leads to the object in the shared storage
    page = httpx.get(f"{server.url}/lot/{job}", timeout=60).text
    assert page.count(f'href="/lot/{job}/documents/') == rows
    one = httpx.get(f"{server.url}/lot/{job}/documents/{first}", timeout=60)
    assert one.status_code == 307 and "X-Amz-Signature" in one.headers["location"]
    assert httpx.get(one.headers["location"], timeout=60).content == archive.read(first)
    assert httpx.get(f"{server.url}/lot/{job}/documents/absent.docx", timeout=60).status_code == 404
    return status


def test_a_batch_survives_a_worker_killed_mid_run(cluster: Cluster) -> None:
    one, two = cluster.worker("--workers", "1"), cluster.worker("--workers", "1")
    first, second = cluster.servers
    started = time.monotonic()
    job = cluster.submit(first, ROWS, "membres.csv")
    wait_rows(second, job, ROWS // 5)  # the other instance answers for the job
    victims = descendants(one.process.pid)
    soffice = soffice_below(one.process.pid)
    assert soffice, "chaque processus du worker a son LibreOffice"
    one.process.send_signal(signal.SIGKILL)
    one.process.wait()
    try:  # the surviving worker is stopped whatever happens: left running, it would take the next tests' tasks
        status = check_complete(cluster, second, job, ROWS)
        seconds = time.monotonic() - started
        assert not [pid for pid in victims | soffice if alive(pid)], "processus du worker tué laissés"
        deadline = time.monotonic() + 20  # a silent worker is forgotten after three beats (15 s)
        while True:
            health = httpx.get(f"{first.url}/health", timeout=10).json()["distribue"]
            names = [worker["nom"] for worker in health["travailleurs"]]
            if names == [f"{two.name}@essai"] or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert names == [f"{two.name}@essai"]
        metrics = httpx.get(f"{second.url}/metrics", timeout=10).text.splitlines()
        counted = next(
            line for line in metrics if line.startswith('conventum_cluster_documents_total{format="docx"}')
        )
        # every worker's documents, whichever instance is asked; the killed worker's row in flight may have
        # been written by its orphaned process before the kill reached its count
        assert float(counted.split()[-1]) >= ROWS - 1
    finally:
        stopped = two.stop()
    assert stopped == 0
    print(f"{ROWS} lignes, un worker tué : {seconds:.1f} s ; bilan {status['bilan']}")


def test_a_killed_workers_task_returns_after_the_visibility_timeout(cluster: Cluster) -> None:
    """The row a worker held when it was killed is not lost: it goes back to the queue once the
    visibility timeout (2 × deadline + 10 s) has passed since it was delivered, and another worker
    makes it then; the batch completes within that bound and a few seconds (sooner when the killed
    worker had recorded its row before it died: the record counts, the redelivery finds it)."""
    visibility = 2 * float(DEADLINE) + 10
    victim = cluster.worker("--workers", "1")
    server = cluster.servers[0]
    job = cluster.submit(server, 40, "visibilite.csv")
    wait_rows(server, job, 3)
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait()
    killed = time.monotonic()
    rescuer = cluster.worker("--workers", "1")
    try:
        check_complete(cluster, server, job, 40)
        waited = time.monotonic() - killed
    finally:
        stopped = rescuer.stop()  # never left to take the next tests' tasks
    print(f"lot fini {waited:.1f} s après la mort du worker (délai de visibilité {visibility:g} s)")
    assert waited <= visibility + 40, waited
    assert stopped == 0


def test_a_broker_restart_mid_batch_loses_nothing(cluster: Cluster) -> None:
    worker = cluster.worker("--workers", "2")
    server = cluster.servers[0]
    job = cluster.submit(server, 120, "redemarrage.csv")
    wait_rows(server, job, 10)
    cluster.redis.stop()
    status = httpx.get(f"{server.url}/v1/batches/{job}", timeout=30).json()
    assert status["statut"] in ("en_cours", "en_attente") and "injoignable" in status["erreur"]
    health = httpx.get(f"{server.url}/health", timeout=30)
    assert health.status_code == 503 and health.json()["distribue"]["file"].startswith("injoignable")
    time.sleep(2)
    cluster.redis.start()
    check_complete(cluster, server, job, 120)
    assert worker.stop() == 0


def test_a_worker_stopped_with_tasks_in_flight_hands_them_back(cluster: Cluster) -> None:
    draining = cluster.worker("--workers", "2")
    server = cluster.servers[1]
    job = cluster.submit(server, 80, "arret.csv")
    wait_rows(server, job, 5)
    below = descendants(draining.process.pid)
    assert draining.stop() == 0  # SIGTERM: tasks in flight finish, the others go back to the queue
    assert not [pid for pid in below if alive(pid)]
    log = draining.log.read_text()
    assert "Traceback" not in log
    done = httpx.get(f"{server.url}/v1/batches/{job}", timeout=30).json()["faites"]
    assert done < 80, "le worker arrêté a tout fait : rien n’était en attente"
    successor = cluster.worker("--workers", "1")
    check_complete(cluster, server, job, 80)
    assert successor.stop() == 0


def test_a_forged_task_is_refused_and_logged(cluster: Cluster) -> None:
    from celery import Celery

    worker = cluster.worker("--workers", "1")
    sender = Celery(broker=cluster.redis.url)
    sender.conf.task_serializer = "json"
    job = "f" * 32
    forged = {"lot": job, "ligne": 2, "lignes": 1, "cle": "x", "v": 1, "sig": "0" * 64}
    sender.send_task("conventum.ligne", args=[forged], queue="conventum")
    sender.send_task("conventum.ligne", args=[{**forged, "v": 99}], queue="conventum")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = worker.log.read_text()
        if "signature du message de tâche invalide" in log and "autre version" in log:
            break
        time.sleep(0.2)
    assert "tâche conventum.ligne refusée : signature du message de tâche invalide" in log
    assert "message de tâche d’une autre version (99, attendu 1)" in log
    assert cluster.documents(job) == []
    assert worker.process.poll() is None  # refused, and the worker carries on
    sender.close()
    assert worker.stop() == 0


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from conventum.cli import run; run()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)


def test_an_unreachable_broker_or_storage_at_start_is_a_french_message(cluster: Cluster) -> None:
    import os

    env = {**os.environ, **cluster.env}
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    worker = run_cli("worker", "--file", nowhere, "--stockage", STORAGE, env=env)
    assert worker.returncode == 20, worker.stderr
    assert "file de tâches injoignable : 127.0.0.1" in worker.stderr and "Traceback" not in worker.stderr
    serve = run_cli("serve", "--file", cluster.redis.url, "--stockage", "s3://absent/x", env=env)
    assert serve.returncode == 21, serve.stderr
    assert "stockage injoignable : s3://absent/x/" in serve.stderr and "Traceback" not in serve.stderr
    alone = run_cli("serve", "--file", cluster.redis.url, env=env)
    assert alone.returncode == 2 and "--file et --stockage vont ensemble" in alone.stderr
    odd = run_cli("worker", "--file", "amqp://ailleurs", "--stockage", STORAGE, env=env)
    assert odd.returncode == 20 and "adresse de file inconnue" in odd.stderr


def test_single_documents_are_made_by_the_workers(cluster: Cluster) -> None:
    from tests.serve_support import SAMPLES

    worker = cluster.worker("--workers", "1")
    server = cluster.servers[1]
    sample = (SAMPLES / f"{TYPE}.yaml").read_bytes()
    headers = {"Content-Type": "application/yaml"}
    url = f"{server.url}/v1/types/{TYPE}/render"
    docx = httpx.post(url, params={"format": "docx"}, content=sample, headers=headers, timeout=60)
    assert docx.status_code == 200, docx.text
    assert "centrale" in document_text(docx.content).lower()
    pdf = httpx.post(url, params={"format": "pdf"}, content=sample, headers=headers, timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code
    again = httpx.post(url, params={"format": "pdf"}, content=sample, headers=headers, timeout=60)
    assert again.content == pdf.content  # the same request: the same document, made once
    bad = {"Content-Type": "application/json"}
    invalid = httpx.post(url, params={"format": "docx"}, content=b'{"parties": []}', headers=bad, timeout=60)
    assert invalid.status_code == 422, invalid.status_code
    assert "parties.role_missing" in {problem["code"] for problem in invalid.json()["problemes"]}
    log = worker.log.read_text()
    assert log.count("Task conventum.document") >= 3 * 2  # received and succeeded, on the worker
    assert worker.stop() == 0
