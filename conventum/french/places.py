"""Place names after a preposition: "au Cateau-Cambrésis", "aux Rues-des-Vignes", "d’Arras".

French contracts the article that is part of a town's name with "à" and "de"
(à + Le → au, à + Les → aux, de + Le → du, de + Les → des) and keeps it
otherwise ("à La Bassée", "de L’Isle-Adam"); "de" elides before a vowel or a mute h
("d’Arras", "d’Hazebrouck"). The article is guessed from the spelling unless the
caller knows it: ``article=`` takes the INSEE "type de nom" (TNCC, 0 to 8, as the
Code officiel géographique gives it) or the article itself ("le", "la", "les",
"l’", "" for none), so official data can be fed in without changing any caller.

>>> town_phrase("Le Cateau-Cambrésis", "à"), town_phrase("Les Rues-des-Vignes", "à")
('au Cateau-Cambrésis', 'aux Rues-des-Vignes')
>>> town_phrase("Le Cateau-Cambrésis", "de"), town_phrase("Les Rues-des-Vignes", "de")
('du Cateau-Cambrésis', 'des Rues-des-Vignes')
>>> town_phrase("La Bassée", "à"), town_phrase("La Bassée", "de")
('à La Bassée', 'de La Bassée')
>>> town_phrase("L'Isle-Adam", "à"), town_phrase("L’Isle-Adam", "de")
('à L’Isle-Adam', 'de L’Isle-Adam')
>>> town_phrase("Lille", "à"), town_phrase("Arras", "de"), town_phrase("Lille", "de")
('à Lille', 'd’Arras', 'de Lille')
>>> town_phrase("Cateau-Cambrésis", "à", article=2)
'au Cateau-Cambrésis'
>>> town_phrase("Harnes", "de"), town_phrase("Hazebrouck", "de")
('de Harnes', 'd’Hazebrouck')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

APOSTROPHE = "’"
ELIDING = "aeiouyàâäéèêëîïôöùûüœæh"
Preposition = Literal["à", "de", ""]

# INSEE "type de nom en clair" (TNCC) → the article that opens the name.
TNCC_ARTICLES = {0: "", 1: "", 2: "le", 3: "la", 4: "les", 5: "l’", 6: "aux", 7: "las", 8: "los"}
# TNCC 0 says "de" (consonant or aspirated h), 1 says "d’" (vowel or mute h).
TNCC_NO_ELISION = 0
CONTRACTIONS = {
    ("à", "le"): "au",
    ("à", "les"): "aux",
    ("de", "le"): "du",
    ("de", "les"): "des",
    ("à", "aux"): "aux",
    ("de", "aux"): "des",
}
# Town names whose initial h is aspirated: "de Harnes", never "d’Harnes".
ASPIRATED_H = frozenset({"Ham", "Harnes", "Hautmont", "Hem"})


def typographic_apostrophes(text: str) -> str:
    """The typewriter apostrophe ' as the typographic ’ (names, data text).

    >>> typographic_apostrophes("Val-d'Oise")
    'Val-d’Oise'
    """
    return text.replace("'", APOSTROPHE)


@lru_cache(maxsize=4096)  # pure: the same names again and again
def split_article(name: str, article: str | int | None = None) -> tuple[str, str, bool | None]:
    """The name's own article (lower case, "" for none), the rest, and whether "de" elides.

    The third value is None when it is to be guessed from the first letter.

    >>> split_article("Le Portel"), split_article("L'Isle-Adam"), split_article("Lille")
    (('le', 'Portel', None), ('l’', 'Isle-Adam', None), ('', 'Lille', None))
    >>> split_article("Cateau-Cambrésis", "Le")
    ('le', 'Cateau-Cambrésis', None)
    >>> split_article("Harnes", 0)
    ('', 'Harnes', False)
    """
    name = typographic_apostrophes(name.strip())
    elides: bool | None = None
    if isinstance(article, int) and article not in TNCC_ARTICLES:
        article = None  # no INSEE name type: the article is read from the name (data are checked elsewhere)
    if isinstance(article, int):
        elides = None if article > 1 else article != TNCC_NO_ELISION
        article = TNCC_ARTICLES[article]
    if article is not None:
        wanted = typographic_apostrophes(article.strip()).lower()
        return wanted, _without(name, wanted), elides
    for candidate in ("les ", "le ", "la ", "aux ", "l’"):
        if name.lower().startswith(candidate) and len(name) > len(candidate):
            return candidate.strip(), name[len(candidate) :], None
    return "", name, None


def _without(name: str, article: str) -> str:
    """The name without its article, whether or not the caller wrote it."""
    if not article:
        return name
    opening = article if article.endswith(APOSTROPHE) else article + " "
    return name[len(opening) :] if name.lower().startswith(opening) else name


def _elides(word: str) -> bool:
    return bool(word) and word[0].lower() in ELIDING and word not in ASPIRATED_H


@lru_cache(maxsize=4096)  # pure: the same towns again and again
def town_phrase(name: str, preposition: Preposition = "à", *, article: str | int | None = None) -> str:
    """The town after "à" or "de" (or alone, ``""``), its article contracted or kept.

    An article kept after a preposition keeps the capital of the official name
    ("à La Bassée"); a contracted one is lower case ("au Cateau-Cambrésis").

    >>> town_phrase("Le Portel", "")
    'Le Portel'
    >>> town_phrase("Isle-Adam", "de", article=5)
    'de L’Isle-Adam'
    >>> town_phrase("Amiens", "de", article="")
    'd’Amiens'
    """
    own, rest, elides = split_article(name, article)
    if own:
        written = (own[:1].upper() + own[1:]) + ("" if own.endswith(APOSTROPHE) else " ") + rest
        contracted = CONTRACTIONS.get((preposition, own))
        if contracted:
            return f"{contracted} {rest}"
        return f"{preposition} {written}" if preposition else written
    if preposition == "de" and (elides if elides is not None else _elides(rest)):
        return f"d{APOSTROPHE}{rest}"
    return f"{preposition} {rest}" if preposition else rest


def town_name(name: str, *, article: str | int | None = None) -> str:
    """The town's name as written alone, its article capitalised: "Le Cateau-Cambrésis".

    >>> town_name("Cateau-Cambrésis", article=2), town_name("l'Isle-Adam")
    ('Le Cateau-Cambrésis', 'L’Isle-Adam')
    """
    return town_phrase(name, "", article=article)


def street_phrase(street: str) -> str:
    """Where a seat is, after "se situe": "11 bis rue de Signier", "à l’Hôtel du Département", "au siège".

    A street number or a street type stands alone; a place opening with an article
    takes "à", contracted ("au siège de Région").

    >>> street_phrase("11 bis rue de Signier"), street_phrase("l'Hôtel du Département, rue Paul Doumer")
    ('11 bis rue de Signier', 'à l’Hôtel du Département, rue Paul Doumer')
    >>> street_phrase("le siège de Région, 151 boulevard du Président Hoover")
    'au siège de Région, 151 boulevard du Président Hoover'
    """
    street = typographic_apostrophes(street.strip())
    lowered = street.lower()
    for opening, written in (("le ", "au "), ("les ", "aux "), ("la ", "à la "), ("l’", "à l’")):
        if lowered.startswith(opening):
            return written + street[len(opening) :]
    return street
