"""``conventum check`` sees what ``render`` sees: every template it passes renders, every template the
render refuses it refuses too, with every error of the template in one run, each located."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

import conventum
from conventum.cli import main
from conventum.errors import ConventumError, ExitCode
from conventum.model.catalogue import load_type
from conventum.word.checking import check_template, context_names, sample_contexts
from tests.support import ROOT, SAMPLES

TYPE = "adhesion-centrale-achats"
SCHEMA = ROOT / "schemas" / f"{TYPE}.yaml"
SAMPLE = SAMPLES / f"{TYPE}.yaml"

# name → paragraphs of a template; the good ones render, the bad ones do not
TEMPLATES: dict[str, tuple[str, ...]] = {
    # A convention prints its place of signature (the closing clause): nothing asked is dropped.
    "bon": (
        "Entre {{ adherent.denomination }}, représenté par {{ adherent.representant.qualite }}.",
        "{{ cloture }}",
    ),
    "boucle": ("{% for partie in parties %}{{ partie.nom }} ; {% endfor %}", "{{ cloture }}"),
    "condition": ("{% if signature.lieu %}Fait à {{ signature.lieu | upper }}{% endif %}",),
    "filtre_inconnu": ("Le {{ adherent.nom | accrod }}.",),
    "attribut": ("Par {{ adherent.representant.qualitee }}.",),
    "attribut_boucle": ("{% for partie in parties %}{{ partie.nomm }}{% endfor %}",),
    "si_ouvert": ("{% if signature.lieu %}Fait à {{ signature.lieu }}", "Suite."),
    "fin_en_trop": ("Texte.{% endif %}",),
    "deux_erreurs": ("{{ adherent.nom | }}", "Texte", "{{ signature.lieu + }}"),
}
BAD = {"filtre_inconnu", "attribut", "attribut_boucle", "si_ouvert", "fin_en_trop", "deux_erreurs"}


def _docx(path: Path, paragraphs: tuple[str, ...]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _check(path: Path) -> Result:
    return CliRunner().invoke(main, ["check", str(path), "--schema", str(SCHEMA)])


def _renders(path: Path) -> bool:
    ctype = dataclasses.replace(load_type(TYPE), template_path=path)
    try:
        conventum.render_document(ctype, SAMPLE)
    except ConventumError:
        return False
    return True


@pytest.mark.typographie_libre  # the templates here are made to try the check, not to be read
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_check_passes_exactly_the_templates_that_render(name: str, tmp_path: Path) -> None:
    path = _docx(tmp_path / f"{name}.docx", TEMPLATES[name])
    ctype = load_type(TYPE)
    result = check_template(
        path.read_bytes(),
        schema={"champs": {}, "parties": [{"role": "centrale"}, {"role": "adherent"}]},
        known=context_names(ctype, [SAMPLE]),
        contexts=sample_contexts(ctype, [SAMPLE]),
    )
    passes = not result.errors
    assert passes == _renders(path)
    assert passes == (name not in BAD), [issue.message for issue in result.issues]


def test_an_unknown_filter_is_named_with_the_close_one_not_a_traceback(tmp_path: Path) -> None:
    result = _check(_docx(tmp_path / "t.docx", TEMPLATES["filtre_inconnu"]))
    assert result.exit_code == ExitCode.TEMPLATE, result.output
    assert "« accrod » n’existe pas ; vouliez-vous dire « accord » ?" in result.output
    assert "paragraphe 1" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_attribute_typo_says_did_you_mean(tmp_path: Path) -> None:
    result = _check(_docx(tmp_path / "t.docx", TEMPLATES["attribut"]))
    assert result.exit_code == ExitCode.TEMPLATE, result.output
    assert "adherent.representant.qualitee" in result.output
    assert "vouliez-vous dire « qualite » ?" in result.output


def test_an_unclosed_if_is_located_at_its_opening_tag(tmp_path: Path) -> None:
    result = _check(_docx(tmp_path / "t.docx", ("Début.", *TEMPLATES["si_ouvert"])))
    assert result.exit_code == ExitCode.TEMPLATE
    assert "paragraphe 2" in result.output
    assert "{% if signature.lieu %}" in result.output
    assert "il manque « {% endif %} »" in result.output


def test_every_syntax_error_in_one_run(tmp_path: Path) -> None:
    result = _check(_docx(tmp_path / "t.docx", TEMPLATES["deux_erreurs"]))
    assert result.exit_code == ExitCode.TEMPLATE
    assert "paragraphe 1" in result.output
    assert "paragraphe 3" in result.output
    assert result.output.count("Erreur de syntaxe") == 2


def _split_tag_template(path: Path) -> Path:
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ("Le {{ adherent", ".nom }} signe."):
        paragraph.add_run(piece)
    document.save(str(path))
    return path


def test_fix_keeps_a_backup_or_writes_the_output(tmp_path: Path) -> None:
    template = _split_tag_template(tmp_path / "t.docx")
    original = template.read_bytes()
    fixed = tmp_path / "repare.docx"
    result = CliRunner().invoke(main, ["check", str(template), "--fix", "-o", str(fixed)])
    assert result.exit_code == 0, result.output
    assert template.read_bytes() == original
    assert fixed.is_file()
    result = CliRunner().invoke(main, ["check", str(template), "--fix"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.docx.bak").read_bytes() == original
    assert template.read_bytes() != original


# The templates of the installed types (the avenant's, for any type, is checked by test_template_check).
BUILT_IN = sorted(
    p for p in (ROOT / "templates").glob("*.docx") if (ROOT / "schemas" / f"{p.stem}.yaml").is_file()
)


@pytest.mark.parametrize("template", BUILT_IN, ids=[path.stem for path in BUILT_IN])
def test_every_built_in_template_passes_with_its_samples_contexts(template: Path) -> None:
    """Attribute paths of the shipped templates are all in their samples' contexts."""
    ctype = load_type(template.stem)
    samples = [*SAMPLES.glob(f"{template.stem}.yaml"), *SAMPLES.glob(f"{template.stem}-*.yaml")]
    contexts = sample_contexts(ctype, samples)
    assert contexts
    result = check_template(template.read_bytes(), contexts=contexts)
    assert [issue.message for issue in result.issues] == []
