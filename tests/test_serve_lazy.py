"""The web stack is for ``conventum serve`` only: the CLI and the library never import it."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from conventum.cli import main


def test_the_cli_does_not_import_the_web_stack() -> None:
    code = "import sys, conventum, conventum.cli; assert not {'fastapi', 'uvicorn', 'starlette'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_serve_help_is_in_french() -> None:
    import conventum.cli  # noqa: F401 - registers the subcommands

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--token-file" in result.output and "429" in result.output


def test_the_embedded_server_does_not_import_the_cluster_stack(tmp_path: object) -> None:
    """``conventum serve`` without --file: no Celery, Redis or boto3 (the ``cluster`` extra)."""
    code = (
        "import sys; from pathlib import Path; from conventum.serve.app import create_app;"
        "from conventum.serve.settings import Settings;"
        f"create_app(Settings(start_pool=False, jobs_dir=Path({str(tmp_path)!r})));"
        "loaded = {'celery', 'kombu', 'redis', 'boto3', 'botocore'} & set(sys.modules);"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
