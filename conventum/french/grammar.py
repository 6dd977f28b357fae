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
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

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


def of_name(name: str) -> str:
    """ "de" before a proper name, contracted or elided as French requires.

    >>> of_name("Nord"), of_name("Somme"), of_name("Oise"), of_name("Arras"), of_name("Le Portel")
    ('du Nord', 'de la Somme', 'de l’Oise', 'd’Arras', 'du Portel')
    """
    for article, names in vocabulary()["articles_de_noms"].items():
        if name in names:
            joiner = "" if article.endswith("'") else " "
            return str(article).replace("'", APOSTROPHE) + joiner + name
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if starts_with_vowel(name):
        return f"d{APOSTROPHE}{name}"
    return "de " + name


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
    """
    if noun_phrase.startswith("le "):
        return "du " + noun_phrase[3:]
    if noun_phrase.startswith("les "):
        return "des " + noun_phrase[4:]
    return "de " + noun_phrase


def denomination(nature: str, name: str, *, liaison: str | None = None, article: str | None = None) -> str:
    """A party's full name with its article: "la Commune de Libercourt".

    ``article`` is the name's official link after "de" (the INSEE's, from conventum.geo): it wins
    over the guess from the spelling ("de Hem", an aspirated h; "du Cateau-Cambrésis").

    >>> denomination("commune", "Hem"), denomination("commune", "Hem", article="de")
    ('la Commune d’Hem', 'la Commune de Hem')
    >>> denomination("commune", "Le Cateau-Cambrésis", article="du")
    'la Commune du Cateau-Cambrésis'
    """
    info = nature_info(nature)
    label = with_article(info["libelle"], info["genre"])
    link = liaison if liaison is not None else info["liaison"]
    if link == "apposition":
        return f"{label} {name}"
    if link == "de" and article is not None:
        return f"{label} {of_official_name(name, article)}"
    if link == "de":
        return f"{label} {of_name(name)}"
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


def quality_label(qualite: str, gender: str) -> str:
    """The qualité as written after the name: "Présidente du Conseil départemental"."""
    info = vocabulary()["qualites"].get(qualite)
    if info is None:
        return qualite
    return str(info["feminin"] if gender == "f" else info["masculin"])
