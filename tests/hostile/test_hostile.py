"""Every attack of the corpus fed to every command that reads it, as real processes under 1 GB
and 10 s: the documented exit code, a French message, no traceback, nothing written, within
500 MB and 10 s (a regression fails here instead of hanging CI)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.hostile.corpus import ATTACKS, Attack, commands, prepare
from tests.hostile.runner import Outcome, run_conventum

CASES = [(attack, command) for attack in ATTACKS for command in commands(attack, Path("x"), Path("x"))]
DOCUMENTS = (".docx", ".pdf", ".tmp")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Outcome, Path]]:
    """All the runs, two at a time (each is a process of its own)."""
    jobs = []
    for attack in ATTACKS:
        folder = tmp_path_factory.mktemp(attack.name)
        path = prepare(attack, folder)
        for command in commands(attack, path, folder):
            out = folder / f"sortie-{command}"
            out.mkdir()
            jobs.append(((attack.name, command), commands(attack, path, out)[command], folder, out))
    with ThreadPoolExecutor(2) as pool:
        runs = pool.map(lambda job: (job[0], run_conventum(job[1], cwd=job[2]), job[3]), jobs)
        return {key: (outcome, out) for key, outcome, out in runs}


@pytest.mark.parametrize(("attack", "command"), CASES, ids=[f"{a.name}-{c}" for a, c in CASES])
def test_one_clear_error(
    attack: Attack, command: str, outcomes: dict[tuple[str, str], tuple[Outcome, Path]]
) -> None:
    outcome, out = outcomes[(attack.name, command)]
    assert outcome.code is not None, f"{attack.name} / {command}: still running after 10 s"
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
    assert outcome.code == attack.code, (outcome.code, outcome.stderr[-1500:])
    assert attack.words.casefold() in (outcome.stderr + outcome.stdout).casefold(), outcome.stderr[-1500:]
    french = ("erreur", "invalide", "échec")
    assert any(word in (outcome.stderr + outcome.stdout).casefold() for word in french)
    written = [path.name for path in out.rglob("*") if path.suffix in DOCUMENTS]
    assert written == [], written
    assert outcome.peak_mb is not None and outcome.peak_mb < 500, outcome.peak_mb
    assert outcome.seconds < 10
