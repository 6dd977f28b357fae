"""A type's schema is read once into specs: every typo an author makes is one template error naming
the file, the key path and the closest known key, before any data is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conventum.cli import main
from conventum.errors import ExitCode, TemplateError
from conventum.model.catalogue import available_types, load_type, read_type
from conventum.model.specs import NO_DEFAULT
from tests.support import SAMPLES

BASE = """
titre: Essai
parties:
  - {role: commune, libelle: La commune, natures: [commune]}
champs:
  objet: {type: texte, libelle: Objet}
"""


def problem_of(text: str, path: Path = Path("schemas/essai.yaml")) -> str:
    with pytest.raises(TemplateError) as caught:
        read_type(path, yaml.safe_load(text))
    assert caught.value.template == str(path)
    message = str(caught.value)
    assert message.startswith(f"schéma {path} : ")
    return message


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        # Unknown keys, at each level, with the key path and the closest known key.
        ("exemplaire: 2\n", "exemplaire : clé inconnue ; vouliez-vous dire « exemplaires » ?"),
        (
            "champs:\n  n: {type: entier, requise: false}\n",
            "champs.n.requise : clé inconnue ; vouliez-vous dire « requis » ?",
        ),
        ("champs:\n  n: {libele: Nom}\n", "champs.n.libele : clé inconnue ; vouliez-vous dire « libelle » ?"),
        (
            "champs:\n  o: {type: objet, champs: {a: {type: montant, maxi: 3}}}\n",
            "champs.o.champs.a.maxi : clé inconnue ; vouliez-vous dire « max » ?",
        ),
        (
            "champs:\n  l: {type: liste, element: {type: objet, champs: {b: {aid: x}}}}\n",
            "champs.l.element.champs.b.aid : clé inconnue ; vouliez-vous dire « aide » ?",
        ),
        (
            "parties:\n  - {role: commune, natrues: [commune]}\n",
            "parties[0].natrues : clé inconnue ; vouliez-vous dire « natures » ?",
        ),
        (
            "regles:\n  - {nom: dates.passe, parametre: {}}\n",
            "regles[0].parametre : clé inconnue ; vouliez-vous dire « parametres » ?",
        ),
        ("calculs:\n  - {nom: textes, parametres: {champ: x}, nmo: y}\n", "calculs[0].nmo : clé inconnue"),
        (
            "annexes:\n  - {numero: 1, titre: Tarifs, fichie: a.pdf}\n",
            "annexes[0].fichie : clé inconnue ; vouliez-vous dire « fichier » ?",
        ),
        # A key of another kind is unknown for this one.
        ("champs:\n  d: {type: date, choix: [a]}\n", "champs.d.choix : clé inconnue"),
        # Wrong kinds and values.
        (
            "champs:\n  t: {type: textee}\n",
            "champs.t.type : type de champ inconnu « textee » ; vouliez-vous dire « texte » ?",
        ),
        ("champs:\n  t: {type: choix}\n", "champs.t.choix : un choix doit donner ses valeurs"),
        ("champs:\n  t: {type: choix, choix: []}\n", "champs.t.choix : un choix doit donner ses valeurs"),
        ("champs:\n  t: {type: texte, requis: peut-etre}\n", "champs.t.requis : true ou false est attendu"),
        ("champs:\n  t: {type: entier, min: un}\n", "champs.t.min : un nombre est attendu"),
        (
            "champs:\n  c: {type: choix, choix: [a, b], affichage: libele}\n",
            "champs.c.affichage : valeur inconnue « libele »",
        ),
        (
            "champs:\n  d: {type: duree, ecriture: lettre}\n",
            "champs.d.ecriture : valeur inconnue « lettre » ; vouliez-vous dire « lettres » ?",
        ),
        ("exemplaires: deux\n", "exemplaires : un nombre entier d’au moins 1 est attendu"),
        ("textes:\n  inconnu: {a: {b: c}}\n", "textes.inconnu : champ inconnu"),
        # Defaults the field would refuse.
        (
            "champs:\n  n: {type: entier, defaut: deux}\n",
            "champs.n.defaut : valeur par défaut « deux » invalide pour un champ de type « entier »",
        ),
        (
            "champs:\n  c: {type: choix, choix: [a, b], defaut: c}\n",
            "champs.c.defaut : valeur par défaut « c » invalide",
        ),
        (
            "champs:\n  n: {type: entier, min: 1, defaut: 0}\n",
            "champs.n.defaut : valeur par défaut « 0 » inférieure au minimum 1",
        ),
        (
            "champs:\n  d: {type: duree, defaut: {annes: 2}}\n",
            "champs.d.defaut : clé(s) inconnue(s) annes dans la durée « d »",
        ),
        ("champs:\n  d: {type: duree, defaut: {annees: 0}}\n", "champs.d.defaut : valeur par défaut"),
    ],
)
def test_each_typo_is_a_template_error_with_its_key_path(addition: str, expected: str) -> None:
    schema = _merged(BASE, addition)
    assert expected in problem_of(schema)


def _merged(base: str, addition: str) -> str:
    merged: dict[str, Any] = yaml.safe_load(base)
    for key, value in yaml.safe_load(addition).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return yaml.safe_dump(merged, allow_unicode=True)


def test_every_problem_is_reported_at_once() -> None:
    message = problem_of(BASE + "exemplaire: 2\nemeteur: X\n")
    assert "2 problèmes" in message
    assert "exemplaire : clé inconnue" in message and "emeteur : clé inconnue" in message


def test_a_field_typo_no_longer_passes_silently() -> None:
    """``requise: false`` used to leave the field required with its name for a label."""
    message = problem_of(
        BASE.replace("{type: texte, libelle: Objet}", "{type: texte, libele: Objet, requise: false}")
    )
    assert "champs.objet.libele" in message and "champs.objet.requise" in message


def test_the_specs_say_what_the_yaml_says() -> None:
    ctype = read_type(Path("essai.yaml"), yaml.safe_load(BASE))
    (objet,) = ctype.fields.values()
    assert (objet.kind, objet.label, objet.required, objet.default) == ("texte", "Objet", True, NO_DEFAULT)
    term = load_type("groupement-commandes").fields["duree"]
    assert term.kind == "duree" and term.term is not None and term.has_default
    services = load_type("services-numeriques")
    assert services.copies == 3 and services.issuer and list(services.texts) == ["cdg"]
    assert [use.name for use in services.calculations] == ["textes", "tarifs-services-numeriques"]
    assert load_type("plateforme-dematerialisation").budgeted_contribution == (
        "contribution.annuelle",
        "contribution.prorata.montant",
    )


def test_every_installed_type_loads_with_its_labels() -> None:
    """The flow mappings of deliberation.yaml once cut labels at their comma."""
    for name in available_types():
        ctype = load_type(name)
        assert ctype.model is not None
    interesses = load_type("deliberation").fields["interesses"].fields
    assert interesses["sans_participation"].label == "Présents, sans part au débat ni au vote"


def test_the_cli_refuses_a_broken_schema_before_reading_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "essai.yaml").write_text(BASE + "exemplaire: 2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "essai", str(tmp_path / "absent.yaml")])
    assert result.exit_code == ExitCode.TEMPLATE, result.output
    assert "essai.yaml" in result.output and "exemplaire" in result.output
    assert "vouliez-vous dire « exemplaires »" in result.output


def test_a_sample_still_validates() -> None:
    result = CliRunner().invoke(
        main, ["validate", "services-numeriques", str(SAMPLES / "services-numeriques.yaml")]
    )
    assert result.exit_code == 0, result.output


def test_a_type_sent_to_a_worker_process_validates_as_it_does_here() -> None:
    """A batch's worker processes receive the type pickled: its optional fields without a default
    stay without one (the sentinel is the same object once unpickled)."""
    import pickle

    from conventum import load_type, validate
    from conventum.model.loading import load_data
    from tests.support import SAMPLES

    ctype = load_type("services-numeriques")
    data = load_data(SAMPLES / "services-numeriques.yaml")
    sent = pickle.loads(pickle.dumps(ctype))
    assert validate(sent, data).issues == validate(ctype, data).issues == []
