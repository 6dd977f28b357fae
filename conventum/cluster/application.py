"""The one Celery application of conventum: its tasks register on it (``cluster.tasks``), the
configuration (``cluster.config``) sets it up for a queue."""

from __future__ import annotations

from celery import Celery

app = Celery("conventum", set_as_current=False)
