"""Terms: each seed's term article word for word, the schedule against hand-computed dates, the
checks of ``dates.duree`` with their paths."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conventum import render_document, validate
from conventum.model.blocks import Duree
from conventum.terms.schedule import schedule
from tests.errata import corrected
from tests.support import between, docx_text, normalise, sample, seed

D = date.fromisoformat


def deadlines(term: Duree, start: date, **options: Any) -> list[tuple[str, str]]:
    return [(item.nature, item.date.isoformat()) for item in schedule(term, start, **options).echeances]


def periods(term: Duree, start: date, **options: Any) -> list[tuple[str, str | None]]:
    found = schedule(term, start, **options).periodes
    return [(p.debut.isoformat(), p.fin.isoformat() if p.fin else None) for p in found]


SERVICES = Duree(annees=2, reconduction="tacite", renouvellements=1, preavis_mois=3)


# --- the schedule, computed by hand -------------------------------------------------------------


def test_two_years_renewable_once_from_the_first_of_january() -> None:
    assert periods(SERVICES, D("2025-01-01")) == [("2025-01-01", "2026-12-31"), ("2027-01-01", "2028-12-31")]
    assert deadlines(SERVICES, D("2025-01-01")) == [
        ("preavis", "2026-09-30"),  # 31 December minus three months: 30 September (no 31st)
        ("reconduction", "2027-01-01"),
        ("fin", "2028-12-31"),  # no notice: no renewal left
    ]
    assert schedule(SERVICES, D("2025-01-01")).fin_definitive == D("2028-12-31")


def test_the_notice_of_a_renewed_term_counts_from_the_renewed_end() -> None:
    twice = SERVICES.model_copy(update={"renouvellements": 2})
    assert deadlines(twice, D("2025-07-01")) == [
        ("preavis", "2027-03-30"),  # end 30 June 2027
        ("reconduction", "2027-07-01"),
        ("preavis", "2029-03-30"),  # end 30 June 2029, not the initial end
        ("reconduction", "2029-07-01"),
        ("fin", "2031-06-30"),
    ]


def test_a_start_on_29_february() -> None:
    assert periods(SERVICES, D("2024-02-29")) == [("2024-02-29", "2026-02-28"), ("2026-03-01", "2028-02-28")]
    assert deadlines(SERVICES, D("2024-02-29")) == [
        ("preavis", "2025-11-28"),
        ("reconduction", "2026-03-01"),
        ("fin", "2028-02-28"),
    ]


@pytest.mark.parametrize(
    ("start", "first_end", "second_start"),
    [
        ("2024-08-29", "2025-02-28", "2025-03-01"),
        ("2024-08-30", "2025-02-28", "2025-03-01"),
        ("2024-08-31", "2025-02-28", "2025-03-01"),
        ("2023-08-31", "2024-02-29", "2024-03-01"),  # leap year
        ("2024-10-31", "2025-04-30", "2025-05-01"),
        ("2024-05-15", "2024-11-14", "2024-11-15"),
    ],
)
def test_six_month_periods_from_the_end_of_a_month(start: str, first_end: str, second_start: str) -> None:
    term = Duree(mois=6, reconduction="tacite", renouvellements=2)
    found = periods(term, D(start))
    assert found[0] == (start, first_end)
    assert found[1][0] == second_start
    # the third period starts on the start's own day again, not drifted to the 28th
    assert D(found[2][0]).day == D(start).day or D(start).day > 28


def test_a_notice_from_a_month_end_is_clamped() -> None:
    term = Duree(annees=1, reconduction="tacite", renouvellements=1, preavis_mois=1)
    assert deadlines(term, D("2025-03-31"))[0] == ("preavis", "2026-02-28")  # end 30 March 2026
    assert deadlines(term, D("2024-04-01"))[0] == ("preavis", "2025-02-28")  # end 31 March 2025


def test_tacit_renewal_without_limit_is_followed_to_the_horizon() -> None:
    term = Duree(annees=3, reconduction="tacite", renouvellements=None)
    plan = schedule(term, D("2023-05-15"), horizon=D("2030-01-01"))
    assert [(p.debut.isoformat(), p.fin.isoformat() if p.fin else None) for p in plan.periodes] == [
        ("2023-05-15", "2026-05-14"),
        ("2026-05-15", "2029-05-14"),
        ("2029-05-15", "2032-05-14"),
    ]
    assert [d.nature for d in plan.echeances] == ["reconduction"] * 3
    assert plan.tronque and plan.fin_definitive is None


def test_express_renewal_asks_for_a_decision() -> None:
    term = SERVICES.model_copy(update={"reconduction": "expresse"})
    assert deadlines(term, D("2025-09-15")) == [("decision", "2027-06-14"), ("fin", "2029-09-14")]


def test_no_renewal_ends_once() -> None:
    assert deadlines(Duree(annees=1), D("2025-01-01")) == [("fin", "2025-12-31")]


def test_a_term_without_end_has_no_deadline() -> None:
    plan = schedule(Duree(indeterminee=True, preavis_mois=3), D("2025-02-03"))
    assert plan.echeances == () and plan.fin_definitive is None
    assert schedule(SERVICES, None).periodes == ()


def test_upcoming_puts_notices_first() -> None:
    plan = schedule(SERVICES.model_copy(update={"preavis_mois": 0}), D("2025-01-01"))
    upcoming = plan.upcoming(D("2025-01-01"), D("2027-01-01"))
    assert [(d.nature, d.date.isoformat()) for d in upcoming] == [
        ("preavis", "2026-12-31"),
        ("reconduction", "2027-01-01"),
    ]


@pytest.mark.parametrize("start", ["2025-01-01", "2025-03-31", "2024-02-29", "2026-11-30"])
def test_schedule_of_each_type(start: str) -> None:
    """Each type's default term on several starts: its deadlines follow from its periods."""
    for name in ("services-numeriques", "plateforme-dematerialisation"):
        data = sample(name)
        result = validate(name, data)
        assert result.convention is not None
        term: Duree = result.convention.duree  # type: ignore[attr-defined]
        plan = schedule(term, D(start), horizon=D("2040-01-01"))
        assert plan.periodes[0].debut == D(start)
        for before, after in zip(plan.periodes, plan.periodes[1:], strict=False):
            assert before.fin is not None and (after.debut - before.fin).days == 1
    for name in ("adhesion-centrale-achats", "groupement-commandes"):
        result = validate(name, sample(name))
        assert result.convention is not None
        assert schedule(result.convention.duree, D(start)).echeances == ()  # type: ignore[attr-defined]


