"""Cost per added member of a groupement DOCX, and conventum against docxtpl's naive render (issue 30).

    .venv/bin/python benchmarks/members.py [--sizes 10,100,500] [--runs 5]

For each size: ``render_document`` to DOCX (validation, context, fill, check; median of --runs),
docxtpl's naive load + render + save of the same context, their ratio (target ≤ 0.3 at 500), and
the cost per member added since the previous size (target: flat from 10 to 500).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from benchmarks.groupement import TYPE, groupement_data  # noqa: E402
from conventum import load_type, render_document  # noqa: E402
from conventum.rendering.prepared import make_environment  # noqa: E402


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    template = str(load_type(TYPE).template_path)
    previous: tuple[int, float] | None = None
    for size in (int(text) for text in args.sizes.split(",")):
        data = groupement_data(size)
        context = render_document(TYPE, data).context

        def naive(context: dict[str, object] = context) -> bytes:
            document = DocxTemplate(template)
            document.render(context, jinja_env=make_environment(), autoescape=True)
            buffer = io.BytesIO()
            document.save(buffer)
            return buffer.getvalue()

        ours = median_ms(lambda data=data: render_document(TYPE, data), args.runs)  # type: ignore[misc]
        theirs = median_ms(naive, args.runs)
        added = f", {(ours - previous[1]) / (size - previous[0]):.2f} ms per added member" if previous else ""
        print(
            f"{size} members: conventum {ours:.1f} ms, docxtpl naive {theirs:.1f} ms,"
            f" ratio {ours / theirs:.2f}{added}"
        )
        previous = (size, ours)


if __name__ == "__main__":
    main()
