"""``conventum worker``: a Celery worker of conventum's tasks, one process per core, each with its
own LibreOffice; heartbeats while it runs; on SIGTERM it finishes its tasks in flight and hands
back those it had not begun (warm shutdown), and no soffice outlives it."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

from celery.signals import worker_ready

from conventum.cluster.config import ClusterConfig, celery_app, ping_broker, redis_client
from conventum.cluster.heartbeat import Heartbeat
from conventum.cluster.storage import open_store


def check(config: ClusterConfig) -> None:
    """BrokerError or StorageError, in French, when either cannot be reached (before starting)."""
    ping_broker(config)
    open_store(config.storage).check()


def warm() -> None:
    """What every row needs, loaded once before the processes are forked (shared by them): the
    types, their prepared templates, the official geography."""
    from conventum.geo.lookup import geography  # noqa: PLC0415 - loaded for the forks
    from conventum.model.catalogue import available_types, load_type  # noqa: PLC0415
    from conventum.rendering.prepared import prepared_template  # noqa: PLC0415

    geography()
    for name in available_types():
        prepared_template(load_type(name).template_path)


def run_worker(config: ClusterConfig, processes: int, *, name: str | None = None) -> int:
    """Run until SIGTERM or SIGINT (warm shutdown); the worker's exit code."""
    check(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    warm()
    import conventum.cluster.tasks  # noqa: F401, PLC0415 - the tasks this worker runs

    app = celery_app(config)
    hostname = name or f"conventum-{os.getpid()}@{socket.gethostname()}"
    worker = app.Worker(
        pool="prefork",
        concurrency=processes,
        hostname=hostname,
        without_gossip=True,
        without_mingle=True,
        without_heartbeat=True,
        optimization="fair",
        loglevel="INFO",
        quiet=True,
    )
    beat = Heartbeat(redis_client(config), hostname, processes)

    def ready(**_kwargs: Any) -> None:
        beat.start()
        print(f"conventum worker {hostname} prêt : {processes} processus", file=sys.stderr, flush=True)

    worker_ready.connect(ready, weak=False)
    try:
        worker.start()
    finally:
        beat.stop()
    return int(worker.exitcode or 0)
