"""Seconds per PDF, in one run: naive soffice, LibreOffice batch (1 and 2 processes), unoserver, conventum.

    .venv/bin/python benchmarks/pdf.py [--documents 24] [--runs 3] [--naive 4] [--batch 20] [--skip unoserver]

The input is the adhesion-centrale-achats sample rendered to DOCX (a 5-page convention).
Each figure is the median over the runs. Targets (issue 6): conventum warm on 2 workers within
1.25× of two parallel batch soffice, and the first PDF of a process under 3 s. The last line is
``conventum batch --pdf`` from the library: --batch rows (the sample, each row another member),
validated, rendered, converted through one pool of 2 workers (its start included) and finished.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conventum import Converter, render_document  # noqa: E402
from conventum.batch.run import BatchOptions, iter_render  # noqa: E402
from conventum.model.loading import load_data  # noqa: E402
from conventum.pdf.converter import find_soffice  # noqa: E402
from conventum.pdf.lobridge.worker import uno_python  # noqa: E402

TYPE = "adhesion-centrale-achats"
SAMPLE = ROOT / "samples" / f"{TYPE}.yaml"
BATCH = "conventum batch --pdf, 2 workers (start included)"


def soffice_convert(profile: Path, files: list[Path], outdir: Path) -> None:
    """One soffice process converting the given files (LibreOffice's own batch mode)."""
    command = [
        find_soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True)
    missing = [f for f in files if not (outdir / f.with_suffix(".pdf").name).is_file()]
    if missing:
        raise RuntimeError(f"soffice wrote no PDF for {missing[0]}")


class Bench:
    """The input files and a scratch folder, with one timed method per row of the table."""

    def __init__(self, folder: Path, docx: bytes, documents: int, naive: int) -> None:
        self.folder, self.docx, self.documents, self.naive = folder, docx, documents, naive
        self.files = []
        for index in range(documents):
            path = folder / "in" / f"convention-{index:03}.docx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(docx)
            self.files.append(path)
        self.profiles = [folder / f"profile-{index}" for index in range(2)]
        for profile in self.profiles:  # a first start creates the profile: not part of any figure
            soffice_convert(profile, self.files[:1], self._outdir())

    def _outdir(self) -> Path:
        outdir = Path(tempfile.mkdtemp(dir=self.folder, prefix="out-"))
        return outdir

    def naive_run(self) -> float:
        files = self.files[: self.naive]
        started = time.perf_counter()
        for path in files:
            soffice_convert(self.profiles[0], [path], self._outdir())
        return (time.perf_counter() - started) / len(files)

    def batch(self, processes: int) -> float:
        shares = [self.files[index::processes] for index in range(processes)]
        started = time.perf_counter()
        with ThreadPoolExecutor(processes) as pool:
            jobs = [
                pool.submit(soffice_convert, self.profiles[i], share, self._outdir())
                for i, share in enumerate(shares)
            ]
            for job in jobs:
                job.result()
        return (time.perf_counter() - started) / self.documents

    def conventum_cold(self) -> float:
        started = time.perf_counter()
        with Converter(workers=1) as converter:
            converter.convert(self.docx)
            return time.perf_counter() - started

    def conventum_cli(self) -> float:
        """A whole new process: ``conventum render … -o x.pdf`` (imports, LibreOffice start, finishing)."""
        target = self._outdir() / "convention.pdf"
        run = "from conventum.cli import run; run()"
        command = [sys.executable, "-c", run, "render", TYPE, str(SAMPLE)]
        started = time.perf_counter()
        subprocess.run([*command, "-o", str(target)], check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - started

    def conventum_batch(self, rows: int) -> float:
        """A whole PDF batch through one pool of 2 workers, start included, per document."""
        members = [{"parties": [{"nom": f"Commune {number}"}]} for number in range(rows)]
        options = BatchOptions(fmt="pdf", jobs=2, pattern="{ligne}")
        outdir = self._outdir()
        started = time.perf_counter()
        results = list(iter_render(TYPE, members, outdir, commun=load_data(SAMPLE), options=options))
        elapsed = time.perf_counter() - started
        if any(result.statut != "ecrit" for result in results):
            raise RuntimeError(f"conventum batch failed: {results}")
        return elapsed / rows

    def conventum_warm(self, workers: int) -> float:
        with Converter(workers=workers) as converter:
            converter.convert_many([self.docx] * workers)  # every worker has converted once
            started = time.perf_counter()
            results = converter.convert_many([self.docx] * self.documents)
            elapsed = time.perf_counter() - started
        if not all(isinstance(result, bytes) for result in results):
            raise RuntimeError(f"conventum failed: {results}")
        return elapsed / self.documents


class Unoserver:
    """unoserver (pip) on local ports, its server under the python that has uno."""

    def __init__(self, folder: Path) -> None:
        spec = importlib.util.find_spec("unoserver")
        assert spec is not None and spec.origin is not None
        site = str(Path(spec.origin).parent.parent)
        self.port = free_port()
        code = f"import sys; sys.path.append({site!r}); from unoserver.server import main; sys.exit(main())"
        self.process = subprocess.Popen(
            [uno_python(), "-c", code, "--interface", "127.0.0.1", "--port", str(self.port),
             "--uno-port", str(free_port()), "--user-installation", str(folder / "unoserver")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        from unoserver.client import UnoClient

        self.client = UnoClient(port=str(self.port))

    def convert(self, docx: bytes) -> bytes:
        result: bytes = self.client.convert(indata=docx, convert_to="pdf")
        return result

    def ready(self, docx: bytes, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.convert(docx)
                return
            except (ConnectionError, OSError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)

    def close(self) -> None:
        os.killpg(self.process.pid, 9)
        self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def unoserver_warm(bench: Bench) -> float:
    server = Unoserver(bench.folder)
    try:
        server.ready(bench.docx)
        started = time.perf_counter()
        for _ in range(bench.documents):
            server.convert(bench.docx)
        return (time.perf_counter() - started) / bench.documents
    finally:
        server.close()


def methods(bench: Bench, skip: set[str], rows: int) -> dict[str, Callable[[], float]]:
    table: dict[str, Callable[[], float]] = {
        "naive (one soffice per document)": bench.naive_run,
        "soffice batch, 1 process": lambda: bench.batch(1),
        "soffice batch, 2 processes in parallel": lambda: bench.batch(2),
        "unoserver (warm, 1 server)": lambda: unoserver_warm(bench),
        "conventum cold (first PDF, start included)": bench.conventum_cold,
        "conventum render CLI, one PDF (new process)": bench.conventum_cli,
        "conventum warm, 1 worker": lambda: bench.conventum_warm(1),
        "conventum warm, 2 workers": lambda: bench.conventum_warm(2),
        BATCH: lambda: bench.conventum_batch(rows),
    }
    if importlib.util.find_spec("unoserver") is None:
        skip = skip | {"unoserver"}
    return {name: run for name, run in table.items() if not any(word in name for word in skip)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=24, help="documents per batch/warm run")
    parser.add_argument("--naive", type=int, default=4, help="documents per naive run (slow)")
    parser.add_argument("--runs", type=int, default=3, help="runs per method (the median is shown)")
    parser.add_argument("--batch", type=int, default=20, help="rows of the PDF batch")
    parser.add_argument(
        "--skip", action="append", default=[], help="skip the methods whose name has this word"
    )
    options = parser.parse_args()
    docx = render_document(TYPE, SAMPLE).content
    with tempfile.TemporaryDirectory(prefix="conventum-bench-") as work:
        bench = Bench(Path(work), docx, options.documents, options.naive)
        results = {}
        for name, run in methods(bench, set(options.skip), options.batch).items():
            results[name] = statistics.median(run() for _ in range(options.runs))
            print(f"  … {name}: {results[name]:.3f} s", file=sys.stderr, flush=True)
        shutil.rmtree(work, ignore_errors=True)
    report(results, options)


def report(results: dict[str, float], options: argparse.Namespace) -> None:
    naive = results.get("naive (one soffice per document)")
    print(
        f"\nSeconds per PDF (5-page convention, median of {options.runs} runs, {options.documents} documents)"
    )
    print(f"{'method':<52} {'s/PDF':>7} {'vs naive':>9}")
    for name, seconds in results.items():
        ratio = f"{naive / seconds:8.1f}×" if naive else ""
        print(f"{name:<52} {seconds:7.3f} {ratio:>9}")
    two = results.get("soffice batch, 2 processes in parallel")
    warm = results.get("conventum warm, 2 workers")
    if two and warm:
        print(f"\nconventum warm 2 workers / batch 2 processes = {warm / two:.2f} (target ≤ 1.25)")
    cold = results.get("conventum cold (first PDF, start included)")
    if cold:
        print(f"first PDF of a process = {cold:.2f} s (target < 3 s)")
    batch = results.get(BATCH)
    if batch:
        print(f"batch PDF: {1 / batch:.2f} documents/s over {options.batch} rows (finished, start included)")


if __name__ == "__main__":
    main()
