"""deliberation: the rendered délibérations read like seeds 000 and 003; members come from the assembly file."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conventum import render_document, validate
from conventum.seance.assembly import interested_phrase, members
from conventum.seance.assemblyfile import load_assembly
from tests.errata import corrected
from tests.support import docx_text, normalise, sample, seed

TYPE = "deliberation"


def clean(text: str) -> str:
    """Seed or rendered text without the extraction's artefacts, apostrophes made typographic."""
    text = text.replace("\n--\n", "\n").replace("-\n", "-").replace("**", "").replace("^{ème}", "ème")
    text = re.sub(r"</?p>", " ", text).replace("'", "’")
    # The PDF extraction of seed 000 lost a letter of this name (003 has it whole).
    text = text.replace("HINGREZ-ÉRÉDA", "HINGREZ-CÉRÉDA")
    # Seed 000 agrees the participle with the subject ("n’a pas donnée"); with "avoir" it
    # does not agree: conventum writes "n’a pas donné", as seed 003 does ("n'ont pas donné").
    text = text.replace("n’a pas\ndonnée", "n’a pas donné")
    return normalise(text)


def part(text: str, start: str, end: str) -> str:
    """From ``start`` up to and including ``end``."""
    begin = text.index(start)
    return text[begin : text.index(end, begin) + len(end)]


def rendered(name: str) -> str:
    return clean(docx_text(render_document(TYPE, sample(name)).content))


@pytest.fixture(scope="module")
def seed_000() -> str:
    text = seed("000")
    return corrected(TYPE, clean(text[: text.index("CONVENTION D’ADHESION")]))


@pytest.fixture(scope="module")
def seed_003() -> str:
    text = seed("003")
    return corrected(TYPE, clean(text[: text.index("www.cdg62.fr")]))


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("deliberation-2023-338", "DÉPARTEMENT DU PAS-DE-CALAIS", "(Adopté)"),
        ("deliberation-2023-338", "LE PRÉSIDENT DU CONSEIL", "Maryline VINCLAIRE"),
        ("deliberation-2025-498", "DÉPARTEMENT DU PAS-DE-CALAIS", "(Adopté)"),
        ("deliberation-2025-498", "LE PRÉSIDENT DU CONSEIL", "Maryline VINCLAIRE"),
    ],
)
def test_deliberation_is_the_seed_word_for_word(
    name: str, start: str, end: str, seed_000: str, seed_003: str
) -> None:
    expected = seed_000 if name.endswith("338") else seed_003
    assert part(rendered(name), start, end) == part(expected, start, end)


def test_one_article_is_unique_several_are_numbered() -> None:
    assert "Article unique :" in rendered("deliberation-2023-338")
    text = rendered("deliberation-2025-498")
    assert "Article unique" not in text
    assert all(f"Article {n} :" in text for n in (1, 2, 3))


def test_attendance_lists_are_written_from_member_keys() -> None:
    data = sample("deliberation-2023-338")
    data["presents"] = ["jean-claude-leroy", "zohra-ouaguef"]
    data["absents"] = ["rene-hocq"]
    data["vote"]["pour"]["voix"] = 7  # 2 présents, 5 excusés, 1 absent, less 1 without delegation
    text = clean(docx_text(render_document(TYPE, data).content))
    assert "Étaient présents : M. Jean-Claude LEROY, Mme Zohra OUAGUEF. Excusé(s) :" in text
    assert "Absent(s) : M. René HOCQ." in text


def _people(*keys: str) -> list[Any]:
    return members(load_assembly("pas-de-calais"), keys)


@pytest.mark.parametrize(
    ("keys", "excused", "expected"),
    [
        (
            ("benedicte-messeanne-grobelny",),
            True,
            "Madame Bénédicte MESSEANNE-GROBELNY, intéressée à l’affaire et excusée, n’a pas donné de "
            "délégation de vote pour ce rapport.",
        ),
        (
            ("rene-hocq",),
            False,
            "Monsieur René HOCQ, intéressé à l’affaire, n’a pris part ni au débat, ni au vote.",
        ),
        (
            ("florence-wozny", "karine-gauthier"),
            False,
            "Mesdames Florence WOZNY et Karine GAUTHIER, intéressées à l’affaire, n’ont pris part ni au débat, "
            "ni au vote.",
        ),
        (
            ("daniel-maciejasz", "laurent-duporge"),
            True,
            "Messieurs Daniel MACIEJASZ et Laurent DUPORGE, intéressés à l’affaire et excusés, n’ont pas donné "
            "de délégation de vote pour ce rapport.",
        ),
        (
            ("sylvie-meyfroidt", "rene-hocq"),
            False,
            "Monsieur René HOCQ, ainsi que madame Sylvie MEYFROIDT, intéressés à l’affaire, n’ont pris part ni "
            "au débat, ni au vote.",
        ),
    ],
)
def test_interested_members_agree_in_gender_and_number(
    keys: tuple[str, ...], excused: bool, expected: str
) -> None:
    assert interested_phrase(_people(*keys), excused=excused) == expected


def _codes(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(issue.code, issue.path) for issue in validate(TYPE, data).issues]


def test_unknown_member_is_an_error_with_its_path() -> None:
    data = sample("deliberation-2023-338")
    data["presents"][3] = "valerie-cuviller"
    issues = validate(TYPE, data).issues
    assert [(i.code, i.path) for i in issues] == [("seance.membre_inconnu", "presents[3]")]
    assert "valerie-cuvillier" in issues[0].message


def test_unknown_assembly_and_group_and_double_presence_are_errors() -> None:
    data = sample("deliberation-2023-338")
    data["excuses"].append("jean-claude-leroy")
    data["vote"]["pour"]["groupes"].append("verts")
    assert _codes(data) == [
        ("seance.membre_en_double", "excuses[5]"),
        ("seance.groupe_inconnu", "vote.pour.groupes[5]"),
    ]
    data["assemblee"] = "nord"
    assert _codes(data) == [("seance.assemblee_inconnue", "assemblee")]


def test_convention_reference_without_a_convention_is_an_error() -> None:
    data = sample("deliberation-2023-338")
    del data["convention"]
    assert _codes(data) == [("seance.reference_inconnue", "articles[0]")]


def test_samples_validate_without_any_issue() -> None:
    for name in ("deliberation-2023-338", "deliberation-2025-498"):
        assert validate(TYPE, sample(name)).issues == []


def test_hostile_text_is_escaped_not_interpreted() -> None:
    data = sample("deliberation-2023-338")
    data["objet"] = "Dupont & Fils <b>x</b>"
    data["visas"] = ["le code « A & B » ;"]
    text = docx_text(render_document(TYPE, data).content)
    assert "DUPONT & FILS <B>X</B> (N°2023-338)" in text
    assert "Vu le code « A & B » ;" in text
