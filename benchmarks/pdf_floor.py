"""The public PDF call against the converter's own conversion of the same DOCX (issue 30).

    .venv/bin/python benchmarks/pdf_floor.py [--runs 5] [--members 500]

One converter (one LibreOffice worker, started once) serves both columns, run in turn so that the
load of the machine weighs on both alike. "convert" is ``Converter.convert`` of the filled DOCX:
LibreOffice's conversion through the pool, nothing else. "public call" is ``render_document(…,
fmt="pdf")``: validation, context, DOCX, conversion, key facts read back, signature fields,
metadata, accessibility. Target: public call ≤ 1.3 × convert, for a short document (the
services-numeriques sample) and a long one (a groupement of --members members, ≈ 90 pages).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.groupement import TYPE as GROUPEMENT  # noqa: E402
from benchmarks.groupement import groupement_data  # noqa: E402
from conventum import Converter, render_document  # noqa: E402
from conventum.model.loading import load_data  # noqa: E402
from conventum.pdf.pdfio import page_count  # noqa: E402


def compare(converter: Converter, name: str, type_name: str, data: dict[str, Any], runs: int) -> None:
    docx = render_document(type_name, data).content
    pages = page_count(render_document(type_name, data, fmt="pdf", converter=converter).content, what="pdf")
    convert, public = [], []
    for _ in range(runs):
        start = time.perf_counter()
        converter.convert(docx)
        convert.append(time.perf_counter() - start)
        start = time.perf_counter()
        render_document(type_name, data, fmt="pdf", converter=converter)
        public.append(time.perf_counter() - start)
    c, p = statistics.median(convert), statistics.median(public)
    print(f"{name} ({pages} pages): convert {c:.2f} s, public call {p:.2f} s, ratio {p / c:.2f} (≤ 1.3)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with Converter(workers=1) as converter:
        short = "services-numeriques"
        compare(converter, short, short, load_data(ROOT / "samples" / f"{short}.yaml"), args.runs)
        long = groupement_data(args.members)
        compare(converter, f"groupement of {args.members}", GROUPEMENT, long, args.runs)


if __name__ == "__main__":
    main()
