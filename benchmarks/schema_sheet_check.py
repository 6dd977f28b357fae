"""Times of issue 14's pieces, median of --runs runs each (ms), one process:

  .venv/bin/python benchmarks/schema_sheet_check.py [--runs 7]

schema        json_schema(type) for every installed type (built from the models each call)
modèle xlsx   batch --modele services-numeriques with --commun (drop-downs, formats, example row)
lecture xlsx  reading back a 200-row clerk sheet (headers, labels → values, dates, numbers)
check         check_template of every built-in template with its samples' contexts
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from conventum.batch.sheetmodel import write_model  # noqa: E402
from conventum.batch.spreadsheet import map_headers, open_sheet, row_data  # noqa: E402
from conventum.model.catalogue import available_types, load_type  # noqa: E402
from conventum.model.json_schema import json_schema  # noqa: E402
from conventum.model.loading import load_data  # noqa: E402
from conventum.word.checking import check_template, context_names, sample_contexts  # noqa: E402


def _median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    types = sorted(available_types())
    commun = load_data(ROOT / "samples" / "batch" / "commun.yaml")
    ctype = load_type("services-numeriques")
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "modele.xlsx"
        print(f"schema (6 types)   {_median(lambda: [json_schema(name) for name in types], runs):8.1f} ms")
        print(
            f"modèle xlsx        "
            f"{_median(lambda: write_model(ctype, model, commun=commun, force=True), runs):8.1f} ms"
        )
        workbook = openpyxl.load_workbook(model)
        sheet = workbook["Membres"]
        paths = [cell.value for cell in sheet[2]]
        for number in range(4, 204):
            for path, value in (
                ("parties[0].nom", f"Commune {number}"),
                ("cdg", "CDG 62 (Pas-de-Calais)"),
                ("parties[0].autorisation[0].date", "14/03/2025"),
            ):
                sheet.cell(number, paths.index(path) + 1, value)
        filled = Path(folder) / "rempli.xlsx"
        workbook.save(filled)

        def read() -> int:
            opened = open_sheet(filled)
            columns = map_headers(ctype, opened)
            return sum(1 for number, cells in opened.rows() if row_data(opened, columns, number, cells))

        print(f"lecture xlsx 200   {_median(read, runs):8.1f} ms")
        checks = []
        for path in sorted((ROOT / "templates").glob("*.docx")):
            kind = load_type(path.stem)
            samples = [
                *(ROOT / "samples").glob(f"{path.stem}.yaml"),
                *(ROOT / "samples").glob(f"{path.stem}-*.yaml"),
            ]
            known, contexts = context_names(kind, samples), sample_contexts(kind, samples)
            data = path.read_bytes()
            checks.append(
                lambda data=data, known=known, contexts=contexts: check_template(
                    data, known=known, contexts=contexts
                )
            )
        print(f"check (6 modèles)  {_median(lambda: [check() for check in checks], runs):8.1f} ms")


if __name__ == "__main__":
    main()
