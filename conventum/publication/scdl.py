"""The SCDL « Délibérations » open-data file (schema.data.gouv.fr, scdl/deliberations 2.1.5): one row
per délibération, UTF-8, comma-separated, the 17 columns in the schema's order, the votes filled
from the vote of each délibération and the matière from the collectivité's classification."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from conventum.actes.classification import Classification
from conventum.errors import ValidationFailed
from conventum.issues import Issue
from conventum.publication.seance import Deliberation, Seance
from conventum.seance.votes import absent_count

COLUMNS = (
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM",
    "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL",
    "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL",
)  # fmt: skip


def matiere_name(classification: Classification, code: str) -> str:
    """Level 1 and level 2 labels, lower case, without comma or parenthesis, joined by a slash.

    >>> from datetime import date
    >>> labels = {"1": "Commande Publique", "1.4": "Autres types (contrats)"}
    >>> matiere_name(Classification(date(2023, 1, 1), {}, {}, labels), "1.4.2")
    'commande publique/autres types contrats'
    """
    labels = classification.label_path(".".join(code.split(".")[:2]))
    return "/".join(" ".join(re.sub(r"[,()]", " ", label).split()).lower() for label in labels)


def votes(deliberation: Deliberation) -> dict[str, int]:
    """VOTE_EFFECTIF (members with a vote: present, excused, absent), VOTE_REEL (votes cast, proxies
    included), VOTE_POUR, VOTE_CONTRE, VOTE_ABSTENTION."""
    data = deliberation.data
    vote = data.get("vote") or {}
    pour, contre, abstention = (
        int((vote.get(key) or {}).get("voix") or 0) for key in ("pour", "contre", "abstention")
    )
    effectif = sum(len(data.get(key) or []) for key in ("presents", "excuses", "absents"))
    absents = vote.get("absents_sans_delegation")
    missing = absent_count(absents) if absents else 0
    effectif = max(effectif, pour + contre + abstention + missing)
    return {
        "VOTE_EFFECTIF": effectif, "VOTE_REEL": pour + contre + abstention,
        "VOTE_POUR": pour, "VOTE_CONTRE": contre, "VOTE_ABSTENTION": abstention,
    }  # fmt: skip


def rows(seance: Seance, classification: Classification) -> list[dict[str, Any]]:
    """One row per délibération; ValidationFailed when a matière is not in the classification."""
    issues = [
        Issue("actes.matiere_inconnue", f"deliberations[{item.ordre - 1}].matiere",
              {"value": item.matiere, "version": classification.date})
        for item in seance.deliberations
        if item.matiere not in classification.matieres
    ]  # fmt: skip
    if issues:
        raise ValidationFailed(issues)
    found = []
    for item in seance.deliberations:
        row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
        row |= {
            "COLL_NOM": seance.collectivite.nom,
            "COLL_SIRET": seance.collectivite.siret,
            "DELIB_ID": item.numero,
            "DELIB_DATE": seance.date.isoformat(),
            "DELIB_MATIERE_CODE": ".".join(item.matiere.split(".")[:2]),
            "DELIB_MATIERE_NOM": matiere_name(classification, item.matiere),
            "DELIB_OBJET": item.objet,
            "PREF_DATE": item.transmission.isoformat() if item.transmission else "",
            "DELIB_URL": item.url or "",
            **votes(item),
        }
        found.append(row)
    return found


def scdl_csv(seance: Seance, classification: Classification) -> bytes:
    """The CSV: UTF-8 without BOM, comma, quotes where needed, CRLF as RFC 4180 says."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=",", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(seance, classification))
    return buffer.getvalue().encode("utf-8")
