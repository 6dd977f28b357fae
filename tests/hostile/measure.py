"""The table of every attack: exit code, message, peak memory and time per command.

``python -m tests.hostile.measure [--pythonpath OLD_CHECKOUT] [--timeout 10] > table.md``
runs the corpus against this checkout, or against another one's ``conventum`` (to compare with
an older commit: ``git archive ab91f2c | tar -x -C /tmp/before``), under the same limits.
``--service`` adds the attacks on ``conventum serve`` (``tests/hostile/service.py``): each sent to
a real server on loopback, with its status, code, message, time, /health's worst time meanwhile
and the server's peak memory.
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.hostile.corpus import ATTACKS, commands, prepare
from tests.hostile.runner import MEMORY_LIMIT, Outcome, run_conventum


def row(name: str, command: str, outcome: Outcome) -> str:
    code = "tué à la limite de temps" if outcome.code is None else str(outcome.code)
    if outcome.code is not None and outcome.code < 0:
        code = f"signal {-outcome.code}"
    message = outcome.message.replace("|", "/")
    message = message if len(message) <= 90 else message[:89] + "…"
    peak = "?" if outcome.peak_mb is None else f"{outcome.peak_mb:.0f}"
    return f"| {name} | {command} | {code} | {message} | {peak} | {outcome.seconds:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pythonpath", default=None)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--memory-mb", type=int, default=MEMORY_LIMIT >> 20)
    parser.add_argument("--only", default="", help="attaques dont le nom contient ce texte")
    parser.add_argument("--service", action="store_true", help="ajoute les attaques du serveur")
    parser.add_argument("--service-only", action="store_true", help="les attaques du serveur seules")
    options = parser.parse_args()
    if options.service or options.service_only:
        from tests.hostile.service import table

        print("\n".join(table()), flush=True)
        if options.service_only:
            return
    with tempfile.TemporaryDirectory() as temporary:
        jobs = []
        for attack in ATTACKS:
            if options.only not in attack.name:
                continue
            folder = Path(temporary) / attack.name
            path = prepare(attack, folder)
            for command in commands(attack, path, folder):
                out = folder / f"sortie-{command}"
                out.mkdir()
                jobs.append((attack.name, command, commands(attack, path, out)[command], folder))

        def run(job: tuple[str, str, list[str], Path]) -> str:
            outcome = run_conventum(
                job[2],
                cwd=job[3],
                pythonpath=options.pythonpath,
                timeout=options.timeout,
                memory=options.memory_mb << 20,
            )
            return row(job[0], job[1], outcome)

        print("| attaque | commande | code | message | Mo (pic) | s |")
        print("|---|---|---|---|---|---|")
        with ThreadPoolExecutor(2) as pool:
            for line in pool.map(run, jobs):
                print(line, flush=True)


if __name__ == "__main__":
    main()
