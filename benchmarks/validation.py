"""Benchmark: a full validation (schema and every rule) of each installed type's sample; target < 5 ms.

Run: ``.venv/bin/python benchmarks/validation.py [--runs 7] [--loops 200]``. Prints, per type, the
median over the runs of the mean time of one validation within a run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from conventum.catalogue import available_types, load_type
from conventum.loading import load_data
from conventum.validation import validate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TARGET_MS = 5.0
TODAY = date(2030, 1, 1)


def time_one(type_name: str, *, runs: int, loops: int) -> float:
    """Median over runs of the mean milliseconds of one validation of the type's sample."""
    ctype = load_type(type_name)
    data = load_data(SAMPLES / f"{type_name}.yaml")
    validate(ctype, data, today=TODAY)  # warm the caches: model, vocabulary, template citations
    means = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(loops):
            result = validate(ctype, data, today=TODAY)
        means.append((time.perf_counter() - start) * 1000 / loops)
        assert result.ok, result.issues
    return statistics.median(means)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--loops", type=int, default=200)
    args = parser.parse_args()
    slow = 0
    for type_name in sorted(available_types()):
        if not (SAMPLES / f"{type_name}.yaml").is_file():
            continue
        median = time_one(type_name, runs=args.runs, loops=args.loops)
        verdict = "ok" if median < TARGET_MS else "TROP LENT"
        slow += median >= TARGET_MS
        print(
            f"{type_name:30} {median:.3f} ms (médiane de {args.runs} séries ; cible {TARGET_MS} ms) {verdict}"
        )
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
