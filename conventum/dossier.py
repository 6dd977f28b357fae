"""A dossier: the délibération, the convention it authorises and the rapport, from one data file.

The facts the three documents share (assembly, meeting, title, commission, budget,
the convention's designation, the authorising decision) are written once in the
dossier and copied into each part, so that the parts cannot disagree.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from pydantic import Field, ValidationError

from conventum.api import DataSource, Document, render_document, render_validated
from conventum.context.parties import party_views
from conventum.deadline import checkpoint
from conventum.errors import UsageError, ValidationFailed
from conventum.french.formatting import join_words
from conventum.issues import Issue, errors
from conventum.model.blocks import Block
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.model.loading import load_data
from conventum.model.paths import value_at
from conventum.model.problems import issue_from_pydantic
from conventum.output import check_writable, write_atomic
from conventum.pdf.convention import converter_or_new
from conventum.pdf.converter import Converter
from conventum.pdf.merging import Part, merge
from conventum.seance.assemblyfile import assembly_keys, load_assembly
from conventum.validation.validation import ValidationResult
from conventum.validation.validation import validate as validate_data

# What the dossier states once for the délibération and the rapport.
SHARED = ("assemblee", "reunion", "objet", "commission", "imputations")
PART_FILES = ("deliberation.pdf", "convention.pdf", "rapport.pdf")


class ConventionRef(Block):
    """The convention a dossier's délibération authorises."""

    type: str = Field(title="Type de convention")
    designation: str = Field(min_length=1, title="Désignation (« la convention … »)")
    autorisee: str | None = Field(default=None, title="Rôle de la partie autorisée par la délibération")
    donnees: dict[str, Any] = Field(title="Données de la convention")


class DossierData(Block):
    """The envelope of a dossier file; each part's own fields are checked by its type."""

    assemblee: str = Field(title="Assemblée")
    reunion: dt.date = Field(title="Date de la réunion")
    objet: str = Field(min_length=1, title="Objet de l’affaire")
    commission: dict[str, Any] = Field(title="Avis de la commission")
    imputations: list[dict[str, Any]] = Field(default_factory=list, title="Imputation budgétaire")
    convention: ConventionRef = Field(title="Convention")
    deliberation: dict[str, Any] = Field(title="Délibération")
    rapport: dict[str, Any] = Field(title="Rapport")


@dataclass(frozen=True)
class DossierParts:
    """The three parts' data, ready to render, and the problems found while splitting."""

    deliberation: dict[str, Any]
    convention_type: str
    convention: dict[str, Any]
    rapport: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    # The convention's data as validated while splitting: rendered from it, not validated again.
    checked: ValidationResult | None = field(default=None, repr=False, compare=False)
    checked_type: ConventionType | None = field(default=None, repr=False, compare=False)  # its type


@dataclass(frozen=True)
class Dossier:
    """A rendered dossier: each part (title and PDF), the merged PDF, the warnings."""

    parts: list[Part]
    pdf: bytes
    issues: list[Issue] = field(default_factory=list)


def read_envelope(data: Mapping[str, Any]) -> DossierData:
    """The dossier's envelope, or ValidationFailed with every problem of its shape."""
    try:
        return DossierData.model_validate(dict(data))
    except ValidationError as exc:
        model = cast(Any, DossierData)
        raise ValidationFailed([issue_from_pydantic(model, error, data) for error in exc.errors()]) from exc


def _part(
    envelope: DossierData, section: str, convention: dict[str, str]
) -> tuple[dict[str, Any], list[Issue]]:
    given = copy.deepcopy(getattr(envelope, section))
    issues = [
        Issue("dossier.champ_partage", f"{section}.{key}", {"champ": key})
        for key in (*SHARED, "convention")
        if key in given
    ]
    shared = envelope.model_dump(mode="python", include=set(SHARED))
    return {**given, **shared, "convention": convention}, issues


def _checked(
    envelope: DossierData, data: dict[str, Any], today: dt.date | None, base: Path | None
) -> tuple[ConventionType, ValidationResult] | None:
    """The convention's type and its validation (its problems are reported when it is rendered)."""
    if envelope.convention.type not in available_types():
        return None
    ctype = load_type(envelope.convention.type)
    return ctype, validate_data(ctype, data, today=today, base=base)


