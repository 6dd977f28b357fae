"""The building blocks of every convention type (pydantic): parties, decisions, signature, annexes."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from conventum.french.datetext import DateTextError, read_date
from conventum.french.grammar import normalise_key, vocabulary
from conventum.french.typography import normalise_text

# Text from data, typographically normalised once, on the way in (no-break spaces, ’, « »).
Texte = Annotated[str, AfterValidator(normalise_text)]

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
        words = _date_words(cls, info.field_name)
        if words is None or value in words:
            return value
        try:
            return read_date(value)
        except DateTextError as exc:
            raise ValueError(f"date|{exc.reason}") from exc


@lru_cache(maxsize=1024)
def _date_words(model: type[BaseModel], name: str) -> frozenset[Any] | None:
    """For a date field, the words it also takes; None for any other field. Kept per model and
    field: every text of every party goes through this validator (≈ 24,000 calls for 500 members)."""
    annotation = model.model_fields[name].annotation
    return frozenset(_words_beside_dates(annotation)) if _is_date(annotation) else None


def _words_beside_dates(annotation: Any) -> set[Any]:
    """The words a date field also takes (a term starts on a date, or at "signature")."""
    return {word for arg in get_args(annotation) if get_origin(arg) is Literal for word in get_args(arg)}


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
        aliases = info.get("alias") if isinstance(info, dict) else None
        for spellings in (aliases or {}).values():
            for spelling in spellings:
                labels.setdefault(normalise_key(str(spelling)), key)
    return labels


def _check_vocabulary(value: str, table: str) -> str:
    if value not in vocabulary()[table]:
        choices = ", ".join(vocabulary()[table])
        raise ValueError(f"choice|{choices}")
    return value


class Adresse(Block):
    """A postal address."""

    voie: Texte = Field(min_length=1, title="Voie")
    complement: Texte | None = Field(default=None, title="Complément d’adresse")
    code_postal: str = Field(title="Code postal")
    commune: Texte = Field(min_length=1, title="Commune")
    cedex: bool = Field(default=False, title="Cedex")


class Delegation(Block):
    """The delegation an adjoint or a vice-président signs under: whose, and by which act."""

    autorite: str | None = Field(default=None, title="Autorité délégante (« maire », « president »)")
    nature: Literal["arrete", "deliberation", "decision"] = Field(
        default="arrete", title="Acte de délégation"
    )
    numero: str | None = Field(default=None, title="Numéro de l’acte")
    date: dt.date | None = Field(default=None, title="Date de l’acte")

    @field_validator("autorite", mode="before")
    @classmethod
    def _authority_key(cls, value: Any) -> Any:
        return _vocabulary_key(value, "qualites")

    @field_validator("autorite")
    @classmethod
    def _known_authority(cls, value: str | None) -> str | None:
        return None if value is None else _check_vocabulary(value, "qualites")


class Representant(Block):
    """The person who signs for a party."""

    civilite: Civilite = Field(title="Civilité")
    prenom: str = Field(min_length=1, title="Prénom")
    nom: str = Field(min_length=1, title="Nom")
    qualite: str = Field(title="Qualité")
    delegation: Delegation | None = Field(default=None, title="Délégation de signature")

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

    lieu: Texte | None = Field(default=None, title="Lieu de signature")
    date: dt.date | None = Field(default=None, title="Date de signature")


class Partie(Block):
    """A party to the convention."""

    role: str = Field(title="Rôle")
    nature: str = Field(title="Nature")
    nom: Texte = Field(min_length=1, title="Nom")
    liaison: str | None = Field(
        default=None, title="Liaison entre la nature et le nom (« de », « du », « apposition »)"
    )
    designation: Texte | None = Field(default=None, title="Désignation (« Ci-après désignée … »)")
    adresse: Adresse = Field(title="Adresse")
    representant: Representant = Field(title="Représentant")
    autorisation: list[Autorisation] = Field(default_factory=list, title="Autorisation de signer")
    signature: Signature | None = Field(default=None, title="Signature")
    # From the official geography (conventum.geo) when the party is found there; a clerk may give them.
    insee: str | None = Field(default=None, title="Code officiel géographique (INSEE)")
    siren: str | None = Field(default=None, title="SIREN (9 chiffres)")
    siret: str | None = Field(default=None, title="SIRET (14 chiffres)")
    departement: str | None = Field(default=None, title="Département (code officiel)")
    article: str | None = Field(default=None, title="Article officiel du nom (« du », « de la », « d’ »…)")

    @field_validator("insee", "siren", "siret", "departement", mode="before")
    @classmethod
    def _code_text(cls, value: Any) -> Any:
        """Codes are text: 62041 typed as a number, "216 200 410" with spaces."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return "".join(value.split()).upper() if isinstance(value, str) else value

    @field_validator("insee")
    @classmethod
    def _insee_form(cls, value: str | None) -> str | None:
        return _formed(
            value, INSEE_CODE, "un code INSEE s’écrit 62041 ou 2A004 (commune), 62, 2A ou 974 (département)"
        )

    @field_validator("departement")
    @classmethod
    def _departement_form(cls, value: str | None) -> str | None:
        return _formed(value, DEPARTEMENT_CODE, "un code de département s’écrit 62, 2A ou 974")

    @field_validator("siren")
    @classmethod
    def _siren_form(cls, value: str | None) -> str | None:
        return _formed(value, re.compile(r"\d{9}"), "un SIREN compte neuf chiffres")

    @field_validator("siret")
    @classmethod
    def _siret_form(cls, value: str | None) -> str | None:
        return _formed(value, re.compile(r"\d{14}"), "un SIRET compte quatorze chiffres")

    @field_validator("article")
    @classmethod
    def _known_article(cls, value: str | None) -> str | None:
        if value is not None and value.replace("'", "’") not in ARTICLES:
            raise ValueError(f"choice|{', '.join(ARTICLES)}")
        return value.replace("'", "’") if value is not None else None

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


