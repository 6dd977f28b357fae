"""Signing and verifying speed (issue 26): what a CDG signing many conventions a week waits for.

    .venv/bin/python benchmarks/signing.py [--runs 20]

Prints, in ms (median of --runs, one process, the sample convention in PDF/A-1b, a PKCS#12 key):
  sign 1st     the first signature (certifying), stamp and incremental update included
  sign 2nd     the second signature of the other party (the first one verified before)
  verify       both signatures verified offline against the test root
  startup      ``conventum verifier --help`` in a new process (pyHanko is imported only by these commands)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conventum  # noqa: E402
from tests.pki import make_pki  # noqa: E402


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    pki = make_pki()
    with tempfile.TemporaryDirectory() as folder, conventum.Converter(workers=1) as converter:
        base = Path(folder)
        pdf = conventum.render_document(
            "adhesion-centrale-achats",
            ROOT / "samples" / "adhesion-centrale-achats.yaml",
            fmt="pdf",
            pdfa="1b",
            converter=converter,
        ).content
        maire = pki.p12(pki.maire, base / "maire.p12", b"x")
        president = pki.p12(pki.president, base / "president.p12", b"x")
        first = conventum.sign_pdf(pdf, field="1", p12=maire, password="x")
        second = conventum.sign_pdf(first, field="2", p12=president, password="x")
        roots = [pki.root.pem()]
        cli = [sys.executable, "-c", "from conventum.cli import run; run()", "verifier", "--help"]
        rows = {
            "sign 1st": median_ms(lambda: conventum.sign_pdf(pdf, field="1", p12=maire, password="x"), runs),
            "sign 2nd": median_ms(
                lambda: conventum.sign_pdf(first, field="2", p12=president, password="x"), runs
            ),
            "verify": median_ms(lambda: conventum.verify_pdf(second, roots), runs),
            "startup": median_ms(lambda: subprocess.run(cli, capture_output=True, check=True), 5),
        }
    for name, value in rows.items():
        print(f"{name:<10} {value:8.1f} ms")


if __name__ == "__main__":
    main()
