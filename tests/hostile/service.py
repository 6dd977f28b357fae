"""The attacks on the service: each sent to a real ``conventum serve`` on a loopback port, with what
it answered (status, code, French message), its time, ``/health``'s time meanwhile and the server's
peak memory after it. ``python -m tests.hostile.measure --service`` prints the table."""

from __future__ import annotations

import copy
import html
import json
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.serve_support import Server
from tests.support import ROOT

ADHESION = (ROOT / "samples" / "adhesion-centrale-achats.yaml").read_text("utf-8")
JSON = "application/json"


@dataclass(frozen=True)
class Probe:
    """One hostile request: its name, method, path, body, content type and headers."""

    name: str
    method: str
    path: str
    body: Callable[[], bytes | dict[str, Any]] = lambda: b""
    kind: str = JSON
    headers: tuple[tuple[str, str], ...] = ()


def groupement(members: int, **changes: Any) -> bytes:
    data = yaml.safe_load((ROOT / "samples" / "groupement-commandes.yaml").read_text("utf-8"))
    found = [party for party in data["parties"] if party["role"] == "membre"]
    others = [party for party in data["parties"] if party["role"] != "membre"]
    data["parties"] = others + [
        {**copy.deepcopy(found[i % len(found)]), "nom": f"Commune {i}"} for i in range(members)
    ]
    return json.dumps({**data, **changes}, ensure_ascii=False).encode()


def adhesion(**changes: Any) -> bytes:
    data = yaml.safe_load(ADHESION)
    data["parties"][0]["adresse"].update(changes)
    return json.dumps(data, ensure_ascii=False, default=str).encode()


def nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(20)
)
V = "/v1/types/groupement-commandes/validate"
R = "/v1/types/adhesion-centrale-achats/render"
PROBES = (
    Probe("990 membres (validation de plusieurs secondes)", "POST", V, lambda: groupement(990)),
    Probe("990 membres, rendu DOCX", "POST", R.replace("adhesion-centrale-achats", "groupement-commandes")
          + "?format=docx", lambda: groupement(990)),
    Probe("1 001 parties (au-delà de max_list_items)", "POST", V, lambda: groupement(1_001)),
    Probe("corps de 9 Mo (999 visas de 9 000 caractères)", "POST", V,
          lambda: groupement(10, visas=[f"Vu {i} " + "x" * 9_000 for i in range(999)])),
    Probe("valeur de 99 000 caractères citée", "POST", R + "?format=docx",
          lambda: adhesion(code_postal="9" * 99_000)),
    Probe("JSON imbriqué 100 000 fois", "POST", V, lambda: nested(100_000)),
    Probe("YAML « billion laughs »", "POST", V, LAUGHS.encode, "application/yaml"),
    Probe("champ de formulaire parties[3000000].@", "POST", "/formulaire/services-numeriques",
          lambda: {"parties[3000000].@": "x", "action": "verifier"}, ""),
    Probe("formulaire envoyé depuis un autre site", "POST", "/formulaire/services-numeriques",
          lambda: {"action": "verifier"}, "", (("Origin", "https://ailleurs.example"),)),
    Probe("nom d’hôte étranger (DNS rebinding)", "GET", "/v1/types",
          headers=(("Host", "attaquant.example"),)),
    Probe("multipart sans séparateur", "POST", V, lambda: b"--x\r\n", "multipart/form-data"),
)  # fmt: skip


def rss_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def send(server: Server, probe: Probe) -> httpx.Response:
    body = probe.body()
    headers = dict(probe.headers)
    with httpx.Client(base_url=server.url, timeout=120) as http:
        if isinstance(body, dict):
            return http.request(probe.method, probe.path, data=body, headers=headers)
        if probe.kind:
            headers.setdefault("Content-Type", probe.kind)
        return http.request(probe.method, probe.path, content=body, headers=headers)


def health_times(server: Server, stop: threading.Event, times: list[float]) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            http.get("/health")
            times.append(time.perf_counter() - started)
            stop.wait(0.05)


def outcome(answer: httpx.Response) -> tuple[str, str]:
    try:
        body = answer.json()
    except ValueError:  # a page: its first paragraph that says something
        found = re.findall(r"<p[^>]*>(.*?)</p>", answer.text, re.S)
        text = next((re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in found if item.strip()), "")
        return "page HTML", html.unescape(text)[:200]
    if isinstance(body, dict) and "erreur" in body:
        return body["erreur"]["code"], body["erreur"]["message"]
    if isinstance(body, dict) and "problemes" in body:
        first = body["problemes"][0] if body["problemes"] else {}
        return first.get("code", ""), f"{len(body['problemes'])} problème(s) : {first.get('message', '')}"
    return "", ""


def row(server: Server, probe: Probe) -> str:
    stop, times = threading.Event(), []  # type: ignore[var-annotated]
    watcher = threading.Thread(target=health_times, args=(server, stop, times))
    watcher.start()
    started = time.perf_counter()
    try:
        answer = send(server, probe)
        status, (code, message) = str(answer.status_code), outcome(answer)
    except (OSError, httpx.HTTPError) as exc:
        status, code, message = "—", type(exc).__name__, str(exc)[:90]
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    message = message.replace("|", "/").replace("\n", " ")
    message = message if len(message) <= 90 else message[:89] + "…"
    worst = max(times, default=0.0) * 1000
    peak = rss_peak_mb(server.process.pid)
    return f"| {probe.name} | {status} | {code} | {message} | {seconds:.1f} | {worst:.0f} | {peak:.0f} |"


def table(deadline: float = 5.0) -> list[str]:
    """Every probe against one server (2 workers, a deadline of ``deadline`` s), in order."""
    lines = [
        "| attaque (service) | statut | code | message | s | /health max (ms) | Mo (pic serveur) |",
        "|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as temporary:
        server = Server("--workers", "2", "--deadline", f"{deadline:g}", folder=Path(temporary))
        try:
            lines += [row(server, probe) for probe in PROBES]
        finally:
            code = server.stop()
        lines.append(
            f"\nArrêt du serveur : code {code} ; soffice restants : {len(server.leftover_workers())}."
        )
    return lines