INSEE_CODE = re.compile(r"(?:\d{5}|2[AB]\d{3}|\d{2}|2[AB]|97\d)")
DEPARTEMENT_CODE = re.compile(r"(?:\d{2}|2[AB]|9[78]\d)")
ARTICLES = ("de", "d’", "du", "de la", "des", "de l’", "de las", "de los")


def _formed(value: str | None, pattern: re.Pattern[str], expected: str) -> str | None:
    if value is not None and not pattern.fullmatch(value):
        raise ValueError(expected)
    return value


class Annexe(Block):
    """An annex: generated by conventum, or supplied as a file."""

    numero: int = Field(ge=1, title="Numéro")
    titre: Texte = Field(min_length=1, title="Titre")
    fichier: Path | None = Field(default=None, title="Fichier")


Reconduction = Literal["tacite", "expresse", "aucune"]
StartEvent = Literal["signature", "notification"]


class Duree(Block):
    """A convention's term: when it starts, how long it lasts, how it is renewed, the notice to give.

    ``renouvellements`` is the number of renewals allowed (``None``: without limit, "jusqu'à
    dénonciation"); ``fin`` an end stated by the data, checked against the term.
    """

    debut: dt.date | StartEvent = Field(
        default="signature", title="Début (une date, « signature » ou « notification »)"
    )
    indeterminee: bool = Field(default=False, title="Durée indéterminée")
    annees: int | None = Field(default=None, ge=1, le=99, title="Durée en années")
    mois: int | None = Field(default=None, ge=1, le=1188, title="Durée en mois")
    reconduction: Reconduction = Field(default="aucune", title="Reconduction")
    renouvellements: int | None = Field(default=0, ge=0, le=99, title="Nombre de renouvellements permis")
    preavis_mois: int | None = Field(default=None, ge=0, le=120, title="Préavis (mois)")
    fin: dt.date | None = Field(default=None, title="Date de fin")

    @property
    def length_months(self) -> int:
        """The length of one period in months (0 for a term without end)."""
        return 0 if self.indeterminee else (self.annees or 0) * 12 + (self.mois or 0)


class Convention(Block):
    """The core keys every convention type shares; a type adds its own fields."""

    parties: list[Partie] = Field(default_factory=list, title="Parties")
    signature: Signature | None = Field(default=None, title="Signature")
    annexes: list[Annexe] = Field(default_factory=list, title="Annexes")
