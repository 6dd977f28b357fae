"""Batch speed and memory, side by side in one run (issues 7 and 11).

    .venv/bin/python benchmarks/batch.py [--type services-numeriques] [--docs 200]
        [--rows 1000] [--jobs 2] [--memory 100,5000] [--pdf-rows 20]

Columns, in ms per document (median of --docs renders of the same context, one process):
  docxtpl naive     a fresh DocxTemplate loaded, rendered and saved per document (docxtpl's docs)
  docxtpl reused    one DocxTemplate rendered and saved again and again
  conventum         PreparedTemplate.render: Jinja, post-render checks, zip (what the batch does)
  floor             Jinja render of the prepared XML + zip write, nothing else
  render + write    PreparedTemplate.render and the bytes written to a file (as a batch writes
                    them, no fsync): the floor of a batch row (issue 30)

Then the wall time of ``conventum batch`` (validation included, DOCX) over --rows rows with
--jobs processes, and the peak memory (RSS) of batches of each size in --memory, each in a
fresh process with one job: only small per-row records are kept, one document at a time.
Targets (issue 7): conventum ≤ 2 × floor; 1,000 DOCX < 10 s on 2 cores; memory flat.
Ratios (issue 11), all measured in this run: ``render_document`` to DOCX per document ÷ a batch
row of the same document (≤ 1.3); batch --jobs 2 ÷ --jobs 1 wall time (< 1); DOCX batch per
document ÷ the floor (≤ 1.5). Peak memory is the batch process's own high-water mark (VmHWM:
reset at exec, unlike ``ru_maxrss``, which a child inherits from the process that forked it).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from conventum import build_context, load_type, render_document, validate  # noqa: E402
from conventum.batch.run import BatchOptions, iter_render  # noqa: E402
from conventum.geo import geography  # noqa: E402
from conventum.model.catalogue import available_types  # noqa: E402
from conventum.model.loading import load_data  # noqa: E402
from conventum.output import write_atomic  # noqa: E402
from conventum.rendering.prepared import PreparedTemplate, make_environment  # noqa: E402


def default_type() -> str:
    return "services-numeriques" if "services-numeriques" in available_types() else "adhesion-centrale-achats"


def sample_data(type_name: str) -> dict[str, Any]:
    return load_data(ROOT / "samples" / f"{type_name}.yaml")


def member_index(type_name: str, data: dict[str, Any]) -> int:
    """The first party of the sample whose role has no default: the member a row describes."""
    ctype = load_type(type_name)
    fixed = {role.role for role in ctype.roles if role.defaut}
    parties = data.get("parties", [])
    return next((i for i, party in enumerate(parties) if party.get("role") not in fixed), 0)


def median_ms(render: Callable[[], object], count: int) -> float:
    render()  # warm-up
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        render()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def per_document(type_name: str, count: int) -> dict[str, float]:
    ctype = load_type(type_name)
    result = validate(ctype, sample_data(type_name))
    assert result.convention is not None, result.issues
    context = build_context(ctype, result.convention)
    path = str(ctype.template_path)
    reused = DocxTemplate(path)
    prepared = PreparedTemplate(ctype.template_path)

    def naive() -> bytes:
        document = DocxTemplate(path)
        document.render(context, jinja_env=make_environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def again() -> bytes:
        reused.render(context, jinja_env=make_environment(), autoescape=True)
        buffer = io.BytesIO()
        reused.save(buffer)
        return buffer.getvalue()

    parts = prepared._parts  # the compiled parts: the floor renders them and nothing else

    def floor() -> bytes:
        rendered = {name: p.head + p.template.render(context).encode() + p.tail for name, p in parts.items()}
        return prepared._zip.build(rendered)

    folder = Path(tempfile.mkdtemp(prefix="conventum-bench-"))

    def render_and_write() -> None:
        write_atomic(folder / "convention.docx", prepared.render(context), force=True, sync=False)

    return {
        "render + write": median_ms(render_and_write, count),
        "docxtpl naive": median_ms(naive, count),
        "docxtpl reused": median_ms(again, count),
        "conventum": median_ms(lambda: prepared.render(context), count),
        "floor": median_ms(floor, count),
    }


def write_rows(path: Path, type_name: str, rows: int) -> tuple[dict[str, Any], str]:
    """A CSV of ``rows`` members over the sample as common data; the name pattern. The members are
    real communes of the Pas-de-Calais (the official geography checks them), taken in turn."""
    commun = sample_data(type_name)
    index = member_index(type_name, commun)
    geo = geography()
    communes = sorted(
        (c for c in geo.communes_of_departement("62") if len(geo.communes_named(c.nom)) == 1),
        key=lambda c: c.nom,
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        prefix = f"parties[{index}]"
        writer.writerow([f"{prefix}.nom", f"{prefix}.adresse.code_postal", f"{prefix}.adresse.commune"])
        for number in range(rows):
            commune = communes[number % len(communes)]
            writer.writerow([commune.nom, commune.codes_postaux[0], commune.nom])
    return commun, f"{{parties[{index}].nom}}-{{ligne}}"


def batch_wall(type_name: str, rows: int, jobs: int, fmt: str = "docx") -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="conventum-bench-") as work:
        table, out = Path(work) / "membres.csv", Path(work) / "out"
        out.mkdir()
        commun, pattern = write_rows(table, type_name, rows)
        start = time.perf_counter()
        options = BatchOptions(fmt="pdf" if fmt == "pdf" else "docx", pattern=pattern, jobs=jobs)
        statuses = [
            result.statut for result in iter_render(type_name, table, out, commun=commun, options=options)
        ]
        elapsed = time.perf_counter() - start
    written = statuses.count("ecrit")
    return {"rows": rows, "written": written, "jobs": jobs, "seconds": round(elapsed, 2)}


def peak_mib() -> float:
    """This process's own peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # not Linux


