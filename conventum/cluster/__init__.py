"""Distributed ``conventum serve``: the task queue (Celery on Redis), the shared storage (a folder
or S3), the tasks the workers run and the batch jobs the API instances share."""
