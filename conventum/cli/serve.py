"""The ``serve`` subcommand: the web form and the HTTP API, on one LibreOffice pool."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click

from conventum.errors import UsageError
from conventum.serve.settings import DEFAULTS


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d’écoute.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option(
    "--workers",
    default=DEFAULTS.workers,
    show_default=True,
    type=click.IntRange(min=1),
    help="Workers LibreOffice.",
)
@click.option(
    "--queue",
    "queue_size",
    default=DEFAULTS.queue,
    show_default=True,
    type=click.IntRange(min=0),
    help="Demandes en attente d’un worker au plus ; au-delà, réponse 429.",
)
@click.option(
    "--deadline",
    default=DEFAULTS.deadline,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Délai d’une demande (s), 503 au-delà.",
)
@click.option(
    "--max-upload",
    default=DEFAULTS.max_body // 1_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Taille maximale d’une requête (Mo), 413 au-delà.",
)
@click.option(
    "--header-timeout",
    default=DEFAULTS.header_timeout,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Délai (s) pour recevoir les en-têtes d’une requête (client trop lent : 408).",
)
@click.option(
    "--token-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Jetons d’accès, un par ligne (Bearer).",
)
@click.option("--cors-origin", "cors_origins", multiple=True, help="Origine autorisée par CORS (répétable).")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Nom accepté dans l’en-tête Host (répétable) ; par défaut, à l’écoute sur 127.0.0.1 :"
    " localhost et 127.0.0.1 seulement, sinon tout nom.",
)
@click.option(
    "--jobs-dir",
    default=DEFAULTS.jobs_dir,
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Dossier des lots (repris au redémarrage).",
)
@click.option("--file", "broker", default=None, help="File de tâches partagée (Redis) : redis://hôte:6379/0.")
@click.option(
    "--stockage",
    default=None,
    help="Stockage partagé des lots (avec --file) : s3://compartiment/préfixe, ou un dossier.",
)
@click.option(
    "--registre",
    "register",
    metavar="FICHIER|URL",
    envvar="CONVENTUM_REGISTRE",  # the environment read at the command's edge, as « conventum registre » does
    help="Registre servi sur /v1/registre et /registre (comme --base de « conventum registre »).",
)
def serve_command(token_file: Path | None, **options: Any) -> None:
    """Sert le formulaire web (/) et l’API HTTP (/v1, documentée sur /docs)."""
    try:
        from conventum.serve.guards import (  # noqa: PLC0415 - the web stack, only for serve
            default_hosts,
            read_tokens,
        )
        from conventum.serve.server import serve  # noqa: PLC0415 - the web stack, only for serve
    except ImportError as exc:
        raise UsageError(
            f"le serveur web demande des paquets absents ({exc.name}) : pip install 'conventum[serve]'"
        ) from exc
    tokens: tuple[str, ...] = ()
    if token_file is not None:
        try:
            tokens = tuple(read_tokens(token_file))
        except OSError as exc:
            raise UsageError(f"fichier de jetons illisible : {token_file} ({exc.strerror})") from exc
        if not tokens:
            raise UsageError(f"le fichier de jetons {token_file} ne contient aucun jeton")
    settings = dataclasses.replace(
        DEFAULTS,
        workers=options["workers"],
        queue=options["queue_size"],
        deadline=options["deadline"],
        max_body=options["max_upload"] * 1_000_000,
        tokens=tokens,
        cors_origins=options["cors_origins"],
        allowed_hosts=options["allowed_hosts"] or default_hosts(options["host"]),
        jobs_dir=options["jobs_dir"],
        header_timeout=options["header_timeout"],
        register=options["register"],
        broker=options["broker"],
        storage=options["stockage"],
    )
    if settings.broker is not None or settings.storage is not None:
        _check_cluster(settings.broker, settings.storage, settings.deadline)
    serve(settings, host=options["host"], port=options["port"])


def _check_cluster(broker: str | None, storage: str | None, deadline: float) -> None:
    """The distributed mode's queue and storage, reached before the server starts."""
    if broker is None or storage is None:
        raise UsageError("--file et --stockage vont ensemble (le mode distribué demande les deux)")
    try:
        from conventum.cluster.config import ClusterConfig  # noqa: PLC0415 - the cluster extra
        from conventum.cluster.worker import check  # noqa: PLC0415 - the cluster extra
    except ImportError as exc:
        raise UsageError(
            f"le mode distribué demande des paquets absents ({exc.name}) : pip install 'conventum[cluster]'"
        ) from exc
    check(ClusterConfig(broker=broker, storage=storage, deadline=deadline))


COMMANDS = [serve_command]