def memory_run(type_name: str, rows: int) -> dict[str, Any]:
    """Run in a fresh process, rendering in this process (one job): its peak RSS in MiB.

    With one job the reading, validation, rendering and writing all happen here, so the peak
    covers everything a batch holds; with more jobs the parent holds less and each worker the same.
    """
    report = batch_wall(type_name, rows, 1)
    report["peak_mib"] = peak_mib()
    return report


def render_document_ms(type_name: str, count: int) -> float:
    """``render_document`` to DOCX (validation, context, fill, check), median per document."""
    ctype, data = load_type(type_name), sample_data(type_name)
    return median_ms(lambda: render_document(ctype, data), count)


def memory(type_name: str, sizes: list[int]) -> list[dict[str, Any]]:
    results = []
    for rows in sizes:
        command = [sys.executable, __file__, "--type", type_name, "--memory-run", str(rows)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--type", default=default_type())
    parser.add_argument("--docs", type=int, default=200, help="renders per column (median)")
    parser.add_argument("--rows", type=int, default=1000, help="rows of the timed batch")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="batch runs of each kind, in turn (median)")
    parser.add_argument("--memory", default="100,5000", help="batch sizes whose peak memory is compared")
    parser.add_argument("--pdf-rows", type=int, default=0, help="rows of a timed PDF batch (0: none)")
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_run:
        print(json.dumps(memory_run(args.type, args.memory_run)))
        return
    print(f"type: {args.type}")
    timings = per_document(args.type, args.docs)
    for name, value in timings.items():
        print(f"  {name:<16} {value:7.2f} ms/doc")
    print(f"  conventum / floor: {timings['conventum'] / timings['floor']:.2f} (target ≤ 2)")
    single = render_document_ms(args.type, args.docs)
    print(f"  render_document  {single:7.2f} ms/doc")
    # 1 job and N jobs in turn, --repeat times: the medians (a shared machine's load moves)
    ones, walls = [], []
    for _ in range(args.repeat):
        ones.append(batch_wall(args.type, args.rows, 1))
        walls.append(batch_wall(args.type, args.rows, args.jobs))
    one = sorted(ones, key=lambda run: run["seconds"])[len(ones) // 2]
    wall = sorted(walls, key=lambda run: run["seconds"])[len(walls) // 2]
    row_ms = one["seconds"] * 1000 / max(one["written"], 1)
    print(f"batch DOCX with validation: {one['written']} documents in {one['seconds']} s, 1 job")
    print(f"batch DOCX with validation: {wall['written']} documents in {wall['seconds']} s, {args.jobs} jobs")
    print(f"  render_document / batch row:     {single / row_ms:.2f} (target ≤ 1.3)")
    print(
        f"  batch {args.jobs} jobs / 1 job:          {wall['seconds'] / one['seconds']:.2f} (target ≤ 0.65)"
    )
    print(f"  batch per document / floor:      {row_ms / timings['floor']:.2f} (Jinja + zip, in memory)")
    floor = timings["render + write"]
    print(f"  batch row / (render + write):    {row_ms / floor:.2f} (issue 30: ≤ 2, with validation)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.pdf_rows:
        pdf = batch_wall(args.type, args.pdf_rows, args.jobs, "pdf")
        rate = pdf["written"] / pdf["seconds"] if pdf["seconds"] else 0.0
        print(
            f"batch PDF: {pdf['written']} documents in {pdf['seconds']} s, {rate:.2f} doc/s, {args.jobs} jobs"
        )
    for entry in memory(args.type, [int(size) for size in args.memory.split(",")]):
        print(f"peak memory, {entry['rows']} rows (1 job): {entry['peak_mib']} MiB ({entry['seconds']} s)")


if __name__ == "__main__":
    main()
