"""The README's library examples run, from a copy of samples/, with conventum's public names only."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

import conventum

README = Path(__file__).resolve().parent.parent / "README.md"
SAMPLES = README.parent / "samples"
BLOCK = re.compile(r"<!-- test: runs( libreoffice)? -->\n```python\n(.*?)```", re.DOTALL)
EXAMPLES = [(bool(match.group(1)), match.group(2)) for match in BLOCK.finditer(README.read_text("utf-8"))]


def test_the_readme_has_runnable_examples() -> None:
    assert len(EXAMPLES) >= 2


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


@pytest.mark.parametrize(
    "code",
    [pytest.param(code, marks=[pytest.mark.libreoffice] if lo else []) for lo, code in EXAMPLES],
)
def test_a_readme_example_runs(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert public_names_only(code) == []
    shutil.copytree(SAMPLES, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {})
    written = {path.name for path in tmp_path.glob("*.pdf")} | {path.name for path in tmp_path.glob("*.docx")}
    assert written, "the example wrote nothing"
    assert "invalide.docx" not in written
