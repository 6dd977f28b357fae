"""The reference copies in tests/reference are those of the project's shared/ folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import REFERENCE, ROOT

# shared/ sits beside the checkout, or two levels up from a git worktree (wt/<name>).
SHARED = [base / "shared" for base in (ROOT.parent, ROOT.parent.parent) if (base / "shared").is_dir()]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_every_seed_of_the_readme_is_there() -> None:
    readme = (REFERENCE / "seeds" / "README.md").read_text(encoding="utf-8")
    for number in ("000", "001", "002", "003", "004"):
        (seed,) = (REFERENCE / "seeds").glob(f"{number}_*.txt")
        assert seed.name in readme


@pytest.mark.parametrize("folder", ["seeds", "corpus"])
def test_the_copies_equal_shared(folder: str) -> None:
    if not SHARED:
        pytest.skip("no shared/ folder beside this checkout to compare with")
    assert _files(REFERENCE / folder) == _files(SHARED[0] / folder)
