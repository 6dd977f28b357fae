"""Load on ``conventum serve`` (issue 15): R render requests from C concurrent clients on loopback.

    .venv/bin/python benchmarks/serve_load.py [--requests 200] [--clients 20] [--workers 2]
        [--queue 16] [--deadline 60] [--format pdf] [--runs 1] [--warmup 5]

A server is started (``--workers`` LibreOffice workers, a queue of ``--queue``), warmed up
(--warmup requests from every client at once), then every client sends its share of requests back to back.
Every answer must be a document that opens (PDF with pages and the adherent's name, or a
DOCX) or a 429/503 with a French JSON body: any other answer, a lost or corrupt document,
fails the run. Reported: documents per second, p50/p95 latency of the documents, the share
of 429s and 503s, the per-document time seen by the server (its histogram's mean), the
server's memory (RSS) after warm-up and at the end, and whether any soffice outlived the stop.
With a queue large enough for every client (queue ≥ clients - workers) no request is refused
and p95 ≈ (clients / workers) × the per-document time.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serve_support import Server  # noqa: E402 - the test's server, from the repository root

SAMPLE = (ROOT / "samples" / "adhesion-centrale-achats.yaml").read_bytes()


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its Python children is the server's own: VmRSS."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def good_document(content: bytes, fmt: str) -> bool:
    try:
        if fmt == "pdf":
            reader = PdfReader(io.BytesIO(content))
            return len(reader.pages) > 0 and "Pas-de-Calais" in (reader.pages[0].extract_text() or "")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"Pas-de-Calais" in archive.read("word/document.xml")
    except Exception:  # any unreadable answer is a corrupt document
        return False


def one(http: httpx.Client, fmt: str) -> tuple[int, float, bool, str]:
    started = time.perf_counter()
    response = http.post(
        f"/v1/types/adhesion-centrale-achats/render?format={fmt}",
        content=SAMPLE,
        headers={"content-type": "application/yaml"},
    )
    elapsed = time.perf_counter() - started
    if response.status_code == 200:
        return 200, elapsed, good_document(response.content, fmt), ""
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    message = body.get("erreur", {}).get("message", "")
    ok = response.status_code in (429, 503) and bool(message)
    if response.status_code == 429:
        ok = ok and int(response.headers.get("retry-after", "0")) >= 1
    return response.status_code, elapsed, ok, message


def server_document_seconds(server: Server) -> float:
    text = httpx.get(f"{server.url}/metrics").text
    total = float(re.search(r"conventum_render_seconds_sum (\S+)", text).group(1))  # type: ignore[union-attr]
    count = float(re.search(r"conventum_render_seconds_count (\S+)", text).group(1))  # type: ignore[union-attr]
    return total / count if count else 0.0


def run(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="serve-load-"))
    options = ["--workers", str(args.workers), "--queue", str(args.queue), "--deadline", str(args.deadline)]
    server = Server(*options, folder=folder)
    try:
        per_client = [
            args.requests // args.clients + (i < args.requests % args.clients) for i in range(args.clients)
        ]

        def client(count: int) -> list[tuple[int, float, bool, str]]:
            with httpx.Client(base_url=server.url, timeout=args.deadline + 30) as http:
                return [one(http, args.format) for _ in range(count)]

        # Warm-up: --warmup requests from every client at once, until the allocator's high-water
        # mark is reached (libxml2 and glibc keep the memory of the first documents' peaks).
        with ThreadPoolExecutor(args.clients) as pool:
            warmup = [
                status for batch in pool.map(client, [args.warmup] * args.clients) for status, *_ in batch
            ]
            assert set(warmup) <= {200, 429}, warmup
        warm = rss_kb(server.process.pid)

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = [item for batch in pool.map(client, per_client) for item in batch]
        wall = time.perf_counter() - started
        end = rss_kb(server.process.pid)
        per_document = server_document_seconds(server)
    finally:
        code = server.stop()
        leftover = server.leftover_workers()
    documents = [elapsed for status, elapsed, _ok, _m in results if status == 200]
    bad = [r for r in results if not r[2]]
    quantiles = statistics.quantiles(documents, n=20) if len(documents) >= 2 else [0.0] * 19
    return {
        "requetes": len(results),
        "documents": len(documents),
        "docs_par_s": round(len(documents) / wall, 2),
        "p50_s": round(statistics.median(documents), 3) if documents else None,
        "p95_s": round(quantiles[18], 3),
        "part_429": round(sum(1 for r in results if r[0] == 429) / len(results), 3),
        "part_503": round(sum(1 for r in results if r[0] == 503) / len(results), 3),
        "perdus_ou_corrompus": len(bad),
        "temps_par_document_serveur_s": round(per_document, 3),
        "p95_attendu_s": round(min(args.clients, args.workers + args.queue) / args.workers * per_document, 3),
        "rss_apres_chauffe_mo": round(warm / 1024, 1),
        "rss_fin_mo": round(end / 1024, 1),
        "ecart_memoire": round((end - warm) / warm, 3) if warm else None,
        "soffice_restants": len(leftover),
        "code_arret": code,
        "exemples_echec": [r[3] or r[0] for r in bad[:3]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", type=int, default=16)
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--format", choices=["pdf", "docx"], default="pdf")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5, help="requêtes de chauffe par client")
    args = parser.parse_args()
    failed = False
    for number in range(1, args.runs + 1):
        report = run(args)
        print(json.dumps({"essai": number, **report}, ensure_ascii=False))
        failed = failed or bool(report["perdus_ou_corrompus"]) or bool(report["soffice_restants"])
        failed = failed or abs(float(report["ecart_memoire"] or 0)) > 0.2  # type: ignore[arg-type]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
