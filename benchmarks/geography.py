"""Benchmark: the official geography. The first look-up of a process (reading the data file)
< 150 ms; later look-ups in microseconds; a full validation with the geography's checks < 5 ms.

Run: ``.venv/bin/python benchmarks/geography.py [--runs 7]``. Each first look-up is timed in a
fresh Python process (the file is read once per process); the figures are medians over the runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from conventum.geo import geography
from conventum.model.catalogue import load_type
from conventum.model.loading import load_data
from conventum.validation.validation import validate

ROOT = Path(__file__).resolve().parent.parent
FIRST_TARGET_MS = 150.0
VALIDATION_TARGET_MS = 5.0
TODAY = date(2026, 1, 15)

# What a fresh process runs: import, then one look-up of each kind, timed from the first call.
FIRST = """
import time
from conventum.geo import geography  # the package's import is not the geography's cost
start = time.perf_counter()
geo = geography()
geo.commune("59136")
code = time.perf_counter()
geo.communes_named("Le Cateau-Cambrésis")
name = time.perf_counter()
geo.communes_of_postal_code("59000")
postal = time.perf_counter()
print((code - start) * 1000, (name - start) * 1000, (postal - start) * 1000)
"""


def first_lookups(runs: int) -> tuple[float, float, float]:
    """Median milliseconds, in a fresh process, to the first look-up by code, then name, then postal code."""
    samples = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", FIRST], capture_output=True, text=True, check=True, cwd=ROOT
        )
        samples.append(tuple(float(value) for value in output.stdout.split()))
    code, name, postal = (statistics.median(column) for column in zip(*samples, strict=True))
    return code, name, postal


def later_lookup_us(loops: int = 20_000) -> float:
    """Mean microseconds of one look-up by name and postal code once the indexes are built."""
    geo = geography()
    geo.communes_named("Lille")
    geo.communes_of_postal_code("59000")
    start = time.perf_counter()
    for _ in range(loops):
        geo.communes_named("Le Cateau-Cambrésis")
        geo.communes_of_postal_code("59360")
    return (time.perf_counter() - start) * 1e6 / loops / 2


def validation_ms(runs: int, loops: int = 200) -> float:
    """Median milliseconds of a full validation of services-numeriques, its commune given by insee."""
    ctype = load_type("services-numeriques")
    data = load_data(ROOT / "samples" / "services-numeriques.yaml")
    data["parties"][0] = {
        key: value for key, value in data["parties"][0].items() if key not in ("nature", "nom")
    }
    data["parties"][0]["insee"] = "62727"
    assert validate(ctype, data, today=TODAY).issues == []
    means = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(loops):
            validate(ctype, data, today=TODAY)
        means.append((time.perf_counter() - start) * 1000 / loops)
    return statistics.median(means)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    code, name, postal = first_lookups(args.runs)
    print(
        f"première recherche (processus neuf) : code {code:.1f} ms, puis nom {name:.1f} ms,"
        f" puis code postal {postal:.1f} ms"
    )
    print(f"recherches suivantes : {later_lookup_us():.2f} µs")
    validation = validation_ms(args.runs)
    print(f"validation complète de services-numeriques (commune par insee) : {validation:.3f} ms")
    slow = name >= FIRST_TARGET_MS or validation >= VALIDATION_TARGET_MS
    print("cibles : première recherche < 150 ms, validation < 5 ms :", "TROP LENT" if slow else "ok")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
