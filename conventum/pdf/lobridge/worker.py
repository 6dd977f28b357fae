"""One LibreOffice worker: a UNO helper and its soffice, in a process group of their own."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from conventum.errors import ConversionError
from conventum.pdf.levels import PdfA, pdfa_version
from conventum.settings import current

HELPER = Path(__file__).with_name("helper.py")
UNO_HINT = (
    "le pont UNO de LibreOffice ne démarre pas : installez « python3-uno » (Debian/Ubuntu) "
    "ou indiquez son python par $CONVENTUM_UNO_PYTHON"
)


class WorkerDied(ConversionError):
    """The worker's process ended (killed, crashed) while it held a document."""


def uno_python() -> str:
    """The python that has the ``uno`` module: the settings' (``$CONVENTUM_UNO_PYTHON``), else
    the system's."""
    return current().uno_python or "/usr/bin/python3"


class Worker:
    """A soffice kept running, driven through the helper by JSON lines; restartable."""

    def __init__(self, soffice: str, *, startup_timeout: float = 60.0) -> None:
        self.soffice = soffice
        self.startup_timeout = startup_timeout
        self.documents = 0
        self.folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The helper's pid, which is also its process group's id."""
        return self._process.pid if self._process else None

    def start(self) -> None:
        """Start the helper and its soffice with a fresh profile; wait until it is ready."""
        self.stop()
        self.folder = Path(tempfile.mkdtemp(prefix="conventum-lo-"))
        profile = (self.folder / "profile").as_uri()
        with open(self.folder / "helper.log", "wb") as log:
            self._process = subprocess.Popen(
                [uno_python(), str(HELPER), self.soffice, profile],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
                # soffice's own temporary files in the worker's folder, removed with it even when killed
                env={**os.environ, "TMPDIR": str(self.folder)},
            )
        reply = self._reply(time.monotonic() + self.startup_timeout, starting=True)
        if not reply.get("ready"):
            self.stop()
            raise ConversionError(f"LibreOffice ne démarre pas : {reply.get('error')}")
        self.documents = 0

    def convert(self, docx: bytes, *, pdfa: PdfA, timeout: float) -> bytes:
        """One DOCX to the bytes LibreOffice wrote (maybe none), through files in the worker's folder."""
        if not self.alive:
            self.start()
        assert self.folder is not None
        self.documents += 1
        # New names for each document: a killed soffice leaves lock files behind.
        source = self.folder / f"{self.documents}.docx"
        target = source.with_suffix(".pdf")
        source.write_bytes(docx)
        try:
            self._request({"input": str(source), "output": str(target), "pdfa": pdfa_version(pdfa)}, timeout)
            return target.read_bytes() if target.is_file() else b""
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)

    def _request(self, request: dict[str, Any], timeout: float) -> None:
        """Send one request; kill the worker if its answer takes longer than the timeout."""
        process = self._process
        assert process is not None and process.stdin is not None
        try:
            process.stdin.write((json.dumps(request) + "\n").encode())
            process.stdin.flush()
        except OSError as exc:
            self.stop()
            raise WorkerDied("LibreOffice s’est arrêté avant la conversion") from exc
        try:
            reply = self._reply(time.monotonic() + timeout)
        except ConversionError:
            raise
        except BaseException:
            self.stop()  # interrupted (Ctrl-C) mid-document: its late answer must not meet the next one
            raise
        if reply.get("fatal"):
            self.stop()
            raise WorkerDied(str(reply.get("error")))
        if not reply.get("ok"):
            raise ConversionError(f"LibreOffice n’a pas pu convertir le document : {reply.get('error')}")

    def _reply(self, deadline: float, *, starting: bool = False) -> dict[str, Any]:
        """The helper's next JSON line, or an error once the deadline has passed or it died."""
        line = self._read_line(deadline)
        if line is None:
            timed_out = self.alive
            log = self._log_tail()
            self.stop()
            if starting:
                raise ConversionError(f"{UNO_HINT}{log}")
            if timed_out:
                raise ConversionError(
                    "LibreOffice n’a pas terminé la conversion dans le temps imparti : processus arrêté"
                )
            raise WorkerDied(f"LibreOffice s’est arrêté pendant la conversion{log}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _read_line(self, deadline: float) -> bytes | None:
        process = self._process
        assert process is not None and process.stdout is not None
        descriptor = process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
                return None
            chunk = os.read(descriptor, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _log_tail(self) -> str:
        log = self.folder / "helper.log" if self.folder else None
        if log is None or not log.is_file():
            return ""
        lines = log.read_text(errors="replace").strip().splitlines()
        return f" ({lines[-1]})" if lines else ""

    def stop(self) -> None:
        """Kill the helper's whole process group (soffice too) and remove its profile."""
        process, self._process = self._process, None
        self._buffer = b""
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
