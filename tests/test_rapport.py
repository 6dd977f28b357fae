"""rapport: the rendered rapports read like seeds 000 and 003; the budget's solde is computed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conventum import render_document, validate
from tests.errata import corrected
from tests.support import docx_text, sample, seed
from tests.test_deliberation import clean

TYPE = "rapport"


def rendered(name: str) -> str:
    return clean(docx_text(render_document(TYPE, sample(name)).content))


@pytest.mark.parametrize(
    ("name", "seed_name", "start"),
    [
        ("rapport-2023-338", "000", "DÉPARTEMENT DU PAS-DE-CALAIS Pôle"),
        ("rapport-2025-498", "003", "DÉPARTEMENT DU PAS-DE-CALAIS Direction"),
    ],
)
def test_rapport_is_the_seed_word_for_word(name: str, seed_name: str, start: str) -> None:
    expected = corrected(TYPE, clean(seed(seed_name)))
    text = rendered(name)
    assert text == expected[expected.index(start) :]


def test_solde_is_disponible_minus_proposition() -> None:
    data = sample("rapport-2025-498")
    data["imputations"][0].update(disponible=Decimal("5500.50"), proposition=Decimal("1250.25"))
    text = docx_text(render_document(TYPE, data).content)
    assert "16 000,00 5 500,50 1 250,25 4 250,25" in text


def test_territories_and_budget_table_only_when_given() -> None:
    text = rendered("rapport-2023-338")
    assert "Territoire(s)" not in text
    assert "Code Opération" not in text
    assert (
        "Territoire(s) : Tous les territoires Canton(s) : Tous les cantons EPCI(s) : Tous les EPCI"
        in rendered("rapport-2025-498")
    )


def test_unfavourable_opinion() -> None:
    data = sample("rapport-2023-338")
    data["avis"] = "defavorable"
    assert "a émis un avis défavorable sur ce rapport" in docx_text(render_document(TYPE, data).content)


def test_samples_validate_and_a_missing_commission_is_reported() -> None:
    data = sample("rapport-2025-498")
    assert validate(TYPE, data).issues == []
    del data["commission"]["date"]
    assert [(i.code, i.path) for i in validate(TYPE, data).issues] == [("field.missing", "commission.date")]
