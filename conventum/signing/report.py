"""The verification report: in French for a clerk, or as JSON for a program (same facts, same order)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import tzlocal

from conventum.signing.stamp import moment
from conventum.signing.verify import COVERAGE, MODIFICATIONS, PERMISSIONS, SignatureCheck, Verification

REPORT_VERSION = 1
VERDICTS = {
    "valide": "toutes les signatures sont valides et approuvées",
    "invalide": "au moins une signature n’est pas valide",
    "non_approuvee": "les signatures sont intactes, mais au moins un signataire n’est rattaché à aucune "
    "autorité de confiance donnée",
}


def report_data(verification: Verification) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "version": REPORT_VERSION,
        "statut": verification.status,
        "racines": verification.roots,
        "signatures": [
            _signature_data(order, check) for order, check in enumerate(verification.signatures, 1)
        ],
        "champs_non_signes": list(verification.unsigned_fields),
    }


def _signature_data(order: int, check: SignatureCheck) -> dict[str, Any]:
    return {
        "ordre": order,
        "champ": check.field,
        "signataire": check.signer,
        "emetteur": check.issuer,
        "date_declaree": _iso(check.signed_at),
        "horodatage": _iso(check.timestamp),
        "intacte": check.intact,
        "portee": check.coverage.lower(),
        "modifications_apres": check.modifications.lower(),
        "modifications_permises": check.modifications_allowed,
        "certification": check.certification,
        "approuvee": check.trusted,
        "probleme_confiance": check.trust_problem.lower() or None,
        "valide": check.valid,
    }


def report_text(verification: Verification) -> str:
    """The report a clerk reads."""
    lines = []
    for order, check in enumerate(verification.signatures, 1):
        lines += [
            f"Signature {order} — champ « {check.field} »",
            *_signature_lines(check, verification.roots),
            "",
        ]
    if verification.unsigned_fields:
        lines.append(
            "Champs encore à signer : " + ", ".join(f"« {n} »" for n in verification.unsigned_fields)
        )
    lines.append(f"Verdict : {VERDICTS[verification.status]}.")
    return "\n".join(lines)


def _signature_lines(check: SignatureCheck, roots: int) -> list[str]:
    lines = [
        f"  Signataire : {check.signer}" + (f" (certificat émis par {check.issuer})" if check.issuer else "")
    ]
    if check.timestamp is not None:
        lines.append(f"  Date : {_local(check.timestamp)}, certifiée par une autorité d’horodatage")
    elif check.signed_at is not None:
        lines.append(f"  Date : {_local(check.signed_at)}, déclarée par le signataire (sans horodatage)")
    lines.append("  Intégrité : " + ("intacte" if check.intact else "ROMPUE — le document a été altéré"))
    lines.append(f"  Portée : {COVERAGE.get(check.coverage, check.coverage)}")
    changed = MODIFICATIONS.get(check.modifications, check.modifications)
    allowed = "permises" if check.modifications_allowed else "NON PERMISES"
    lines.append(f"  Modifications après elle : {changed} ({allowed})")
    if check.certification is not None:
        permitted = PERMISSIONS.get(check.certification, str(check.certification))
        lines.append(f"  Certification du document : oui, permet ensuite {permitted}")
    lines.append(f"  Confiance : {_trust(check, roots)}")
    return lines


def _trust(check: SignatureCheck, roots: int) -> str:
    if check.trusted:
        return "certificat rattaché à une autorité racine donnée"
    if not roots:
        return "non vérifiée — aucune autorité racine donnée (--racines)"
    return "NON APPROUVÉE — le certificat ne se rattache à aucune des autorités racines données"


def _local(when: datetime) -> str:
    return moment(when.astimezone(tzlocal.get_localzone()))


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None
