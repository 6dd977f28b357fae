"""Schemathesis over the operations that make documents (render of every type, dossiers, batches)
and the one that changes the register (résiliation), against a real ``conventum serve`` on loopback
with its own register: the examples of the OpenAPI document (the samples) first, then generated
bodies. A server error (5xx) or an answer that the document does not declare is a failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conventum.cli import main
from tests.serve_support import Server, running_server
from tests.support import SAMPLES, needs_libreoffice

pytestmark = needs_libreoffice
TOKEN = "jeton-fuzz-8d21"
MAKERS = "render|dossiers|batches|resiliation|actes|publications"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-fuzz")
    base = folder / "registre.sqlite"
    for name in ("services-numeriques", "plateforme-dematerialisation"):
        done = CliRunner().invoke(
            main, ["registre", "ajouter", name, str(SAMPLES / f"{name}.yaml"), "--base", str(base)]
        )
        assert done.exit_code == 0, done.output
    (folder / "jetons.txt").write_text(f"{TOKEN}\n")
    options = ("--workers", "1", "--token-file", "jetons.txt", "--registre", str(base))
    with running_server(*options, folder=folder, token=TOKEN) as running:
        yield running


def schemathesis(server: Server, *, phases: str, examples: int) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("st")), "run", f"{server.url}/openapi.json",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--phases", phases, "--max-examples", str(examples), "--seed", "25",
        "--include-path-regex", MAKERS, "--workers", "1", "--request-timeout", "120",
        "--header", f"Authorization: Bearer {TOKEN}", "--no-color",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=1500, check=False)


def test_documents_and_resiliation_hold_under_schemathesis(server: Server) -> None:
    """Every render operation, the dossier, the batch and the résiliation: the samples as the
    document gives them, then bodies Schemathesis makes from the schemas (fewer with
    CONVENTUM_SCHEMATHESIS_COMPLET unset: each valid one is a LibreOffice run)."""
    many = 8 if os.environ.get("CONVENTUM_SCHEMATHESIS_COMPLET") else 3
    result = schemathesis(server, phases="examples,fuzzing", examples=many)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    selected = re.search(r"Selected: (\d+)/", result.stdout)
    assert selected and int(selected.group(1)) >= 9, result.stdout[-3000:]  # 6 renders, dossier, batch…
    assert f"Tested: {selected.group(1)}" in result.stdout, result.stdout[-3000:]
    # the examples were real documents, a real batch and a real résiliation, not refusals
    metrics = httpx.get(f"{server.url}/metrics", headers=server.headers).text
    made = sum(
        float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("conventum_documents_total{")
    )
    assert made >= 8, metrics  # six types, the dossier and the acte, at least
    with server.client() as client:
        assert client.get("/v1/registre/1").json()["statut"] == "resiliee"
    jobs = [path for path in (server.log.parent / "lots").iterdir() if path.is_dir()]
    assert jobs, "the sample batch was not accepted"
