"""A groupement de commandes of N members (the sample's coordonnateur and founders, then real
communes of the Pas-de-Calais with their mayors), for the benchmarks of issue 30."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from conventum.geo import geography
from conventum.model.loading import load_data

ROOT = Path(__file__).resolve().parent.parent
TYPE = "groupement-commandes"
FIRST_NAMES = ("Anne", "Bruno", "Claire", "Denis", "Élise", "Fabrice", "Gaëlle", "Hugo")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lefebvre", "Leroy", "Moreau", "Durand", "Lambert")


def groupement_data(members: int) -> dict[str, Any]:
    """The sample with ``members`` parties: its own first, then communes (each distinct)."""
    data = load_data(ROOT / "samples" / f"{TYPE}.yaml")
    own = data["parties"][:members]
    geo = geography()
    communes = sorted(
        (c for c in geo.communes_of_departement("62") if len(geo.communes_named(c.nom)) == 1),
        key=lambda c: c.nom,
    )
    extra = []
    for number in range(members - len(own)):
        commune = communes[number]
        extra.append(
            {
                "role": "membre",
                "nature": "commune",
                "nom": commune.nom,
                "adresse": {
                    "voie": f"{number + 1} place de la Mairie",
                    "code_postal": commune.codes_postaux[0],
                    "commune": commune.nom,
                },
                "representant": {
                    "civilite": "Madame" if number % 2 else "Monsieur",
                    "prenom": FIRST_NAMES[number % len(FIRST_NAMES)],
                    "nom": LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)],
                    "qualite": "maire",
                },
            }
        )
    data["parties"] = copy.deepcopy(own) + extra
    return data
