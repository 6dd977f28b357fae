"""The name of a document downloaded from the form: the convention, the partner, the day
("convention-adhesion-commune-du-portel-2026-03-02.pdf"), as a batch names its files after a party."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote

from conventum.french.grammar import denomination, vocabulary
from conventum.model.catalogue import ConventionType

ARTICLES = re.compile(r"^(?:la|le|les|l’|l')\s*", re.IGNORECASE)


def slug(text: str) -> str:
    """Lower case ASCII words joined by hyphens: "la Commune du Portel" → "la-commune-du-portel"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def partner(ctype: ConventionType, data: Mapping[str, Any]) -> str | None:
    """The first party the clerk gave (the type's fixed parties are the same in every document)."""
    for party in data.get("parties") or []:
        if not isinstance(party, Mapping) or not isinstance(party.get("nom"), str):
            continue
        nature = party.get("nature")
        if isinstance(nature, str) and nature in vocabulary()["natures"]:
            article = party.get("article") if isinstance(party.get("article"), str) else None
            return ARTICLES.sub("", denomination(nature, party["nom"], article=article))
        return str(party["nom"])
    return None


def download_name(ctype: ConventionType, data: Mapping[str, Any], extension: str) -> str:
    """The Content-Disposition of a download: the type's first word, the partner, the signature day."""
    signature = data.get("signature")
    day = signature.get("date") if isinstance(signature, Mapping) else None
    when = str(day) if day else date.today().isoformat()
    kind = ctype.name.split("-", 1)[0]
    who = partner(ctype, data)
    words = [word for word in (slug(kind), slug(who) if who else "", slug(when)) if word]
    name = "-".join(["convention", *words])[:150] + f".{extension}"
    return f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
