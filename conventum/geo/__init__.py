"""The official geography of France: communes, EPCI, départements and régions, with their codes,
names, articles and postal codes (Code officiel géographique of the INSEE, EPCI of the DGCL, postal
codes of La Poste, via Etalab's @etalab/decoupage-administratif, Licence Ouverte). A base-level
référentiel: it imports only errors, issues, messages, model, french and the standard library."""

from conventum.geo.data import Commune, Departement, Epci, FormerCommune, Region
from conventum.geo.lookup import Geography, geography, load_geography
from conventum.geo.names import EPCI_NATURES, article_of, fold

__all__ = [
    "EPCI_NATURES",
    "Commune",
    "Departement",
    "Epci",
    "FormerCommune",
    "Geography",
    "Region",
    "article_of",
    "fold",
    "geography",
    "load_geography",
]
