"""Tracked changes between two versions of a convention: conventum's comparison and python-redlines,
side by side in one run (issue 28).

    .venv/bin/python benchmarks/compare.py [--runs 7] [--redlines PYTHON]

For each convention type, the sample and a version with planted changes (a representative's name,
a street) are rendered to DOCX; each engine compares them --runs times. Columns: median ms per
comparison, and the precision and recall of the words the result marks (w:ins / w:del) against the
words the planted changes remove and add. python-redlines ships a compiled engine (.NET); it runs
from a Python that has it installed (``--redlines``: its interpreter, e.g. a separate venv with
``pip install python-redlines python-redlines-docxodus``), each comparison in that process.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conventum import render_document  # noqa: E402
from conventum.avenants.tracked import compare_docx  # noqa: E402
from conventum.model.loading import load_data  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TYPES = {
    "adhesion-centrale-achats": 0,
    "services-numeriques": 0,
    "plateforme-dematerialisation": 0,
    "groupement-commandes": 6,
}
REDLINES = """
import sys, time
from python_redlines.engines import DocxodusEngine
engine = DocxodusEngine()
a, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
out, runs = sys.argv[3], int(sys.argv[4])
times = []
for _ in range(runs):
    start = time.perf_counter()
    result = engine.run_redline("conventum", a, b)
    times.append(time.perf_counter() - start)
open(out, "wb").write(result[0] if isinstance(result, tuple) else result)
print(" ".join(str(t) for t in times))
"""


def marked(docx: bytes) -> dict[str, set[str]]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    found: dict[str, set[str]] = {"ins": set(), "del": set()}
    for kind in found:
        for mark in root.iter(f"{{{W}}}{kind}"):
            found[kind] |= set(
                "".join(n.text or "" for n in mark.iter(f"{{{W}}}t", f"{{{W}}}delText")).split()
            )
    return found


def scores(found: dict[str, set[str]], expected: dict[str, set[str]]) -> tuple[float, float]:
    right = sum(len(found[k] & expected[k]) for k in found)
    marked_words = sum(len(found[k]) for k in found)
    wanted = sum(len(expected[k]) for k in expected)
    return (right / marked_words if marked_words else 0.0), (right / wanted if wanted else 1.0)


def versions(name: str, index: int) -> tuple[bytes, bytes, dict[str, set[str]]]:
    data = load_data(ROOT / "samples" / f"{name}.yaml")
    before = render_document(name, data).content
    party = data["parties"][index]
    old = set(party["representant"]["nom"].upper().split()) | set(party["adresse"]["voie"].split())
    party["representant"]["nom"], party["adresse"]["voie"] = "Vasseur-Lemaire", "18 boulevard Carnot"
    new = {"VASSEUR-LEMAIRE", "18", "boulevard", "Carnot"}
    return before, render_document(name, data).content, {"del": old - new, "ins": new - old}


def own(before: bytes, after: bytes, runs: int) -> tuple[list[float], bytes]:
    times, result = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        result = compare_docx(before, after)
        times.append(time.perf_counter() - start)
    return times, result


def redlines(python: str, before: bytes, after: bytes, runs: int) -> tuple[list[float], bytes] | None:
    with tempfile.TemporaryDirectory() as folder:
        a, b, out = (Path(folder) / name for name in ("a.docx", "b.docx", "out.docx"))
        a.write_bytes(before)
        b.write_bytes(after)
        done = subprocess.run(
            [python, "-c", REDLINES, str(a), str(b), str(out), str(runs)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"  python-redlines indisponible : {done.stderr.strip().splitlines()[-1:]}")
            return None
        return [float(t) for t in done.stdout.split()], out.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--redlines", help="a Python interpreter that has python-redlines installed")
    args = parser.parse_args()
    print(f"{'type':32} {'moteur':10} {'ms (médiane)':>13} {'précision':>10} {'rappel':>7}")
    for name, index in TYPES.items():
        before, after, expected = versions(name, index)
        rows: list[tuple[str, Any]] = [("conventum", own(before, after, args.runs))]
        if args.redlines:
            rows.append(("redlines", redlines(args.redlines, before, after, args.runs)))
        for engine, measured in rows:
            if measured is None:
                continue
            times, result = measured
            precision, recall = scores(marked(result), expected)
            median = statistics.median(times) * 1000
            print(f"{name:32} {engine:10} {median:13.1f} {precision:10.2f} {recall:7.2f}")


if __name__ == "__main__":
    main()
