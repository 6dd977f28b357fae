"""The errata of each type, read from its page in docs/types: the seed's words and conventum's.

Tests compare a rendered document with its seed after these corrections, and no others.
"""

from __future__ import annotations

import re

from conventum.french.typography import accent_capitals, lower_after_semicolon, ordinal_abbreviation
from tests.support import ROOT, normalise

DOCS = ROOT / "docs" / "types"
_ROW = re.compile(r"^\|(?P<seed>[^|]+)\|(?P<ours>[^|]+)\|[^|]*\|\s*$")


def errata(type_name: str) -> list[tuple[str, str]]:
    """The (seed, conventum) pairs of the type's Errata table."""
    path = DOCS / f"{type_name}.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    section = text.split("## Errata", 1)[1] if "## Errata" in text else ""
    pairs = []
    for line in section.splitlines():
        match = _ROW.match(line)
        if match and not set(match["seed"].strip()) <= {"-"} and match["seed"].strip() != "Texte d’origine":
            pairs.append((normalise(match["seed"]), normalise(match["ours"])))
    return pairs


def typographic(text: str) -> str:
    """The seed as French typography writes it (docs/types/README.md): one apostrophe (’), « » for
    straight quotes, accented capitals, "6e", no capital after ";" — the corrections every document takes, not listed."""
    text = lower_after_semicolon(accent_capitals(ordinal_abbreviation(text.replace("'", "’"))))
    return re.sub(r'"([^"]*)"', lambda match: f"« {match.group(1).strip()} »", text)


def corrected(type_name: str, seed_text: str) -> str:
    """The seed's normalised text, typographic, with the type's errata applied."""
    text = typographic(normalise(seed_text))
    for before, after in errata(type_name):
        seed_words, ours = typographic(before), typographic(after)
        if seed_words in text:
            text = text.replace(seed_words, ours)
    return text
