"""The official geography: real communes, EPCI and départements from the shipped data file, the
parties completed from it, and each mismatch reported with its code and path."""

from __future__ import annotations

import copy
import gzip
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import conventum
from conventum.errors import GeographyDataError
from conventum.geo import geography, load_geography
from conventum.geo.data import default_path
from conventum.geo.names import fold
from conventum.model.catalogue import load_type
from conventum.validation.rules.parties import name_of
from conventum.validation.rules.registry import REGISTRY, Facts
from tests.support import SAMPLES, docx_text, sample

TODAY = date(2026, 1, 15)
TYPE = "services-numeriques"


def commune_party(**fields: Any) -> dict[str, Any]:
    """The collectivité of the services-numeriques sample, its identity replaced by ``fields``."""
    party = {
        "role": "collectivite",
        "adresse": {"voie": "Place de la Mairie", "code_postal": "62620", "commune": "Ruitz"},
        "representant": {"civilite": "Madame", "prenom": "Anne", "nom": "Dupré", "qualite": "maire"},
        "autorisation": {"organe": "conseil municipal", "nature": "deliberation", "date": date(2025, 6, 30)},
    }
    return {**party, **fields}


def data_with(party: dict[str, Any], cdg: str = "62") -> dict[str, Any]:
    data = copy.deepcopy(sample(TYPE))
    data["cdg"] = cdg
    data["parties"] = [party]
    return data


def found(data: dict[str, Any], type_name: str = TYPE) -> list[tuple[str, str, str]]:
    issues = conventum.validate(type_name, data, today=TODAY).issues
    return sorted((issue.code, issue.path, issue.severity) for issue in issues)


def issue(data: dict[str, Any], code: str) -> Any:
    (match,) = [i for i in conventum.validate(TYPE, data, today=TODAY).issues if i.code == code]
    return match


# The data file


def test_the_data_file_records_its_source_and_licence() -> None:
    meta = geography().meta
    assert meta["source"] == "@etalab/decoupage-administratif"
    assert meta["version"] == "6.0.0" and meta["date"] == "2026-04-09"
    assert "Licence Ouverte" in meta["attribution"] and "INSEE" in meta["attribution"]
    assert meta["nombres"]["communes"] > 34_900 and meta["nombres"]["epci"] > 1_200
    # the tables (≈ 640 kB) and their name indexes (≈ 250 kB), stored so that no process builds them
    assert default_path().stat().st_size < 950_000


def test_the_stored_name_indexes_are_the_folding_of_today() -> None:
    """The indexes in the file are what fold() makes of every name now: a change to the folding
    without ``tools/build_geography.py --reindex`` fails here, not in a clerk's look-up."""
    tables = geography()._tables
    for rows, index in (
        (tables.communes, tables.communes_by_name),
        (tables.anciennes, tables.anciennes_by_name),
    ):
        assert sorted(zip(index.keys, index.positions, strict=True)) == sorted(
            (fold(row[1]), position) for position, row in enumerate(rows)
        )
        assert index.keys == sorted(index.keys)


@pytest.mark.parametrize(
    "damage",
    [
        lambda content: content.pop("index_communes"),
        lambda content: content["index_communes"]["lignes"].pop(),
        lambda content: content["index_anciennes"]["lignes"].__setitem__(0, 10**6),
    ],
    ids=["absent", "incomplet", "hors-table"],
)
def test_a_data_file_with_a_broken_name_index_is_refused(tmp_path: Path, damage: Any) -> None:
    content = json.loads(gzip.decompress(default_path().read_bytes()))
    damage(content)
    broken = tmp_path / "geographie.json.gz"
    broken.write_bytes(gzip.compress(json.dumps(content).encode()))
    with pytest.raises(GeographyDataError, match="index « index_") as caught:
        load_geography(broken)
    assert caught.value.exit_code == 6 and "reconstruisez-le" in caught.value.message


def test_le_cateau_cambresis_its_code_postal_code_and_article() -> None:
    (commune,) = geography().communes_named("Le Cateau-Cambresis")
    assert (commune.code, commune.departement, commune.codes_postaux) == ("59136", "59", ("59360",))
    assert commune.siren == "215901364" and commune.tncc == 2


