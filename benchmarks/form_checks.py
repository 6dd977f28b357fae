"""Benchmark: what the form asks of the server as a clerk types and leaves fields; targets: a
geography search under 50 ms, a field check (validation of the whole form, rules on whatever parsed)
under 50 ms.

Run: ``.venv/bin/python benchmarks/form_checks.py [--runs 7]``. Prints the median time of each.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

from conventum.geo.search import search_places
from conventum.model.catalogue import load_type
from conventum.validation.validation import validate

TARGET_MS = 50.0
QUERIES = ("Le Por", "Saint", "62480", "246200729", "Boulon", "Hauts")
PARTIAL = {
    "parties": [
        {
            "role": "adherent",
            "nature": "commune",
            "nom": "Libercourtt",
            "adresse": {"code_postal": "62480", "commune": "Arras"},
            "autorisation": [{"organe": "conseil-municipal", "date": "2026-05-01"}],
        }
    ],
    "signature": {"date": "2026-03-02"},
}


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    search_places("Arras")  # the geography loaded once, as a running server has it
    ctype = load_type("adhesion-centrale-achats")
    validate(ctype, PARTIAL, today=date(2026, 3, 15))
    for query in QUERIES:
        took = median_ms(lambda q=query: search_places(q), runs)  # type: ignore[misc]
        print(f"recherche « {query} » : {took:.1f} ms (cible {TARGET_MS:.0f} ms)")
    took = median_ms(lambda: validate(ctype, PARTIAL, today=date(2026, 3, 15)), runs)
    print(f"contrôle d’un champ (formulaire incomplet) : {took:.1f} ms (cible {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
