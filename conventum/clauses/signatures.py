"""A party's signature block: who signs for whom, in what quality, and the name.

>>> block("la Commune du Portel", "Le Maire", None, "Anne DURAND")["lignes"]
['Pour la Commune du Portel,', 'Le Maire,', 'Anne DURAND']
>>> block("la Commune du Portel", "La Première adjointe", "le Maire", "Anne DURAND")["lignes"]
['Pour le Maire et par délégation,', 'La Première adjointe,', 'Anne DURAND']
"""

from __future__ import annotations

from typing import Any


def block(denomination: str, title: str, delegating: str | None, name: str, when: str = "") -> dict[str, Any]:
    """The lines of the block: "Pour …," then the title, then (after room to sign) the name.

    ``delegating`` is the authority the signer holds a delegation from ("le Maire"): the block
    then says so, as the paragraph of the party did ("Pour le Maire et par délégation,").
    ``when`` is the date line some conventions put first ("Le 2 octobre 2023").
    """
    pour = f"Pour {delegating} et par délégation," if delegating else f"Pour {denomination},"
    return {
        "date": when,
        "pour": pour,
        "titre": f"{title},",
        "nom": name,
        "par_delegation": bool(delegating),
        "lignes": [pour, f"{title},", name],
    }
