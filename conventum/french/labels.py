"""A French label from an identifier written by a form's author: "date_decision" → "Date de la décision".

>>> label_from_identifier("date_decision")
'Date de la décision'
>>> label_from_identifier("nom_representant"), label_from_identifier("code_postal")
('Nom du représentant', 'Code postal')
>>> label_from_identifier("numero_deliberation"), label_from_identifier("date_adhesion")
('Numéro de la délibération', 'Date de l’adhésion')
>>> label_from_identifier("xyz_montants")
'Xyz montants'
"""

from __future__ import annotations

import re

# word as written in identifiers → (French spelling, gender, noun?); adjectives take no "de".
WORDS: dict[str, tuple[str, str, bool]] = {
    "date": ("date", "f", True),
    "decision": ("décision", "f", True),
    "deliberation": ("délibération", "f", True),
    "adhesion": ("adhésion", "f", True),
    "arrete": ("arrêté", "m", True),
    "numero": ("numéro", "m", True),
    "nom": ("nom", "m", True),
    "prenom": ("prénom", "m", True),
    "qualite": ("qualité", "f", True),
    "nature": ("nature", "f", True),
    "civilite": ("civilité", "f", True),
    "adresse": ("adresse", "f", True),
    "commune": ("commune", "f", True),
    "collectivite": ("collectivité", "f", True),
    "adherent": ("adhérent", "m", True),
    "representant": ("représentant", "m", True),
    "signataire": ("signataire", "m", True),
    "signature": ("signature", "f", True),
    "lieu": ("lieu", "m", True),
    "seance": ("séance", "f", True),
    "reunion": ("réunion", "f", True),
    "assemblee": ("assemblée", "f", True),
    "organe": ("organe", "m", True),
    "president": ("président", "m", True),
    "convention": ("convention", "f", True),
    "montant": ("montant", "m", True),
    "effet": ("effet", "m", True),
    "fin": ("fin", "f", True),
    "debut": ("début", "m", True),
    "duree": ("durée", "f", True),
    "objet": ("objet", "m", True),
    "service": ("service", "m", True),
    "services": ("services", "p", True),
    "parties": ("parties", "p", True),
    "annexe": ("annexe", "f", True),
    "code": ("code", "m", True),
    "postal": ("postal", "m", False),
    "electronique": ("électronique", "f", False),
    "municipal": ("municipal", "m", False),
    "syndical": ("syndical", "m", False),
    "departemental": ("départemental", "m", False),
    "permanente": ("permanente", "f", False),
    "complement": ("complément", "m", True),
    "facturation": ("facturation", "f", True),
    "telephone": ("téléphone", "m", True),
    "courriel": ("courriel", "m", True),
    "email": ("courriel", "m", True),
}
VOWELS = tuple("aeiouyhéèêàâîôû")


def label_from_identifier(name: str) -> str:
    """The words of an identifier in French, joined by "de la", "du", "de l’" between nouns."""
    words = [word for word in re.split(r"[_\-\s]+", name.strip().lower()) if word]
    if not words:
        return name
    parts: list[str] = []
    previous_noun = False
    for word in words:
        spelling, gender, noun = WORDS.get(word, (word, "", False))
        if parts and previous_noun and noun:
            parts.append(_of(spelling, gender))
        parts.append(spelling)
        previous_noun = noun
    text = _tidy(" ".join(parts))
    return text[:1].upper() + text[1:]


def _of(word: str, gender: str) -> str:
    if gender == "p":
        return "des"
    if word.startswith(VOWELS):
        return "de l’\u0000"
    return "de la" if gender == "f" else "du"


def _tidy(text: str) -> str:
    return text.replace("\u0000 ", "")
