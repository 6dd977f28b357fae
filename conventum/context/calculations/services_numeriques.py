"""Annex 2 of services-numeriques: the collectivité's contribution per year, from the dated price grid."""

from __future__ import annotations

from typing import Any

from conventum.clauses.acts import named_act
from conventum.context.calculations.grids import first_valid, grid_for
from conventum.context.calculations.money import Line, Period, amount, initial_term_totals, price
from conventum.context.calculations.registry import calculation
from conventum.errors import CalculationError
from conventum.french.grammar import denomination, designation_forms
from conventum.issues import Issue
from conventum.model.blocks import Autorisation, Convention
from conventum.model.catalogue import ConventionType

GRID = "services-numeriques"


@calculation("tarifs-services-numeriques", reads=("services", "cdg"))
def services_contribution(convention: Convention, *, ctype: ConventionType, **_: Any) -> dict[str, Any]:
    """Context key ``annexe2``: periods with priced lines, HT and TTC totals, total over the term."""
    services = convention.services  # type: ignore[attr-defined]
    grid = grid_for(GRID, services.debut)
    if grid is None:
        raise CalculationError([_no_grid(services.debut)])
    _check_choice(services)
    category = None
    if services.socle:
        offer = _offer(grid, services.debut.year)
        periods = _pack_periods(offer, services.option_materiel)
        heading = f"Pack « Socle numérique de base » – {offer['offre']}"
    else:
        periods = _menu_periods(grid["a_la_carte"], services)
        category = _with_procedures(periods, grid, services, _collectivite_nature(convention))
        heading = "Services à la carte"
    annex = {**_view(grid, heading, periods, services), "categorie_demarches": category}
    annex["source"] = _tariff_act(grid, convention)
    return {"annexe1": {"services": grid["presentation"]}, "annexe2": annex}


def _no_grid(when: Any) -> Issue:
    params = {"grille": GRID, "date": when, "premiere": first_valid(GRID)}
    return Issue("calcul.grille_absente", "services.debut", params)


def _check_choice(services: Any) -> None:
    if services.socle and (services.lignes or services.demarches_simplifiees):
        raise CalculationError([Issue("services.socle_et_carte", "services.socle")])
    if services.option_materiel and not services.socle:
        raise CalculationError([Issue("services.option_sans_socle", "services.option_materiel")])
    if not (services.socle or services.lignes or services.demarches_simplifiees):
        raise CalculationError([Issue("services.aucun_service", "services")])


def _offer(grid: dict[str, Any], year: int) -> dict[str, Any]:
    for offer in grid["socle"]:
        upper = offer["debut_jusqu_a"]
        if offer["debut_de"] <= year and (upper is None or year <= upper):
            return dict(offer)
    return dict(grid["socle"][-1])


def _periods(grid_periods: list[dict[str, Any]]) -> list[Period]:
    return [Period(item["libelle"], item["duree"]) for item in grid_periods]


def _pack_periods(offer: dict[str, Any], hardware: bool) -> list[Period]:
    periods = _periods(offer["periodes"])
    rows = list(offer["lignes"]) + ([offer["option_materiel"]] if hardware else [])
    for row in rows:
        for period, value in zip(periods, row["montants"], strict=False):
            cost = amount(value)
            if cost is not None:
                period.lines.append(Line(row["libelle"], 1, cost, row["taxe"], "forfait"))
    return periods


def _menu_periods(menu: dict[str, Any], services: Any) -> list[Period]:
    periods = _periods(menu["periodes"])
    catalogue = menu["services"]
    unknown = [
        Issue("services.service_inconnu", f"services.lignes[{index}].service", _unknown(line, catalogue))
        for index, line in enumerate(services.lignes)
        if line.service not in catalogue
    ]
    if unknown:
        raise CalculationError(unknown)
    for line in services.lignes:
        _add_service(periods, catalogue[line.service], line.quantite)
    mailboxes = sum(line.quantite for line in services.lignes if catalogue[line.service].get("messagerie"))
    if mailboxes:
        _add_recurring(
            periods,
            Line(
                menu["accompagnement_messagerie"]["libelle"],
                1,
                _mail_support(menu, mailboxes),
                "TTC",
                f"{mailboxes} boîte(s)",
            ),
        )
    return periods


