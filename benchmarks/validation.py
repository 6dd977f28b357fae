"""Benchmark: a full validation (schema and every rule) of every sample of each type; target < 5 ms.

Run: ``.venv/bin/python benchmarks/validation.py [--runs 7] [--loops 200]``. Prints, per sample
(``rapport-2025-498`` is a sample of the type ``rapport``), the median over the runs of the mean
time of one validation within a run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from conventum.model.catalogue import available_types, load_type
from conventum.model.loading import load_data
from conventum.validation.validation import validate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TARGET_MS = 5.0
TODAY = date(2030, 1, 1)


def samples() -> list[str]:
    """The samples of the installed types: named after their type, or after it and a number."""
    types = available_types()
    return sorted(path.stem for path in SAMPLES.glob("*.yaml") if path.stem.rstrip("-0123456789") in types)


def time_one(sample_name: str, *, runs: int, loops: int) -> float:
    """Median over runs of the mean milliseconds of one validation of the sample."""
    ctype = load_type(sample_name.rstrip("-0123456789"))
    data = load_data(SAMPLES / f"{sample_name}.yaml")
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
    for name in samples():
        median = time_one(name, runs=args.runs, loops=args.loops)
        verdict = "ok" if median < TARGET_MS else "TROP LENT"
        slow += median >= TARGET_MS
        print(f"{name:30} {median:.3f} ms (médiane de {args.runs} séries ; cible {TARGET_MS} ms) {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
