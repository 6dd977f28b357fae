"""French grammar of the parties: natures with their article, agreement, elision.

>>> denomination("commune", "Libercourt")
'la Commune de Libercourt'
>>> denomination("departement", "Nord")
'le Département du Nord'
>>> denomination("departement", "Aisne")
'le Département de l’Aisne'
>>> denomination("region", "Hauts-de-France")
'la Région Hauts-de-France'
>>> agree("représenté", "f"), agree("Président", "f"), agree("Maire", "f")
('représentée', 'Présidente', 'Maire')
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from conventum.french.places import town_phrase, typographic_apostrophes

# The acts a party decides by: their noun and its gender.
DECISION_WORDS = {
    "deliberation": ("délibération", "f"),
    "decision": ("décision", "f"),
    "arrete": ("arrêté", "m"),
}

Gender = Literal["m", "f"]
APOSTROPHE = "’"
VOWELS = "aeiouyàâäéèêëîïôöùûüœæh"
# Words whose feminine is not made by adding "e" (or that do not change).
FEMININE_EXCEPTIONS = {
    "Maire": "Maire",
    "maire": "maire",
    "son": "sa",
    "le": "la",
    "Le": "La",
    "du": "de la",
    "au": "à la",
    "Monsieur": "Madame",
    "M.": "Mme",
    "Directeur": "Directrice",
    "directeur": "directrice",
    "Secrétaire": "Secrétaire",
    "intéressé": "intéressée",
}


@cache
def vocabulary() -> dict[str, Any]:
    """The vocabulary data file (natures, qualités, organes, articles)."""
    text = resources.files("conventum").joinpath("data/vocabulaire.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=4096)  # the same natures, qualités and organes for every party
def normalise_key(value: str) -> str:
    """Turn "Conseil municipal" or "conseil_municipal" into the key "conseil-municipal".

    >>> normalise_key("Comité syndical")
    'comite-syndical'
    >>> normalise_key("conseil d'administration")
    'conseil-d-administration'
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in ascii_text.lower())
    return "-".join(part for part in cleaned.split("-") if part)


def nature_info(nature: str) -> dict[str, str]:
    """The libellé, gender and liaison of a nature key."""
    info: dict[str, str] = vocabulary()["natures"][nature]
    return info


def gender_of_nature(nature: str) -> Gender:
    """Grammatical gender of a party's nature: "f" for la Commune."""
    return "f" if nature_info(nature)["genre"] == "f" else "m"


def gender_of_civility(civilite: str) -> Gender:
    """Gender a representative's civilité commands."""
    return "f" if civilite.lower().startswith(("madame", "mme")) else "m"


def agree(word: str, gender: str) -> str:
    """Make a masculine word agree with a gender: sis → sise, désigné → désignée."""
    if gender != "f":
        return word
    if word in FEMININE_EXCEPTIONS:
        return FEMININE_EXCEPTIONS[word]
    if " " in word:
        return " ".join(agree(part, gender) for part in word.split(" "))
    if word.endswith("e") and not word.endswith("é"):
        return word
    return word + "e"


def starts_with_vowel(word: str) -> bool:
    """Whether "de" elides before this word (de l'Aisne, d'Arras)."""
    return bool(word) and word[0].lower() in VOWELS


def with_article(noun: str, gender: str) -> str:
    """Definite article with elision: "la Commune", "l’Établissement public".

    >>> with_article("Établissement public", "m")
    'l’Établissement public'
    """
    if starts_with_vowel(noun):
        return f"l{APOSTROPHE}{noun}"
    return ("la " if gender == "f" else "le ") + noun


def of_name(name: str, *, article: str | int | None = None) -> str:
    """ "de" before a proper name, contracted or elided as French requires.

    Départements and regions take the article of the vocabulary's table; a town's
    own article is contracted (``article=`` as :func:`conventum.french.places.town_phrase`).

    >>> of_name("Nord"), of_name("Somme"), of_name("Oise"), of_name("Arras"), of_name("Le Portel")
    ('du Nord', 'de la Somme', 'de l’Oise', 'd’Arras', 'du Portel')
    >>> of_name("Val-d'Oise"), of_name("Val-d’Oise"), of_name("Les Rues-des-Vignes")
    ('du Val-d’Oise', 'du Val-d’Oise', 'des Rues-des-Vignes')
    """
    name = typographic_apostrophes(name)
    if article is None:
        known = _named_articles().get(name)
        if known is not None:
            joiner = "" if known.endswith(APOSTROPHE) else " "
            return known + joiner + name
    return town_phrase(name, "de", article=article)