def _partners(envelope: DossierData, checked: tuple[ConventionType, ValidationResult] | None) -> str | None:
    """The convention's other parties as it names them ("le Syndicat mixte …")."""
    if checked is None or checked[1].convention is None:
        return None
    views = party_views(checked[0], checked[1].convention)
    names = [view["denomination"] for view in views if view["role"] != envelope.convention.autorisee]
    return join_words(names) or None


def _budget_issues(
    envelope: DossierData, checked: tuple[ConventionType, ValidationResult] | None
) -> list[Issue]:
    """A warning when the first budget line proposes none of the amounts the convention computes.

    The type names them in its schema (``contribution_budgetee``: paths in its computed values,
    e.g. the yearly contribution and the first year's pro rata share).
    """
    paths = checked[0].budgeted_contribution if checked else None
    if not checked or not paths or not envelope.imputations or checked[1].convention is None:
        return []
    computed = checked[1].computed
    if computed is None:
        return []  # validation reported why the calculations could not run
    amounts = [value for value in (value_at(computed, path) for path in paths) if value is not None]
    proposed = envelope.imputations[0].get("proposition")
    if not amounts or proposed is None or Decimal(str(proposed)) in amounts:
        return []
    params = {"proposition": Decimal(str(proposed)), "contribution": amounts[0]}
    return [Issue("dossier.montant_discordant", "imputations[0].proposition", params, "warning")]


def _authorised(envelope: DossierData, numero: Any) -> tuple[dict[str, Any], list[Issue]]:
    """The convention's data, the authorised party's decision written from the délibération."""
    data = copy.deepcopy(envelope.convention.donnees)
    role = envelope.convention.autorisee
    if role is None or envelope.assemblee not in assembly_keys():
        return data, []
    parties = data.get("parties") or []
    mine = [i for i, party in enumerate(parties) if isinstance(party, dict) and party.get("role") == role]
    if not mine:
        return data, [Issue("dossier.partie_autorisee_absente", "convention.autorisee", {"role": role})]
    if "autorisation" in parties[mine[0]]:
        path = f"convention.donnees.parties[{mine[0]}].autorisation"
        return data, [Issue("dossier.champ_partage", path, {"champ": "autorisation"})]
    parties[mine[0]]["autorisation"] = {
        "organe": load_assembly(envelope.assemblee)["organe"]["cle"],
        "nature": "deliberation",
        "date": envelope.reunion,
        "numero": numero,
    }
    return data, []


def split_dossier(
    data: Mapping[str, Any], *, today: dt.date | None = None, base: Path | None = None
) -> DossierParts:
    """The délibération's, the convention's and the rapport's data, from a dossier's (the
    convention validated once, its annex paths relative to ``base``)."""
    envelope = read_envelope(data)
    numero = envelope.deliberation.get("numero")
    convention, authorised = _authorised(envelope, numero)
    reference = {"designation": envelope.convention.designation}
    checked = _checked(envelope, convention, today, base)
    partners = _partners(envelope, checked)
    if partners:
        reference["partenaires"] = partners
    deliberation, issues = _part(envelope, "deliberation", reference)
    rapport, more = _part(envelope, "rapport", reference)
    return DossierParts(
        deliberation,
        envelope.convention.type,
        convention,
        rapport,
        [*issues, *more, *authorised, *_budget_issues(envelope, checked)],
        checked[1] if checked else None,
        checked[0] if checked else None,
    )


def _prefixed(issue: Issue, prefix: str) -> Issue:
    """An issue's path as the dossier file names it."""
    shared = issue.path.split(".")[0].split("[")[0] in SHARED
    path = issue.path if shared and prefix != "convention.donnees." else prefix + issue.path
    return Issue(issue.code, path, issue.params, issue.severity)


@dataclass(frozen=True)
class RenderedPart(Part):
    """A part rendered to DOCX, with what its PDF is finished from (type, context, typed data)."""

    document: Document


