"""The documentation's examples run, wherever they are (README.md and docs/*.md), from a copy of
samples/, with conventum's public names only, against a fixed date (what they print does not
depend on the day the tests run):

- ``<!-- test: runs[ libreoffice] -->`` before a Python block: the block runs;
- ``<!-- test: fichier NAME -->`` before a block: its text is written to NAME first;
- ``<!-- test: shell[ libreoffice] -->`` before a shell block: each line runs, ``conventum`` being
  this checkout's, with ``--today`` at the fixed date, and must succeed."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import conventum

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
SAMPLES = ROOT / "samples"
TODAY = dt.date(2026, 3, 15)  # the day every example is run as if it were
BLOCK = re.compile(r"<!-- test: (runs|shell|fichier)([^>]*?) -->\n```\w*\n(.*?)```", re.DOTALL)


def _blocks(kind: str) -> list[tuple[Path, str, str]]:
    found = []
    for document in DOCUMENTS:
        for match in BLOCK.finditer(document.read_text("utf-8")):
            if match.group(1) == kind:
                found.append((document, match.group(2).strip(), match.group(3)))
    return found


EXAMPLES = _blocks("runs")
SHELL = _blocks("shell")
FILES = {options: text for _document, options, text in _blocks("fichier")}


def test_the_documentation_has_runnable_examples() -> None:
    assert len(EXAMPLES) >= 2
    assert SHELL, "the README's five-minute walk runs"
    assert any(document == README for document, _options, _code in SHELL)


def public_names_only(code: str) -> list[str]:
    """Names the example takes from conventum that are not public (``__all__``)."""
    wrong = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("conventum"):
            if node.module != "conventum":
                wrong.append(node.module)
            wrong += [alias.name for alias in node.names if alias.name not in conventum.__all__]
        elif isinstance(node, ast.Import):
            wrong += [alias.name for alias in node.names if alias.name.startswith("conventum.")]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "conventum"
        ) and node.attr not in conventum.__all__:
            wrong.append(node.attr)
    return wrong


class FixedDate(dt.date):
    """``date`` whose ``today()`` is TODAY."""

    @classmethod
    def today(cls) -> FixedDate:
        return cls(TODAY.year, TODAY.month, TODAY.day)


def freeze_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every conventum module that took ``date`` from datetime sees TODAY as today."""
    for name, module in list(sys.modules.items()):
        if name.startswith("conventum") and getattr(module, "date", None) is dt.date:
            monkeypatch.setattr(module, "date", FixedDate)


def _param(document: Path, options: str, code: str) -> Any:
    marks = [pytest.mark.libreoffice] if "libreoffice" in options else []
    return pytest.param(code, marks=marks, id=f"{document.name}:{code.strip().splitlines()[0][:40]}")


@pytest.mark.parametrize("code", [_param(*example) for example in EXAMPLES])
def test_an_example_runs(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert public_names_only(code) == []
    shutil.copytree(SAMPLES, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    freeze_today(monkeypatch)
    exec(compile(code, str(README), "exec"), {})
    written = {path.name for path in tmp_path.glob("*.pdf")} | {path.name for path in tmp_path.glob("*.docx")}
    assert written, "the example wrote nothing"
    assert "invalide.docx" not in written


def _dated(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    if words[:1] == ["conventum"] and len(words) > 1 and words[1] in ("validate", "render"):
        words.append(f"--today={TODAY.isoformat()}")
    return words


@pytest.mark.parametrize("code", [_param(*block) for block in SHELL])
def test_a_shell_example_runs(code: str, tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, "utf-8")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    for line in code.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        done = subprocess.run(
            _dated(line),
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    assert any(tmp_path.glob("*.pdf")) or any(tmp_path.glob("*.docx"))
