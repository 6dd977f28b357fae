"""The report of a batch (CSV for clerks, JSON for programs), written as rows finish, and the zip."""

from __future__ import annotations

import csv
import json
import os
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from conventum.batch.tasks import RowResult
from conventum.errors import OutputError
from conventum.output import check_writable, current_umask, french_reason

REPORT_CSV = "rapport-lot.csv"
REPORT_JSON = "rapport-lot.json"
CSV_HEADERS = ["ligne", "statut", "fichier", "codes", "chemins", "messages", "erreur"]
STATUS_WORDS = {
    "ecrit": "écrit",
    "repris": "déjà fait (repris)",
    "invalide": "invalide",
    "echec": "échec",
    "non-traite": "non traité",
}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: one starting with = + - @ tab or
    carriage return gets a leading apostrophe (OWASP's advice against CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def result_dict(result: RowResult) -> dict[str, Any]:
    """One row of the JSON report."""
    return {
        "ligne": result.ligne,
        "statut": result.statut,
        "fichier": result.fichier,
        "erreur": result.erreur,
        "problemes": [issue.as_dict() for issue in result.issues],
    }


class BatchReport:
    """Both reports, written row by row into temporary files renamed into place on close."""

    def __init__(self, folder: Path, *, type_name: str) -> None:
        self.folder = folder
        self.counts: Counter[str] = Counter()
        self._paths: dict[str, str] = {}
        self._handles: list[IO[str]] = []
        with self._guarded():
            self._csv_file = self._temporary(REPORT_CSV)
            self._json_file = self._temporary(REPORT_JSON)
            self._csv = csv.writer(self._csv_file, delimiter=";")
            self._csv.writerow(CSV_HEADERS)
            header = json.dumps({"version": 1, "type": type_name}, ensure_ascii=False)
            self._json_file.write(header[:-1] + ', "lignes": [')
        self._first = True

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """A full or read-only disk: the temporary reports removed, an OutputError (exit 8) saying why
        and that the documents already written stay."""
        try:
            yield
        except OSError as exc:
            self._discard()
            raise OutputError(
                f"le rapport du lot ne peut pas être écrit dans {self.folder} : {french_reason(exc)}"
                " (les documents déjà écrits restent ; relancez avec --resume une fois la place faite)",
                path=str(self.folder),
            ) from exc

    def _discard(self) -> None:
        for handle in self._handles:
            with suppress(OSError):
                handle.close()
        for path in self._paths.values():
            with suppress(OSError):
                os.unlink(path)
        self._handles.clear()
        self._paths.clear()

    def _temporary(self, name: str) -> IO[str]:
        descriptor, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        os.fchmod(descriptor, 0o666 & ~current_umask())  # a report is shared: 0644, not mkstemp's 0600
        self._paths[name] = path
        # utf-8-sig: Excel opens the CSV with its accents right.
        encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
        handle = os.fdopen(descriptor, "w", encoding=encoding, newline="")
        self._handles.append(handle)
        return handle

    def add(self, result: RowResult) -> None:
        """Record one row in both reports."""
        self.counts[result.statut] += 1
        with self._guarded():
            self._add(result)

    def _add(self, result: RowResult) -> None:
        issues = result.issues
        self._write_csv(
            [
                result.ligne,
                STATUS_WORDS[result.statut],
                result.fichier or "",
                " | ".join(issue.code for issue in issues),
                " | ".join(issue.path for issue in issues),
                " | ".join(issue.message for issue in issues),
                result.erreur or "",
            ]
        )
        self._csv_file.flush()  # a killed run leaves the rows done so far
        separator = "\n  " if self._first else ",\n  "
        self._json_file.write(separator + json.dumps(result_dict(result), ensure_ascii=False))
        self._first = False

    def _write_csv(self, row: list[Any]) -> None:
        self._csv.writerow([neutralised(cell) for cell in row])

    def close(self) -> None:
        """Finish both files and put them in place (replacing a previous run's report)."""
        if not self._paths:
            return  # already failed and discarded
        summary = json.dumps(dict(sorted(self.counts.items())), ensure_ascii=False)
        with self._guarded():
            self._json_file.write(f'\n], "bilan": {summary}}}\n')
            for handle in (self._csv_file, self._json_file):
                handle.flush()
                os.fsync(handle.fileno())
            for name in (REPORT_CSV, REPORT_JSON):  # both in place, or neither
                os.replace(self._paths[name], self.folder / name)
            self._paths.clear()  # in place: nothing left to remove
            self._discard()

    def __enter__(self) -> BatchReport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def write_zip(target: Path, folder: Path, names: list[str], *, force: bool) -> None:
    """A zip of the written documents and the reports, built beside the target then renamed."""
    check_writable(target, force=force)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"impossible d’écrire {target} : {french_reason(exc)}", path=str(target)) from exc
    os.close(descriptor)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in [*names, REPORT_CSV, REPORT_JSON]:
                archive.write(folder / name, name)
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(f"impossible d’écrire {target} : {french_reason(exc)}", path=str(target)) from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
