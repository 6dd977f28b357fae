"""Throughput of the distributed ``conventum serve`` (issue 29), and the queue's cost per document.

    .venv/bin/python benchmarks/cluster.py [--rows 200] [--repeat 3] [--storage s3|dossier]

Starts redis-server, moto's S3 server (or a shared folder), one ``conventum serve --file …
--stockage …`` and ``conventum worker`` processes, all on loopback, and submits a DOCX batch of
--rows real communes; the time is from the POST to the job's end (report and zip written).
Columns: seconds (median of --repeat), documents per second, ms per document.

  en processus       ``Batch`` in this process, one job (validation, render, write): the in-process path
  1 worker × 1       one worker, one process: the queue's path at the same parallelism
  2 workers × 1      two workers, one process each
  1 worker × 2       one worker, two processes (one per core)

Overhead per document = (1 worker × 1) − (en processus), in ms: what the queue, the signatures,
the storage and the report's reading add to a row (target ≤ 10 ms). The sizing rule printed is
documents per second per worker process, DOCX.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conventum.batch.run import Batch, BatchOptions  # noqa: E402
from tests.batch_support import TYPE, member, real_communes, write_csv  # noqa: E402
from tests.cluster_support import S3, Redis, Worker, environment  # noqa: E402
from tests.serve_support import Server  # noqa: E402


def in_process(table: Path, folder: Path) -> float:
    out = folder / f"sortie-{time.monotonic_ns()}"
    out.mkdir()
    started = time.monotonic()
    for _result in Batch(TYPE, table, out, options=BatchOptions(jobs=1)).results():
        pass
    return time.monotonic() - started


def queued(server: Server, table: Path) -> float:
    started = time.monotonic()
    response = httpx.post(
        f"{server.url}/v1/batches",
        data={"type": TYPE},
        files={"tableur": (table.name, table.read_bytes(), "text/csv")},
        timeout=120,
    )
    job = response.json()["id"]
    while httpx.get(f"{server.url}/v1/batches/{job}", timeout=60).json()["statut"] not in (
        "termine",
        "echec",
    ):
        time.sleep(0.25)  # the status reads the storage: polled gently, not to load it
    return time.monotonic() - started


def median(run: Callable[[], float], repeat: int) -> float:
    run()  # warm-up: the workers' first rows load the catalogue and the geography
    return statistics.median(run() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--storage", choices=("s3", "dossier"), default="s3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        table = write_csv(folder / "membres.csv", [member(c) for c in real_communes(args.rows)])
        results = {"en processus": median(lambda: in_process(table, folder), args.repeat)}
        redis, s3 = Redis(folder), S3(folder)
        storage = "s3://conventum/banc" if args.storage == "s3" else str(folder / "partage")
        env = {**s3.env, "CONVENTUM_CLE": "banc"}
        try:
            with environment(env):
                server = Server("--workers", "1", "--file", redis.url, "--stockage", storage, folder=folder)
                try:
                    for label, shape in (
                        ("1 worker × 1", (1,)),
                        ("2 workers × 1", (1, 1)),
                        ("1 worker × 2", (2,)),
                    ):
                        workers = [
                            Worker(folder, redis.url, storage, env, "--workers", str(n)) for n in shape
                        ]
                        for worker in workers:
                            worker.wait_ready()
                        results[label] = median(lambda: queued(server, table), args.repeat)
                        for worker in workers:
                            worker.stop()
                finally:
                    server.stop()
        finally:
            s3.stop()
            redis.stop()
    print(f"{args.rows} lignes DOCX, stockage {args.storage}, médiane de {args.repeat}")
    print(f"{'':18} {'s':>8} {'doc/s':>8} {'ms/doc':>8}")
    for label, seconds in results.items():
        print(f"{label:18} {seconds:8.2f} {args.rows / seconds:8.1f} {1000 * seconds / args.rows:8.1f}")
    overhead = 1000 * (results["1 worker × 1"] - results["en processus"]) / args.rows
    print(f"surcoût de la file par document : {overhead:.1f} ms (cible ≤ 10 ms)")
    print(
        f"règle de dimensionnement : {args.rows / results['1 worker × 1']:.0f} documents DOCX/s par processus"
    )


if __name__ == "__main__":
    main()