@cache
def _named_articles() -> dict[str, str]:
    """Name → the "de" it takes ("du", "de la", "de l’", "des"), apostrophes made typographic."""
    table: dict[str, str] = {}
    for article, names in vocabulary()["articles_de_noms"].items():
        for name in names:
            table[typographic_apostrophes(str(name))] = typographic_apostrophes(str(article))
    return table


def of_official_name(name: str, article: str) -> str:
    """ "de" + a name, as its official article says: the contracted article replaces the name's own.

    Le and Les contract ("du Cateau-Cambrésis", "des Moëres"); La and L’ do not, and keep their
    capital as part of the name ("de La Bassée", "de L’Isle-Adam"); no elision where the INSEE
    says so ("de Hem", an aspirated h).

    >>> of_official_name("Le Cateau-Cambrésis", "du"), of_official_name("L’Isle-Adam", "de l’")
    ('du Cateau-Cambrésis', 'de L’Isle-Adam')
    >>> of_official_name("Hem", "de"), of_official_name("Hazebrouck", "d’")
    ('de Hem', 'd’Hazebrouck')
    >>> of_official_name("Les Moëres", "des")
    'des Moëres'
    >>> of_official_name("Boulonnais", "du"), of_official_name("Aux Marais", "des")
    ('du Boulonnais', 'des Marais')
    >>> of_official_name("La Bassée", "de la"), of_official_name("Vallée de l’Ubaye", "de la")
    ('de La Bassée', 'de la Vallée de l’Ubaye')
    """
    article = article.replace("'", APOSTROPHE)
    if article in ("de", "d’"):
        return f"{article}{name}" if article == "d’" else f"de {name}"
    contracted = {"du": ("Le ",), "des": ("Les ", "Aux ")}.get(article)
    for prefix in contracted or ():
        if name.startswith(prefix):
            return f"{article} {name[len(prefix) :]}"
    own = article.removeprefix("de ")  # la, l’, las, los: part of the name when the name has it
    if contracted is None and name.casefold().startswith(own.casefold() + ("" if own.endswith("’") else " ")):
        return f"de {name}"
    return f"{article}{name}" if article.endswith(APOSTROPHE) else f"{article} {name}"


def of_noun(noun_phrase: str) -> str:
    """ "de" before a common noun phrase with its article: "de la Commission permanente".

    >>> of_noun("le comité syndical"), of_noun("la Commission permanente"), of_noun("les membres")
    ('du comité syndical', 'de la Commission permanente', 'des membres')
    >>> of_noun("Le Président")
    'du Président'
    """
    if noun_phrase.startswith(("le ", "Le ")):
        return "du " + noun_phrase[3:]
    if noun_phrase.startswith(("les ", "Les ")):
        return "des " + noun_phrase[4:]
    return "de " + noun_phrase


def denomination(
    nature: str, name: str, *, liaison: str | None = None, article: str | int | None = None
) -> str:
    """A party's full name with its article: "la Commune de Libercourt", "la Commune du Portel".

    ``article`` is the name's official link after "de" (the INSEE's, from conventum.geo, as text:
    "du", "de la", "d’"; or the INSEE's type de nom, 0–8): it wins over the guess from the
    spelling ("d’Harnes" for the INSEE; "du Cateau-Cambrésis").

    >>> denomination("commune", "Le Cateau-Cambrésis"), denomination("commune", "L'Isle-Adam")
    ('la Commune du Cateau-Cambrésis', 'la Commune de L’Isle-Adam')
    >>> denomination("ccas", "Arras")
    'le Centre communal d’action sociale d’Arras'
    >>> denomination("commune", "Harnes"), denomination("commune", "Harnes", article="d’")
    ('la Commune de Harnes', 'la Commune d’Harnes')
    """
    info = nature_info(nature)
    label = with_article(info["libelle"], info["genre"])
    link = liaison if liaison is not None else info["liaison"]
    name = typographic_apostrophes(name)
    if link == "apposition":
        return f"{label} {name}"
    if link == "de" and isinstance(article, str):
        return f"{label} {of_official_name(name, article)}"
    if link == "de":
        return f"{label} {of_name(name, article=article)}"
    return f"{label} {link} {name}".replace(" ’", "’").replace("’ ", "’")


