"""The building blocks of every convention type (pydantic): parties, decisions, signature, annexes."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from conventum.french.datetext import DateTextError, read_date
from conventum.french.grammar import normalise_key, vocabulary

Civilite = Literal["Madame", "Monsieur"]


class Block(BaseModel):
    """Base of the building blocks: unknown keys are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _typed_dates(cls, value: Any, info: ValidationInfo) -> Any:
        """A date written ``14/03/2025`` as well as ``2025-03-14``; an impossible one says why."""
        if not isinstance(value, str) or info.field_name is None:
            return value
        if not _is_date(cls.model_fields[info.field_name].annotation):
            return value
        try:
            return read_date(value)
        except DateTextError as exc:
            raise ValueError(f"date|{exc.reason}") from exc


def _is_date(annotation: Any) -> bool:
    """``date`` or ``date | None``."""
    return annotation is dt.date or dt.date in get_args(annotation)


def _vocabulary_key(value: Any, table: str) -> Any:
    """Accept "Conseil municipal" for the key "conseil-municipal"; leave unknowns to the check."""
    if isinstance(value, str) and normalise_key(value) in vocabulary()[table]:
        return normalise_key(value)
    if isinstance(value, str):
        return _keys_by_label(table).get(normalise_key(value), value)
    return value


@cache
def _keys_by_label(table: str) -> dict[str, str]:
    """A written label ("Présidente du Conseil départemental") → its key in the vocabulary."""
    labels: dict[str, str] = {}
    for key, info in vocabulary()[table].items():
        for field in ("libelle", "masculin", "feminin"):
            if isinstance(info, dict) and info.get(field):
                labels.setdefault(normalise_key(info[field]), key)
    return labels


def _check_vocabulary(value: str, table: str) -> str:
    if value not in vocabulary()[table]:
        choices = ", ".join(vocabulary()[table])
        raise ValueError(f"choice|{choices}")
    return value


class Adresse(Block):
    """A postal address."""

    voie: str = Field(min_length=1, title="Voie")
    complement: str | None = Field(default=None, title="Complément d’adresse")
    code_postal: str = Field(title="Code postal")
    commune: str = Field(min_length=1, title="Commune")
    cedex: bool = Field(default=False, title="Cedex")


class Representant(Block):
    """The person who signs for a party."""

    civilite: Civilite = Field(title="Civilité")
    prenom: str = Field(min_length=1, title="Prénom")
    nom: str = Field(min_length=1, title="Nom")
    qualite: str = Field(title="Qualité")

    @field_validator("qualite", mode="before")
    @classmethod
    def _quality_key(cls, value: Any) -> Any:
        return _vocabulary_key(value, "qualites")

    @field_validator("qualite")
    @classmethod
    def _known_quality(cls, value: str) -> str:
        return _check_vocabulary(value, "qualites")


class Autorisation(Block):
    """The decision that authorises a party to sign."""

    organe: str = Field(title="Organe délibérant")
    nature: Literal["deliberation", "decision", "arrete"] = Field(
        default="deliberation", title="Nature de la décision"
    )
    date: dt.date = Field(title="Date de la décision")
    numero: str | None = Field(default=None, title="Numéro")

    @field_validator("organe", mode="before")
    @classmethod
    def _organ_key(cls, value: Any) -> Any:
        return _vocabulary_key(value, "organes")

    @field_validator("organe")
    @classmethod
    def _known_organ(cls, value: str) -> str:
        return _check_vocabulary(value, "organes")


class Signature(Block):
    """Where and when a party signs; the date may be left for the hand."""

    lieu: str | None = Field(default=None, title="Lieu de signature")
    date: dt.date | None = Field(default=None, title="Date de signature")


class Partie(Block):
    """A party to the convention."""

    role: str = Field(title="Rôle")
    nature: str = Field(title="Nature")
    nom: str = Field(min_length=1, title="Nom")
    liaison: str | None = Field(
        default=None, title="Liaison entre la nature et le nom (« de », « du », « apposition »)"
    )
    designation: str | None = Field(default=None, title="Désignation (« Ci-après désignée … »)")
    adresse: Adresse = Field(title="Adresse")
    representant: Representant = Field(title="Représentant")
    autorisation: list[Autorisation] = Field(default_factory=list, title="Autorisation de signer")
    signature: Signature | None = Field(default=None, title="Signature")

    @field_validator("nature", mode="before")
    @classmethod
    def _nature_key(cls, value: Any) -> Any:
        return _vocabulary_key(value, "natures")

    @field_validator("nature")
    @classmethod
    def _known_nature(cls, value: str) -> str:
        return _check_vocabulary(value, "natures")

    @field_validator("autorisation", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class Annexe(Block):
    """An annex: generated by conventum, or supplied as a file."""

    numero: int = Field(ge=1, title="Numéro")
    titre: str = Field(min_length=1, title="Titre")
    fichier: Path | None = Field(default=None, title="Fichier")


class Convention(Block):
    """The core keys every convention type shares; a type adds its own fields."""

    parties: list[Partie] = Field(default_factory=list, title="Parties")
    signature: Signature | None = Field(default=None, title="Signature")
    annexes: list[Annexe] = Field(default_factory=list, title="Annexes")
