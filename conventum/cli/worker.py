"""The ``worker`` subcommand: a worker of the distributed ``conventum serve``."""

from __future__ import annotations

import sys

import click

from conventum.errors import UsageError


@click.command("worker")
@click.option("--file", "broker", required=True, help="File de tâches (Redis) : redis://hôte:6379/0.")
@click.option(
    "--stockage",
    required=True,
    help="Stockage partagé : s3://compartiment/préfixe, ou un dossier commun aux machines.",
)
@click.option(
    "--workers",
    default=0,
    show_default="un par cœur",
    type=click.IntRange(min=0),
    help="Processus de production (chacun son LibreOffice).",
)
@click.option(
    "--deadline",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Délai d’une tâche (s) ; le même que celui des instances conventum serve.",
)
@click.option("--nom", default=None, help="Nom du worker (par défaut : conventum-PID@hôte).")
def worker_command(broker: str, stockage: str, workers: int, deadline: float, nom: str | None) -> None:
    """Produit les documents que les instances de conventum serve mettent en file."""
    try:
        from conventum.cluster.config import ClusterConfig  # noqa: PLC0415 - the cluster extra
        from conventum.cluster.worker import run_worker  # noqa: PLC0415 - the cluster extra
    except ImportError as exc:
        raise UsageError(
            f"le mode distribué demande des paquets absents ({exc.name}) : pip install 'conventum[cluster]'"
        ) from exc
    from conventum.pdf.converter import default_workers  # noqa: PLC0415

    config = ClusterConfig(broker=broker, storage=stockage, deadline=deadline)
    sys.exit(run_worker(config, workers or default_workers(), name=nom))


COMMANDS = [worker_command]
