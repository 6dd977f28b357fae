"""The second ring of hostile input, through the real server on a loopback port and the real CLI:
list indexes in field names, damaged job states, CORS preflights, token files, damaged registers,
unreachable databases. Each: the status or exit code, the French message, nothing built or lost."""

from __future__ import annotations

import json
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from conventum.errors import ExitCode
from tests.serve_support import Server, running_server
from tests.support import ROOT

SAMPLES = ROOT / "samples"
TOKEN = "jeton-secret-31"
ORIGIN = "https://app.exemple.fr"
BROKEN_JOB = "0" * 31 + "1"
OLD_JOB = "0" * 31 + "2"
ODD_JOB = "0" * 31 + "3"
HUGE = "parties[3000000].nom"


def conventum(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(  # noqa: PLW1510 - the exit code is what the tests check
        [sys.executable, "-c", "from conventum.cli import run; run()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose jobs folder holds a truncated state and an old state lacking keys, whose token
    file was saved with a byte-order mark before its comment line."""
    folder = tmp_path_factory.mktemp("serve31")
    broken = folder / "lots" / BROKEN_JOB
    broken.mkdir(parents=True)
    (broken / "lot.json").write_text('{"id": "' + BROKEN_JOB + '", "statut": "en_co', "utf-8")
    old = folder / "lots" / OLD_JOB
    old.mkdir()
    (old / "lot.json").write_text(json.dumps({"id": OLD_JOB, "statut": "termine"}), "utf-8")
    odd = folder / "lots" / ODD_JOB  # written by hand or another version: values of the wrong kind
    odd.mkdir()
    state = {"id": ODD_JOB, "statut": "termine", "bilan": "3 faites", "faites": "trois", "lignes": [1]}
    (odd / "lot.json").write_text(json.dumps(state), "utf-8")
    tokens = folder / "jetons.txt"
    tokens.write_bytes("\ufeff# jetons du service\n\n".encode() + TOKEN.encode() + b"\n")
    options = ("--workers", "1", "--token-file", str(tokens), "--cors-origin", ORIGIN)
    with running_server(*options, folder=folder, token=TOKEN) as running:
        yield running


def test_an_unreadable_job_state_is_set_aside_and_the_server_starts(server: Server) -> None:
    lots = server.log.parent / "lots"
    assert not (lots / BROKEN_JOB).exists()
    aside = lots / f"{BROKEN_JOB}.illisible"
    assert (aside / "lot.json").read_text("utf-8").endswith('"en_co'), "the damaged state is kept, not lost"
    log = server.log.read_text("utf-8")
    assert f"lot {BROKEN_JOB} : état illisible" in log and "Traceback" not in log
    with server.client() as http:
        assert http.get(f"/v1/batches/{BROKEN_JOB}").status_code == 404


def test_a_job_state_lacking_keys_still_has_its_page(server: Server) -> None:
    with server.client() as http:
        page = http.get(f"/lot/{OLD_JOB}")
        assert page.status_code == 200, page.text
        assert "Terminé" in page.text
        status = http.get(f"/v1/batches/{OLD_JOB}")
        assert status.status_code == 200 and status.json()["faites"] == 0


def test_a_job_state_with_values_of_the_wrong_kind_still_has_its_page(server: Server) -> None:
    """``bilan`` that is no mapping, ``faites`` that is no number: the page and the status answer
    with the defaults (no internal error), and the log says which value was set aside."""
    with server.client() as http:
        page = http.get(f"/lot/{ODD_JOB}")
        assert page.status_code == 200, page.text[-500:]
        assert "Terminé" in page.text
        status = http.get(f"/v1/batches/{ODD_JOB}")
        assert status.status_code == 200
        assert status.json()["bilan"] == {} and status.json()["faites"] == 0
    log = server.log.read_text("utf-8")
    assert f"lot {ODD_JOB} : valeur illisible pour « bilan »" in log and "Traceback" not in log


def test_a_request_for_another_host_name_is_400_in_french(server: Server) -> None:
    """Listening on loopback, only loopback's names are answered: a page whose name was pointed at
    127.0.0.1 (DNS rebinding) cannot use the service, even with its own Origin."""
    with server.client() as http:
        foreign = {"Host": "attaquant.example", "Origin": "http://attaquant.example"}
        answer = http.post("/formulaire/services-numeriques", data={"action": "verifier"}, headers=foreign)
        assert answer.status_code == 400
        assert answer.json()["erreur"]["code"] == "requete.hote"
        assert "« attaquant.example »" in answer.json()["erreur"]["message"]
        assert http.get("/v1/types", headers={"Host": "attaquant.example:8000"}).status_code == 400
        assert http.get("/v1/types", headers={"Host": f"localhost:{server.port}"}).status_code == 200
        assert http.get("/health", headers={"Host": "10.0.0.5"}).status_code == 200  # probes by address


def test_a_huge_index_in_a_form_field_is_400_and_builds_nothing(server: Server) -> None:
    with server.client() as http:
        start = time.monotonic()
        page = http.post("/formulaire/services-numeriques", data={f"{HUGE}": "Arras", "action": "verifier"})
        assert time.monotonic() - start < 5
        assert page.status_code == 400, page.text[-500:]
        assert HUGE in page.text and "dépasse la limite de 1000 éléments" in page.text
        # the list action too, and the server is still there
        page = http.post("/formulaire/services-numeriques", data={"action": "retirer:parties[99999999999]"})
        assert page.status_code == 400
        assert http.get("/health").status_code == 200


def test_a_huge_index_in_a_spreadsheet_header_is_refused_before_the_job(server: Server) -> None:
    sheet = (SAMPLES / "batch" / "membres.csv").read_text("utf-8").replace("parties[0].nom", HUGE, 1)
    files = {"tableur": ("membres.csv", sheet.encode(), "text/csv")}
    lots = server.log.parent / "lots"
    before = {path.name for path in lots.iterdir()}
    with server.client() as http:
        response = http.post("/v1/batches", data={"type": "services-numeriques"}, files=files)
    assert response.status_code == 422, response.text
    assert HUGE in response.json()["erreur"]["message"]
    assert {path.name for path in lots.iterdir()} == before, "no job folder left behind"


def test_cors_preflight_is_answered_before_the_token(server: Server) -> None:
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    preflight = httpx.options(f"{server.url}/v1/validate/services-numeriques", headers=headers)
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    # the real request still needs its token; the comment line after the BOM is no token
    assert httpx.get(f"{server.url}/v1/types", headers={"Origin": ORIGIN}).status_code == 401
    for comment in ("\ufeff# jetons du service", "# jetons du service"):  # the first: the old reading's token
        header = {b"Authorization": b"Bearer " + comment.encode()}
        assert httpx.get(f"{server.url}/v1/types", headers=header).status_code == 401
    assert httpx.get(f"{server.url}/v1/types", headers=server.headers).status_code == 200


def test_a_broken_multipart_body_is_400_with_its_reason(server: Server) -> None:
    with server.client() as http:
        for path in ("/v1/batches", "/formulaire/services-numeriques"):
            response = http.post(
                path, content=b"--x\r\nrien\r\n", headers={"Content-Type": "multipart/form-data"}
            )
            assert response.status_code == 400, response.text
            assert "mal formée" in response.text and "séparateur (boundary)" in response.text
            assert "interne" not in response.text


def test_a_client_leaving_mid_body_is_logged_once_without_traceback(server: Server) -> None:
    before = server.log.read_text("utf-8").count("client parti")
    head = (
        "POST /formulaire/services-numeriques HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        'Content-Length: 100000\r\n\r\n--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb'
    )
    with socket.create_connection(("127.0.0.1", server.port)) as raw:
        raw.sendall(head.encode())
        time.sleep(0.3)
    deadline = time.monotonic() + 10
    while server.log.read_text("utf-8").count("client parti") == before and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.log.read_text("utf-8")
    assert log.count("client parti") == before + 1, log[-2000:]
    assert "Traceback" not in log
    assert httpx.get(f"{server.url}/health").status_code == 200


def test_a_form_posted_from_another_site_is_403_in_french(server: Server) -> None:
    form = {"action": "verifier", "parties[0].nom": "Arras"}
    with server.client() as http:
        for origin in ("https://attaquant.example", "null"):
            page = http.post("/formulaire/services-numeriques", data=form, headers={"Origin": origin})
            assert page.status_code == 403, page.text
            assert "autre origine" in page.text and "text/html" in page.headers["content-type"]
        files = {"tableur": ("m.csv", b"parties[0].nom\nArras\n", "text/csv")}
        batch = http.post(
            "/lot", data={"type": "services-numeriques"}, files=files, headers={"Origin": "https://x.example"}
        )
        assert batch.status_code == 403
        # the same server, an allowed origin, or no Origin at all (a script): through
        for headers in ({"Origin": server.url}, {"Origin": ORIGIN}, {}):
            assert http.post("/formulaire/services-numeriques", data=form, headers=headers).status_code == 200
        # the API is for programs (tokens, CORS): not this check
        api = http.post("/v1/validate/services-numeriques", json={}, headers={"Origin": "https://x.example"})
        assert api.status_code != 403


def test_a_huge_index_in_a_batch_header_is_exit_2_in_french(tmp_path: Path) -> None:
    sheet = tmp_path / "membres.csv"
    sheet.write_text(
        (SAMPLES / "batch" / "membres.csv").read_text("utf-8").replace("parties[0].nom", HUGE, 1)
    )
    out = tmp_path / "sortie"
    result = conventum(
        "batch",
        "services-numeriques",
        str(sheet),
        "--commun",
        str(SAMPLES / "batch" / "commun.yaml"),
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "Traceback" not in result.stderr
    assert HUGE in result.stderr and "dépasse la limite" in result.stderr
    assert not out.exists() or not any(out.rglob("*.docx"))


# --- the register ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registre31")
    base = folder / "registre.sqlite"
    data = str(SAMPLES / "services-numeriques.yaml")
    added = conventum("registre", "ajouter", "services-numeriques", data, "--base", str(base), cwd=folder)
    assert added.returncode == 0, added.stderr
    signed = conventum("registre", "signer", "1", "--date", "2025-09-15", "--base", str(base), cwd=folder)
    assert signed.returncode == 0, signed.stderr
    return base


LIST = ("registre", "echeances", "--depuis", "2020-01-01", "--avant", "2040-01-01")
SIGN = ("registre", "signer", "1", "--date", "2025-09-16")
# the damage, the words of its message, the commands that read the damaged value
DAMAGES = {
    "version-zero": (
        "update conventum_version set version = 0",
        "version du registre « 0 » est invalide",
        (LIST, SIGN),
    ),
    "version-texte": (
        "update conventum_version set version = 'abc'",
        "version du registre « abc »",
        (LIST, SIGN),
    ),
    "echeance-pas-une-date": ("update echeances set echeance = 'pas une date'", "abîmé", (LIST,)),
    "json-casse": ("update conventions set periodes = '{cassé'", "abîmé", (SIGN,)),
    "debut-pas-une-date": ("update conventions set debut = 'xx'", "abîmé", (SIGN,)),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_register_is_exit_9_in_french(damage: str, register: Path, tmp_path: Path) -> None:
    statement, words, commands = DAMAGES[damage]
    base = tmp_path / "registre.sqlite"
    base.write_bytes(register.read_bytes())
    with sqlite3.connect(base) as connection:
        connection.execute(statement)
    before = base.read_bytes()
    for command in commands:
        result = conventum(*command, "--base", str(base), cwd=tmp_path)
        assert result.returncode == ExitCode.REGISTER, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert "Erreur" in result.stderr and words in result.stderr, result.stderr
        assert base.read_bytes() == before, "nothing changed in a damaged register"


def test_a_record_number_of_20_digits_is_unknown(register: Path, tmp_path: Path) -> None:
    number = "9" * 20
    result = conventum(
        "registre", "signer", number, "--date", "2025-09-16", "--base", str(register), cwd=tmp_path
    )
    assert result.returncode == ExitCode.UNKNOWN_RECORD, result.stderr
    assert f"aucune convention n°{number}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url", ["postgresql://greffe:secret@hote:abc/registre", "postgresql://greffe@[::1/registre"]
)
def test_a_malformed_register_url_is_exit_9(url: str, tmp_path: Path) -> None:
    result = conventum(
        "registre",
        "echeances",
        "--depuis",
        "2025-01-01",
        "--avant",
        "2026-01-01",
        "--base",
        url,
        cwd=tmp_path,
    )
    assert result.returncode == ExitCode.REGISTER, result.stderr
    assert "adresse de registre invalide" in result.stderr and "Traceback" not in result.stderr
    assert "secret" not in result.stderr


def test_a_database_that_never_answers_times_out(tmp_path: Path) -> None:
    """A server accepting connections and never answering: exit 9 after the configured delay."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        start = time.monotonic()
        result = conventum(
            "registre",
            "echeances",
            "--depuis",
            "2025-01-01",
            "--avant",
            "2026-01-01",
            "--base",
            f"postgresql://greffe@127.0.0.1:{port}/registre",
            cwd=tmp_path,
            env={"CONVENTUM_REGISTRE_DELAI_CONNEXION": "1"},
        )
        elapsed = time.monotonic() - start
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()
    assert result.returncode == ExitCode.REGISTER, result.stderr
    assert "impossible d’utiliser le registre" in result.stderr and "Traceback" not in result.stderr
    assert elapsed < 15


# --- the calendar's end --------------------------------------------------------------------------


def _far(folder: Path, year: int) -> Path:
    text = (SAMPLES / "services-numeriques.yaml").read_text("utf-8")
    path = folder / f"an-{year}.yaml"
    path.write_text(
        text.replace("2025-10-01", f"{year}-10-01").replace("2025-09-15", f"{year}-09-15"), "utf-8"
    )
    return path


def test_a_term_near_the_calendar_end_is_scheduled_within_it(tmp_path: Path) -> None:
    data = str(_far(tmp_path, 9990))
    assert conventum("validate", "services-numeriques", data, cwd=tmp_path).returncode == 0
    base = str(tmp_path / "registre.sqlite")
    added = conventum("registre", "ajouter", "services-numeriques", data, "--base", base, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    signed = conventum("registre", "signer", "1", "--date", "9990-09-15", "--base", base, cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    assert "fin de la convention le 14\u00a0septembre 9994" in signed.stdout + signed.stderr


@pytest.mark.parametrize("year", [9997, 9999])
def test_a_term_past_the_calendar_end_is_a_field_error(year: int, tmp_path: Path) -> None:
    data = str(_far(tmp_path, year))
    checked = conventum("validate", "services-numeriques", data, cwd=tmp_path)
    assert checked.returncode == ExitCode.INVALID_DATA, checked.stderr
    assert "Traceback" not in checked.stderr
    assert (
        "au-delà du calendrier" in checked.stdout + checked.stderr
        and "dates.hors_calendrier" in checked.stderr
    )
    out = tmp_path / "convention.docx"
    rendered = conventum("render", "services-numeriques", data, "-o", str(out), cwd=tmp_path)
    assert rendered.returncode == ExitCode.INVALID_DATA and not out.exists(), rendered.stderr


# --- a full disk ---------------------------------------------------------------------------------


def _disk_of(size: int) -> Callable[[], None]:
    """The child process may write no file beyond ``size`` bytes: each write past it fails with
    EFBIG, as on a disk filling up (SIGXFSZ ignored, so the write fails instead of killing)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def _limited(size: int, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the exit code is what the tests check
        [sys.executable, "-c", "from conventum.cli import run; run()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_disk_of(size),
    )


BATCH = ("batch", "services-numeriques", str(SAMPLES / "batch" / "membres.csv"), "--commun")


@pytest.mark.parametrize("size", [500, 30_000], ids=["rien-ne-tient", "les-rapports-tiennent"])
def test_a_full_disk_during_a_batch_is_exit_8_without_leftovers(size: int, tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    result = _limited(size, *BATCH, str(SAMPLES / "batch" / "commun.yaml"), "-o", str(out), cwd=tmp_path)
    assert result.returncode == ExitCode.OUTPUT, result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.glob("*.tmp")) == [] and list(out.glob(".*.tmp")) == [], list(out.iterdir())
    assert list(out.glob("*.docx")) == []
    if size == 500:  # no room for the report either: its absence explained
        assert "le rapport du lot ne peut pas être écrit" in result.stderr
        assert "dépasse la taille permise" in result.stderr
        assert not (out / "rapport-lot.json").exists()
    else:  # the report written, each row's failure in French
        report = json.loads((out / "rapport-lot.json").read_text("utf-8"))
        assert report["bilan"] == {"echec": 4}
        assert all("dépasse la taille permise" in row["erreur"] for row in report["lignes"])


def test_a_full_disk_for_one_document_is_exit_8(tmp_path: Path) -> None:
    out = tmp_path / "convention.docx"
    data = str(SAMPLES / "services-numeriques.yaml")
    result = _limited(30_000, "render", "services-numeriques", data, "-o", str(out), cwd=tmp_path)
    assert result.returncode == ExitCode.OUTPUT, result.stderr
    assert "impossible d’écrire" in result.stderr and "dépasse la taille permise" in result.stderr
    assert list(tmp_path.iterdir()) == []