# --- the articles, from the data ----------------------------------------------------------------


def rendered(name: str, data: dict[str, Any]) -> str:
    return docx_text(render_document(name, data).content)


def test_seed_002_term_word_for_word() -> None:
    text = rendered("services-numeriques", sample("services-numeriques"))
    expected = between(
        corrected("services-numeriques", seed("002")), "La Convention est conclue", "Le CDG 59"
    )
    assert expected in text
    # The seed's notice "à compter de la date d’échéance" is an erratum (docs/types): before it.
    assert "notifié au plus tard trois (3) mois avant la date d’échéance" in text


def test_seed_003_term_word_for_word() -> None:
    text = rendered("plateforme-dematerialisation", sample("plateforme-dematerialisation"))
    seed_text = corrected("plateforme-dematerialisation", seed("003"))
    assert between(seed_text, "La présente convention est conclue", "Une dénonciation") in text


def test_seed_000_and_004_terms_word_for_word() -> None:
    text = rendered("adhesion-centrale-achats", sample("adhesion-centrale-achats"))
    assert between(seed("000"), "La présente Convention entre en vigueur", "ARTICLE 3.") in text
    text = rendered("groupement-commandes", sample("groupement-commandes"))
    seed_text = corrected("groupement-commandes", seed("004"))
    assert between(seed_text, "La présente convention est exécutoire", "La convention s’achève") in text
    assert "La convention s’achève à la réalisation complète de son objet, à l’issue des opérations" in text
    assert normalise("Les membres peuvent se retirer du groupement avec un préavis de 3 mois.") in text


