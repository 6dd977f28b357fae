"""The register's speed on SQLite: adding conventions, listing what falls due, exporting the ICS.

    .venv/bin/python benchmarks/register.py [--records 500] [--runs 5]

Per run, in a fresh SQLite file: --records conventions added one transaction each (the
services-numeriques sample with a different collectivité), then ``due`` over ten years and the
ICS of every deadline. Medians of --runs runs. A clerk's office registers tens of conventions a
year: the figures say whether a register of thousands still answers at once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conventum import validate  # noqa: E402
from conventum.model.catalogue import load_type  # noqa: E402
from conventum.register.ics import ics_bytes  # noqa: E402
from conventum.register.records import Record, record_of  # noqa: E402
from conventum.register.store import Register  # noqa: E402
from conventum.terms.schedule import schedule  # noqa: E402
from tests.support import sample  # noqa: E402


def records(count: int) -> list[Record]:
    ctype = load_type("services-numeriques")
    found = []
    for rank in range(count):
        data = sample("services-numeriques")
        data["parties"][0]["nom"] = f"Ruitz {rank}"
        checked = validate(ctype, data)
        assert checked.convention is not None
        content = f"document {rank}".encode()
        found.append(
            record_of(ctype, checked.convention, checked.data, content=content, kind="document", path=None)
        )
    return found


def run(prepared: list[Record]) -> tuple[float, float, float, int]:
    with (
        tempfile.TemporaryDirectory() as folder,
        Register(str(Path(folder) / "r.sqlite"), create=True) as register,
    ):
        start = time.perf_counter()
        for record in prepared:
            register.add(record)
        added = time.perf_counter() - start
        start = time.perf_counter()
        due = register.due(date(2025, 1, 1), date(2035, 1, 1))
        listed = time.perf_counter() - start
        start = time.perf_counter()
        ics = ics_bytes(due)
        exported = time.perf_counter() - start
        return added / len(prepared) * 1000, listed * 1000, exported * 1000, len(ics)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    prepared = records(options.records)
    term = prepared[0].duree
    assert term is not None
    start = time.perf_counter()
    for _ in range(10_000):
        schedule(term, date(2025, 1, 31))
    per_schedule = (time.perf_counter() - start) / 10_000 * 1e6
    results = [run(prepared) for _ in range(options.runs)]
    add, due, ics = (statistics.median(r[i] for r in results) for i in range(3))
    print(f"schedule(): {per_schedule:.1f} µs")
    print(f"{options.records} records, median of {options.runs} runs:")
    print(f"  add: {add:.2f} ms per convention (one transaction each, fsync'd by SQLite)")
    print(f"  due over ten years ({3 * options.records} deadlines): {due:.1f} ms")
    print(f"  ICS of those deadlines: {ics:.1f} ms ({results[0][3] // 1024} KiB)")


if __name__ == "__main__":
    main()
