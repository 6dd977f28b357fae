"""A séance to publish: its assembly and date, the author of the actes, the date they go online,
and its délibérations in their order (each a délibération data file, its matière, its signed PDF).

A séance file::

    assemblee: pas-de-calais
    date: 2023-09-18
    collectivite: {nom: Département du Pas-de-Calais, siret: "22620001200012"}
    auteur: {prenom: Jean-Claude, nom: LEROY, qualite: Président du Conseil départemental}
    mise_en_ligne: 2023-09-20
    deliberations:
      - {fichier: deliberation-2023-338.yaml, matiere: "1.4.2", pdf: signe.pdf, url: https://…}

A délibération file alone is a séance of one délibération (``matiere`` then comes from the option).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from stdnum.fr import siret as siret_number

from conventum.errors import ValidationFailed
from conventum.french.formatting import format_date
from conventum.issues import Issue
from conventum.model.blocks import Block
from conventum.model.loading import load_data
from conventum.model.problems import issue_from_pydantic
from conventum.seance.assembly import MemberRef, members
from conventum.seance.assemblyfile import load_assembly


class Author(Block):
    """The author of the actes, as the published version names him or her."""

    prenom: str = Field(min_length=1, title="Prénom de l’auteur")
    nom: str = Field(min_length=1, title="Nom de l’auteur")
    qualite: str = Field(min_length=1, title="Qualité de l’auteur")


class Collectivite(Block):
    """The collectivité that deliberates (the SCDL's COLL_NOM and COLL_SIRET)."""

    nom: str = Field(min_length=1, title="Nom de la collectivité")
    siret: str = Field(pattern=r"^\d{14}$", title="SIRET de la collectivité")


class Entry(Block):
    """One délibération of the séance."""

    fichier: str = Field(min_length=1, title="Fichier de la délibération")
    matiere: str = Field(pattern=r"^[0-9]+(\.[0-9]+){1,4}$", title="Classification (matière)")
    pdf: str | None = Field(default=None, title="Délibération signée (PDF)")
    url: str | None = Field(default=None, title="Adresse de publication")
    transmission: dt.date | None = Field(default=None, title="Date de l’accusé de réception en préfecture")


class SeanceFile(Block):
    """The envelope of a séance file."""

    assemblee: str = Field(min_length=1, title="Assemblée")
    date: dt.date = Field(title="Date de la séance")
    lieu: str | None = Field(default=None, title="Lieu de la séance")
    collectivite: Collectivite = Field(title="Collectivité")
    auteur: Author = Field(title="Auteur des actes")
    mise_en_ligne: dt.date = Field(title="Date de mise en ligne")
    secretaires: list[str] = Field(default_factory=list, title="Secrétaire(s) de séance (clés d’élus)")
    deliberations: list[Entry] = Field(min_length=1, title="Délibérations")


@dataclass(frozen=True)
class Deliberation:
    """One délibération of the séance, with its numéro d'ordre (1, 2… in the séance)."""

    ordre: int
    data: dict[str, Any]
    matiere: str
    pdf: Path | None = None
    url: str | None = None
    transmission: dt.date | None = None

    @property
    def numero(self) -> str:
        return str(self.data.get("numero") or "")

    @property
    def objet(self) -> str:
        return " ".join(str(self.data.get("objet") or "").split())


@dataclass(frozen=True)
class Seance:
    """A séance ready to publish."""

    assembly: dict[str, Any]
    date: dt.date
    lieu: str
    collectivite: Collectivite
    auteur: Author
    mise_en_ligne: dt.date
    secretaires: list[MemberRef]
    deliberations: list[Deliberation] = field(default_factory=list)

    @property
    def president(self) -> MemberRef:
        return members(self.assembly, [self.assembly["president"]["membre"]])[0]

    def presents(self) -> list[MemberRef]:
        """The members present at the séance: present for at least one affaire, in order."""
        keys: list[str] = []
        for deliberation in self.deliberations:
            keys += [key for key in deliberation.data.get("presents") or [] if key not in keys]
        return members(self.assembly, keys)


def load_seance(path: Path) -> Seance:
    """The séance of that file; ValidationFailed with every problem of its shape."""
    raw = load_data(path)
    try:
        envelope = SeanceFile.model_validate(dict(raw))
    except ValidationError as exc:
        model: Any = SeanceFile
        raise ValidationFailed([issue_from_pydantic(model, error, raw) for error in exc.errors()]) from exc
    issues = []
    if not siret_number.is_valid(envelope.collectivite.siret):
        issues.append(
            Issue("publication.siret_invalide", "collectivite.siret", {"value": envelope.collectivite.siret})
        )
    if issues:
        raise ValidationFailed(issues)
    base = path.parent
    entries = [
        Deliberation(
            rank,
            load_data(base / entry.fichier),
            entry.matiere,
            (base / entry.pdf) if entry.pdf else None,
            entry.url,
            entry.transmission,
        )
        for rank, entry in enumerate(envelope.deliberations, start=1)
    ]
    return _seance(envelope.model_dump(mode="python"), entries)


def seance_of_one(data: Mapping[str, Any], *, matiere: str, options: Mapping[str, Any]) -> Seance:
    """A délibération published alone: a séance of one, its facts from the options."""
    assembly = load_assembly(str(data["assemblee"]))
    president = members(assembly, [assembly["president"]["membre"]])[0]
    auteur = options.get("auteur") or {
        "prenom": president.data["prenom"],
        "nom": president.data["nom"],
        "qualite": assembly["president"]["titre"],
    }
    envelope = {
        "assemblee": data["assemblee"],
        "date": data["reunion"],
        "collectivite": options["collectivite"],
        "auteur": auteur,
        "mise_en_ligne": options["mise_en_ligne"],
        "secretaires": [data["secretaire"]] if data.get("secretaire") else [],
        "lieu": None,
    }
    pdf = options.get("pdf")
    return _seance(envelope, [Deliberation(1, dict(data), matiere, Path(pdf) if pdf else None)])


def _seance(envelope: Mapping[str, Any], entries: list[Deliberation]) -> Seance:
    siret = str((envelope.get("collectivite") or {}).get("siret") or "")
    if not siret_number.is_valid(siret):
        raise ValidationFailed([Issue("publication.siret_invalide", "collectivite.siret", {"value": siret})])
    online, held = envelope["mise_en_ligne"], envelope["date"]
    if isinstance(online, dt.date) and isinstance(held, dt.date) and online < held:
        raise ValidationFailed(
            [Issue("publication.mise_en_ligne_avant_seance", "mise_en_ligne", _days(envelope))]
        )
    assembly = load_assembly(str(envelope["assemblee"]))
    secretaries = list(envelope.get("secretaires") or [])
    for entry in entries:
        key = entry.data.get("secretaire")
        if key and key not in secretaries:
            secretaries.append(str(key))
    return Seance(
        assembly,
        envelope["date"],
        envelope.get("lieu") or assembly["lieu"],
        Collectivite.model_validate(envelope["collectivite"]),
        Author.model_validate(envelope["auteur"]),
        envelope["mise_en_ligne"],
        members(assembly, secretaries),
        entries,
    )


def _days(envelope: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: format_date(envelope[name])
        for key, name in (("seance", "date"), ("mise_en_ligne", "mise_en_ligne"))
    }


LISTE_DELAY = dt.timedelta(days=7)  # CGCT L.2121-25: the liste is put online within a week


def deadline_issues(seance: Seance) -> list[Issue]:
    """A liste put online more than a week after the séance: a warning (it is published all the same)."""
    if seance.mise_en_ligne - seance.date <= LISTE_DELAY:
        return []
    days = {"seance": format_date(seance.date), "mise_en_ligne": format_date(seance.mise_en_ligne)}
    return [Issue("publication.liste_tardive", "mise_en_ligne", days, severity="warning")]
