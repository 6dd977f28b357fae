"""Start-up of a new process (issue 11): ``import conventum`` and ``conventum render … -o x.docx``.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--checkout DIR]

Each figure is the median wall time of --runs new processes. The ratios of issue 30 are printed
against Python importing docxtpl (render ≤ 3×) and click (``conventum --help`` ≤ 1.5×).
``--checkout`` times another checkout of conventum (e.g. an older commit, ``git worktree add
/tmp/before f35e1d0``) with the same Python, so that before and after are measured in one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "samples/adhesion-centrale-achats.yaml"
RENDER = (
    "import sys; sys.argv = ['conventum', 'render', 'adhesion-centrale-achats', {sample!r}, '-o', {out!r},"
    " '--force']\nfrom conventum.cli import run\ntry:\n    run()\nexcept SystemExit as exc:\n"
    "    assert not exc.code, exc.code"
)

HELP = (
    "import sys; sys.argv = ['conventum', '--help']\nfrom conventum.cli import run\ntry:\n    run()\n"
    "except SystemExit as exc:\n    assert not exc.code, exc.code"
)


def median_seconds(code: str, checkout: Path, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    timings = []
    for _ in range(runs + 1):  # the first run warms the disk cache and is not counted
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=checkout, env=env, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings[1:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--checkout", type=Path, action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="conventum-startup-") as work:
        for checkout in [*args.checkout, ROOT]:
            out = str(Path(work) / "x.docx")
            imported = median_seconds("import conventum", checkout, args.runs)
            rendered = median_seconds(RENDER.format(sample=SAMPLE, out=out), checkout, args.runs)
            helped = median_seconds(HELP, checkout, args.runs)
            shown = f"import conventum {imported * 1000:.0f} ms; render -o x.docx {rendered * 1000:.0f} ms"
            print(f"{checkout}: {shown}; --help {helped * 1000:.0f} ms")
            docxtpl = median_seconds("import docxtpl", checkout, args.runs)
            click = median_seconds("import click", checkout, args.runs)
            print(
                f"  render / import docxtpl ({docxtpl * 1000:.0f} ms): {rendered / docxtpl:.2f} (target ≤ 3)"
            )
            print(f"  --help / import click ({click * 1000:.0f} ms): {helped / click:.2f} (target ≤ 1.5)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
