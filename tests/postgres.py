"""A real PostgreSQL server for the register's tests: started by the test session in a temporary
folder on a loopback port (as ``nobody`` when the tests run as root), stopped at the end.

Skipped when Debian's ``postgresql`` package is absent (setup.sh installs it, so CI runs them).
Set ``CONVENTUM_PG_BIN`` to another folder holding ``initdb`` and ``pg_ctl``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(os.environ.get("CONVENTUM_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "conventum"


def available() -> bool:
    return (BIN / "initdb").is_file() and (BIN / "pg_ctl").is_file()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server() -> Iterator[str]:
    """A running server; yields the URL of its ``postgres`` database (trust authentication, loopback)."""
    folder = Path(tempfile.mkdtemp(prefix="conventum-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        owner = pwd.getpwnam("nobody")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    data, port = folder / "data", _free_port()
    options = f"-p {port} -h 127.0.0.1 -k {folder} -c fsync=off -c full_page_writes=off"
    ctl = [*prefix, str(BIN / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [
                *prefix,
                str(BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [*ctl, "-o", options, "-l", str(folder / "server.log"), "-w", "-t", "60", "start"],
            check=True,
            capture_output=True,
            timeout=90,
        )
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                [*ctl, "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60, check=False
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    """A fresh empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"
