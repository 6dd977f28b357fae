"""Time the rendering of the samples of the three types of issue 3 to DOCX (and PDF with --pdf).

.venv/bin/python benchmarks/convention_types.py [--pdf] [rounds]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from conventum import render_document
from conventum.model.loading import load_data

ROOT = Path(__file__).resolve().parent.parent
TYPES = ("services-numeriques", "plateforme-dematerialisation", "groupement-commandes")


def main(arguments: list[str]) -> None:
    """Render each sample ``rounds`` times; print the mean time per document."""
    pdf = "--pdf" in arguments
    numbers = [int(arg) for arg in arguments if arg.isdigit()]
    rounds = numbers[0] if numbers else (2 if pdf else 20)
    for name in TYPES:
        data = load_data(ROOT / "samples" / f"{name}.yaml")
        start = time.perf_counter()
        for _ in range(rounds):
            render_document(name, data, fmt="pdf" if pdf else "docx")
        mean = (time.perf_counter() - start) / rounds
        print(f"{name:32} {'pdf' if pdf else 'docx'}  {mean * 1000:8.1f} ms / document ({rounds} rounds)")


if __name__ == "__main__":
    main(sys.argv[1:])
