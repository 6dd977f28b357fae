"""How ``conventum serve`` runs: its settings and their defaults, one source for the server and
for the command's options (light: ``conventum serve --help`` imports no web stack)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """How ``conventum serve`` runs (see ``conventum serve --help``)."""

    workers: int = 2
    queue: int = 16
    deadline: float = 60.0
    max_body: int = 20_000_000
    header_timeout: float = 10.0
    tokens: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()  # names accepted in Host (empty: any; the CLI defaults them)
    jobs_dir: Path = field(default_factory=lambda: Path("conventum-lots"))
    start_pool: bool = True  # False: LibreOffice starts with the first PDF
    # The register's file or URL (None: the default file; the command reads $CONVENTUM_REGISTRE).
    register: str | None = None
    broker: str | None = None  # distributed: the task queue (redis://…) the workers read
    storage: str | None = None  # distributed: the shared storage (s3://… or a folder)


DEFAULTS = Settings()