def _unknown(line: Any, catalogue: dict[str, Any]) -> dict[str, Any]:
    return {"value": line.service, "choices": sorted(catalogue)}


def _add_service(periods: list[Period], entry: dict[str, Any], quantity: int) -> None:
    for tax, key in (("HT", "ht"), ("TTC", "ttc")):
        if entry.get(key) is None:
            continue
        line = Line(entry["libelle"], quantity, price(entry[key]), tax, entry["unite"])
        if entry["annuel"]:
            _add_recurring(periods, line)
        else:
            periods[0].lines.append(line)


def _add_recurring(periods: list[Period], line: Line) -> None:
    for period in periods:
        period.lines.append(line)


def _mail_support(menu: dict[str, Any], boxes: int) -> Any:
    tiers = menu["accompagnement_messagerie"]
    for tier in tiers["paliers"]:
        if boxes <= tier["jusqu_a"]:
            return price(tier["ttc"])
    last = tiers["paliers"][-1]
    beyond = tiers["au_dela"]
    extra = -(-(boxes - last["jusqu_a"]) // beyond["par"])
    return price(last["ttc"]) + price(beyond["ttc"]) * extra


def _tariff_act(grid: dict[str, Any], convention: Convention) -> str:
    """ "la délibération du conseil d’administration du CDG 62 du 9 février 2023": the act of the
    convention's CDG that set the grid, named with the CDG's designation ("" when the grid has none)."""
    act = (grid.get("actes") or {}).get(str(getattr(convention, "cdg", "")))
    cdg = next((party for party in convention.parties if party.role == "cdg"), None)
    if act is None or cdg is None:
        return ""
    name = cdg.designation or denomination(cdg.nature, cdg.nom, liaison=cdg.liaison, article=cdg.article)
    return named_act(Autorisation(**act), cdg.nature, designation_forms(name)["de"])


def _collectivite_nature(convention: Convention) -> str:
    return next((p.nature for p in convention.parties if p.role == "collectivite"), "")


def _with_procedures(periods: list[Period], grid: dict[str, Any], services: Any, nature: str) -> str | None:
    """Add the « Démarches simplifiées » lines of the body's category; return the category letter."""
    if not services.demarches_simplifiees:
        return None
    table = grid["demarches_simplifiees"]
    row = _category(table["categories"], services, nature)
    label = f"{table['libelle']} – catégorie {row['categorie']}"
    _add_recurring(periods, Line(label, 1, price(row["service_ht"]), "HT", "service annuel"))
    periods[0].lines.append(Line(label, 1, price(row["mise_en_service_ttc"]), "TTC", "mise en service"))
    support = Line(label, 1, price(row["accompagnement_ttc"]), "TTC", "accompagnement annuel")
    _add_recurring(periods, support)
    return str(row["categorie"])


def _category(rows: list[dict[str, Any]], services: Any, nature: str) -> dict[str, Any]:
    commune = nature == "commune"
    field, key = ("population", "habitants_max") if commune else ("agents", "agents_max")
    size = getattr(services, field)
    if size is None:
        base = "de la population de la commune" if commune else "du nombre d’agents"
        label = "Population (habitants)" if commune else "Nombre d’agents"
        raise CalculationError(
            [Issue("services.effectif_manquant", f"services.{field}", {"base": base, "label": label})]
        )
    return next(row for row in rows if row[key] is None or size <= row[key])


def _view(grid: dict[str, Any], heading: str, periods: list[Period], services: Any) -> dict[str, Any]:
    return {
        "offre": heading,
        "valable_du": grid["valable_du"],
        "debut": services.debut,
        "periodes": [period.view() for period in periods],
        "total_duree": initial_term_totals(periods, 2),
    }
