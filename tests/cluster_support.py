"""The real components of a distributed ``conventum serve`` on loopback for the tests: Debian's
``redis-server``, moto's S3 server, ``conventum worker`` processes; each started and stopped by
the test, none left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.serve_support import free_port

REDIS = shutil.which("redis-server")
MOTO = Path(sys.executable).with_name("moto_server")
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "conventum",
    "AWS_SECRET_ACCESS_KEY": "conventum-secret",
    "AWS_DEFAULT_REGION": "eu-west-3",
}


def available() -> bool:
    return REDIS is not None and MOTO.exists()


def _stop(process: subprocess.Popen[bytes], timeout: float = 60) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


class Redis:
    """A redis-server with its append-only file (a restart keeps the queue, as in production)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        command = [
            str(REDIS),
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.folder),
            "--appendonly", "yes",
            "--save", "",
            "--daemonize", "no",
        ]  # fmt: skip
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if redis.Redis.from_url(self.url).ping():
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server n’a pas démarré")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


class S3:
    """moto's S3 API server and one bucket."""

    def __init__(self, folder: Path, bucket: str = "conventum") -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.env = {**S3_ENV, "AWS_ENDPOINT_URL": self.endpoint}
        with (folder / "moto.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(MOTO), "-H", "127.0.0.1", "-p", str(self.port)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(self.endpoint, timeout=1)
                break
            time.sleep(0.1)
        self.client().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_ENV["AWS_DEFAULT_REGION"]}
        )

    def client(self) -> object:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
            region_name=S3_ENV["AWS_DEFAULT_REGION"],
        )

    def stop(self) -> None:
        _stop(self.process)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their soffice…)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def soffice_below(pid: int) -> set[int]:
    found = set()
    for child in descendants(pid):
        with contextlib.suppress(OSError):
            if "soffice" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
                found.add(child)
    return found


class Worker:
    """One ``conventum worker`` process."""

    def __init__(self, folder: Path, broker: str, storage: str, env: dict[str, str], *options: str) -> None:
        self.name = f"essai-{free_port()}"
        self.log = folder / f"{self.name}.log"
        command = [
            sys.executable, "-c", "from conventum.cli import run; run()", "worker",
            "--file", broker, "--stockage", storage, "--nom", f"{self.name}@essai", *options,
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}
            )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text())
            if "prêt" in self.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise RuntimeError(f"le worker n’a pas démarré : {self.log.read_text()}")

    def stop(self) -> int:
        below = descendants(self.process.pid)
        code = _stop(self.process)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in below if alive(pid)], "processus laissés par le worker"
        return code


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """``env`` in this process's environment (the servers it starts inherit it), then restored."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
