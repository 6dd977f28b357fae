"""Rules on amounts and counts: non-negative, totals, budget lines, copies, tariffs from a grid."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from conventum.errors import TemplateError
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType
from conventum.model.loading import load_data
from conventum.model.paths import resolve, value_at
from conventum.model.specs import FieldSpec
from conventum.validation.rules.registry import Facts, rule


def amount_paths(fields: Mapping[str, FieldSpec], prefix: str = "") -> list[str]:
    """The data paths of the fields a schema declares as ``montant``.

    >>> solde = FieldSpec("solde", "montant")
    >>> budget = FieldSpec("budget", "liste", element=FieldSpec("ligne", "objet", fields={"solde": solde}))
    >>> amount_paths({"budget": budget, "total": FieldSpec("total", "montant")})
    ['budget[*].solde', 'total']
    """
    paths: list[str] = []
    for name, spec in fields.items():
        paths += _amount_paths_of(f"{prefix}{name}", spec)
    return paths


def _amount_paths_of(path: str, spec: FieldSpec) -> list[str]:
    if spec.kind == "montant":
        return [path]
    if spec.kind == "objet":
        return amount_paths(spec.fields, f"{path}.")
    if spec.kind == "liste" and spec.element is not None:
        return _amount_paths_of(f"{path}[*]", spec.element)
    return []


@rule("montants.positifs")
def non_negative(facts: Facts) -> Iterator[Issue]:
    """No amount the type declares is negative."""
    for field in amount_paths(facts.ctype.fields):
        for path, value in resolve(facts.convention, field):
            if isinstance(value, Decimal) and value < 0:
                yield Issue("montants.negatif", path, {"montant": value})


@rule("montants.total")
def total(facts: Facts, *, lignes: str, total: str) -> Iterator[Issue]:
    """A total equals the sum of its lines."""
    values = [value for _, value in resolve(facts.convention, lignes) if isinstance(value, Decimal)]
    for path, stated in resolve(facts.convention, total):
        expected = sum(values, Decimal(0))
        if isinstance(stated, Decimal) and stated != expected:
            yield Issue("montants.total_faux", path, {"montant": stated, "attendu": expected})


@rule("montants.ligne_budgetaire")
def budget_lines(
    facts: Facts,
    *,
    lignes: str,
    disponible: str = "disponible",
    proposition: str = "proposition",
    solde: str = "solde",
) -> Iterator[Issue]:
    """On each budget line, proposition ≤ disponible and solde = disponible − proposition."""
    for path, line in resolve(facts.convention, lignes):
        available = value_at(line, disponible)
        proposed = value_at(line, proposition)
        if not isinstance(available, Decimal) or not isinstance(proposed, Decimal):
            continue
        if proposed > available:
            params = {"proposition": proposed, "disponible": available}
            yield Issue("montants.proposition_excessive", f"{path}.{proposition}", params)
        balance = value_at(line, solde)
        if isinstance(balance, Decimal) and balance != available - proposed:
            params = {"solde": balance, "attendu": available - proposed, "disponible": available}
            yield Issue("montants.solde_faux", f"{path}.{solde}", {**params, "proposition": proposed})


@rule("montants.exemplaires")
def copies(
    facts: Facts, *, nombre: int | None = None, par_partie: int | None = None, champ: str = "exemplaires"
) -> Iterator[Issue]:
    """The number of copies is the type's (a fixed number, so many per party, or one per party).

    A figure in the data is a total. With ``par_partie``, the figure of the type's schema is
    the number per party, as the document writes it ("2 exemplaires originaux par membre").
    """
    count = len(facts.convention.parties)
    expected = nombre if nombre is not None else (par_partie or 1) * count
    stated, path = value_at(facts.convention, champ), champ
    if stated is None and par_partie is not None:
        stated = facts.ctype.copies
        if isinstance(stated, int) and stated != par_partie:
            params = {"exemplaires": stated, "attendu": par_partie}
            yield Issue("montants.exemplaires_par_partie", "exemplaires", params)
        return
    if stated is None:
        stated, path = facts.ctype.copies, "exemplaires"
    if isinstance(stated, int) and stated != expected:
        yield Issue(
            "montants.exemplaires", path, {"exemplaires": stated, "attendu": expected, "parties": count}
        )


@rule("montants.tarif_grille")
def tariff_from_grid(
    facts: Facts,
    *,
    tarif: str,
    criteres: Mapping[str, str],
    grille: Sequence[Mapping[str, Any]] | None = None,
    grille_fichier: str | None = None,
) -> Iterator[Issue]:
    """A tariff typed by hand agrees with the grid's figure for the stated criteria."""
    found = resolve(facts.convention, tarif)
    if not found or not isinstance(found[0][1], Decimal):
        return
    path, stated = found[0]
    values = {name: value_at(facts.convention, where) for name, where in criteres.items()}
    if any(value is None for value in values.values()):
        return
    rows = grille if grille is not None else load_grid(facts.ctype, grille_fichier)
    row = next((row for row in rows if _row_matches(row, values)), None)
    if row is None:
        yield Issue("montants.grille_sans_tranche", path, {"criteres": _shown(values)})
    elif Decimal(str(row["montant"])) != stated:
        params = {"montant": stated, "grille": Decimal(str(row["montant"])), "criteres": _shown(values)}
        yield Issue("montants.tarif_hors_grille", path, params)


def _shown(values: Mapping[str, Any]) -> list[str]:
    return [f"{name} {value}" for name, value in values.items()]


def _row_matches(row: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    for name, value in values.items():
        bound = row.get(name)
        if isinstance(bound, list):
            low, high = [*bound, None, None][:2]
            number = Decimal(str(value))
            if (low is not None and number < Decimal(str(low))) or (
                high is not None and number > Decimal(str(high))
            ):
                return False
        elif bound is not None and str(bound) != str(value):
            return False
    return True


def load_grid(ctype: ConventionType, name: str | None) -> list[Mapping[str, Any]]:
    """A price grid file: beside the type's schema, else in conventum's data folder."""
    if name is None:
        raise TemplateError(
            f"la règle montants.tarif_grille demande grille ou grille_fichier ({ctype.schema_path})"
        )
    for folder in (ctype.schema_path.parent, Path(str(resources.files("conventum"))) / "data"):
        if (folder / name).is_file():
            return _grid_rows(folder / name)
    raise TemplateError(f"grille de tarifs introuvable : {name} ({ctype.schema_path})")


@cache
def _grid_rows(path: Path) -> list[Mapping[str, Any]]:
    data = load_data(path)
    rows = data.get("lignes")
    if not isinstance(rows, list):
        raise TemplateError(f"grille de tarifs sans « lignes » : {path}")
    return rows
