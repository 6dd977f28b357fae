"""The register as JSON: one shape for ``registre liste/montre --format json`` and ``/v1/registre``.

Both doors build their answers here, so a convention reads the same from the command line and over
HTTP (the parity tests compare them key by key).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from conventum.register.store import Due, Entry

REPORT_VERSION = 1


def due_json(item: Due) -> dict[str, Any]:
    """One deadline: its nature, date, the period it closes and what the clerk does."""
    return {
        "numero": item.numero,
        "type": item.type,
        "titre": item.titre,
        "parties": list(item.parties),
        "nature": item.nature,
        "a_faire": item.is_action,
        "date": item.date.isoformat(),
        "echeance": item.echeance.isoformat(),
        "periode": item.rang,
        "action": item.action,
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def summary_json(entry: Entry, today: date) -> dict[str, Any]:
    """A convention as the list shows it: number, type, partner, dates, next deadline."""
    upcoming = entry.next_due(today)
    return {
        "numero": entry.numero,
        "type": entry.type,
        "titre": entry.titre,
        "intitule": entry.intitule,
        "partenaire": entry.partenaire,
        "parties": [party["denomination"] for party in entry.parties],
        "signature": _day(entry.signature),
        "debut": _day(entry.debut),
        "fin_definitive": _day(entry.fin_definitive),
        "resiliation": _day(entry.resiliation),
        "statut": status_of(entry, today),
        "prochaine_echeance": due_json(upcoming) if upcoming is not None else None,
    }


def entry_json(entry: Entry, today: date) -> dict[str, Any]:
    """A convention in full: the list's fields, its parties with their codes, every deadline (those
    a résiliation cancelled apart), the document's fingerprint and what made it."""
    return {
        **summary_json(entry, today),
        "parties": [dict(party) for party in entry.parties],
        "notification": _day(entry.notification),
        "resiliation_motif": entry.resiliation_motif,
        "sha256": entry.sha256,
        "empreinte_de": entry.empreinte_de,
        "fichier": entry.fichier,
        "type_version": entry.type_version,
        "schema_sha256": entry.schema_sha256,
        "modele_sha256": entry.modele_sha256,
        "inscrite_le": entry.inscrite_le.isoformat() if entry.inscrite_le else None,
        "echeances": [due_json(item) for item in sorted(entry.echeances, key=lambda item: item.date)],
        "echeances_annulees": [due_json(item) for item in sorted(entry.annulees, key=lambda item: item.date)],
        "avenants": [avenant.as_json() for avenant in entry.avenants],
    }


def status_of(entry: Entry, today: date) -> str:
    """``resiliee``, ``terminee`` (past its final end), ``en_attente`` (term not started) or ``en_cours``."""
    if entry.resiliation is not None:
        return "resiliee"
    if entry.fin_definitive is not None and entry.fin_definitive < today:
        return "terminee"
    if entry.debut is None:
        return "en_attente"
    return "en_cours"


STATUS_WORDS = {
    "resiliee": "résiliée",
    "terminee": "terminée",
    "en_attente": "en attente de sa date de début",
    "en_cours": "en cours",
}


def list_json(entries: list[Entry], today: date, filters: dict[str, Any]) -> dict[str, Any]:
    """The answer of ``registre liste --format json`` and ``GET /v1/registre``."""
    return {
        "version": REPORT_VERSION,
        "aujourdhui": today.isoformat(),
        "filtres": {key: value for key, value in filters.items() if value is not None},
        "nombre": len(entries),
        "conventions": [summary_json(entry, today) for entry in entries],
    }
