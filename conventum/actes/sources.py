"""An envoi from what conventum already knows: a type and its data, or a dossier.

The data give the numéro, the objet and the date of the decision; what they do not hold (the
classification code, the collectivité's SIREN…) comes from the options (:class:`Request`). The
objet defaults to the type's title and the parties (cut on a word at 499 characters, on one line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conventum.actes.envoi import OBJET_MAX, Envoi, Piece
from conventum.actes.natures import Declaration, avenant_declaration, declaration
from conventum.errors import UsageError, ValidationFailed
from conventum.french.formatting import join_words
from conventum.french.grammar import denomination
from conventum.issues import Issue
from conventum.model.catalogue import load_type

# A renderer makes the PDF of a part when no signed PDF is given: (type, data) → PDF bytes.
Renderer = Callable[[str, Mapping[str, Any]], bytes]


@dataclass(frozen=True)
class Request:
    """What the clerk adds to the data (the options of ``conventum actes``)."""

    transmission: dt.date
    numero: str | None = None
    objet: str | None = None
    matiere: str | None = None
    decision: dt.date | None = None
    siren: str | None = None
    departement: str | None = None
    pdf: Path | None = None  # the signed acte; rendered from the data when absent
    autorisation: Path | None = None  # the délibération authorising a convention (its PDF)
    annexes: list[tuple[Path, str | None]] = field(default_factory=list)  # file, code (None: the type's)
    avenant: bool = False  # the acte is an avenant to the convention the data describe (its PDF given)


def is_dossier(data: Mapping[str, Any]) -> bool:
    """A dossier file holds a convention, a délibération and a rapport."""
    return {"convention", "deliberation", "rapport"} <= data.keys()


def default_objet(title: str, names: list[str]) -> str:
    """The type's title and the parties, on one line, cut on a word within 499 characters.

    >>> default_objet("Convention de groupement", ["la Commune de Liévin", "la Commune de Lens"])
    'Convention de groupement entre la Commune de Liévin et la Commune de Lens'
    >>> cut = default_objet("Convention " + "très " * 200, [])
    >>> len(cut) <= 499, cut[-5:]
    (True, 'très…')
    """
    text = title + (f" entre {join_words(names)}" if len(names) > 1 else f" avec {names[0]}" if names else "")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= OBJET_MAX:
        return text
    cut = text[: OBJET_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _party_names(type_name: str, data: Mapping[str, Any]) -> list[str]:
    ctype = load_type(type_name)
    parties = [party for party in data.get("parties") or [] if isinstance(party, Mapping)]
    present = {party.get("role") for party in parties}
    for role in ctype.roles:
        fallback = ctype.default_party(role, dict(data)) if role.role not in present else None
        if fallback:
            parties.append({"role": role.role, **fallback})
    names = []
    for party in parties:
        try:
            names.append(denomination(str(party["nature"]), str(party["nom"])))
        except (KeyError, TypeError):
            continue
    return names


def _decision_date(type_name: str, data: Mapping[str, Any]) -> dt.date | None:
    if declaration(type_name).nature == 1:
        value = data.get("reunion")
    else:
        value = (
            (data.get("signature") or {}).get("date") if isinstance(data.get("signature"), Mapping) else None
        )
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _emitter(data: Mapping[str, Any], request: Request) -> tuple[str | None, str | None]:
    """The SIREN and département of the collectivité that transmits: the options, else its party."""
    siren, departement = request.siren, request.departement
    for party in data.get("parties") or []:
        if not isinstance(party, Mapping):
            continue
        siren = siren or (str(party["siren"]) if party.get("siren") else None)
        postal = str((party.get("adresse") or {}).get("code_postal") or "")
        if not departement and len(postal) == 5 and postal.isdigit() and not postal.startswith("20"):
            departement = ("0" + postal[:2]) if not postal.startswith("97") else postal[:3]
        break
    return siren, departement


def envoi_from_type(
    type_name: str, data: Mapping[str, Any], request: Request, staging: Path, render: Renderer
) -> Envoi:
    """The envoi of one acte of that type; its PDF is the signed one given, else rendered. An
    avenant (``request.avenant``) is its signed PDF, as piece 42_AC, dated by the decision given."""
    if request.avenant:
        return _avenant_envoi(type_name, data, request, staging, render)
    decl = declaration(type_name)
    names = _party_names(type_name, data) if decl.nature != 1 else []
    objet = request.objet or str(data.get("objet") or "") or default_objet(load_type(type_name).titre, names)
    numero = request.numero or (str(data["numero"]) if data.get("numero") else None)
    acte = request.pdf or _rendered(staging, "acte.pdf", render(type_name, data))
    pieces = [Piece("acte", decl.acte_piece, acte, load_type(type_name).titre)]
    if request.autorisation:
        pieces.append(
            Piece("autorisation", _code(decl, "autorisation"), request.autorisation, "Délibération")
        )
    pieces += _annexes(decl, request)
    return _complete(type_name, decl, data, request, numero=numero, objet=objet, pieces=pieces)


def _avenant_envoi(
    type_name: str, data: Mapping[str, Any], request: Request, staging: Path, render: Renderer
) -> Envoi:
    decl = avenant_declaration(type_name)
    if request.pdf is None:
        raise UsageError("un avenant se transmet signé : donnez son PDF (--pdf avenant-signe.pdf)")
    title = load_type(type_name).titre
    objet = request.objet or default_objet(
        f"Avenant à la {title[:1].lower()}{title[1:]}", _party_names(type_name, data)
    )
    pieces = [Piece("acte", decl.acte_piece, request.pdf, "Avenant"), *_annexes(decl, request)]
    if request.autorisation:
        pieces.insert(
            1, Piece("autorisation", _code(decl, "autorisation"), request.autorisation, "Délibération")
        )
    undated = {key: value for key, value in data.items() if key != "signature"}  # the avenant's own date
    return _complete(type_name, decl, undated, request, numero=request.numero, objet=objet, pieces=pieces)


def envoi_from_dossier(data: Mapping[str, Any], request: Request, staging: Path, render: Renderer) -> Envoi:
    """The délibération of a dossier, with the convention it authorises as its annex."""
    from conventum.dossier import split_dossier  # noqa: PLC0415 - the dossier pulls the renderer in

    parts = split_dossier(data)
    decl = declaration("deliberation")
    deliberation = parts.deliberation
    numero = request.numero or (str(deliberation["numero"]) if deliberation.get("numero") else None)
    objet = request.objet or str(data.get("objet") or "")
    acte = request.pdf or _rendered(staging, "deliberation.pdf", render("deliberation", deliberation))
    convention = _rendered(staging, "convention.pdf", render(parts.convention_type, parts.convention))
    pieces = [
        Piece("acte", decl.acte_piece, acte, "Délibération"),
        Piece("convention", _code(decl, "convention"), convention, "Convention"),
        *_annexes(decl, request),
    ]
    emitter_data = parts.convention
    return _complete(
        "deliberation",
        decl,
        {**deliberation, "parties": emitter_data.get("parties")},
        request,
        numero=numero,
        objet=objet,
        pieces=pieces,
    )


def _code(decl: Declaration, role: str) -> str:
    return decl.pieces.get(role) or decl.pieces.get("annexe") or "99_AU"


def _annexes(decl: Declaration, request: Request) -> list[Piece]:
    return [Piece("annexe", code or _code(decl, "annexe"), path, path.stem) for path, code in request.annexes]


def _rendered(staging: Path, name: str, pdf: bytes) -> Path:
    path = staging / name
    path.write_bytes(pdf)
    return path


def _complete(
    type_name: str,
    decl: Declaration,
    data: Mapping[str, Any],
    request: Request,
    *,
    numero: str | None,
    objet: str,
    pieces: list[Piece],
) -> Envoi:
    """The envoi, or ValidationFailed listing every fact that nothing gave."""
    decision = request.decision or _decision_date(type_name, data)
    siren, departement = _emitter(data, request)
    missing = [
        Issue(code, path)
        for code, path, value in (
            ("actes.numero_absent", "numero", numero),
            ("actes.matiere_absente", "matiere", request.matiere),
            ("actes.date_absente", "date_decision", decision),
            ("actes.siren_absent", "siren", siren),
            ("actes.departement_absent", "departement", departement),
        )
        if not value
    ]
    if missing:
        raise ValidationFailed(missing)
    assert numero and request.matiere and decision and siren and departement  # for mypy: checked above
    return Envoi(
        type_name,
        decl.nature,
        numero,
        objet,
        decision,
        request.matiere,
        request.transmission,
        siren,
        departement,
        pieces,
    )
