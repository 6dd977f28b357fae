"""A real ``conventum serve`` on a loopback port for the tests: started, waited for, stopped,
and checked to leave no LibreOffice behind."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def process_group_alive(pgid: int) -> bool:
    """A process of the group still runs (zombies, dead but not reaped by this container's
    first process, do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


class Server:
    """One server process; ``url``, ``headers`` (the token, if any), ``worker_groups`` seen."""

    def __init__(self, *options: str, token: str | None = None, folder: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.worker_groups: set[int] = set()
        self.log = folder / f"server-{self.port}.log"
        command = [
            sys.executable,
            "-c",
            "from conventum.cli import run; run()",
            "serve",
            "--port",
            str(self.port),
            "--jobs-dir",
            str(folder / "lots"),
            *options,
        ]
        self.tmp = folder / f"tmp-{self.port}"  # the server's temporary folder, checked empty at the end
        self.tmp.mkdir()
        env = {**os.environ, "TMPDIR": str(self.tmp)}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env
            )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"le serveur s’est arrêté : {self.log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    self.note_workers()
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("le serveur n’a pas démarré à temps")

    def note_workers(self) -> None:
        health = httpx.get(f"{self.url}/health", timeout=5).json()
        self.worker_groups.update(health.get("processus", []))

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers, timeout=60, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit code."""
        with contextlib.suppress(httpx.HTTPError):
            self.note_workers()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def leftover_workers(self) -> list[int]:
        """The LibreOffice process groups of this server still alive (none, after a clean stop)."""
        time.sleep(0.2)
        return [pgid for pgid in self.worker_groups if process_group_alive(pgid)]


@contextlib.contextmanager
def running_server(*options: str, folder: Path, token: str | None = None) -> Iterator[Server]:
    server = Server(*options, token=token, folder=folder)
    try:
        yield server
    finally:
        code = server.stop()
        assert server.leftover_workers() == [], "soffice laissé après l’arrêt"
        assert list(server.tmp.iterdir()) == [], (
            f"fichiers temporaires laissés : {list(server.tmp.rglob('*'))[:20]}"
        )
        assert code == 0, server.log.read_text()


SAMPLES = ROOT / "samples"
