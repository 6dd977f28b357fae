"""An avenant to a convention of the register, from its file to its record: the convention read as
it stands, refused when résiliée or ended, the avenant checked and drafted, then recorded."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from conventum.avenants.making import Avenant, make_avenant
from conventum.avenants.writing import Cited
from conventum.errors import ValidationFailed
from conventum.french.grammar import denomination
from conventum.issues import Issue
from conventum.model.catalogue import load_type
from conventum.register.amendments import AvenantRecord, InForce, check_amendable, in_force, record_avenant
from conventum.register.records import json_safe, parties_of, partner_of, sha256_of
from conventum.register.store import Entry, Register
from conventum.terms.resolve import term_fields, term_of


def prepare(
    register: Register, numero: int, raw: Mapping[str, Any], *, today: date, base: Path | None = None
) -> tuple[InForce, Avenant]:
    """The convention n°``numero`` as it stands and the avenant ``raw`` made to it; every problem of
    the file at once (ValidationFailed), or the convention's state (résiliée, ended, unknown)."""
    current = in_force(register, numero)
    check_amendable(current.entry, today, today)
    raw = _numbered(raw, current)
    taken = {avenant.numero for avenant in current.avenants}
    wanted = (raw.get("avenant") or {}).get("numero") if isinstance(raw.get("avenant"), Mapping) else None
    if wanted in taken:
        params = {"convention": numero, "numero": wanted, "prochain": current.next_number}
        raise ValidationFailed([Issue("avenant.numero_pris", "avenant.numero", params)])
    ctype = load_type(current.entry.type)
    cited = Cited(
        numero=numero,
        signature=current.entry.signature,
        parties=signatories(current),
        avenants=tuple(sorted(taken)),
    )
    avenant = make_avenant(ctype, current.donnees, raw, cited, today=today, base=base)
    check_amendable(current.entry, avenant.fields.date_effet, today)
    return current, avenant


def signatories(current: InForce) -> tuple[str, ...]:
    """The parties that concluded the convention, as its registered data names them (those of the
    register when that data does not say: the parties in force)."""
    named = []
    for party in current.originales.get("parties") or []:
        try:
            nature, name = str(party["nature"]), str(party["nom"])
            named.append(
                denomination(nature, name, liaison=party.get("liaison"), article=party.get("article"))
            )
        except (KeyError, TypeError, ValueError):
            return tuple(party["denomination"] for party in current.entry.parties)
    return tuple(named) or tuple(party["denomination"] for party in current.entry.parties)


def _numbered(raw: Mapping[str, Any], current: InForce) -> Mapping[str, Any]:
    """Without a number, the avenant is the convention's next one."""
    fields = raw.get("avenant")
    if not isinstance(fields, Mapping) or fields.get("numero") is not None:
        return raw
    numbered = copy.deepcopy(dict(raw))
    numbered["avenant"] = {**fields, "numero": current.next_number}
    return numbered


def avenant_record(
    avenant: Avenant,
    raw: Mapping[str, Any],
    *,
    content: bytes,
    path: Path | None,
) -> AvenantRecord:
    """What the register keeps of the avenant: its fields, its document's SHA-256, the consolidated
    data, term and parties."""
    ctype, convention = avenant.ctype, avenant.consolidated
    names = list(term_fields(ctype))
    parties = parties_of(convention)
    fields = avenant.fields
    return AvenantRecord(
        numero=fields.numero,
        date_effet=fields.date_effet,
        signature=fields.signature.date if fields.signature is not None else None,
        modifications=json_safe(dict(raw)),
        donnees=json_safe(avenant.amendment.after),
        articles=tuple(change.piece.name for change in avenant.changes),
        sha256=sha256_of(content),
        fichier=str(path.resolve()) if path is not None else None,
        duree=term_of(ctype, convention, names[0]) if names else None,
        parties=parties,
        partenaire=partner_of(ctype, parties),
    )


def record(
    register: Register,
    numero: int,
    avenant: Avenant,
    raw: Mapping[str, Any],
    *,
    content: bytes,
    path: Path | None,
    today: date,
) -> Entry:
    """Record the avenant under its convention (one transaction); the convention as it now stands."""
    return record_avenant(
        register, numero, avenant_record(avenant, raw, content=content, path=path), today=today
    )
