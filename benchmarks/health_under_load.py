"""``/health`` while ``conventum serve`` is saturated with the worst bodies it accepts (issue 31).

    .venv/bin/python benchmarks/health_under_load.py [--seconds 30] [--clients 6] [--workers 2]
        [--queue 16] [--runs 3]

A server is started on loopback; ``--clients`` clients send, back to back, in turn: a PDF render of
the adhesion sample, a validation of the groupement with 990 members (seconds of validation, within
``max_list_items``), and a 9 MB JSON body (999 visas of 9,000 characters: parsing and validation).
Meanwhile one more client asks ``/health`` every 50 ms. Reported per run: the median, p95 and
maximum of ``/health``'s time, the share over 100 ms (the target: none), the answers by status,
and the load of the machine. Any ``/health`` that is not a 200 fails the run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serve_support import Server  # noqa: E402 - the test's server, from the repository root

ADHESION = (ROOT / "samples" / "adhesion-centrale-achats.yaml").read_bytes()


def groupement(members: int = 990, visas: int = 0, visa_length: int = 0) -> bytes:
    data = yaml.safe_load((ROOT / "samples" / "groupement-commandes.yaml").read_text("utf-8"))
    found = [party for party in data["parties"] if party["role"] == "membre"]
    others = [party for party in data["parties"] if party["role"] != "membre"]
    data["parties"] = others + [
        {**copy.deepcopy(found[i % len(found)]), "nom": f"Commune {i}"} for i in range(members)
    ]
    if visas:
        data["visas"] = [f"Vu {i} " + "x" * visa_length for i in range(visas)]
    return json.dumps(data, ensure_ascii=False).encode()


def workload() -> list[tuple[str, bytes, str]]:
    return [
        ("/v1/types/adhesion-centrale-achats/render", ADHESION, "application/yaml"),
        ("/v1/types/groupement-commandes/validate", groupement(990), "application/json"),
        ("/v1/types/groupement-commandes/validate", groupement(10, 999, 9_000), "application/json"),
    ]


def run(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="health-load-"))
    options = ["--workers", str(args.workers), "--queue", str(args.queue), "--deadline", "60"]
    server = Server(*options, folder=folder)
    bodies = workload()
    statuses: Counter[int] = Counter()
    stop = threading.Event()

    def client(offset: int) -> None:
        with httpx.Client(base_url=server.url, timeout=120) as http:
            turn = offset
            while not stop.is_set():
                url, body, kind = bodies[turn % len(bodies)]
                statuses[http.post(url, content=body, headers={"content-type": kind}).status_code] += 1
                turn += 1

    try:
        clients = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in clients:
            thread.start()
        time.sleep(2)  # every client has a request in flight
        times, bad = [], 0
        load_before = os.getloadavg()[0]
        with httpx.Client(base_url=server.url, timeout=30) as probe:
            until = time.monotonic() + args.seconds
            while time.monotonic() < until:
                started = time.perf_counter()
                answer = probe.get("/health")
                times.append(time.perf_counter() - started)
                bad += answer.status_code != 200
                time.sleep(0.05)
        stop.set()
        for thread in clients:
            thread.join()
    finally:
        stop.set()
        code = server.stop()
    times.sort()
    return {
        "sondes": len(times),
        "health_mediane_ms": round(statistics.median(times) * 1000, 1),
        "health_p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1),
        "health_max_ms": round(times[-1] * 1000, 1),
        "part_au_dela_100ms": round(sum(t > 0.1 for t in times) / len(times), 3),
        "health_non_200": bad,
        "reponses": dict(sorted(statuses.items())),
        "charge_machine": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "code_arret": code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    failed = False
    for number in range(1, args.runs + 1):
        report = run(args)
        print(json.dumps({"essai": number, **report}, ensure_ascii=False), flush=True)
        failed = failed or bool(report["health_non_200"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
