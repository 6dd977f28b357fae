"""Running the application with uvicorn: one process, its LibreOffice pool, a graceful stop."""

from __future__ import annotations

import sys
from types import FrameType

import uvicorn

from conventum.serve.app import create_app
from conventum.serve.guards import GuardedH11Protocol
from conventum.serve.settings import Settings


def protocol_for(settings: Settings) -> type[GuardedH11Protocol]:
    """The HTTP protocol class with this server's header timeout."""
    return type("ConventumH11", (GuardedH11Protocol,), {"header_timeout": settings.header_timeout})


class _Server(uvicorn.Server):
    """uvicorn's server, whose stop on SIGTERM or Ctrl-C, once graceful, exits with 0."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        self._captured_signals.clear()  # not raised again after the shutdown


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Serve until SIGINT/SIGTERM: requests in flight finish (within their deadline), new ones are
    refused, then every soffice is stopped."""
    # The event loop shares the GIL with the threads making documents and checking data: it gets it
    # back within 1 ms rather than Python's 5 ms, so /health and small requests are not kept waiting.
    sys.setswitchinterval(0.001)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        http=protocol_for(settings),
        ws="none",
        lifespan="on",
        log_level=log_level,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=int(settings.deadline) + 5,
        server_header=False,
    )
    _Server(config).run()
