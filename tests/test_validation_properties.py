"""Property-based tests: valid data generated from every type's samples raises no false alarm.

Each sample is varied as a clerk would fill it: other names, natures and representatives, dates
moved together (the commission still before its meeting), amounts and counts that stay coherent
(a proposition within what is available, as many voices as members entitled to vote).
Communes, départements, EPCI and centres de gestion are checked against the official geography:
they keep their real names (and natures); the other parties get invented ones.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conventum
from conventum.french.grammar import vocabulary
from conventum.geo.parties import EPCI_KINDS, NAMED_AFTER_DEPARTEMENT
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.seance.tally import tally
from conventum.validation.validation import prepare_parties
from tests.support import SAMPLES, sample

# Every sample of a type: "rapport" or "rapport-2025-498" (a dossier is not a type).
SAMPLE_NAMES = sorted(
    path.stem for path in SAMPLES.glob("*.yaml") if path.stem.rstrip("-0123456789") in available_types()
)
TYPES = sorted({name.rstrip("-0123456789") for name in SAMPLE_NAMES})
AMOUNT = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
Variation = Callable[[st.DrawFn, dict[str, Any]], None]
# The calculators that read price grids dated by their validity (conventum/data/grilles/).
PRICED = frozenset({"contribution-plateforme", "tarifs-services-numeriques"})
# Natures whose names the official geography knows: not invented.
OFFICIAL = frozenset({"commune", *NAMED_AFTER_DEPARTEMENT, *EPCI_KINDS})
# Letters of French names (accents, ligatures, apostrophe, hyphen) and a few from further away.
LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæABCDEÉÈFGHIJKLMNOPQRSTUVWXYZÇŒ"
NAME = st.text(alphabet=LETTERS + "ßøåñłżĳ", min_size=1, max_size=20).flatmap(
    lambda word: st.sampled_from(
        [word, f"{word}-{word[:3]}", f"{word} {word[::-1]}", f"Saint-{word}", f"l’{word}"]
    )
)


def dates_in(value: Any) -> list[date]:
    """Every date in the data, however deep."""
    if isinstance(value, date):
        return [value]
    if isinstance(value, dict):
        return [found for item in value.values() for found in dates_in(item)]
    if isinstance(value, list):
        return [found for item in value for found in dates_in(item)]
    return []


def transform(value: Any, *, years: int, names: dict[str, str]) -> Any:
    """The data with every date moved by whole leap cycles and every old party name replaced."""
    if isinstance(value, date):
        return value.replace(year=value.year + years)
    if isinstance(value, str):
        for old, new in names.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {key: transform(item, years=years, names=names) for key, item in value.items()}
    if isinstance(value, list):
        return [transform(item, years=years, names=names) for item in value]
    return value


def fitting_qualities(nature: str) -> list[str]:
    return [key for key, info in vocabulary()["qualites"].items() if nature in info.get("natures", [])]


@st.composite
def party_variant(draw: st.DrawFn, ctype: ConventionType, party: dict[str, Any], name: str) -> dict[str, Any]:
    """The party with a new name and representative; a new nature (and fitting qualité) its role allows."""
    party = copy.deepcopy(party)
    official = party.get("nature") in OFFICIAL
    party["nom"] = party["nom"] if official else name
    role = ctype.role(party.get("role", ""))
    if role is not None and role.natures and "liaison" not in party and isinstance(party.get("nature"), str):
        invented = [n for n in role.natures if fitting_qualities(n) and n not in OFFICIAL]
        if not official and invented:
            party["nature"] = draw(st.sampled_from(invented))
    representative = party.get("representant")
    if isinstance(representative, dict):
        representative["civilite"] = draw(st.sampled_from(["Madame", "Monsieur"]))
        representative["prenom"], representative["nom"] = draw(NAME), draw(NAME)
        if party.get("nature") and role is not None and role.natures:
            representative["qualite"] = draw(st.sampled_from(fitting_qualities(party["nature"])))
    return party


def budget_lines(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """New amounts on each budget line, the proposition within what is available."""
    for line in data.get("imputations") or []:
        line["cp"], line["proposition"] = draw(AMOUNT), draw(AMOUNT)
        if "disponible" in line:
            line["disponible"] = line["proposition"] + draw(AMOUNT)


def commission_before_meeting(draw: st.DrawFn, data: dict[str, Any]) -> None:
    data["commission"]["date"] = data["reunion"] - timedelta(days=draw(st.integers(0, 90)))


def vote_figures(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Figures adding up to the members who vote (in person or by delegation)."""
    vote = data["vote"]
    voters = tally(data).voters  # the law's count: present taking part + represented
    pour = draw(st.integers(0, voters))
    contre = draw(st.integers(0, voters - pour))
    vote["pour"]["voix"], vote["contre"]["voix"] = pour, contre
    vote["abstention"]["voix"] = voters - pour - contre
    if pour == contre:
        vote["voix_preponderante"] = draw(st.sampled_from(["pour", "contre"]))