def test_a_changed_term_changes_the_article() -> None:
    data = sample("services-numeriques")
    data["duree"] = {"annees": 3, "renouvellements": 2, "preavis_mois": 6}
    text = rendered("services-numeriques", data)
    assert (
        "conclue pour une durée de trois (3) ans, renouvelable deux (2) fois pour une nouvelle durée"
        " de trois (3) ans chacune." in text
    )
    assert "au plus tard six (6) mois avant la date d’échéance" in text
    data = sample("adhesion-centrale-achats")
    data["duree"] = {"debut": "2026-01-01", "indeterminee": False, "annees": 4}
    text = rendered("adhesion-centrale-achats", data)
    assert (
        "entre en vigueur le 1er janvier 2026. Elle est conclue pour une durée de quatre (4) ans et" in text
    )


# --- dates.duree on the block -------------------------------------------------------------------


def issues_of(name: str, term: dict[str, Any], **changes: Any) -> list[tuple[str, str]]:
    data = sample(name)
    data["duree"] = term
    data.update(changes)
    return [
        (i.code, i.path)
        for i in validate(name, data, today=D("2026-12-01")).issues
        if i.code.startswith("dates.")
    ]


def test_an_end_before_the_start() -> None:
    found = issues_of("services-numeriques", {"debut": "2025-10-01", "fin": "2025-01-01"})
    assert found == [("dates.fin_avant_debut", "duree.fin")]


def test_an_end_beyond_the_renewals_allowed() -> None:
    found = issues_of("services-numeriques", {"debut": "2025-01-01", "fin": "2030-12-31"})
    assert found == [("dates.renouvellement_excessif", "duree.fin")]
    assert issues_of("services-numeriques", {"debut": "2025-01-01", "fin": "2028-12-31"}) == []
    assert issues_of("services-numeriques", {"debut": "2025-01-01", "fin": "2027-01-01"}) == []


def test_an_end_off_the_periods() -> None:
    found = issues_of("services-numeriques", {"debut": "2025-01-01", "fin": "2026-06-30"})
    assert found == [("dates.fin_incoherente", "duree.fin")]


def test_a_notice_longer_than_the_term() -> None:
    found = issues_of("services-numeriques", {"annees": None, "mois": 3, "preavis_mois": 3})
    assert found == [("dates.preavis_trop_long", "duree.preavis_mois")]


def test_renewals_without_a_mode_and_a_term_without_length() -> None:
    found = issues_of("plateforme-dematerialisation", {"reconduction": "aucune"})
    assert found == [("dates.renouvellement_sans_reconduction", "duree.renouvellements")]
    found = issues_of("plateforme-dematerialisation", {"annees": None})
    assert found == [("dates.duree_absente", "duree.annees")]
    found = issues_of("adhesion-centrale-achats", {"annees": 2})
    assert found == [("dates.duree_contradictoire", "duree.indeterminee")]


def test_the_messages_are_french_sentences() -> None:
    data = sample("services-numeriques")
    data["duree"] = {"debut": "2025-01-01", "fin": "2030-12-31"}
    (issue,) = [i for i in validate("services-numeriques", data).issues if i.code.startswith("dates.")]
    assert issue.message == (
        "La fin au 31 décembre 2030 dépasse le nombre de renouvellements permis (1) :"
        " la convention prend fin au plus tard le 31 décembre 2028."
    )


def test_a_bad_value_in_the_block_names_its_path() -> None:
    data = sample("services-numeriques")
    data["duree"] = {"annees": 0, "reconduction": "parfois"}
    paths = {(i.code, i.path) for i in validate("services-numeriques", data).issues}
    assert ("field.too_small", "duree.annees") in paths
    assert ("field.not_in_choices", "duree.reconduction") in paths
