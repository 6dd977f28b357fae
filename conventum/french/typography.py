"""French typography of text: no-break spaces, apostrophes, guillemets — and the check of it.

The rule conventum follows, in its templates and in the text it writes from data:
a no-break space U+00A0 (the one Word's French autocorrection types, present in every
font) before ; : ! ? » and €, after «, and between a day's number and its month; a
narrow no-break space U+202F between the groups of digits of a number, as Babel
(CLDR's French) writes amounts and counts. The apostrophe is ’ and the quotes « ».

>>> normalise_text('Le projet "Fibre" : l\\'essentiel ; 1 000 € !') == (
...     "Le projet «\\u00a0Fibre\\u00a0»\\u00a0: l’essentiel\\u00a0; 1\\u202f000\\u00a0€\\u00a0!")
True
>>> typography_faults("Total : 12 €")
['espace ordinaire avant « : »', 'espace ordinaire avant « € »']
>>> typography_faults("Total\\u00a0: 12\\u00a0€")
[]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from conventum.french.places import typographic_apostrophes

NBSP = "\u00a0"
NNBSP = "\u202f"
NO_BREAK = NBSP + NNBSP
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"

# Spaces (any number, plain or tab) before the high signs become one no-break space.
_BEFORE = re.compile(r"[ \t\u00a0\u202f]+([;:!?»€])")
# A high sign glued to a word ("Article 1:", "vraiment!") gets its no-break space;
# a colon inside a time, a URL or a number ("10:30", "https://") is left alone.
_GLUED = re.compile(r"(?<=[\w)»])([;!?»])(?=\s|$)|(?<=[^\W\d_])(:)(?=\s|$)")
_AFTER_OPENING = re.compile(r"«[ \t\u00a0\u202f]*")
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}|1er) (?=(?:{MONTHS})\b)")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]*)"')


def normalise_text(text: str) -> str:
    """Text from data written as French typography wants it; words and signs unchanged otherwise.

    Straight quotes in pairs become « », the typewriter apostrophe ’, and the
    spaces around high signs, inside amounts and between a day and its month
    no-break spaces. Idempotent: normalising twice changes nothing more.

    >>> normalise_text("le 3 mars 2024, à l'Hôtel du Département")
    'le 3\\xa0mars 2024, à l’Hôtel du Département'
    >>> normalise_text("https://exemple.fr à 10:30") == "https://exemple.fr à 10:30"
    True
    >>> normalise_text(normalise_text("« oui » ; non")) == normalise_text("« oui » ; non")
    True
    """
    if not text:
        return text
    return _normalised(text) if len(text) <= KEPT_LENGTH else _normalise(text)


# Short texts are kept once normalised: a batch's common data and its towns recur in every row.
KEPT_LENGTH = 300


@lru_cache(maxsize=8192)
def _normalised(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
    text = _DOUBLE_QUOTES.sub(lambda match: f"«{NBSP}{match.group(1).strip()}{NBSP}»", text)
    text = typographic_apostrophes(text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    text = _BEFORE.sub(lambda match: NBSP + match.group(1), text)
    text = _GLUED.sub(lambda match: NBSP + (match.group(1) or match.group(2)), text)
    text = _DIGIT_GROUP.sub(NNBSP, text)
    return _DAY_MONTH.sub(lambda match: match.group(1) + NBSP, text)


def normalise_values(value: Any) -> Any:
    """Every string inside a tree of dicts and lists through :func:`normalise_text` (other values kept).

    >>> normalise_values({"a": ["x ; y", 3], "b": "l'an"})
    {'a': ['x\xa0; y', 3], 'b': 'l’an'}
    """
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {key: normalise_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise_values(item) for item in value]
    return value


# What the check looks for: a plain space where a no-break one belongs.
_FAULTS = (
    (re.compile(r" (?=[;:!?»])"), "espace ordinaire avant « {sign} »"),
    (re.compile(r"(?<=«) "), "espace ordinaire après « « »"),
    (re.compile(r"(?<=\d) (?=€)"), "espace ordinaire avant « € »"),
    (re.compile(r"(?<=\d) (?=\d{3}(?:[\s,.\u00a0\u202f]|$))"), "espace ordinaire dans un nombre"),
    (re.compile(rf"\b(?:\d{{1,2}}|1er) (?=(?:{MONTHS})\b)"), "espace ordinaire entre le jour et le mois"),
)


# Capitals keep their accents in French (Imprimerie nationale): the words the seeds and the
# assemblies' files write without them, and how they are written. One table for the check, for
# the templates' builder (tools/docxbuild.py) and for the tests reading the seeds.
ACCENTED_CAPITALS = {
    word.translate(str.maketrans("ÉÈÊÀÂÎÔÛÇ", "EEEAAIOUC")): word
    for word in (
        "DÉLIBÉRATION",
        "RÉUNION",
        "PRÉSIDENCE",
        "DÉCIDE",
        "DÉPARTEMENT",
        "DÉPARTEMENTAL",
        "SIGNÉ",
        "ENTRÉE",
        "DURÉE",
        "NUMÉRIQUE",
        "NUMÉRIQUES",
        "ADHÉSION",
        "D’ADHÉSION",
        "PRÉAMBULE",
        "MODALITÉS",
        "RÈGLEMENT",
        "RÉSILIATION",
        "DÉMATÉRIALISATION",
        "ACCÈS",
        "D’ACCÈS",
        "ASSOCIÉS",
        "FINANCIÈRE",
        "FINANCIÈRES",
        "RÉALISÉES",
        "RESPONSABILITÉ",
        "RESPONSABILITÉS",
        "PRÉCISIONS",
        "DÉFINITION",
        "ACTIVITÉ",
        "ACTIVITÉS",
        "L’ACTIVITÉ",
        "COLLECTIVITÉ",
        "L’ADHÉRENT",
        "COMPLÉMENTAIRES",
        "MARCHÉS",
        "À",
        "PRÉSIDENT",
        "PRÉSIDENTE",
        "ÉTABLISSEMENT",
        "L’ÉTABLISSEMENT",
        "RÉGION",
        "GÉNÉRALES",
        "GÉNÉRAL",
    )
}
_UNACCENTED = re.compile(
    r"(?<![\w’'])("
    + "|".join(sorted(map(re.escape, ACCENTED_CAPITALS), key=len, reverse=True))
    + r")(?![\w’'])"
)
# A lone "A" is the preposition only between capitals ("A LA CENTRALE"), never an initial.
_ORDINAL = re.compile(r"\b(\d+)(?:ème|eme|è|ième|ere|ère)\b")
_PLAIN_AFTER_TITLE = re.compile(r"\b(?:M\.|Mme|MM\.|Mmes) (?=[A-ZÀ-Ý])")


# After a semicolon the sentence goes on: no capital ("besoins ; en fonction des circonstances").
# The check knows the words that open a clause (articles, pronouns, prepositions, conjunctions);
# one followed by a capitalised word opens a proper name ("; Le Portel", "; La Fibre Numérique").
_CLAUSE_OPENERS = (
    "Le|La|Les|L|Un|Une|Des|Du|De|D|Au|Aux|À|Il|Ils|Elle|Elles|On|Ce|Cet|Cette|Ces|Ceci|Cela|"
    "Celui|Celle|Ceux|Celles|Chaque|Son|Sa|Ses|Leur|Leurs|Tout|Toute|Tous|Toutes|Aucun|"
    "Aucune|En|Dans|Pour|Par|Sur|Sous|Si|S|Sauf|Selon|Afin|Après|Avant|Dès|Lorsque|Lorsqu|"
    "Quand|Mais|Et|Ou|Or|Car|Donc|Puis|Enfin|Toutefois|Cependant|Néanmoins|Notamment|Ainsi|"
    "Qui|Que|Qu|Dont|Ne|N|Nous|Vous|Y"
)
_CAPITAL_AFTER_SEMICOLON = re.compile(
    r"(;[ \t\u00a0\u202f]+)(" + _CLAUSE_OPENERS + r")"
    r"(?=[’']|[ \u00a0](?![A-ZÀ-Ý]))(?![’'][A-ZÀ-Ý])"
)


def lower_after_semicolon(text: str) -> str:
    """A clause opened after a semicolon without its capital; proper names keep theirs.

    >>> lower_after_semicolon("de ses besoins ; En fonction des circonstances ; L’adhérent")
    'de ses besoins ; en fonction des circonstances ; l’adhérent'
    >>> lower_after_semicolon("responsable ; La Fibre Numérique 59 62 ; Le Portel ; L’Orée de Mormal")
    'responsable ; La Fibre Numérique 59 62 ; Le Portel ; L’Orée de Mormal'
    """
    return _CAPITAL_AFTER_SEMICOLON.sub(lambda m: m.group(1) + m.group(2).lower(), text)


def accent_capitals(text: str) -> str:
    """Capitals with their accents: "ARTICLE 2. ENTREE EN VIGUEUR" → "ARTICLE 2. ENTRÉE EN VIGUEUR".

    Only words written in capitals change (a word of the table, whole); "A" becomes "À" only
    between words in capitals.

    >>> accent_capitals("A LA CENTRALE D’ACHATS DU SYNDICAT MIXTE LA FIBRE NUMERIQUE")
    'À LA CENTRALE D’ACHATS DU SYNDICAT MIXTE LA FIBRE NUMÉRIQUE'
    >>> accent_capitals("Annexe A de la convention. A défaut d’accord")
    'Annexe A de la convention. À défaut d’accord'
    """
    text = typographic_apostrophes(text) if "'" in text else text

    def fixed(match: re.Match[str]) -> str:
        word = match.group(1)
        if word == "A":
            before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
            next_word = after.split(" ", 1)[0] if after else ""
            prev_word = before.rsplit(" ", 1)[-1] if before else ""
            next_caps = not next_word or (next_word.isupper() and len(next_word) > 1)
            prev_caps = not prev_word or prev_word.isupper()
            capitals = next_caps and prev_caps and bool(next_word or prev_word)
            # "A défaut d’accord", "A ce titre": the preposition opening a sentence.
            opening = (not prev_word or prev_word.endswith(".")) and next_word[:1].islower()
            return "À" if capitals or opening else word
        return ACCENTED_CAPITALS[word]

    return _UNACCENTED.sub(fixed, text)


def ordinal_abbreviation(text: str) -> str:
    """ "6ème" → "6e", "1ère" → "1re" (the abbreviations of French typography).

    >>> ordinal_abbreviation("la 6ème commission, la 1ère réunion")
    'la 6e commission, la 1re réunion'
    """
    return _ORDINAL.sub(
        lambda m: m.group(1) + ("re" if m.group(1) == "1" and "r" in m.group(0) else "e"), text
    )


def typography_faults(text: str, *, signs: bool = True) -> list[str]:
    """Every plain space of the text where French typography needs a no-break one, in French.

    >>> faults = typography_faults("le 3 mars, « oui »")
    >>> faults[:2]
    ['espace ordinaire avant « » »', 'espace ordinaire après « « »']
    >>> faults[2]
    'espace ordinaire entre le jour et le mois'
    >>> typography_faults("ses besoins\u00a0; En fonction des circonstances"), typography_faults("A défaut")
    (['capitale après « ; » (« En »)'], ['capitale sans accent « A »'])
    >>> typography_faults("responsable\u00a0; La Fibre Numérique 59 62 agit\u00a0; Le Portel aussi")
    []
    """
    found: list[str] = []
    for pattern, label in _FAULTS:
        for match in pattern.finditer(text):
            following = text[match.end() : match.end() + 1]
            found.append(label.format(sign=following))
    if not signs:  # spaces only: a document conventum did not write (a Word file of the corpus)
        return found
    found += [f"guillemets droits (« {m.group()[:30]} »)" for m in _DOUBLE_QUOTES.finditer(text)]
    if "'" in text:
        found.append("apostrophe droite « ' » (l’apostrophe est « ’ »)")
    found += [f"ordinal « {m.group()} » (1re, 2e, 6e)" for m in _ORDINAL.finditer(text)]
    found += [f"espace ordinaire après « {m.group().strip()} »" for m in _PLAIN_AFTER_TITLE.finditer(text)]
    found += [f"capitale après « ; » (« {m.group(2)} »)" for m in _CAPITAL_AFTER_SEMICOLON.finditer(text)]
    found += [
        f"capitale sans accent « {m.group(1)} »"
        for m in _UNACCENTED.finditer(text)
        if accent_capitals(text[: m.end()] + text[m.end() : m.end() + 40])[m.start() : m.end()] != m.group(1)
    ]
    return found
