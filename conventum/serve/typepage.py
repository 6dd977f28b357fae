"""What a page per type tells a clerk before starting: what the convention is for, who the parties
are (which natures), who signs (the qualités that fit), what is needed (the decisions), a sample."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conventum.french.grammar import vocabulary
from conventum.model.catalogue import ConventionType
from conventum.serve.choices import nature_label
from conventum.serve.partyform import authorised_roles


@dataclass(frozen=True)
class RoleSummary:
    libelle: str
    count: str
    natures: list[str]
    signers: list[str]
    fixed: str | None
    authorised: bool


def _count(minimum: int, maximum: int | None) -> str:
    if maximum == minimum:
        return "une" if minimum == 1 else f"{minimum}"
    if maximum is None:
        return f"au moins {minimum}" if minimum > 1 else "une ou plusieurs"
    return f"de {minimum} à {maximum}"


def signers(natures: tuple[str, ...]) -> list[str]:
    """The qualités that may sign for parties of these natures (all of them when none is said)."""
    found = []
    for info in vocabulary()["qualites"].values():
        if not natures or set(natures) & set(info.get("natures", ())):
            found.append(
                str(info["masculin"])
                if info["masculin"] == info["feminin"]
                else f"{info['masculin']} ou {info['feminin']}"
            )
    return found


def roles_of(ctype: ConventionType) -> list[RoleSummary]:
    needed = authorised_roles(ctype)
    summaries = []
    for role in ctype.roles:
        fixed = ctype.default_party(role, {})
        summaries.append(
            RoleSummary(
                libelle=role.libelle,
                count=_count(role.min, role.max),
                natures=[nature_label(nature) for nature in role.natures],
                signers=signers(role.natures),
                fixed=str(fixed.get("nom")) if fixed else None,
                authorised=role.role in needed,
            )
        )
    return summaries


def sample_of(ctype: ConventionType) -> Path | None:
    """The type's sample data file, where the checkout (or the installation) has one."""
    for folder in (ctype.schema_path.parent.parent / "samples", ctype.schema_path.parent / "samples"):
        path = folder / f"{ctype.name}.yaml"
        if path.is_file():
            return path
    return None
