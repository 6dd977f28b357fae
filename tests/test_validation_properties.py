"""Property-based tests: valid data generated from every type's sample raises no false alarm."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conventum
from conventum.catalogue import ConventionType, available_types, load_type
from conventum.grammar import vocabulary
from conventum.validation import prepare_parties
from tests.support import SAMPLES, sample

TYPES = sorted(name for name in available_types() if (SAMPLES / f"{name}.yaml").is_file())
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
    party["nom"] = name
    role = ctype.role(party.get("role", ""))
    if role is not None and role.natures and "liaison" not in party and isinstance(party.get("nature"), str):
        party["nature"] = draw(st.sampled_from([n for n in role.natures if fitting_qualities(n)]))
    representative = party.get("representant")
    if isinstance(representative, dict):
        representative["civilite"] = draw(st.sampled_from(["Madame", "Monsieur"]))
        representative["prenom"], representative["nom"] = draw(NAME), draw(NAME)
        if party.get("nature") and role is not None and role.natures:
            representative["qualite"] = draw(st.sampled_from(fitting_qualities(party["nature"])))
    return party


@st.composite
def valid_data(draw: st.DrawFn, type_name: str) -> tuple[dict[str, Any], date]:
    """A variant of the type's sample that must stay valid, and a day after all its dates."""
    ctype = load_type(type_name)
    data, _ = prepare_parties(ctype, sample(type_name))  # the type's default parties made explicit
    parties = [p for p in data.get("parties", []) if isinstance(p, dict)]
    new_names = draw(st.lists(NAME, min_size=len(parties), max_size=len(parties), unique_by=str.casefold))
    years = 4 * draw(st.integers(min_value=-5, max_value=0))  # leap cycles keep 29 February
    if ctype.raw.get("calculs"):
        years = 0  # computed annexes use price grids dated by their validity: dates stay in it
    renamed = {
        p["nom"]: name for p, name in zip(parties, new_names, strict=True) if isinstance(p.get("nom"), str)
    }
    data = transform(data, years=years, names=renamed)
    data["parties"] = [
        draw(party_variant(ctype, party, new_names[index])) if isinstance(party, dict) else party
        for index, party in enumerate(data.get("parties", []))
    ]
    latest = max(dates_in(data), default=date(2020, 1, 1))
    return data, latest + timedelta(days=draw(st.integers(min_value=0, max_value=4000)))


def test_every_type_with_a_sample_is_covered() -> None:
    assert "adhesion-centrale-achats" in TYPES


@pytest.mark.parametrize("type_name", TYPES)
def test_sample_is_valid_without_warning(type_name: str) -> None:
    result = conventum.validate(type_name, SAMPLES / f"{type_name}.yaml", today=date(2030, 1, 1))
    assert result.issues == []


@pytest.mark.parametrize("type_name", TYPES)
def test_generated_valid_data_raises_no_false_alarm(type_name: str) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_data(type_name))
    def check(case: tuple[dict[str, Any], date]) -> None:
        data, today = case
        result = conventum.validate(type_name, data, today=today)
        assert [(issue.code, issue.path) for issue in result.issues] == []

    check()
