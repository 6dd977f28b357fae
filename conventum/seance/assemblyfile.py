"""Assembly data files: where they are, their shape checked, each read once.

The assemblies shipped with conventum sit in ``conventum/data/assemblees``; a folder
``assemblees`` in the working directory adds others, or replaces a shipped one of the same
key (after an election), as ``./schemas`` adds convention types.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from conventum.errors import DataFileError
from conventum.issues import Issue
from conventum.model.loading import load_data
from conventum.model.problems import issue_from_pydantic


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Elected(_Entry):
    """A member: "Madame", "Valérie", "CUVILLIER", and the key of her political group if known."""

    civilite: Literal["Madame", "Monsieur"] = Field(title="Civilité")
    prenom: str = Field(min_length=1, title="Prénom")
    nom: str = Field(min_length=1, title="Nom")
    groupe: str | None = Field(default=None, title="Groupe politique")


class Officer(_Entry):
    """An officer who signs by delegation ("La Directrice générale des services")."""

    civilite: Literal["Madame", "Monsieur"] = Field(title="Civilité")
    prenom: str = Field(min_length=1, title="Prénom")
    nom: str = Field(min_length=1, title="Nom")
    intitule: str = Field(min_length=1, title="Intitulé")


class Organ(_Entry):
    """The deliberating organ, as the documents' headings write it."""

    cle: str = Field(min_length=1, title="Clé de l’organe")
    entete: list[str] = Field(min_length=1, title="En-tête de la délibération")
    rapport: str = Field(min_length=1, title="En-tête du rapport")
    sujet: str = Field(min_length=1, title="Sujet (« La Commission Permanente … »)")


class Presidency(_Entry):
    """The assembly's president: a member's key and the titles written under the signature."""

    membre: str = Field(min_length=1, title="Président (clé d’élu)")
    titre: str = Field(min_length=1, title="Titre du président")
    signature: str = Field(min_length=1, title="Signature de la délibération")
    signature_rapport: str = Field(min_length=1, title="Signature du rapport")


class AssemblyFile(_Entry):
    """An assembly: its collectivity, organ, president, officers, political groups and members."""

    collectivite: str = Field(min_length=1, title="Collectivité (en-tête)")
    departement: str = Field(min_length=1, title="Service émetteur")
    lieu: str = Field(min_length=1, title="Lieu des séances")
    organe: Organ = Field(title="Organe")
    president: Presidency = Field(title="Présidence")
    officiers: dict[str, Officer] = Field(title="Officiers")
    groupes: dict[str, str] = Field(default_factory=dict, title="Groupes politiques")
    membres: dict[str, Elected] = Field(min_length=1, title="Membres")

    def unknown_keys(self) -> list[Issue]:
        """The president is a member; every member's group is declared."""
        issues = []
        if self.president.membre not in self.membres:
            issues.append(
                Issue("assemblee.president_non_membre", "president.membre", {"value": self.president.membre})
            )
        choices = ", ".join(self.groupes) or "aucun"
        for key, member in self.membres.items():
            if member.groupe is not None and member.groupe not in self.groupes:
                params = {"value": member.groupe, "choices": choices}
                issues.append(Issue("assemblee.groupe_inconnu", f"membres.{key}.groupe", params))
        return issues


def assembly_files() -> dict[str, Path]:
    """Every assembly by key: the shipped ones, then those of ./assemblees (which win)."""
    shipped = Path(str(resources.files("conventum").joinpath("data/assemblees")))
    files = {path.stem: path for path in sorted(shipped.glob("*.yaml"))}
    local = Path.cwd() / "assemblees"
    if local.is_dir():
        files.update({path.stem: path for path in sorted(local.glob("*.yaml"))})
    return files


def assembly_keys() -> list[str]:
    """The keys of the assemblies known here ("pas-de-calais")."""
    return sorted(assembly_files())


def load_assembly(key: str) -> dict[str, Any]:
    """The data of an assembly by its key; DataFileError names every problem of its file."""
    files = assembly_files()
    if key not in files:
        raise DataFileError(f"assemblée inconnue « {key} » ({', '.join(sorted(files))})", path=key)
    path = files[key]
    return _read(path.resolve(), path.stat().st_mtime_ns)


@cache
def _read(path: Path, _mtime: int) -> dict[str, Any]:
    try:
        assembly = AssemblyFile.model_validate(load_data(path))
    except ValidationError as exc:
        model = cast(Any, AssemblyFile)
        raise DataFileError(
            _problems([issue_from_pydantic(model, e, {}) for e in exc.errors()]), path=str(path)
        ) from exc
    problems = assembly.unknown_keys()
    if problems:
        raise DataFileError(_problems(problems), path=str(path))
    return assembly.model_dump(mode="python", exclude_none=True)


def _problems(issues: list[Issue]) -> str:
    """Every problem of the file, a line each, with its path, in French."""
    lines = [f"  {issue.path} : {issue.message}" for issue in issues]
    return "\n".join([f"{len(issues)} problème(s) dans ce fichier d’assemblée :", *lines])
