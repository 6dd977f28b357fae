"""One transmission (« envoi ») to the contrôle de légalité: its metadata, checked all at once.

The TdTs' rules on top of the ACTES schema (S²LOW, Pastell's ``actes-generique``): numéro interne
``^[0-9A-Z_]{1,15}$``; objet of 1 to 499 characters on one line; matière of 2 to 5 levels present in
the classification; each piece typed with a code of the acte's nature in the classification, whose
matière prefix fits the acte's (``10_DE`` for matière 1, ``99_…`` for any); the decision not after
the transmission; acte + annexes at most 150 MB, in PDF.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.fr import siren as siren_number

from conventum.actes.classification import Classification
from conventum.actes.natures import NATURES
from conventum.errors import ValidationFailed
from conventum.issues import Issue

NUMERO = re.compile(r"^[0-9A-Z_]{1,15}$")
MATIERE = re.compile(r"^[0-9]+(\.[0-9]+){1,4}$")
DEPARTEMENT = re.compile(r"^[09][0-9][AB0-9]$")
OBJET_MAX = 499
MAX_TOTAL_BYTES = 157_286_400  # 150 Mo: Pastell's threshold_size for acte + annexes


@dataclass(frozen=True)
class Piece:
    """One file of the envoi: its role ("acte", "autorisation", "annexe"…), its typology, its PDF."""

    role: str
    code: str
    path: Path
    title: str = ""


@dataclass(frozen=True)
class Envoi:
    """The metadata of one acte as the préfecture receives it."""

    type_name: str
    nature: int
    numero: str
    objet: str
    decision: dt.date
    matiere: str
    transmission: dt.date
    siren: str
    departement: str  # three characters: "062", "02A"
    pieces: list[Piece] = field(default_factory=list)
    classification_date: dt.date | None = None

    @property
    def abbreviation(self) -> str:
        return NATURES[self.nature].abbreviation

    @property
    def matiere_codes(self) -> list[int]:
        return [int(part) for part in self.matiere.split(".")]

    @property
    def acte_id(self) -> str:
        """The IDActe the préfecture gives it: ``062-226200012-20231002-2023_338-CC``."""
        day = self.decision.strftime("%Y%m%d")
        return f"{self.departement}-{self.siren}-{day}-{self.numero}-{self.abbreviation}"

    def file_name(self, rank: int, code: str, extension: str = "pdf") -> str:
        """The ACTES name of the file of that rank (0: the XML message, 1: the acte, 2…: annexes)."""
        prefix = f"{code}-" if code else ""
        return f"{prefix}{self.acte_id}-1-1_{rank}.{extension}"


def check_envoi(envoi: Envoi, classification: Classification | None) -> list[Issue]:
    """Every problem of the envoi, in the order a clerk reads the form."""
    issues = [*_numero(envoi.numero), *_objet(envoi.objet), *_emitter(envoi)]
    if envoi.decision > envoi.transmission:
        issues.append(
            Issue(
                "actes.decision_apres_transmission",
                "date_decision",
                {"decision": envoi.decision, "transmission": envoi.transmission},
            )
        )
    if not MATIERE.match(envoi.matiere):
        issues.append(Issue("actes.matiere_forme", "matiere", {"value": envoi.matiere}))
    elif classification is not None and envoi.matiere not in classification.matieres:
        issues.append(
            Issue(
                "actes.matiere_inconnue", "matiere", {"value": envoi.matiere, "version": classification.date}
            )
        )
    if classification is not None:
        issues += _typology(envoi, classification)
    issues += _files(envoi)
    return issues


def require_valid(envoi: Envoi, classification: Classification | None) -> None:
    """ValidationFailed with every problem, or nothing."""
    issues = check_envoi(envoi, classification)
    if issues:
        raise ValidationFailed(issues)


def _numero(numero: str) -> list[Issue]:
    if NUMERO.match(numero):
        return []
    reasons = []
    if not numero:
        reasons.append("il est vide")
    if len(numero) > 15:
        reasons.append(f"il compte {len(numero)} caractères (au plus 15)")
    bad = sorted({char for char in numero if not re.match(r"[0-9A-Z_]", char)})
    if bad:
        reasons.append("il contient " + ", ".join(f"« {char} »" for char in bad))
    proposal = re.sub(r"[^0-9A-Z_]", "_", numero.upper())[:15]
    return [
        Issue(
            "actes.numero_forme",
            "numero",
            {"value": numero, "raisons": " ; ".join(reasons), "proposition": proposal},
        )
    ]


def _objet(objet: str) -> list[Issue]:
    issues = []
    if not objet.strip():
        issues.append(Issue("actes.objet_vide", "objet", {}))
    if len(objet) > OBJET_MAX:
        issues.append(Issue("actes.objet_trop_long", "objet", {"longueur": len(objet), "limite": OBJET_MAX}))
    if "\n" in objet or "\r" in objet:
        line = len(objet.replace("\r\n", "\n").split("\n")[0]) + 1
        issues.append(Issue("actes.objet_retour_ligne", "objet", {"position": line}))
    return issues


def _emitter(envoi: Envoi) -> list[Issue]:
    issues = []
    if not siren_number.is_valid(envoi.siren):
        issues.append(Issue("actes.siren_invalide", "siren", {"value": envoi.siren}))
    if not DEPARTEMENT.match(envoi.departement):
        issues.append(Issue("actes.departement_forme", "departement", {"value": envoi.departement}))
    return issues


def _typology(envoi: Envoi, classification: Classification) -> list[Issue]:
    nature = NATURES[envoi.nature]
    if envoi.nature not in classification.pieces:
        return [Issue("actes.nature_absente", "nature", {"nature": nature.label, "code": envoi.nature})]
    known = classification.pieces[envoi.nature]
    issues = []
    for rank, piece in enumerate(envoi.pieces):
        path = f"pieces[{rank}]"
        if piece.code not in known:
            issues.append(
                Issue(
                    "actes.piece_inconnue",
                    path,
                    {
                        "code": piece.code,
                        "role": piece.role,
                        "nature": nature.label,
                        "choices": ", ".join(sorted(known)),
                    },
                )
            )
        elif not _fits_matiere(piece.code, envoi.matiere):
            issues.append(Issue("actes.piece_matiere", path, {"code": piece.code, "matiere": envoi.matiere}))
    return issues


def _fits_matiere(code: str, matiere: str) -> bool:
    """A typology ``XY_…`` applies to matière X (Y = 0: all of X, else its sub-matière Y); ``99_``
    to every matière (the rule Pastell applies to list the types of an acte).

    >>> _fits_matiere("10_DE", "1.4"), _fits_matiere("10_DE", "7.1"), _fits_matiere("99_CO", "7.1")
    (True, False, True)
    """
    head = code.split("_", 1)[0]
    if len(head) != 2 or not head.isdigit() or head == "99" or not MATIERE.match(matiere):
        return True
    first, second = matiere.split(".")[:2]
    return head[0] == first and head[1] in ("0", second)


def _files(envoi: Envoi) -> list[Issue]:
    issues = []
    total = 0
    for rank, piece in enumerate(envoi.pieces):
        path = f"pieces[{rank}]"
        try:
            size = piece.path.stat().st_size
        except OSError:
            issues.append(Issue("actes.fichier_absent", path, {"fichier": str(piece.path)}))
            continue
        total += size
        with piece.path.open("rb") as handle:
            head = handle.read(1024)
        if b"%PDF-" not in head:
            issues.append(Issue("actes.fichier_pas_pdf", path, {"fichier": piece.path.name}))
    if total > MAX_TOTAL_BYTES:
        issues.append(
            Issue(
                "actes.envoi_trop_grand",
                "pieces",
                {"taille": _megabytes(total), "limite": _megabytes(MAX_TOTAL_BYTES)},
            )
        )
    return issues


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}".replace(".", ",") + " Mo"