def test_lille_has_several_postal_codes_and_59000_is_lille_s() -> None:
    lille = geography().commune("59350")
    assert lille is not None and {"59000", "59160", "59800"} <= set(lille.codes_postaux)
    assert [c.nom for c in geography().communes_of_postal_code("59000")] == ["Lille"]


def test_a_postal_code_shared_by_several_communes() -> None:
    names = {c.nom for c in geography().communes_of_postal_code("62620")}
    assert {"Ruitz", "Maisnil-lès-Ruitz", "Barlin", "Houchin"} <= names


def test_saint_denis_in_two_departements_told_apart_by_code() -> None:
    departements = {c.departement: c.code for c in geography().communes_named("Saint-Denis")}
    assert departements["93"] == "93066" and departements["974"] == "97411"


def test_ajaccio_is_in_corse_du_sud_and_les_moeres_is_no_longer_a_commune() -> None:
    (ajaccio,) = geography().communes_named("Ajaccio")
    assert (ajaccio.code, ajaccio.departement) == ("2A004", "2A")
    (moeres,) = geography().former_named("Les Moëres")
    assert moeres.kind == "deleguee" and geography().commune(moeres.chef_lieu).nom == "Ghyvelde"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:100] + b"\x00" * 50 + raw[150:],  # corrupt
        lambda raw: b"not gzip at all",
    ],
    ids=["tronque", "corrompu", "autre"],
)
def test_a_damaged_data_file_is_refused_clearly(tmp_path: Path, damage: Any) -> None:
    broken = tmp_path / "geographie.json.gz"
    broken.write_bytes(damage(default_path().read_bytes()))
    with pytest.raises(GeographyDataError, match="tronqué ou corrompu") as caught:
        load_geography(broken)
    assert caught.value.exit_code == 6 and str(broken) in caught.value.message


def test_a_data_file_missing_rows_is_refused(tmp_path: Path) -> None:
    content = json.loads(gzip.decompress(default_path().read_bytes()))
    content["communes"] = content["communes"][:-10]
    short = tmp_path / "geographie.json.gz"
    short.write_bytes(gzip.compress(json.dumps(content).encode()))
    with pytest.raises(GeographyDataError, match="incomplète : 34959 lignes au lieu de 34969"):
        load_geography(short)


# Parties from the référentiel


def test_a_party_given_only_by_insee_renders_with_official_name_and_article() -> None:
    party = commune_party(
        insee="59136",
        adresse={
            "voie": "Place du Général de Gaulle",
            "code_postal": "59360",
            "commune": "Le Cateau-Cambrésis",
        },
    )
    data = data_with(party, cdg="59")
    assert found(data) == []
    text = docx_text(conventum.render_document(TYPE, data, fmt="docx", today=TODAY).content)
    assert (
        "La Commune du Cateau-Cambrésis, sise Place du Général de Gaulle, 59360 Le Cateau-Cambrésis," in text
    )
    assert "Pour la Commune du Cateau-Cambrésis," in text


def test_official_articles_where_the_spelling_would_guess_wrong() -> None:
    convention = conventum.validate(
        TYPE,
        data_with(
            commune_party(
                nature="commune", nom="Hem", adresse={"voie": "a", "code_postal": "59510", "commune": "Hem"}
            )
        ),
        today=TODAY,
    ).convention
    assert convention is not None and name_of(convention.parties[0]) == "la Commune de Hem"  # aspirated h
    isle = conventum.validate(TYPE, data_with(commune_party(insee="95313")), today=TODAY).convention
    assert isle is not None and name_of(isle.parties[0]) == "la Commune de L’Isle-Adam"


def test_an_epci_given_by_siren_gets_its_nature_and_article() -> None:
    party = commune_party(
        siren="246200729",
        adresse={
            "voie": "1 boulevard du Bassin Napoléon",
            "code_postal": "62200",
            "commune": "Boulogne-sur-Mer",
        },
        representant={"civilite": "Monsieur", "prenom": "Jean", "nom": "Dupont", "qualite": "president"},
        autorisation={"organe": "conseil-communautaire", "date": date(2025, 6, 30)},
    )
    result = conventum.validate(TYPE, data_with(party), today=TODAY)
    assert result.issues == [] and result.convention is not None
    assert name_of(result.convention.parties[0]) == "la Communauté d’agglomération du Boulonnais"


