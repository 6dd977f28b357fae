"""Workers' heartbeats in the broker's Redis: each worker says every few seconds that it lives,
with its processes and LibreOffice; a worker silent for three beats is gone."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime
from typing import Any

from conventum.cluster.config import KEYS

BEAT = 5.0
PREFIX = KEYS + "travailleur:"
log = logging.getLogger(__name__)


class Heartbeat:
    """A thread of the worker's main process that writes its key until stopped."""

    def __init__(self, client: Any, name: str, processes: int) -> None:
        self.client = client
        self.name = name
        self.info = {
            "nom": name,
            "hote": socket.gethostname(),
            "pid": os.getpid(),
            "processus": processes,
            "depuis": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="conventum-battement", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                info = {**self.info, "vu": time.time()}
                self.client.set(PREFIX + self.name, json.dumps(info), ex=int(3 * BEAT))
            except Exception as exc:  # the broker away: the worker carries on, Celery reconnects
                log.warning("battement non écrit : %s", exc)
            self._stop.wait(BEAT)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * BEAT)
        try:
            self.client.delete(PREFIX + self.name)
        except Exception:
            log.warning("battement non effacé", exc_info=True)


def alive(client: Any) -> list[dict[str, Any]]:
    """The workers whose last beat is recent, by name."""
    found = []
    for key in sorted(client.scan_iter(match=PREFIX + "*")):
        raw = client.get(key)
        if raw:
            found.append(json.loads(raw))
    return found
