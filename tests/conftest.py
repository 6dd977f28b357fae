"""Every DOCX a test renders through conventum goes through the typography check."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import conventum.api
import conventum.draft
import conventum.rendering.prepared
from tests import postgres
from tests.typography import check_typography

_MODULES = [conventum.rendering.prepared, conventum.api, conventum.draft]
_RENDER = conventum.rendering.prepared.render_docx


BUILT_IN = (Path(__file__).resolve().parent.parent / "templates").resolve()


def _checked_render(template_path: Path, context: dict[str, Any]) -> bytes:
    content = _RENDER(template_path, context)
    # conventum's own templates: the whole text, signs included; a Word file imported from the
    # corpus keeps its author's characters, its spaces are checked.
    check_typography(content, signs=Path(template_path).resolve().parent == BUILT_IN)
    return content


@pytest.fixture(autouse=True)
def _typography_of_every_rendered_document(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Rendering in a test checks the result's typography (a test may opt out: ``@pytest.mark.typographie_libre``)."""
    if request.node.get_closest_marker("typographie_libre") is None:
        for module in _MODULES:
            if getattr(module, "render_docx", None) is _RENDER:
                monkeypatch.setattr(module, "render_docx", _checked_render)
    yield


# --- the register, on SQLite and on a real PostgreSQL server (tests/postgres.py) -------------------
_registers = itertools.count()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not postgres.available():
        pytest.skip("PostgreSQL absent (paquet Debian postgresql, installé par setup.sh)")
    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def base(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty register: a SQLite file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "registre.sqlite")
    server: str = request.getfixturevalue("postgres_url")
    return postgres.new_database(server, f"registre_{next(_registers)}_{os.getpid()}")
