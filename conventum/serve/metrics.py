"""The server's counters, in the Prometheus text format (no client library needed)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Documents, failures by status, a latency histogram; gauges read when scraped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.documents: Counter[str] = Counter()  # by format
        self.failures: Counter[str] = Counter()  # by reason
        self.rejected = 0  # 429
        self._bucket_counts = [0] * len(BUCKETS)
        self._count = 0
        self._sum = 0.0

    def document(self, fmt: str, seconds: float) -> None:
        with self._lock:
            self.documents[fmt] += 1
            self._count += 1
            self._sum += seconds
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    self._bucket_counts[index] += 1

    def failure(self, reason: str) -> None:
        with self._lock:
            self.failures[reason] += 1

    def reject(self) -> None:
        with self._lock:
            self.rejected += 1

    def text(self, gauges: dict[str, tuple[str, Callable[[], float]]]) -> str:
        """The exposition text: counters, the histogram, then each gauge (help, reader)."""
        with self._lock:
            lines = [
                "# HELP conventum_documents_total Documents produits.",
                "# TYPE conventum_documents_total counter",
            ]
            lines += [
                f'conventum_documents_total{{format="{fmt}"}} {n}'
                for fmt, n in sorted(self.documents.items())
            ]
            lines += [
                "# HELP conventum_failures_total Demandes de document en échec, par cause.",
                "# TYPE conventum_failures_total counter",
            ]
            lines += [
                f'conventum_failures_total{{cause="{c}"}} {n}' for c, n in sorted(self.failures.items())
            ]
            lines += [
                "# HELP conventum_rejected_total Demandes refusées, file d’attente pleine (429).",
                "# TYPE conventum_rejected_total counter",
                f"conventum_rejected_total {self.rejected}",
                "# HELP conventum_render_seconds Durée de production d’un document.",
                "# TYPE conventum_render_seconds histogram",
            ]
            lines += [
                f'conventum_render_seconds_bucket{{le="{bound}"}} {count}'
                for bound, count in zip(BUCKETS, self._bucket_counts, strict=True)
            ]
            lines += [
                f'conventum_render_seconds_bucket{{le="+Inf"}} {self._count}',
                f"conventum_render_seconds_sum {self._sum:.6f}",
                f"conventum_render_seconds_count {self._count}",
            ]
        for name, (help_text, read) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {read():g}"]
        return "\n".join(lines) + "\n"