def deliberation(draw: st.DrawFn, data: dict[str, Any]) -> None:
    commission_before_meeting(draw, data)
    budget_lines(draw, data)
    vote_figures(draw, data)


def rapport(draw: st.DrawFn, data: dict[str, Any]) -> None:
    commission_before_meeting(draw, data)
    budget_lines(draw, data)


def groupement(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Some of the founding members, at least two, the coordinator among them."""
    members = data["parties"]
    coordinator = next(i for i, party in enumerate(members) if party["nom"] == data["coordonnateur"])
    kept = draw(st.sets(st.integers(0, len(members) - 1), min_size=1)) | {coordinator}
    kept |= {(coordinator + 1) % len(members)}
    data["parties"] = [party for index, party in enumerate(members) if index in kept]


def platform(draw: st.DrawFn, data: dict[str, Any]) -> None:
    data["agents"] = draw(st.integers(0, 100_000))
    data["consultations_par_an"] = draw(st.integers(0, 2_000))
    data["debut"] = data["debut"] + timedelta(days=draw(st.integers(0, 300)))


def digital_services(draw: st.DrawFn, data: dict[str, Any]) -> None:
    services = data["services"]
    # The pack, or « Démarches simplifiées » (à la carte): never both, never neither.
    services["socle"] = draw(st.booleans())
    services["demarches_simplifiees"] = not services["socle"]
    services["option_materiel"] = services["socle"] and draw(st.booleans())
    services["population"], services["agents"] = draw(st.integers(0, 300_000)), draw(st.integers(0, 5_000))


# How each type's facts vary while staying coherent (names and dates vary for every type).
VARIATIONS: dict[str, Variation] = {
    "deliberation": deliberation,
    "rapport": rapport,
    "groupement-commandes": groupement,
    "plateforme-dematerialisation": platform,
    "services-numeriques": digital_services,
}


# Facts chosen before the type's default parties are put in (they choose the defaults).
def centre_de_gestion(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """The CDG 59 or 62, and a collectivité of its département (Ruitz is in the Pas-de-Calais)."""
    data["cdg"] = draw(st.sampled_from(["59", "62"]))
    if data["cdg"] == "59":
        data["parties"][0] |= {
            "nom": "Caudry",
            "adresse": {"voie": "Place", "code_postal": "59540", "commune": "Caudry"},
        }


CHOICES: dict[str, Variation] = {"services-numeriques": centre_de_gestion}


@st.composite
def valid_data(draw: st.DrawFn, sample_name: str) -> tuple[dict[str, Any], date]:
    """A variant of a type's sample that must stay valid, and a day after all its dates."""
    type_name = sample_name.rstrip("-0123456789")
    ctype = load_type(type_name)
    given = sample(sample_name)
    CHOICES.get(type_name, lambda draw, data: None)(draw, given)
    data, _ = prepare_parties(ctype, given)  # the type's default parties made explicit
    parties = [p for p in data.get("parties", []) if isinstance(p, dict)]
    new_names = draw(st.lists(NAME, min_size=len(parties), max_size=len(parties), unique_by=str.casefold))
    years = 4 * draw(st.integers(min_value=-5, max_value=0))  # leap cycles keep 29 February
    if any(use.name in PRICED for use in ctype.calculations):
        years = 0  # computed annexes use price grids dated by their validity: dates stay in it
    renamed = {
        p["nom"]: name
        for p, name in zip(parties, new_names, strict=True)
        if isinstance(p.get("nom"), str) and p.get("nature") not in OFFICIAL
    }
    data = transform(data, years=years, names=renamed)
    data["parties"] = [
        draw(party_variant(ctype, party, new_names[index])) if isinstance(party, dict) else party
        for index, party in enumerate(data.get("parties", []))
    ]
    VARIATIONS.get(type_name, lambda draw, data: None)(draw, data)
    latest = max(dates_in(data), default=date(2020, 1, 1))
    return data, latest + timedelta(days=draw(st.integers(min_value=0, max_value=4000)))


def test_every_type_is_covered() -> None:
    assert sorted(available_types()) == TYPES
    assert set(VARIATIONS) | {"adhesion-centrale-achats"} == set(TYPES)


@pytest.mark.parametrize("sample_name", SAMPLE_NAMES)
def test_sample_is_valid_without_warning(sample_name: str) -> None:
    type_name = sample_name.rstrip("-0123456789")
    result = conventum.validate(type_name, SAMPLES / f"{sample_name}.yaml", today=date(2030, 1, 1))
    assert result.issues == []


@pytest.mark.parametrize("sample_name", SAMPLE_NAMES)
def test_generated_valid_data_raises_no_false_alarm(sample_name: str) -> None:
    type_name = sample_name.rstrip("-0123456789")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_data(sample_name))
    def check(case: tuple[dict[str, Any], date]) -> None:
        data, today = case
        result = conventum.validate(type_name, data, today=today)
        assert [(issue.code, issue.path) for issue in result.issues] == []

    check()
