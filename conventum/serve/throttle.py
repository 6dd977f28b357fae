"""A small per-client rate limit for the form's helpers (geography search, preview): a request past
the allowance gets a 429 with a French message and ``Retry-After``; the server keeps serving others."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class Throttle:
    """At most ``count`` requests per client in any ``seconds`` window."""

    def __init__(self, count: int, seconds: float, *, clients: int = 10_000) -> None:
        self.count = count
        self.seconds = seconds
        self.clients = clients
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """0 when the request may go on (and it is counted), else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            if len(self._seen) >= self.clients and client not in self._seen:
                self._forget(now)
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] >= self.seconds:
                times.popleft()
            if len(times) >= self.count:
                return self.seconds - (now - times[0])
            times.append(now)
            return 0.0

    def _forget(self, now: float) -> None:
        for key in [k for k, times in self._seen.items() if not times or now - times[-1] >= self.seconds]:
            del self._seen[key]
        if len(self._seen) >= self.clients:
            self._seen.clear()


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