def capitalise(text: str) -> str:
    """Upper-case the first letter only: "la Commune" → "La Commune".

    >>> capitalise("l’adhérent")
    'L’adhérent'
    """
    return text[:1].upper() + text[1:]


def organ_phrase(organe: str) -> str:
    """The deliberating body with its article: "le conseil municipal"."""
    info = vocabulary()["organes"].get(organe)
    if info is None:
        return organe
    return with_article(info["libelle"], info["genre"])


def nature_category(nature: str) -> Literal["collectivite", "etablissement"]:
    """Whether a nature is a collectivité territoriale (commune, département, région) or an établissement.

    >>> nature_category("commune"), nature_category("departement"), nature_category("ccas")
    ('collectivite', 'collectivite', 'etablissement')
    """
    return "collectivite" if nature in vocabulary()["familles"]["collectivite"] else "etablissement"


def choose_designation(designation: str | dict[str, str] | None, nature: str) -> str | None:
    """A role's designation: one text, or one per category of nature (the seed's « ou » resolved).

    >>> choice = {"collectivite": "la Collectivité", "etablissement": "l’Établissement"}
    >>> choose_designation(choice, "commune"), choose_designation(choice, "syndicat-mixte")
    ('la Collectivité', 'l’Établissement')
    """
    if isinstance(designation, dict):
        return designation.get(nature_category(nature)) or designation.get(nature)
    return designation


def designation_gender(designation: str) -> Gender:
    """The gender of a designation, from its article ("la Collectivité": f; "l’Établissement": m).

    A designation opening with "l’" is masculine unless its noun is a known feminine one.

    >>> designation_gender("la Collectivité"), designation_gender("le CDG 59")
    ('f', 'm')
    >>> designation_gender("l’adhérent")
    'm'
    >>> designation_gender("La Fibre Numérique 59 62"), designation_gender("l’Agence")
    ('f', 'f')
    """
    text = typographic_apostrophes(designation.strip())
    lowered = text.lower()
    if lowered.startswith("la "):
        return "f"
    if lowered.startswith("l’"):
        noun = text[2:].split(" ")[0]
        feminine = {normalise_key(word) for word in vocabulary()["noms_feminins"]}
        return "f" if normalise_key(noun) in feminine else "m"
    return "m"


def designation_forms(designation: str) -> dict[str, str]:
    """A designation as the body of a convention writes it, after "de", after "à", as a pronoun.

    >>> forms = designation_forms("l’Établissement")
    >>> forms["de"], forms["a"], forms["Texte"], forms["pronom"]
    ('de l’Établissement', 'à l’Établissement', 'L’Établissement', 'il')
    >>> forms = designation_forms("la Collectivité")
    >>> forms["de"], forms["a"], forms["pronom"], forms["Pronom"]
    ('de la Collectivité', 'à la Collectivité', 'elle', 'Elle')
    >>> designation_forms("le CDG 59")["de"], designation_forms("le CDG 59")["a"]
    ('du CDG 59', 'au CDG 59')
    """
    text = typographic_apostrophes(designation.strip())
    gender = designation_gender(text)
    if text.startswith("le "):
        of, to = "du " + text[3:], "au " + text[3:]
    elif text.startswith("les "):
        of, to = "des " + text[4:], "aux " + text[4:]
    else:
        of, to = "de " + text, "à " + text
    pronoun = "elle" if gender == "f" else "il"
    heading = of.upper()  # capitals keep their accents: "DE LA COLLECTIVITÉ", "DE L’ÉTABLISSEMENT"
    return {
        "texte": text,
        "Texte": capitalise(text),
        "de": of,
        "a": to,
        "genre": gender,
        "pronom": pronoun,
        "e": "e" if gender == "f" else "",  # a participle agreed with it: "considéré{{ …e }}"
        "Pronom": capitalise(pronoun),
        # In a heading, alone, after "de", after "à": "LE CDG 59", "DE LA COLLECTIVITÉ", "AU CDG 59".
        "TITRE": text.upper(),
        "TITRE_DE": heading,
        "TITRE_A": to.upper(),
    }


