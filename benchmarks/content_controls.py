"""Time import, fill and check of every Word file of the content-control corpus.

    .venv/bin/python benchmarks/content_controls.py [CORPUS_DIR]

Prints one line per file (milliseconds) and the totals. No target is enforced here: the
figures are for the lead to compare on a quiet machine.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from conventum.word.checking import check_template
from conventum.word.fields import analyse
from conventum.word.filling import fill_word
from conventum.word.importing import import_word

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "reference" / "corpus" / "content-controls"


def value(name: str, spec: dict[str, Any]) -> Any:
    kind = spec["type"]
    if kind == "liste":
        return [{key: value(key, sub) for key, sub in spec["element"]["champs"].items()}] * 3
    return {"date": date(2024, 3, 15), "booleen": True}.get(kind) or next(iter(spec.get("choix") or [name]))


def main(folder: Path) -> None:
    totals = [0.0, 0.0, 0.0]
    for path in sorted(folder.glob("*.do[ct]x")):
        data = path.read_bytes()
        start = time.perf_counter()
        result = import_word(data, name="banc", source=path.name)
        imported = time.perf_counter()
        values = {name: value(name, spec) for name, spec in analyse(data).schema_fields.items()}
        fill_word(data, values)
        filled = time.perf_counter()
        check_template(result.template, schema=result.schema)
        checked = time.perf_counter()
        times = [imported - start, filled - imported, checked - filled]
        totals = [a + b for a, b in zip(totals, times, strict=True)]
        print(f"{path.name:50} " + " ".join(f"{t * 1000:7.1f}" for t in times))
    print(f"{'total (import, fill, check) ms':50} " + " ".join(f"{t * 1000:7.1f}" for t in totals))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
