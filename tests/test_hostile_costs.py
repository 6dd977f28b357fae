"""Limits that bound cost, not only bytes, through the real command: the problems a report lists
(the others counted, « … et N autres problèmes »), a long value quoted by an excerpt, the content
controls of a Word file counted before any is read."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import yaml

from conventum.errors import ExitCode
from tests.support import ROOT
from tests.test_hostile_word import rewritten
from tests.test_word_cli import DATA, FIXTURE

ADHESION = ROOT / "samples" / "adhesion-centrale-achats.yaml"


def conventum(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the exit code is what the tests check
        [sys.executable, "-c", "from conventum.cli import run; run()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def broken_parties(folder: Path, count: int) -> Path:
    """The adhesion sample with ``count`` more parties, each with a postal code of letters."""
    data = yaml.safe_load(ADHESION.read_text("utf-8"))
    extra = copy.deepcopy(data["parties"][0])
    data["parties"] += [
        {**copy.deepcopy(extra), "adresse": {**extra["adresse"], "code_postal": f"X{i}"}}
        for i in range(count)
    ]
    path = folder / "donnees.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_a_report_lists_at_most_the_bound_and_counts_the_others(tmp_path: Path) -> None:
    data = broken_parties(tmp_path, 12)
    bound = {"CONVENTUM_MAX_PROBLEMS_REPORTED": "5"}
    result = conventum(
        "validate", "adhesion-centrale-achats", str(data), "--format", "json", cwd=tmp_path, env=bound
    )
    assert result.returncode == ExitCode.INVALID_DATA, result.stderr
    report = json.loads(result.stdout)
    total = report["erreurs"] + report["avertissements"]
    assert total > 12 and len(report["problemes"]) == 5
    assert report["autres_problemes"] == total - 5
    assert report["suite"] == f"… et {total - 5} autres problèmes (non listés)"
    assert all(problem["severity"] == "error" for problem in report["problemes"])  # errors first
    text = conventum("validate", "adhesion-centrale-achats", str(data), cwd=tmp_path, env=bound)
    assert text.returncode == ExitCode.INVALID_DATA
    assert f"… et {total - 5} autres problèmes (non listés)" in text.stderr + text.stdout
    lines = (text.stderr + text.stdout).splitlines()
    assert sum(line.startswith(("  erreur", "  avertissement")) for line in lines) == 5


def test_a_long_value_is_quoted_by_an_excerpt(tmp_path: Path) -> None:
    data = yaml.safe_load(ADHESION.read_text("utf-8"))
    data["parties"][0]["adresse"]["code_postal"] = "9" * 99_000
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = conventum("validate", "adhesion-centrale-achats", str(path), "--format", "json", cwd=tmp_path)
    assert result.returncode == ExitCode.INVALID_DATA, result.stderr
    assert len(result.stdout) < 5_000  # the value is not quoted whole, in the message or its parameters
    problem = next(
        p for p in json.loads(result.stdout)["problemes"] if p["code"] == "parties.code_postal_invalide"
    )
    assert problem["path"] == "parties[0].adresse.code_postal"
    assert "99\u202f000 caractères" in problem["message"]


def many_controls(count: int) -> bytes:
    with zipfile.ZipFile(FIXTURE) as source:
        document = source.read("word/document.xml").decode()
    control = '<w:sdt><w:sdtPr><w:tag w:val="x{0}"/></w:sdtPr><w:sdtContent><w:p/></w:sdtContent></w:sdt>'
    body = "".join(control.format(i) for i in range(count))
    start = document.index(">", document.index("<w:body")) + 1
    return rewritten({"word/document.xml": (document[:start] + body + document[start:]).encode()}, {})


def test_a_word_file_with_too_many_controls_is_refused_before_reading_them(tmp_path: Path) -> None:
    source = tmp_path / "enorme.docx"
    source.write_bytes(many_controls(5_001))
    (tmp_path / "d.yaml").write_text(DATA, encoding="utf-8")
    for args in (
        ("import", str(source), "--type", "enorme", "--dossier", str(tmp_path)),
        ("fill", str(source), str(tmp_path / "d.yaml"), "-o", str(tmp_path / "rempli.docx")),
    ):
        started = time.monotonic()
        result = conventum(*args, cwd=tmp_path)
        assert time.monotonic() - started < 60
        assert result.returncode == ExitCode.TEMPLATE, result.stderr
        assert "plus de 5\u202f000 contrôles de contenu" in result.stderr
        assert "CONVENTUM_MAX_WORD_CONTROLS" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "rempli.docx").exists()
    assert not (tmp_path / "templates").exists() or not any((tmp_path / "templates").iterdir())
