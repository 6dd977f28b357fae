"""An avenant made from a registered convention's data and an avenant file: checked like a
convention (every problem at once), its changed articles found, its documents drafted — the
avenant itself, the consolidated version and what the convention was before it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from conventum.avenants.articles import Change, annex_changes, changes
from conventum.avenants.changes import Amendment, AvenantFields, changed_under, read_amendment
from conventum.avenants.parts import under_title
from conventum.avenants.writing import Cited, avenant_draft
from conventum.draft import Draft, make_draft
from conventum.errors import ValidationFailed
from conventum.french.formatting import format_date
from conventum.french.grammar import denomination
from conventum.issues import Issue, errors
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType
from conventum.register.records import json_safe
from conventum.validation.validation import validate


@dataclasses.dataclass(frozen=True)
class Avenant:
    """A checked avenant: its fields, the convention before and after it, the changed articles."""

    ctype: ConventionType
    amendment: Amendment
    before: Draft  # the convention as registered (consolidated at its last avenant)
    after: Draft  # the consolidated convention
    changes: tuple[Change, ...]
    draft: Draft  # the avenant itself
    issues: tuple[Issue, ...] = ()  # the warnings that let it through

    @property
    def fields(self) -> AvenantFields:
        assert self.amendment.fields is not None
        return self.amendment.fields

    @property
    def numero(self) -> int:
        return self.fields.numero

    @property
    def consolidated(self) -> Convention:
        return self.after.convention

    def consolidated_draft(self) -> Draft:
        """The convention rendered with the merged data, titled "version consolidée au …"."""
        line = f"Version consolidée au {format_date(self.fields.date_effet)} (avenant n°{self.numero})"
        return dataclasses.replace(self.after, docx=under_title(self.after.docx, line))


def make_avenant(
    ctype: ConventionType,
    registered: Mapping[str, Any],
    raw: Mapping[str, Any],
    cited: Cited,
    *,
    today: date | None = None,
    base: Path | None = None,
) -> Avenant:
    """Check and draft the avenant ``raw`` to the convention ``cited`` whose data is ``registered``;
    ValidationFailed with every problem found (nothing is drafted then)."""
    defaults = {name: spec.default for name, spec in ctype.fields.items() if spec.has_default}
    amendment = read_amendment(raw, registered, json_safe(defaults))
    issues = list(amendment.issues) + _dates(amendment, cited)
    after = validate(ctype, amendment.after, today=today, base=base)
    issues += [_located(issue, amendment.changed) for issue in after.issues]
    if amendment.fields is not None and after.convention is not None:
        issues += _authorisations(amendment, after.convention)
    if errors(issues) or after.convention is None or amendment.fields is None:
        raise ValidationFailed(issues, data=amendment.after, ctype=ctype)
    before = make_draft(ctype, validate(ctype, amendment.before, today=today, base=base))
    consolidated = make_draft(ctype, after)
    found = tuple(changes(before.docx, consolidated.docx))
    found += tuple(annex_changes(before.convention.annexes, after.convention.annexes, found))
    if not found:
        shown = ", ".join(amendment.changed)
        raise ValidationFailed(
            [Issue("avenant.sans_effet", "modifications", {"chemins": shown})], ctype=ctype
        )
    draft = avenant_draft(ctype, amendment, after.convention, found, cited, consolidated.files)
    warnings = tuple(issue for issue in issues if issue.severity == "warning")
    return Avenant(ctype, amendment, before, consolidated, found, draft, warnings)


def _located(issue: Issue, changed: list[str]) -> Issue:
    """An issue of the consolidated data, at the path the avenant file gives it when it changed it."""
    under = changed_under(issue.path, changed)
    if under is None:
        return issue
    return dataclasses.replace(issue, path=f"modifications.{issue.path}")


def _dates(amendment: Amendment, cited: Cited) -> list[Issue]:
    """The avenant takes effect and is signed on or after the convention's signature."""
    fields = amendment.fields
    if fields is None or cited.signature is None:
        return []
    found = []
    signed = fields.signature.date if fields.signature is not None else None
    for path, day in (("avenant.date_effet", fields.date_effet), ("avenant.signature.date", signed)):
        if day is not None and day < cited.signature:
            params = {"date": day, "numero": cited.numero, "signature": cited.signature}
            found.append(Issue("avenant.date_avant_signature", path, params))
    return found


def _authorisations(amendment: Amendment, convention: Convention) -> list[Issue]:
    """Each key names a party (a role or "parties[N]"); each act precedes the avenant's signature;
    a party without one is said (a warning: its paragraph will not name an act)."""
    assert amendment.fields is not None
    fields = amendment.fields
    roles = {party.role for party in convention.parties}
    paths = {f"parties[{index}]" for index in range(len(convention.parties))}
    found = [
        Issue("avenant.autorisation_inconnue", f"avenant.autorisations.{key}", {"cle": key})
        for key in fields.autorisations
        if key not in roles and key not in paths
    ]
    signed = fields.signature.date if fields.signature is not None else None
    for index, party in enumerate(convention.parties):
        acts = amendment.authorisations(f"parties[{index}]", party.role)
        if not acts:
            named = {
                "partie": denomination(party.nature, party.nom, liaison=party.liaison),
                "role": party.role,
            }
            found.append(Issue("avenant.autorisation_absente", "avenant.autorisations", named, "warning"))
        for act in acts:
            if signed is not None and act.date > signed:
                dated = {"date": act.date, "signature": signed}
                found.append(Issue("avenant.autorisation_apres_signature", "avenant.autorisations", dated))
    return found
