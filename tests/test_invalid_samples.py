"""Invalid variants of the samples, each named after the issue code it must trigger."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import conventum
from conventum.model.catalogue import available_types
from tests.support import SAMPLES

INVALID = sorted((SAMPLES / "invalid").glob("*.yaml"))


def _type_and_code(path: Path) -> tuple[str, str]:
    type_name, code = path.stem.split(".", 1)
    return type_name, code


def test_there_are_invalid_samples() -> None:
    assert len(INVALID) >= 5


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.stem)
def test_invalid_sample_triggers_its_code(path: Path) -> None:
    type_name, code = _type_and_code(path)
    assert type_name in available_types()
    result = conventum.validate(type_name, path, today=date(2026, 1, 15))
    assert code in {issue.code for issue in result.issues}
    assert {issue.code for issue in result.issues} == {code}
