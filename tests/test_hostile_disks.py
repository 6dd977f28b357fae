"""A read-only output folder, through the real command: exit 8 and the reason in French, before
anything is written, for one document and for a batch (into the folder, or a folder to make in it)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conventum.errors import ExitCode
from tests.support import ROOT

SAMPLES = ROOT / "samples"


def conventum(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the exit code is what the tests check
        [sys.executable, "-c", "from conventum.cli import run; run()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder nobody can write in, and the reason the command should give: a read-only mount
    (root, who may write anywhere else, as the tests run here), or a folder without write permission."""
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder, "permission refusée"
        folder.chmod(0o755)
        return
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        yield folder, "le dossier est en lecture seule"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            subprocess.run(["umount", str(folder)], check=True)


def test_a_document_into_a_read_only_folder_is_exit_8_in_french(read_only: tuple[Path, str]) -> None:
    folder, reason = read_only
    sample = SAMPLES / "adhesion-centrale-achats.yaml"
    result = conventum(
        "render", "adhesion-centrale-achats", str(sample), "-o", str(folder / "c.docx"), cwd=ROOT
    )
    assert result.returncode == ExitCode.OUTPUT, result.stderr
    assert f"impossible d’écrire {folder / 'c.docx'} : {reason}" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("inside", ["", "lot"])
def test_a_batch_into_a_read_only_folder_is_exit_8_before_any_row(
    read_only: tuple[Path, str], inside: str
) -> None:
    folder, reason = read_only
    output = folder / inside if inside else folder
    result = conventum(
        "batch",
        "adhesion-centrale-achats",
        str(SAMPLES / "batch" / "membres.csv"),
        "--commun",
        str(SAMPLES / "batch" / "commun.yaml"),
        "-o",
        str(output),
        cwd=ROOT,
    )
    assert result.returncode == ExitCode.OUTPUT, result.stderr
    assert f"impossible d’écrire dans le dossier {output} : {reason}" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []
