"""Where a batch row's time goes: each step of one DOCX row, then a whole batch per row (issue 20).

    .venv/bin/python benchmarks/batch_row.py [--type services-numeriques] [--repeat 50] [--rows 100]

Medians in ms of CPU time (user + system, this process: the load of a shared machine weighs
much less on it than on wall time) over --repeat runs of the same row, each step alone:
  validation    conventum.validate (schema, rules, calculations; geography included)
  geography     of which: the parties completed from the official geography
  context       build_context from the validated convention and its computed values
  render        PreparedTemplate.render (Jinja, checks, zip): the floor of a row
  write         the document written atomically (no fsync: the batch syncs once at its end)
Then a DOCX batch of --rows rows in one process (jobs 1), per row (the median of --batches runs),
and its ratios: to the render alone (issue 20: ≤ 3 without the write) and to the floor, render +
write (issue 30: ≤ 2).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conventum import build_context, load_type, validate  # noqa: E402
from conventum.batch.run import BatchOptions, iter_render  # noqa: E402
from conventum.geo.parties import complete_parties  # noqa: E402
from conventum.model.loading import load_data  # noqa: E402
from conventum.output import write_atomic  # noqa: E402
from conventum.rendering.prepared import prepared_template  # noqa: E402
from conventum.validation.validation import prepare_parties  # noqa: E402


def median_ms(step: Callable[[], Any], repeat: int) -> float:
    step()  # warm: caches, the geography's index, the compiled template
    times = []
    for _ in range(repeat):
        start = time.process_time()
        step()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--type", default="services-numeriques")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--batches", type=int, default=3)
    args = parser.parse_args()
    ctype = load_type(args.type)
    data = load_data(ROOT / "samples" / f"{args.type}.yaml")
    result = validate(ctype, data)
    assert result.ok and result.convention is not None, result.issues
    context = build_context(ctype, result.convention, result.computed)
    template = prepared_template(ctype.template_path)
    content = template.render(context)
    with tempfile.TemporaryDirectory() as folder:
        steps = {
            "validation": lambda: validate(ctype, data),
            "  geography": lambda: complete_parties(prepare_parties(ctype, copy.deepcopy(data))[0]),
            "context": lambda: build_context(ctype, result.convention, result.computed),  # type: ignore[arg-type]
            "render": lambda: template.render(context),
            "write": lambda: write_atomic(Path(folder) / "row.docx", content, force=True, sync=False),
        }
        times = {name: median_ms(step, args.repeat) for name, step in steps.items()}
        rows = [data] * args.rows
        runs = []
        for run in range(args.batches):
            start = time.process_time()
            for _row in iter_render(ctype, rows, Path(folder) / f"lot{run}", options=BatchOptions(jobs=1)):
                pass
            runs.append((time.process_time() - start) / args.rows * 1000)
        per_row = statistics.median(runs)
    for name, value in times.items():
        print(f"{name:<14} {value:8.2f} ms")
    print(f"{'sum of steps':<14} {sum(v for k, v in times.items() if not k.startswith(' ')):8.2f} ms")
    print(f"{'batch per row':<14} {per_row:8.2f} ms  ({args.rows} rows, jobs 1)")
    print(f"ratio batch row ÷ render alone: {per_row / times['render']:.1f}")
    # The write is the disk's: on a busy machine it dwarfs the rest (target, the write aside: ≤ 3).
    print(f"ratio without the write: {(per_row - times['write']) / times['render']:.1f} (issue 20: ≤ 3)")
    floor = times["render"] + times["write"]
    print(f"ratio batch row ÷ (render + write): {per_row / floor:.2f} (issue 30: ≤ 2)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
