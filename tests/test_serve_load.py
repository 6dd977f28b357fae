"""The server under load, through the real process on a loopback port: one deadline bounds the whole
request (parsing and validation included), the heavy work runs off the event loop (``/health``
answers while documents are being made and large bodies validated), ``/validate`` is admitted or
refused at once (503, ``Retry-After``, French). Times are measured in benchmarks/, not here."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import yaml

from tests.serve_support import Server, running_server
from tests.support import ROOT

GROUPEMENT = "groupement-commandes"
ADHESION = "adhesion-centrale-achats"
JSON = {"content-type": "application/json"}


def many_members(count: int = 990, visas: int = 999) -> bytes:
    """The groupement sample with ``count`` members and ``visas`` visas of 9,000 characters, within
    every limit (9 MB): about a second to validate on a quiet machine, more than the deadline."""
    data = yaml.safe_load((ROOT / "samples" / f"{GROUPEMENT}.yaml").read_text("utf-8"))
    members = [party for party in data["parties"] if party["role"] == "membre"]
    others = [party for party in data["parties"] if party["role"] != "membre"]
    data["parties"] = others + [
        {**copy.deepcopy(members[i % len(members)]), "nom": f"Commune {i}"} for i in range(count)
    ]
    data["visas"] = [f"Vu la pièce n°{i} " + "x" * 9_000 for i in range(visas)]
    return json.dumps(data, ensure_ascii=False).encode()


def error_of(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json().get("erreur", {})
    return error


@pytest.fixture(scope="module")
def heavy() -> bytes:
    return many_members()


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One worker, nothing waiting, a deadline of 0.5 s: less than validating ``heavy`` takes."""
    folder = tmp_path_factory.mktemp("deadline")
    with running_server("--workers", "1", "--queue", "0", "--deadline", "0.5", folder=folder) as running:
        yield running


def settled(http: httpx.Client, seconds: float = 60) -> None:
    """Wait until no work runs (a request answered at its deadline holds its place until its work
    reaches its next step)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        health = http.get("/health").json()
        if not any(health[key] for key in ("en_cours", "en_attente", "verifications_en_cours")):
            return
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"/v1/types/{GROUPEMENT}/render?format=docx", "service.delai"),
        (f"/v1/types/{GROUPEMENT}/validate", "service.delai_demande"),
    ],
)
def test_the_deadline_bounds_validation_too(narrow: Server, heavy: bytes, path: str, code: str) -> None:
    """Validating the heavy body takes longer than the deadline: 503 at the deadline, not a report
    or a document later; then the server serves the next request."""
    with narrow.client() as http:
        settled(http)
        started = time.monotonic()
        response = http.post(path, content=heavy, headers=JSON)
        answered = time.monotonic() - started
        assert response.status_code == 503, response.text[:300]
        assert error_of(response)["code"] == code
        assert "délai de 0.5 secondes" in error_of(response)["message"]
        assert response.headers["retry-after"] == "5"
        settled(http)
        light = http.post(
            f"/v1/types/{ADHESION}/validate",
            content=(ROOT / "samples" / f"{ADHESION}.yaml").read_bytes(),
            headers={"content-type": "application/yaml"},
        )
        assert light.status_code == 200 and light.json()["valide"] is True
        assert answered < 30  # a time box: the work alone takes seconds more than the deadline


def test_validate_past_its_admission_is_503_with_retry_after_in_french(narrow: Server, heavy: bytes) -> None:
    """One validation runs, none may wait: the others, sent meanwhile, are refused at once."""
    with narrow.client() as http:
        settled(http)
        with ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(
                    lambda _: http.post(f"/v1/types/{GROUPEMENT}/validate", content=heavy, headers=JSON),
                    range(4),
                )
            )
        refused = [answer for answer in answers if error_of(answer).get("code") == "service.sature"]
        assert refused, [answer.status_code for answer in answers]
        for answer in refused:
            assert answer.status_code == 503
            assert int(answer.headers["retry-after"]) >= 1
            assert "Le serveur est saturé" in error_of(answer)["message"]
        assert {answer.status_code for answer in answers} <= {503}  # the one admitted: its deadline


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("busy")
    with running_server("--workers", "1", "--queue", "8", "--deadline", "120", folder=folder) as running:
        yield running


def test_health_answers_while_documents_are_made_and_bodies_validated(busy: Server, heavy: bytes) -> None:
    """Four PDFs and two validations of the heavy body in flight: ``/health`` answers every time,
    and sees them running and waiting; every document then arrives."""
    sample = (ROOT / "samples" / f"{ADHESION}.yaml").read_bytes()
    answers: list[httpx.Response] = []
    with busy.client() as http:

        def send(index: int) -> None:
            if index < 4:
                url, body, kind = f"/v1/types/{ADHESION}/render", sample, "application/yaml"
            else:
                url, body, kind = f"/v1/types/{GROUPEMENT}/validate", heavy, "application/json"
            answers.append(http.post(url, content=body, headers={"content-type": kind}))

        senders = [threading.Thread(target=send, args=(index,)) for index in range(6)]
        for sender in senders:
            sender.start()
        seen = []
        while any(sender.is_alive() for sender in senders):
            health = httpx.get(f"{busy.url}/health", timeout=10)
            assert health.status_code == 200
            seen.append((health.json()["en_cours"], health.json()["en_attente"], len(answers)))
            time.sleep(0.05)
        for sender in senders:
            sender.join()
    assert any(running >= 1 and waiting >= 1 and done < 6 for running, waiting, done in seen), seen
    assert sorted(answer.status_code for answer in answers) == [200] * 6
    assert sum(answer.content.startswith(b"%PDF") for answer in answers) == 4
