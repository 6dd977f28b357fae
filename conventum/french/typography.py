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


def typography_faults(text: str) -> list[str]:
    """Every plain space of the text where French typography needs a no-break one, in French.

    >>> faults = typography_faults("le 3 mars, « oui »")
    >>> faults[:2]
    ['espace ordinaire avant « » »', 'espace ordinaire après « « »']
    >>> faults[2]
    'espace ordinaire entre le jour et le mois'
    """
    found: list[str] = []
    for pattern, label in _FAULTS:
        for match in pattern.finditer(text):
            following = text[match.end() : match.end() + 1]
            found.append(label.format(sign=following))
    return found
