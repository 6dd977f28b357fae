"""The natures of actes (@CTES codes) and what each convention type declares for ACTES.

A type's declaration lives in ``conventum/data/actes.yaml``, keyed by type name: the nature of the
acte, and the typology (code of the classification's ``TypePJNatureActe``) of each of its pieces.

>>> NATURES[4].abbreviation, NATURES[1].label
('CC', 'Délibérations')
>>> declaration("deliberation").nature
1
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from conventum.errors import UsageError


@dataclass(frozen=True)
class Nature:
    """A nature of acte: its code, its label and its two-letter abbreviation (file names, IDActe)."""

    code: int
    label: str
    abbreviation: str


NATURES = {
    nature.code: nature
    for nature in (
        Nature(1, "Délibérations", "DE"),
        Nature(2, "Actes réglementaires", "AR"),
        Nature(3, "Actes individuels", "AI"),
        Nature(4, "Contrats, conventions et avenants", "CC"),
        Nature(5, "Documents budgétaires et financiers", "BF"),
        Nature(6, "Autres", "AU"),
    )
}

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "actes.yaml"


@dataclass(frozen=True)
class Declaration:
    """What a type declares for ACTES: the nature of its acte and the typology of each piece."""

    type: str
    nature: int
    pieces: dict[str, str]  # role of the piece ("acte", "autorisation", "annexe"…) → code TypePJ

    @property
    def acte_piece(self) -> str:
        return self.pieces["acte"]


@cache
def _declarations() -> dict[str, Declaration]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or {}
    return {
        name: Declaration(name, int(entry["nature"]), {str(k): str(v) for k, v in entry["pieces"].items()})
        for name, entry in raw.items()
    }


def declaration(type_name: str) -> Declaration:
    """The ACTES declaration of a type; UsageError when the type is not transmitted."""
    found = _declarations().get(type_name)
    if found is None:
        known = ", ".join(sorted(_declarations()))
        raise UsageError(
            f"le type « {type_name} » ne déclare pas de nature d’acte ACTES"
            f" (conventum/data/actes.yaml ; types déclarés : {known})"
        )
    return found


def avenant_declaration(type_name: str) -> Declaration:
    """The ACTES declaration of an avenant to a convention of that type: the same nature (4), its
    own piece as the acte (42_AC); UsageError when the type declares none.

    >>> avenant_declaration("services-numeriques").acte_piece
    '42_AC'
    """
    found = declaration(type_name)
    code = found.pieces.get("avenant")
    if code is None:
        raise UsageError(
            f"le type « {type_name} » ne déclare pas de pièce ACTES pour ses avenants"
            " (clé « avenant » de ses pièces, conventum/data/actes.yaml)"
        )
    return Declaration(type_name, found.nature, {**found.pieces, "acte": code})
