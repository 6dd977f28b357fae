"""One conventum command run as a clerk runs it (a real process), fenced: 1 GB of address space,
10 s of wall time; what it printed, its exit code, its peak memory and its time."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1 << 30
TIMEOUT = 10.0

# Runs the CLI in-process, then reports the process's peak resident memory, whatever the exit.
RUNNER = """
import os, resource, sys
limit = int(os.environ["HOSTILE_MEMORY"])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    from conventum.cli import main
    main(sys.argv[1:], prog_name="conventum")
finally:
    with open(os.environ["HOSTILE_PEAK"], "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


@dataclass(frozen=True)
class Outcome:
    """What a run gave: exit code (None when killed at the timeout), output, peak MB, seconds."""

    code: int | None
    stdout: str
    stderr: str
    peak_mb: float | None
    seconds: float

    @property
    def message(self) -> str:
        """The first line of the error, for a table."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        if any(line.startswith("Traceback") for line in lines):
            return "TRACEBACK " + (lines[-1] if lines else "")
        errors = [line for line in lines if "Erreur" in line or "erreur" in line]
        return (errors or lines or [""])[0].strip()


def run_conventum(
    args: list[str],
    *,
    cwd: Path,
    python: str = sys.executable,
    pythonpath: str | None = None,
    timeout: float = TIMEOUT,
    memory: int = MEMORY_LIMIT,
) -> Outcome:
    """Run ``conventum ARGS`` in ``cwd`` under the limits; the process group is killed at the timeout."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak", delete=False) as peak_file:
        peak_path = Path(peak_file.name)
    env = dict(os.environ, HOSTILE_MEMORY=str(memory), HOSTILE_PEAK=str(peak_path), COLUMNS="200")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    start = time.monotonic()
    process = subprocess.Popen(
        [python, "-c", RUNNER, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        stdout, stderr = process.communicate()
        code = None
    seconds = time.monotonic() - start
    text = peak_path.read_text() if peak_path.exists() else ""
    peak_path.unlink(missing_ok=True)
    return Outcome(code, stdout, stderr, int(text) / 1024 if text.strip() else None, seconds)