def test_explicit_values_win_with_a_warning() -> None:
    data = data_with(commune_party(insee="62727", nature="commune", nom="Ruitz-les-Bains"))
    assert found(data) == [("geo.nom_officiel", "parties[0].nom", "warning")]
    assert (
        "« Ruitz-les-Bains » diffère du nom officiel « Ruitz » (code 62727)"
        in issue(data, "geo.nom_officiel").message
    )


# Mismatches, each with its code and path


def test_arras_with_lille_s_postal_code() -> None:
    data = data_with(
        commune_party(
            nature="commune",
            nom="Arras",
            adresse={"voie": "Place Guy Mollet", "code_postal": "59000", "commune": "Arras"},
        )
    )
    assert found(data) == [("geo.ville_code_postal", "parties[0].adresse.code_postal", "error")]
    assert issue(data, "geo.ville_code_postal").message == (
        "Le code postal 59000 n’est pas celui d’Arras (62000) : il dessert Lille."
    )


def test_a_pas_de_calais_commune_with_the_cdg_59() -> None:
    data = data_with(commune_party(nature="commune", nom="Ruitz"), cdg="59")
    assert found(data) == [("geo.cdg_departement", "parties[2]", "error")]
    assert "relève du département 62 (Pas-de-Calais)" in issue(data, "geo.cdg_departement").message


def test_unknown_and_former_codes_and_names() -> None:
    unknown = data_with(commune_party(insee="62999", nature="commune", nom="Arras"))
    assert found(unknown) == [("geo.insee_inconnu", "parties[0].insee", "error")]
    assert "Noms proches : Arras (62041)" in issue(unknown, "geo.insee_inconnu").message
    former = data_with(commune_party(insee="59404"))
    assert ("geo.insee_ancienne_commune", "parties[0].insee", "error") in found(former)
    moeres = data_with(
        commune_party(
            nature="commune",
            nom="Les Moëres",
            adresse={"voie": "a", "code_postal": "59122", "commune": "Les Moëres"},
        )
    )
    assert ("geo.commune_ancienne", "parties[0].nom", "error") in found(moeres)
    misspelt = data_with(commune_party(nature="commune", nom="Ruiz"))
    assert found(misspelt) == [("geo.commune_inconnue", "parties[0].nom", "error")]
    assert "Ruitz (Pas-de-Calais" in issue(misspelt, "geo.commune_inconnue").message


def test_a_malformed_code_is_a_field_error() -> None:
    assert ("field.invalid", "parties[0].insee", "error") in found(
        data_with(commune_party(insee="6204A", nature="commune", nom="Arras"))
    )
    assert ("field.invalid", "parties[0].siren", "error") in found(
        data_with(commune_party(siren="21620041", nature="commune", nom="Ruitz"))
    )


def test_saint_denis_told_apart_by_postal_code_then_the_territory() -> None:
    reunion = data_with(
        commune_party(
            nature="commune",
            nom="Saint-Denis",
            adresse={"voie": "a", "code_postal": "97400", "commune": "Saint-Denis"},
        )
    )
    outside = issue(reunion, "parties.hors_territoire")
    assert outside.path == "parties[0].adresse.code_postal" and outside.params["departement"] == "974"
    both = data_with(
        commune_party(
            nature="commune",
            nom="Saint-Denis",
            adresse={"voie": "a", "code_postal": "93200", "commune": "Saint-Denis"},
        )
    )
    assert issue(both, "parties.hors_territoire").params["departement"] == "93"


def test_the_territory_works_by_departement_code_corsica_included() -> None:
    data = data_with(
        commune_party(
            nature="commune",
            nom="Ajaccio",
            adresse={"voie": "a", "code_postal": "20000", "commune": "Ajaccio"},
        )
    )
    result = conventum.validate(TYPE, data, today=TODAY)
    assert result.convention is not None
    facts = Facts(result.convention, load_type(TYPE), TODAY, data)
    territory = REGISTRY["parties.territoire"]
    assert [
        i.params["departement"] for i in territory(facts, departements=["2B"], roles=["collectivite"])
    ] == ["2A"]
    assert list(territory(facts, departements=["2A"], roles=["collectivite"])) == []
    assert list(territory(facts, departements=["20"], roles=["collectivite"])) == []