def quality_label(qualite: str, gender: str) -> str:
    """The qualité as written after the name: "Présidente du Conseil départemental"."""
    info = vocabulary()["qualites"].get(qualite)
    if info is None:
        return qualite
    return str(info["feminin"] if gender == "f" else info["masculin"])


# Who presides a party whose president has a longer title (the maire presides the CCAS by law).
PRESIDING = {
    "departement": "president-conseil-departemental",
    "region": "president-conseil-regional",
    "ccas": "maire-president",
}


def delegating_quality(qualite: str, nature: str) -> str | None:
    """The qualité an adjoint or a vice-président signs for: "maire", "president-conseil-departemental".

    >>> delegating_quality("premier-adjoint", "commune"), delegating_quality("vice-president", "departement")
    ('maire', 'president-conseil-departemental')
    >>> delegating_quality("vice-president", "syndicat-mixte"), delegating_quality("maire", "commune")
    ('president', None)
    """
    info = vocabulary()["qualites"].get(qualite) or {}
    delegant = info.get("delegant")
    if not delegant:
        return None
    if delegant == "president":
        return PRESIDING.get(nature, "president")
    return str(delegant)


def delegating_authority(authority: str, nature: str) -> str:
    """The qualité a delegating authority names in a party of this nature: the « president » of a
    département is its Président du Conseil départemental, the « maire » of a CCAS its maire-président.

    >>> delegating_authority("president", "departement"), delegating_authority("maire", "ccas")
    ('president-conseil-departemental', 'maire-president')
    >>> delegating_authority("maire", "commune"), delegating_authority("maire", "departement")
    ('maire', 'maire')
    """
    natures = (vocabulary()["qualites"].get(authority) or {}).get("natures") or []
    if nature in natures or authority not in ("president", "maire"):
        return authority
    presiding = PRESIDING.get(nature)
    return presiding if presiding and (authority == "president" or nature == "ccas") else authority


def authority_label(qualite: str) -> str:
    """The qualité one signs for, as a delegation names it: "Maire", "Président du conseil d’administration".

    >>> authority_label("maire"), authority_label("maire-president")
    ('Maire', 'Président du conseil d’administration')
    """
    info = vocabulary()["qualites"].get(qualite) or {}
    return str(info.get("delegant_libelle") or quality_label(qualite, "m"))


def delegation_phrase(authority: str, act: str = "") -> str:
    """ "agissant par délégation du Maire", with the act of delegation when it is known.

    >>> delegation_phrase("maire", "l’arrêté n°2024-15 du 3 mars 2024")
    'agissant par délégation du Maire en vertu de l’arrêté n°2024-15 du 3 mars 2024'
    >>> delegation_phrase("president-conseil-departemental")
    'agissant par délégation du Président du Conseil départemental'
    """
    phrase = "agissant par délégation " + of_noun(with_article(authority_label(authority), "m"))
    return f"{phrase} en vertu {of_noun(act)}" if act else phrase


def short_quality_label(qualite: str, gender: str) -> str:
    """The qualité after "son" or "sa": "Président", where the full one repeats the party.

    >>> short_quality_label("president-conseil-departemental", "m"), short_quality_label("maire", "f")
    ('Président', 'Maire')
    """
    info = vocabulary()["qualites"].get(qualite) or {}
    short = info.get("court")
    if isinstance(short, dict):
        return str(short["feminin"] if gender == "f" else short["masculin"])
    return quality_label(qualite, gender)
