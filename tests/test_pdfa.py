"""PDF/A proved, not claimed: a PDF/A-1b of every type validated by Apache PDFBox Preflight (the
setup installs it), the 2b read for what a validator checks first, non-PDF/A annexes reported."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conventum import Converter, render_document
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.pdf.pdfa import declared_part, pdfa_problems
from tests.support import SAMPLES

JARS = ("preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api")
CLASSPATH = ":".join(f"/usr/share/java/{jar}.jar" for jar in JARS)
SAMPLE_OF = {
    "adhesion-centrale-achats": "adhesion-centrale-achats",
    "services-numeriques": "services-numeriques",
    "plateforme-dematerialisation": "plateforme-dematerialisation",
    "groupement-commandes": "groupement-commandes",
    "deliberation": "deliberation-2023-338",
    "rapport": "rapport-2025-498",
}


def preflight(path: Path) -> str:
    """Preflight's verdict on a file: its output, which starts "The file … is a valid PDF/A-1b"."""
    assert shutil.which("java"), "java absent : ./setup.sh installe default-jre-headless"
    missing = [jar for jar in CLASSPATH.split(":") if not Path(jar).is_file()]
    assert not missing, f"absents (./setup.sh les installe) : {missing}"
    command = ["java", "-cp", CLASSPATH, "org.apache.pdfbox.preflight.Validator_A1b", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(workers=2) as started:
        yield started


@pytest.mark.parametrize("type_name", sorted(SAMPLE_OF))
def test_every_type_in_pdfa_1b_passes_preflight(type_name: str, converter: Converter, tmp_path: Path) -> None:
    sample = SAMPLES / f"{SAMPLE_OF[type_name]}.yaml"
    pdf = render_document(type_name, sample, fmt="pdf", pdfa="1b", converter=converter).content
    assert declared_part(pdf) == 1
    target = tmp_path / f"{type_name}.pdf"
    target.write_bytes(pdf)
    verdict = preflight(target)
    assert "is a valid PDF/A-1b file" in verdict, verdict


def test_preflight_refuses_what_is_not_pdfa_1b(converter: Converter, tmp_path: Path) -> None:
    # The validator is really reading: a plain PDF and a PDF/A-2b are both refused as 1b.
    for level, name in ((False, "plain.pdf"), ("2b", "deux.pdf")):
        pdf = render_document(
            "adhesion-centrale-achats",
            SAMPLES / "adhesion-centrale-achats.yaml",
            fmt="pdf",
            pdfa=level,
            converter=converter,
        ).content
        (tmp_path / name).write_bytes(pdf)
        assert "is not a valid PDF/A-1b file" in preflight(tmp_path / name)


@pytest.mark.parametrize("type_name", sorted(SAMPLE_OF))
def test_every_type_in_pdfa_2b_embeds_its_fonts_and_agrees_with_itself(
    type_name: str, converter: Converter
) -> None:
    sample = SAMPLES / f"{SAMPLE_OF[type_name]}.yaml"
    pdf = render_document(type_name, sample, fmt="pdf", pdfa="2b", converter=converter).content
    assert declared_part(pdf) == 2
    assert pdfa_problems(pdf) == []


def test_a_plain_pdf_shows_its_problems(converter: Converter) -> None:
    pdf = render_document(
        "adhesion-centrale-achats", SAMPLES / "adhesion-centrale-achats.yaml", fmt="pdf", converter=converter
    ).content
    problems = pdfa_problems(pdf)
    assert "pas d’identification PDF/A dans les métadonnées XMP" in problems
    assert "pas de mode de sortie (OutputIntent)" in problems


def test_bare_pdfa_is_2b_and_a_level_can_be_chosen(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            "adhesion-centrale-achats",
            str(SAMPLES / "adhesion-centrale-achats.yaml"),
            "-o",
            str(tmp_path / "x.pdf"),
            "--pdfa",
            "3u",
        ],
    )
    assert result.exit_code == ExitCode.USAGE
    assert "1b" in result.output and "2b" in result.output


def test_a_pdf_annex_that_is_not_pdfa_is_a_warning(converter: Converter, tmp_path: Path) -> None:
    plain = render_document(
        "adhesion-centrale-achats", SAMPLES / "adhesion-centrale-achats.yaml", fmt="pdf", converter=converter
    ).content
    (tmp_path / "annexe.pdf").write_bytes(plain)
    import yaml

    data = yaml.safe_load((SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8"))
    data["annexes"] = [{"numero": 1, "titre": "Plan", "fichier": "annexe.pdf"}]
    document = render_document(
        "adhesion-centrale-achats", data, fmt="pdf", pdfa="2b", converter=converter, base=tmp_path
    )
    found = [issue for issue in document.issues if issue.code == "annexes.pdfa_non_conforme"]
    assert [issue.path for issue in found] == ["annexes[0].fichier"]
    assert "n’est pas au format PDF/A" in found[0].message
    without = render_document("adhesion-centrale-achats", data, fmt="pdf", converter=converter, base=tmp_path)
    assert not [issue for issue in without.issues if issue.code == "annexes.pdfa_non_conforme"]