def test_cedex_codes_and_unknown_postal_codes() -> None:
    address = {"voie": "Place Guy Mollet", "code_postal": "62018", "commune": "Arras"}
    undeclared = data_with(commune_party(nature="commune", nom="Arras", adresse=address))
    assert found(undeclared) == [("geo.code_postal_cedex", "parties[0].adresse.code_postal", "warning")]
    declared = data_with(commune_party(nature="commune", nom="Arras", adresse={**address, "cedex": True}))
    assert found(declared) == []
    written = data_with(
        commune_party(nature="commune", nom="Arras", adresse={**address, "commune": "Arras Cedex 9"})
    )
    assert found(written) == []
    elsewhere = data_with(
        commune_party(nature="commune", nom="Arras", adresse={**address, "code_postal": "59999"})
    )
    assert ("geo.code_postal_inconnu", "parties[0].adresse.code_postal", "error") in found(elsewhere)


def test_the_town_of_an_address_and_its_postal_code() -> None:
    shared = data_with(
        commune_party(
            nature="commune",
            nom="Maisnil-lès-Ruitz",
            adresse={"voie": "a", "code_postal": "62620", "commune": "Maisnil-les-Ruitz"},
        )
    )
    assert found(shared) == []
    unknown_town = data_with(
        commune_party(
            nature="commune",
            nom="Ruitz",
            adresse={"voie": "a", "code_postal": "62620", "commune": "Trifouillis"},
        )
    )
    assert ("geo.ville_inconnue", "parties[0].adresse.commune", "error") in found(unknown_town)
    elsewhere = data_with(
        commune_party(insee="62041", adresse={"voie": "a", "code_postal": "62620", "commune": "Ruitz"})
    )
    assert found(elsewhere) == [("geo.siege_hors_commune", "parties[0].adresse.commune", "error")]


def test_an_epci_of_another_nature_or_unknown() -> None:
    president = {"civilite": "Monsieur", "prenom": "Jean", "nom": "Dupont", "qualite": "president"}
    address = {"voie": "a", "code_postal": "62200", "commune": "Boulogne-sur-Mer"}
    wrong = data_with(
        commune_party(
            siren="246200729", nature="communaute-de-communes", representant=president, adresse=address
        )
    )
    assert found(wrong) == [("geo.nature_epci", "parties[0].nature", "error")]
    unknown = data_with(
        commune_party(
            nature="communaute-d-agglomeration", nom="Boulonais", representant=president, adresse=address
        )
    )
    assert found(unknown) == [("geo.epci_inconnu", "parties[0].nom", "error")]
    assert "CA du Boulonnais (246200729)" in issue(unknown, "geo.epci_inconnu").message


def test_siren_and_siret_keys() -> None:
    bad_siren = data_with(commune_party(nature="commune", nom="Ruitz", siren="216207275"))
    assert ("geo.siren_invalide", "parties[0].siren", "error") in found(bad_siren)
    bad_siret = data_with(commune_party(insee="62727", siret="21620727400019"))
    assert found(bad_siret) == [("geo.siret_invalide", "parties[0].siret", "error")]


def test_every_sample_still_validates_without_a_word() -> None:
    for path in sorted(SAMPLES.glob("*.yaml")):
        type_name = re.sub(r"-\d.*$", "", path.stem)  # deliberation-2023-338 → deliberation
        if type_name.startswith("dossier"):
            continue
        assert conventum.validate(type_name, path, today=TODAY).issues == [], path.name


# Votes


def test_a_vote_that_counts_fewer_voices_than_members() -> None:
    data = sample("deliberation-2025-498")
    data["vote"]["pour"]["voix"] = 30  # 30 + 0 + 0 for 34 voters (28 present taking part, 6 represented)
    issues = conventum.validate("deliberation", data, today=TODAY).issues
    assert [(i.code, i.path) for i in issues] == [("votes.total_incomplet", "vote")]
    assert issues[0].message.startswith(
        "30 voix sont décomptées (pour, contre, abstentions) pour 34 membres appelés à voter : 4 voix manquent"
    )
