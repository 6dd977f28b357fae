"""PDF batches: one LibreOffice pool for the whole batch, finished like ``conventum render``, none left."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from conventum.batch.run import BatchOptions, iter_render
from conventum.model.loading import load_data
from tests.batch_support import soffice_groups
from tests.support import SAMPLES, needs_libreoffice
from tests.test_converter import wait_until_gone

TYPE = "services-numeriques"
MEMBERS = SAMPLES / "batch" / "membres.csv"
COMMUN = load_data(SAMPLES / "batch" / "commun.yaml")


@needs_libreoffice
def test_a_pdf_batch_converts_through_one_pool_and_leaves_no_soffice(tmp_path: Path) -> None:
    results = iter_render(TYPE, MEMBERS, tmp_path, commun=COMMUN, options=BatchOptions(fmt="pdf", jobs=2))
    first = next(results)
    groups = soffice_groups()
    statuses = [first.statut, *(result.statut for result in results)]
    assert statuses == ["ecrit"] * 4
    assert len(groups) == 2  # two LibreOffice for the four documents, started once
    assert wait_until_gone(list(groups)) == []
    assert soffice_groups() == set()


@needs_libreoffice
def test_a_pdf_batch_stopped_midway_leaves_no_soffice_and_only_whole_pdfs(tmp_path: Path) -> None:
    results = iter_render(TYPE, MEMBERS, tmp_path, commun=COMMUN, options=BatchOptions(fmt="pdf", jobs=1))
    assert next(results).statut == "ecrit"
    groups = soffice_groups()
    assert len(groups) == 1
    results.close()  # what the consumer's Ctrl-C or exception does to the running batch
    assert wait_until_gone(list(groups)) == []
    written = sorted(tmp_path.glob("*.pdf"))
    assert 1 <= len(written) < 4
    assert all(len(PdfReader(path).pages) > 0 for path in written)
    assert not list(tmp_path.glob(".*.tmp"))
