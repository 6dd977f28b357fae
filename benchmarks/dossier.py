"""Seconds to produce a dossier (délibération + convention + rapport, merged PDF), by stage.

    .venv/bin/python benchmarks/dossier.py [RUNS]

Prints the time to split and render the three DOCX, to convert them with
LibreOffice (the stage a pooled converter would speed up), and to merge them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from conventum.dossier import render_parts, split_dossier, to_pdf
from conventum.model.loading import load_data
from conventum.pdf.merging import merge, page_count

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "dossier-2023-338.yaml"


def main(runs: int) -> None:
    data = load_data(SAMPLE)
    totals = {"docx": 0.0, "pdf": 0.0, "merge": 0.0}
    pages = 0
    for _ in range(runs):
        start = time.perf_counter()
        documents, _warnings = render_parts(split_dossier(data))
        rendered = time.perf_counter()
        pdfs = to_pdf(documents)
        converted = time.perf_counter()
        merged = merge(pdfs, title=str(data["objet"]))
        done = time.perf_counter()
        totals["docx"] += rendered - start
        totals["pdf"] += converted - rendered
        totals["merge"] += done - converted
        pages = page_count(merged)
    print(f"dossier-2023-338: {pages} pages, {runs} run(s)")
    for stage, seconds in totals.items():
        print(f"  {stage:<6} {seconds / runs:6.2f} s")
    print(f"  total  {sum(totals.values()) / runs:6.2f} s per dossier")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
