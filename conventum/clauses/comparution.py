"""A party's paragraph ("la comparution"), the same grammar in every convention.

"La Commune du Portel, sise 1 place de la République, 62480 Le Portel, représentée par
Madame Anne DURAND, sa Première adjointe, agissant par délégation du Maire en vertu de
l’arrêté n°2024-15 du 3 mars 2024, dûment autorisée à signer la présente convention par
délibération n°2026-015 du conseil municipal du 12 février 2026"; then
"Ci-après désignée « la Collectivité »" and the party's ordinal ("D’une part").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from conventum.french.grammar import agree, capitalise, starts_with_vowel
from conventum.model.blocks import Adresse

_CEDEX = re.compile(r"\s+cedex(?:\s*\d+)?\s*$", re.IGNORECASE)
SIGNED_DOCUMENT = "la présente convention"  # what a party is authorised to sign, in its paragraph


def without_cedex(town: str) -> str:
    """The town without the CEDEX a clerk may have typed after it: a seat is a town, not a sorting office.

    >>> without_cedex("Laon Cedex"), without_cedex("Arras CEDEX 9"), without_cedex("Cedexville")
    ('Laon', 'Arras', 'Cedexville')
    """
    return _CEDEX.sub("", town.strip())


def postal_seat(address: Adresse, town: str, lead: Callable[[str], str] = str) -> str:
    """The seat as a letter writes it: "Hôtel du Département, rue Ferdinand Buisson, 62018 Arras Cedex".

    The CEDEX follows the postal code, where La Poste wants it, and nowhere else; ``lead``
    writes a street that opens with an article ("à l’Hôtel du Département").
    """
    street = lead(", ".join(part for part in (address.voie, address.complement) if part))
    cedex = " Cedex" if address.cedex else ""
    return f"{street}, {address.code_postal} {without_cedex(town)}{cedex}"


def comparution(
    *,
    denomination: str,
    gender: str,
    seat: str,
    person: str,
    person_gender: str,
    short_quality: str,
    delegation: str,
    authorisation: str,
) -> str:
    """The party's paragraph, without its closing comma.

    >>> text = comparution(denomination="la Commune du Portel", gender="f", seat="1 place, 62480 Le Portel",
    ...     person="Madame Anne DURAND", person_gender="f", short_quality="Maire", delegation="",
    ...     authorisation="par délibération du conseil municipal du 2 mars 2026")
    >>> text[:89]
    'La Commune du Portel, sise 1 place, 62480 Le Portel, représentée par Madame Anne DURAND, '
    >>> text[89:-15]
    'sa Maire, dûment autorisée à signer la présente convention par délibération du conseil municipal'
    """
    # "sa Présidente", but "son Adjointe": French takes "son" before a vowel, whatever the gender.
    possessive = "son" if starts_with_vowel(short_quality) else agree("son", person_gender)
    text = (
        f"{capitalise(denomination)}, {agree('sis', gender)} {seat}, {agree('représenté', gender)} par "
        f"{person}, {possessive} {short_quality}"
    )
    if delegation:
        text += f", {delegation}"
    if authorisation:
        text += f", dûment {agree('autorisé', person_gender)} à signer {SIGNED_DOCUMENT} {authorisation}"
    return text


def for_document(paragraph: str, document: str) -> str:
    """A party's paragraph for another document than the convention ("le présent avenant").

    >>> for_document("…, dûment autorisé à signer la présente convention par …", "le présent avenant")
    '…, dûment autorisé à signer le présent avenant par …'
    """
    return paragraph.replace(f"à signer {SIGNED_DOCUMENT}", f"à signer {document}")


def hereafter(designation: str, gender: str) -> str:
    """ "Ci-après désignée « la Collectivité »" (the no-break spaces inside the quotes).

    >>> hereafter("l’adhérent", "m")
    'Ci-après désigné «\\xa0l’adhérent\\xa0»'
    """
    return f"Ci-après {agree('désigné', gender)} «\u00a0{designation}\u00a0»"