def render_parts(
    parts: DossierParts, *, today: dt.date | None = None, strict: bool = False, base: Path | None = None
) -> tuple[list[RenderedPart], list[Issue]]:
    """The three documents as DOCX, in order, and their warnings; ValidationFailed lists every problem.

    Relative annex paths of the convention start from ``base`` (the dossier file's folder)."""
    jobs = (
        ("deliberation", parts.deliberation, "deliberation."),
        (parts.convention_type, parts.convention, "convention.donnees."),
        ("rapport", parts.rapport, "rapport."),
    )
    rendered: list[RenderedPart] = []
    issues = list(parts.issues)
    for type_name, data, prefix in jobs:
        try:
            if prefix == "convention.donnees." and parts.checked and parts.checked_type:
                document = render_validated(parts.checked_type, parts.checked, strict=strict, base=base)
            else:
                document = render_document(type_name, data, today=today, strict=strict, base=base)
        except ValidationFailed as exc:
            issues += [_prefixed(issue, prefix) for issue in exc.issues]
            continue
        issues += [_prefixed(issue, prefix) for issue in document.issues]
        rendered.append(RenderedPart(_outline_title(type_name, data), document.content, document))
    # A shared fact (commission, meeting) is checked by both the délibération and the rapport.
    issues = _unique(issues)
    if errors(issues) or len(rendered) < len(jobs):
        raise ValidationFailed(issues)
    return rendered, issues


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: list[Issue] = []
    for issue in issues:
        if issue not in seen:
            seen.append(issue)
    return seen


def _outline_title(type_name: str, data: dict[str, Any]) -> str:
    if type_name == "deliberation":
        return f"Délibération n°{data['numero']}"
    if type_name == "rapport":
        return f"Rapport n°{data['numero']}"
    return load_type(type_name).titre


def to_pdf(parts: list[RenderedPart], converter: Converter | None = None) -> list[Part]:
    """Every part converted through one converter (the caller's, else one started for them) and
    finished as ``conventum render`` finishes it: annex files, signature fields, metadata."""
    with converter_or_new(converter) as active:
        return [Part(part.titre, _finished(part, active)) for part in parts]


def _finished(part: RenderedPart, converter: Converter) -> bytes:
    """The part's draft, made once by render_parts, turned into its PDF (its annexes: the bytes
    validation read, from the dossier file's folder)."""
    draft = part.document.draft
    if draft is None:
        raise ValueError(f"« {part.titre} » n’a pas été rendu par render_parts")
    return draft.pdf(converter=converter)


def build_dossier(
    data: DataSource,
    *,
    today: dt.date | None = None,
    strict: bool = False,
    converter: Converter | None = None,
) -> Dossier:
    """Validate, render and convert the three parts, and merge them into one PDF."""
    source = load_data(data) if isinstance(data, (str, Path)) else data
    base = Path(data).parent if isinstance(data, (str, Path)) else Path.cwd()
    parts = split_dossier(source, today=today, base=base)
    checkpoint("le remplissage des modèles")
    documents, warnings = render_parts(parts, today=today, strict=strict, base=base)
    checkpoint("la conversion en PDF")
    pdfs = to_pdf(documents, converter)
    checkpoint("l’assemblage du dossier")
    return Dossier(pdfs, merge(pdfs, title=str(source["objet"])), warnings)


def render_dossier(
    data: DataSource,
    output: str | Path,
    *,
    force: bool = False,
    parts_dir: str | Path | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    converter: Converter | None = None,
) -> Dossier:
    """Write the dossier's PDF (and each part in ``parts_dir``), once everything has succeeded.

    ``converter`` (an open ``Converter``) converts the three parts when given, else one is
    started for them."""
    target = Path(output)
    if target.suffix.lower() != ".pdf":
        raise UsageError(f"un dossier s’écrit en PDF : « {target.suffix} » n’est pas pris en charge")
    targets = (
        [target, *(Path(parts_dir) / name for name in PART_FILES)] if parts_dir is not None else [target]
    )
    for path in targets:
        check_writable(path, force=force)
    dossier = build_dossier(data, today=today, strict=strict, converter=converter)
    contents = [dossier.pdf, *(part.content for part in dossier.parts)]
    for path, content in zip(targets, contents, strict=False):
        write_atomic(path, content, force=force)
    return dossier
