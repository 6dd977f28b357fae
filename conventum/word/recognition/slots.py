"""What each blank of a party's paragraph holds, read from its kind, its title and the words before it.

>>> plain("Représenté(e) par son maire, "), plain("dont la mairie / le siège est situé ")
('represente(e) par son maire,', 'dont la mairie / le siege est situe')
"""

from __future__ import annotations

import re
import unicodedata

from conventum.french.grammar import vocabulary
from conventum.word.controls import Control

# A slot → where its value is in a party's context (``{{ collectivite.adresse.commune }}``).
SLOT_PATHS = {
    "nature": "nature_libelle",
    "nom": "nom",
    "voie": "adresse.rue",
    "commune": "adresse.commune",
    "code_postal": "adresse.code_postal",
    "representant": "representant.nom_complet",
    "qualite": "representant.qualite",
    "organe": "autorisation.organe",
    "date": "autorisation.date",
    "numero": "autorisation.numero",
}
SLOT_WORDS = {  # the words of a blank's title or placeholder that say what it holds, most telling first
    "code_postal": ("code postal", "cp"),
    "qualite": ("qualite", "fonction"),
    "representant": ("representant", "nom prenom", "nom-prenom", "prenom", "signataire"),
    "organe": ("organe", "assemblee", "instance", "conseil"),
    "numero": ("numero", "n°"),
    "date": ("date",),
    "nature": ("nature", "type de"),
    "voie": ("adresse", "rue", "voie", "siege"),
    "commune": ("commune", "ville", "localite"),
    "nom": ("nom", "denomination", "collectivite", "adherent", "etablissement", "epci", "raison sociale"),
}
CONTEXT = (  # the words just before a blank (accents and capitals aside), and the slot they announce
    (
        "voie",
        re.compile(r"(?:\bsise?|situee?|siege(?: social)?(?: est situe| se situe)?|domiciliee?)(?: a| au)?$"),
    ),
    (
        "representant",
        re.compile(r"represente(?:e|\(e\))? par(?: (?:son|sa) \w+,?)?(?: m\.| mme| monsieur| madame)?$"),
    ),
    ("numero", re.compile(r"(?:n°|numero)$")),
)


def plain(text: str) -> str:
    """Lower case without accents, spaces folded: how the words around a blank are compared."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(bare.split())


def hint_of(control: Control) -> str:
    return plain(" ".join(part for part in (control.alias, control.tag, control.placeholder) if part))


def choice_slot(control: Control) -> str | None:
    """ "nature" or "qualite" for a list whose items are natures or qualités."""
    if not control.items:
        return None
    words = {plain(text) for pair in control.items for text in pair}
    natures = {plain(key) for key in vocabulary()["natures"]} | {
        plain(info["libelle"]) for info in vocabulary()["natures"].values()
    }
    if any(_bare(word) in natures for word in words):
        return "nature"
    qualities = {plain(key) for key in vocabulary()["qualites"]} | {
        plain(info["masculin"]) for info in vocabulary()["qualites"].values()
    }
    return "qualite" if any(_bare(word) in qualities for word in words) else None


def _bare(word: str) -> str:
    return re.sub(r"^(?:la|le|les|l') ?", "", word)


def slot_of(control: Control, before: str, previous: str | None) -> str | None:
    """The slot of one blank, ``before`` the text since the previous blank, ``previous`` its slot."""
    context = plain(before).rstrip(" :")
    hint = hint_of(control)
    found = choice_slot(control) or ("date" if control.kind == "date" else None)
    if found or re.search(r"\bnature\b", hint):
        return found or "nature"
    if previous in (None, "nature") and re.search(r"(?:^|\b(?:de|du|d'))$", context):
        return "nom"
    if previous == "nom" and ("/" in context or context.strip(" ,") == "ou"):
        return "nom"  # "La Commune de [ville] / l'EPCI [EPCI]": another name of the same party
    for slot, pattern in CONTEXT:
        if pattern.search(context.rstrip(" ,")):
            return slot
    return _by_words(hint) or _by_context(context, previous)


def _by_context(context: str, previous: str | None) -> str | None:
    if context.endswith("(") and previous == "commune":
        return "code_postal"
    if re.search(r"(?:^|,| )(?:a|au|aux)$", context) and previous in ("voie", "code_postal"):
        return "commune"
    if previous == "representant" and re.fullmatch(
        r",? ?(?:son|sa|en sa qualite de|agissant en qualite de)?", context
    ):
        return "qualite"
    if previous in ("organe", "numero") and re.search(r"(?:du|en date du|le)$", context):
        return "date"
    if re.search(r"(?:deliberation|decision|autorise(?:e|\(e\))?)\b.*(?:par|du|de la|de|decision)$", context):
        return "organe"
    return None


def _by_words(hint: str) -> str | None:
    for slot, words in SLOT_WORDS.items():
        if any(re.search(rf"(?:^|\W){re.escape(word)}(?:$|\W)", hint) for word in words):
            return slot
    return None
