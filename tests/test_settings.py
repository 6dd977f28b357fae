"""Configuration as a value: read from the environment at the edges (the command, the server), passed
down to the library and given to a batch's worker processes as an argument."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conventum import Batch, BatchOptions, Limits, Settings, validate
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.model.loading import load_data
from conventum.settings import applied, current
from tests.support import SAMPLES

TYPE = "services-numeriques"
LONG_PLACE = "Arras " * 20_000  # 120,000 characters: over the default max_text_length (100,000)


def rows(count: int) -> list[dict[str, object]]:
    return [{"signature": {"lieu": LONG_PLACE}} for _ in range(count)]


def test_settings_are_read_from_an_environment_given_to_them() -> None:
    settings = Settings.from_environment(
        {"CONVENTUM_MAX_TEXT_LENGTH": "200000", "CONVENTUM_MAX_DEPTH": "non", "CONVENTUM_SOFFICE": ""}
    )
    assert settings.limits == Limits(max_text_length=200_000)  # a value that is no number is ignored
    assert settings.soffice is None and settings.annexes_dir is None
    assert "CONVENTUM_CLE" not in repr(Settings.from_environment({"CONVENTUM_CLE": "secret"}))
    assert "secret" not in repr(Settings.from_environment({"CONVENTUM_CLE": "secret"}))


def test_the_library_reads_no_environment_the_command_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = load_data(SAMPLES / f"{TYPE}.yaml")
    data["signature"]["lieu"] = LONG_PLACE
    monkeypatch.setenv("CONVENTUM_MAX_TEXT_LENGTH", "200000")
    refused = [issue.code for issue in validate(TYPE, data).issues]
    assert "field.texte_trop_long" in refused  # the library: the settings given, not the environment
    source = tmp_path / "longue.yaml"
    source.write_text(
        (SAMPLES / f"{TYPE}.yaml").read_text("utf-8").replace("lieu: Arras", f"lieu: {LONG_PLACE}"), "utf-8"
    )
    result = CliRunner().invoke(main, ["render", TYPE, str(source), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 0, result.output  # the command: its environment read at its edge
    assert current() == Settings()  # for the command's time only


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_gives_its_settings_to_its_worker_processes(tmp_path: Path, jobs: int) -> None:
    commun = load_data(SAMPLES / f"{TYPE}.yaml")
    options = BatchOptions(jobs=jobs, pattern="convention-{ligne}")
    refused = Batch(TYPE, rows(16), tmp_path / "defauts", commun=commun, options=options)
    (tmp_path / "defauts").mkdir()
    assert {result.statut for result in refused.results()} == {"invalide"}
    (tmp_path / "relevees").mkdir()
    with applied(Settings(limits=Limits(max_text_length=200_000))):
        raised = Batch(TYPE, rows(16), tmp_path / "relevees", commun=commun, options=options)
    assert raised.jobs() == jobs
    assert [result.statut for result in raised.results()] == ["ecrit"] * 16  # made before, run after
    assert len(list((tmp_path / "relevees").glob("*.docx"))) == 16


def test_an_unreadable_register_timeout_fails_the_command_that_opens_a_register(tmp_path: Path) -> None:
    runner = CliRunner(env={"CONVENTUM_REGISTRE_DELAI_CONNEXION": "dix"})
    base = "postgresql://greffe@127.0.0.1:1/registre"
    result = runner.invoke(main, ["registre", "liste", "--base", base])
    assert result.exit_code == ExitCode.REGISTER
    assert "CONVENTUM_REGISTRE_DELAI_CONNEXION vaut « dix »" in result.output
    other = runner.invoke(main, ["validate", TYPE, str(SAMPLES / f"{TYPE}.yaml")])
    assert other.exit_code == 0, other.output


def test_the_serve_command_takes_its_defaults_from_the_servers_settings() -> None:
    from conventum.cli.serve import serve_command
    from conventum.serve.settings import DEFAULTS

    defaults = {param.name: param.default for param in serve_command.params}
    assert (defaults["workers"], defaults["queue_size"], defaults["deadline"]) == (
        DEFAULTS.workers,
        DEFAULTS.queue,
        DEFAULTS.deadline,
    )
    assert defaults["max_upload"] * 1_000_000 == DEFAULTS.max_body
    assert (defaults["header_timeout"], defaults["jobs_dir"]) == (DEFAULTS.header_timeout, DEFAULTS.jobs_dir)


def test_settings_applied_for_a_block_end_with_it_even_when_configured_within() -> None:
    from conventum.settings import configure

    edge, block = Settings(soffice="/edge/soffice"), Settings(soffice="/block/soffice")
    configure(edge)
    try:
        with applied(block):
            assert current() is block
        assert current() is edge
        with applied(block):
            configure(Settings(soffice="/new/soffice"))  # a program's edge, within the block
        assert current().soffice == "/new/soffice"
    finally:
        configure(Settings())
