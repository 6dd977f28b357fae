"""The server's PDF throughput against its own LibreOffice pool's, and a cold PDF against a cold
soffice conversion, each pair measured in turn in one run (issue 30).

    .venv/bin/python benchmarks/serve_floor.py [--requests 40] [--clients 4] [--workers 2] [--runs 3]

"pool": ``Converter.convert`` of the adhesion sample's DOCX from --clients threads sharing one
Converter of --workers workers (LibreOffice's conversion and nothing else), documents per second.
"serve": ``conventum serve`` with the same workers answering POST /v1/types/…/render?format=pdf
from --clients clients (validation, DOCX, conversion, checks, finishing), documents per second.
Target: serve ≥ 0.8 × pool. "cold": ``conventum render … -o x.pdf`` in a new process against
``soffice --headless --convert-to pdf`` of the same DOCX with a new profile (medians of --runs,
run in turn). Target: cold PDF ≤ 1.3 × cold soffice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve_load import run as serve_run  # noqa: E402
from conventum import Converter, render_document  # noqa: E402
from conventum.pdf.converter import find_soffice  # noqa: E402

TYPE = "adhesion-centrale-achats"
SAMPLE = ROOT / "samples" / f"{TYPE}.yaml"


def pool_rate(docx: bytes, requests: int, clients: int, workers: int) -> float:
    with Converter(workers=workers) as converter:
        converter.convert(docx)  # started and warm
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda _n: converter.convert(docx), range(requests)))
        return requests / (time.perf_counter() - started)


def cold_pair(docx: bytes, folder: Path) -> tuple[float, float]:
    source = folder / "c.docx"
    source.write_bytes(docx)
    profile = tempfile.mkdtemp(prefix="profil-", dir=folder)
    command = [find_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
    started = time.perf_counter()
    subprocess.run([*command, "--outdir", str(folder), str(source)], check=True, capture_output=True)
    soffice = time.perf_counter() - started
    conventum = str(Path(sys.executable).parent / "conventum")
    started = time.perf_counter()
    render = [conventum, "render", TYPE, str(SAMPLE), "-o", str(folder / "r.pdf"), "--force"]
    subprocess.run(render, check=True, capture_output=True, cwd=ROOT)
    return soffice, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    docx = render_document(TYPE, SAMPLE).content
    options = argparse.Namespace(
        requests=args.requests,
        clients=args.clients,
        workers=args.workers,
        queue=16,
        deadline=120.0,
        format="pdf",
        warmup=1,
    )
    pools, serves = [], []
    for _ in range(args.runs):
        pools.append(pool_rate(docx, args.requests, args.clients, args.workers))
        serves.append(float(serve_run(options)["docs_par_s"]))  # type: ignore[arg-type]
    pool, serve = statistics.median(pools), statistics.median(serves)
    print(f"pool {pool:.2f} doc/s, serve {serve:.2f} doc/s: serve ÷ pool {serve / pool:.2f} (≥ 0.8)")
    with tempfile.TemporaryDirectory() as work:
        pairs = [cold_pair(docx, Path(work)) for _ in range(args.runs)]
    soffice, cold = (statistics.median(column) for column in zip(*pairs, strict=True))
    print(f"cold soffice {soffice:.2f} s, cold conventum render PDF {cold:.2f} s", end=": ")
    print(f"ratio {cold / soffice:.2f} (≤ 1.3)")


if __name__ == "__main__":
    main()
