"""Plain blanks made content controls: dots, underscores, ellipses, "[…]", "[à compléter]", "XXX",
yellow-highlighted runs; each titled from the text around it.

>>> [match.group(0) for match in PLAIN.finditer("sise …………… à ........ (____) [à compléter] XXX X")]
['……………', '........', '____', '[à compléter]', 'XXX']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from conventum.ooxml.namespaces import w
from conventum.ooxml.package import Package
from conventum.word.fields import identifier, short_label
from conventum.word.recognition.places import in_text_box
from conventum.word.recognition.runs import Stretch, run_text, stretches, wrap

PLAIN = re.compile(r"[.…]*…[.…]*…[.…]*|[.…]{4,}|_{3,}|\[[^\[\]\n]{1,60}\]|\bX{3,}\b")
# What a bracket holds when it names nothing: "[…]", "[...]", "[à compléter]".
EMPTY_BRACKET = re.compile(r"^\[\s*(?:[.…\s]*|à\s+compl[ée]ter|a\s+completer|x+)\s*\]$", re.IGNORECASE)
NO_HIGHLIGHT = ("none", "")
STOP_WORDS = {
    "le", "la", "les", "l", "de", "du", "des", "d", "à", "a", "au", "aux", "en", "et", "est", "sont",
    "par", "pour", "un", "une", "sur", "ce", "cette", "son", "sa", "ses", "qui", "que", "dans", "avec",
}  # fmt: skip
CONTEXT_WORDS = 3


@dataclass(frozen=True)
class Skipped:
    """A blank left as it is, and why (reported)."""

    element: etree._Element
    text: str
    reason: str


def blank_controls(package: Package, names: set[str]) -> list[Skipped]:
    """Wrap every plain or highlighted blank of the template's stories; ``names`` are the tags taken."""
    skipped: list[Skipped] = []
    for part, story in package.stories.items():
        if story not in ("document", "header", "footer"):
            continue
        for paragraph in list(package.trees[part].iter(w("p"))):
            if in_text_box(paragraph):
                skipped += [Skipped(paragraph, text, "dans une zone de texte") for text in _found(paragraph)]
                continue
            for stretch in list(stretches(paragraph)):
                _wrap_stretch(stretch, names)
    return skipped


def _found(paragraph: etree._Element) -> list[str]:
    texts = [m.group(0) for s in stretches(paragraph) for m in PLAIN.finditer(s.text)]
    return texts + [run_text(run) for s in stretches(paragraph) for run in s.runs if highlighted(run)]


def _wrap_stretch(stretch: Stretch, names: set[str]) -> None:
    text = stretch.text
    spans = [(m.start(), m.end(), "blanc") for m in PLAIN.finditer(text)]
    spans += [(start, end, "surligne") for start, end in _highlighted_spans(stretch)]
    for start, end, origin in _disjoint(spans):
        runs = stretch.isolate(start, end)
        if not runs:
            continue
        shown = text[start:end]
        label = label_of(shown, text[:start], text[end:])
        for run in runs:
            _unhighlight(run)
        wrap(
            runs,
            label=label,
            tag=unique(identifier(name_source(shown, text[:start], label)), names),
            origin=origin,
        )


def _highlighted_spans(stretch: Stretch) -> Iterator[tuple[int, int]]:
    offset, start = 0, None
    for run in stretch.runs:
        length = len(run_text(run))
        if highlighted(run) and run_text(run).strip():
            start = offset if start is None else start
        elif start is not None:
            yield start, offset
            start = None
        offset += length
    if start is not None:
        yield start, offset


def _disjoint(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans merged (highlighted dots are one blank), last first: splitting keeps offsets."""
    merged: list[tuple[int, int, str]] = []
    for start, end, origin in sorted(spans):
        if merged and start < merged[-1][1]:
            first = merged[-1]
            merged[-1] = (
                first[0],
                max(end, first[1]),
                "surligne" if "surligne" in (origin, first[2]) else origin,
            )
        else:
            merged.append((start, end, origin))
    return merged[::-1]


def highlighted(run: etree._Element) -> bool:
    """A run highlighted (any colour) or shaded yellow: Word's way of saying "fill this in"."""
    properties = run.find(w("rPr"))
    if properties is None:
        return False
    mark = properties.find(w("highlight"))
    if mark is not None and mark.get(w("val"), "") not in NO_HIGHLIGHT:
        return True
    shade = properties.find(w("shd"))
    return shade is not None and shade.get(w("fill"), "").upper() in ("FFFF00", "YELLOW")


def _unhighlight(run: etree._Element) -> None:
    properties = run.find(w("rPr"))
    if properties is None:
        return
    for mark in properties.findall(w("highlight")) + properties.findall(w("shd")):
        properties.remove(mark)


def label_of(shown: str, before: str, after: str) -> str:
    """A blank's label: what its brackets or highlight say, else the text before it.

    >>> label_of("[Nom-Prénom]", "par son maire, ", ""), label_of("……", "Nom du représentant : ", "")
    ('Nom-Prénom', 'Nom du représentant')
    >>> label_of("……", "Le montant de la participation est fixé à ", " euros")
    'participation est fixé à … euros'
    >>> label_of("……", "…… de …… sise ……, à ", " (……)")
    'sise …, à'
    """
    stripped = shown.strip()
    if not PLAIN.fullmatch(stripped) or (stripped.startswith("[") and not EMPTY_BRACKET.match(stripped)):
        return short_label(stripped)
    before, after = PLAIN.sub("…", before), PLAIN.sub("…", after)  # the blanks beside it as "…"
    sentence = re.split(r"[.;:!?]\s|\n|\t", before.rstrip())[-1] if not before.rstrip().endswith(":") else ""
    if before.rstrip().endswith(":"):
        return short_label(re.split(r"[.;!?]\s|\n|\t", before.rstrip()[:-1])[-1].strip())
    words = sentence.split()[-4:]
    following = after.split()[:1]
    tail = f" … {following[0]}" if following and following[0][:1].isalpha() else ""
    return short_label(" ".join(words) + tail) if words else "Blanc à compléter"


def name_source(shown: str, before: str, label: str) -> str:
    """The words a blank's name is made of: its label's, without the little words.

    >>> name_source("……", "Le montant de la participation est fixé à ", "participation est fixé à …")
    'participation fixé'
    """
    words = [word for word in re.findall(r"[\w’'-]+", label) if word.lower().strip("’'") not in STOP_WORDS]
    return " ".join(words[-CONTEXT_WORDS:]) or "blanc"


def unique(name: str, names: set[str]) -> str:
    base = name or "blanc"
    found, suffix = base, 2
    while found in names:
        found, suffix = f"{base}_{suffix}", suffix + 1
    names.add(found)
    return found
