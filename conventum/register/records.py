"""What the register keeps of a convention: its type, parties, dates, term, and the document's
SHA-256; built from the typed convention, before any database is touched."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from conventum.errors import UsageError
from conventum.french.grammar import denomination
from conventum.model.blocks import Convention, Duree
from conventum.model.catalogue import ConventionType
from conventum.terms.resolve import signed_on, term_fields, term_of
from conventum.terms.schedule import Schedule, schedule


@dataclass(frozen=True)
class PartyRecord:
    """A party as the register lists it, with its SIREN and INSEE code when the data gives them."""

    rang: int
    role: str
    nature: str
    nom: str
    denomination: str
    siren: str | None = None
    insee: str | None = None


@dataclass(frozen=True)
class Record:
    """A convention ready to be registered."""

    type: str
    titre: str
    sha256: str
    empreinte_de: Literal["document", "donnees"]
    fichier: str | None
    donnees: dict[str, Any]
    duree: Duree | None
    signature: date | None
    notification: date | None = None
    parties: tuple[PartyRecord, ...] = field(default_factory=tuple)
    intitule: str | None = None  # the type's short title, for calendar entries
    partenaire: str | None = None  # the parties the data names, as a calendar entry names them
    type_version: str | None = None  # the ``version`` the type's schema YAML declares, if any
    schema_sha256: str | None = None  # the schema YAML the data was checked with
    modele_sha256: str | None = None  # the template the document was made from

    @property
    def data_sha256(self) -> str:
        """The fingerprint of the convention's type and data, whatever the document's bytes."""
        canonical = json.dumps([self.type, self.donnees], sort_keys=True, ensure_ascii=False)
        return sha256_of(canonical.encode())

    @property
    def debut(self) -> date | None:
        """The first day of the term, once the event that starts it is known."""
        if self.duree is None:
            return None
        if isinstance(self.duree.debut, date):
            return self.duree.debut
        return self.signature if self.duree.debut == "signature" else self.notification

    def schedule(self) -> Schedule:
        """The schedule of the term (empty while its start is unknown, or without a term)."""
        if self.duree is None:
            return Schedule(None, (), (), None)
        return schedule(self.duree, self.debut)


def sha256_of(content: bytes) -> str:
    """The SHA-256 of a document, in hexadecimal."""
    return hashlib.sha256(content).hexdigest()


def json_safe(data: Any) -> Any:
    """The data as JSON holds it (dates and decimals as strings)."""
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def record_of(
    ctype: ConventionType,
    convention: Convention,
    data: dict[str, Any],
    *,
    content: bytes,
    kind: Literal["document", "donnees"],
    path: Path | None,
) -> Record:
    """The register's record of a validated convention and its document (or data file) bytes."""
    names = list(term_fields(ctype))
    if not names:
        raise UsageError(
            f"le type « {ctype.name} » n’a pas de durée (champ de type « duree ») :"
            " il ne s’inscrit pas au registre des conventions"
        )
    term = term_of(ctype, convention, names[0])
    parties = parties_of(convention)
    return Record(
        type=ctype.name,
        titre=ctype.titre,
        sha256=sha256_of(content),
        empreinte_de=kind,
        fichier=str(path.resolve()) if path is not None else None,
        donnees=json_safe(data),
        duree=term,
        signature=signed_on(convention),
        parties=parties,
        intitule=ctype.short_title or ctype.titre,
        partenaire=partner_of(ctype, parties),
        **provenance(ctype),  # type: ignore[arg-type]
    )


def parties_of(convention: Convention) -> tuple[PartyRecord, ...]:
    """The parties of a convention as the register lists them, in the data's order."""
    return tuple(
        PartyRecord(
            rang=rank,
            role=party.role,
            nature=party.nature,
            nom=party.nom,
            denomination=denomination(party.nature, party.nom, liaison=party.liaison),
            siren=party.siren,
            insee=party.insee,
        )
        for rank, party in enumerate(convention.parties, start=1)
    )


def partner_of(ctype: ConventionType, parties: tuple[PartyRecord, ...]) -> str | None:
    """The partner a calendar entry names: the parties of the roles the data fills (not the issuer's
    default parties), the first one and how many others ("Commune de Ruitz", "Commune d’Arras et 4
    autres"); every party when all roles have defaults."""
    defaulted = {role.role for role in ctype.roles if role.defaut or role.defauts}
    named = [party for party in parties if party.role not in defaulted] or list(parties)
    if not named:
        return None
    first = capitalised(named[0].denomination)
    others = len(named) - 1
    return first if others == 0 else f"{first} et {others} autre{'s' if others > 1 else ''}"


def capitalised(denomination: str) -> str:
    """A party's designation at the head of a title: without its article ("la Commune de Ruitz" →
    "Commune de Ruitz", "l’Établissement…" → "Établissement…").

    >>> capitalised("la Commune de Ruitz"), capitalised("l’Agglomération de Béthune"), capitalised("Lille")
    ('Commune de Ruitz', 'Agglomération de Béthune', 'Lille')
    """
    for article in ("la ", "le ", "les ", "l’", "l'"):
        if denomination.startswith(article) and len(denomination) > len(article):
            rest = denomination[len(article) :]
            return rest[0].upper() + rest[1:]
    return denomination


def provenance(ctype: ConventionType) -> dict[str, str | None]:
    """The type's declared version and the SHA-256 of its schema and template files (None when a
    file cannot be read: the register records what it knows)."""
    return {
        "type_version": ctype.version,
        "schema_sha256": _file_sha256(ctype.schema_path),
        "modele_sha256": _file_sha256(ctype.template_path),
    }


def _file_sha256(path: Path) -> str | None:
    try:
        return sha256_of(path.read_bytes())
    except OSError:
        return None
