"""Where the queue and the storage are, and the Celery application configured for documents:
acknowledged late, handed back when a worker dies, one task at a time per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from conventum.errors import BrokerError

QUEUE = "conventum"
KEYS = "conventum:"  # prefix of conventum's own keys in the broker's Redis
LEASE = 30  # seconds: a batch's report is being made as long as its lease is renewed
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClusterConfig:
    """``--file`` (the broker), ``--stockage`` (the shared storage) and the deadline of a task."""

    broker: str
    storage: str
    deadline: float = 60.0

    @property
    def visibility_timeout(self) -> int:
        """Seconds before an unacknowledged task goes to another worker: longer than a task can
        last (its deadline) plus the time it may wait in a worker's hands before it starts."""
        return int(2 * self.deadline + 10)


def lease_key(job_id: str) -> str:
    return f"{KEYS}lot:{job_id}:bail"


def check_broker_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise BrokerError(f"adresse de file inconnue : {url} (attendu : redis://hôte:6379/0)")


def redis_client(config: ClusterConfig) -> Any:
    """A Redis client of the broker (counters, heartbeats), quick to give up when it is gone."""
    import redis  # noqa: PLC0415 - the cluster extra

    # A read may block for a whole deadline (an API instance waiting for a worker's answer)
    return redis.Redis.from_url(config.broker, socket_connect_timeout=3, socket_timeout=config.deadline + 10)


def ping_broker(config: ClusterConfig) -> None:
    """BrokerError, in French, when the broker cannot be reached."""
    check_broker_url(config.broker)
    import redis  # noqa: PLC0415

    try:
        redis_client(config).ping()
    except redis.RedisError as exc:
        where = urlsplit(config.broker)
        raise BrokerError(
            f"file de tâches injoignable : {where.hostname}:{where.port or 6379} ({exc})"
        ) from exc


def celery_app(config: ClusterConfig) -> Any:
    """The Celery application of conventum's tasks, configured for this queue."""
    from conventum.cluster.application import app  # noqa: PLC0415 - the cluster extra

    app.conf.update(
        broker_url=config.broker,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a broker that goes away is waited for
        broker_transport_options={
            "visibility_timeout": config.visibility_timeout,
            "unacked_restore_interval": 2,  # a dead worker's tasks go back to the queue quickly
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": 5,
            "socket_timeout": 30,
        },
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],  # a pickled message is refused by Celery itself
        result_serializer="json",
        task_ignore_result=True,
        task_soft_time_limit=config.deadline,
        task_time_limit=config.deadline + 10,
        task_annotations={"conventum.bilan": {"soft_time_limit": 3600, "time_limit": 3660}},
        worker_hijack_root_logger=False,
        worker_proc_alive_timeout=60,  # a process starts its LibreOffice before it is ready
        worker_send_task_events=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        broker_connection_timeout=5,
    )
    app.conventum_config = config
    return app
