"""Conventions written as offices write them, from seed 002's own text, with the collectivité's details
as each of the three kinds of blanks: content controls (as the seed's original), mail-merge fields
(simple and complex), plain blanks (dots, underscores, brackets, XXX, a highlighted run)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support import between, seed
from tools.content_controls_fixture import (
    CDG,
    FIBRE_002,
    GENERIC_LIST,
    QUALITES,
    build,
    date_picker,
    drop_down,
    paragraph,
    table,
    text_control,
)

NATURES = [
    ("commune", "La Commune"),
    ("ccas", "Le Centre communal d’action sociale"),
    ("communaute-d-agglomeration", "La Communauté d’agglomération"),
    ("communaute-de-communes", "La Communauté de communes"),
]
AUTHORISED = " dûment autorisé à signer la présente convention par décision "
HEREAFTER = "Ci-après désignée « la Collectivité » ou « l’établissement public »"
# The seed's text around the parties, kept word for word by the import (checked by the tests).
PREAMBLE_START, PREAMBLE_END = "Les outils et services numériques", "Ceci étant exposé"
KINDS = ("controles", "fusion", "blancs")


def preamble() -> str:
    return between(seed("002"), PREAMBLE_START, PREAMBLE_END)


def merge_complex(name: str) -> str:
    """A complex MERGEFIELD: begin, code, separate, «Name» shown, end."""
    return (
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        f"<w:r><w:instrText xml:space='preserve'> MERGEFIELD {name} \\* MERGEFORMAT </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        f"<w:r><w:t>«{name}»</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
    )


def merge_simple(name: str) -> str:
    return f"<w:fldSimple w:instr=' MERGEFIELD {name} '><w:r><w:t>«{name}»</w:t></w:r></w:fldSimple>"


def highlighted(text: str) -> str:
    return f"<w:r><w:rPr><w:highlight w:val='yellow'/></w:rPr><w:t xml:space='preserve'>{text}</w:t></w:r>"


def _party(kind: str) -> list[str]:
    """Seed 002's third party, its blanks of one kind."""
    if kind == "controles":
        blanks = [
            drop_down(GENERIC_LIST, NATURES),
            text_control("Nom de l’adhérent."),
            text_control("Adresse."),
            text_control("Commune."),
            text_control("Code postal."),
            text_control("Nom du représentant.", tag="representant"),
            drop_down(GENERIC_LIST, QUALITES, tag="qualite"),
            text_control("Organe délibérant."),
            date_picker("d MMMM yyyy"),
        ]
    elif kind == "fusion":
        names = ["Nature", "Nom_adherent", "Adresse", "Commune", "Code_postal", "Representant", "Qualite"]
        blanks = [merge_complex(name) if rank % 2 else merge_simple(name) for rank, name in enumerate(names)]
        blanks += [merge_complex("Organe_deliberant"), merge_simple("Date_decision")]
    else:
        blanks = ["……………", "………………………", "_______________", "……………", "XXXXX", "[Nom-Prénom]"]
        blanks += [highlighted("Qualité du signataire"), "[à compléter]", "……………"]
    return [
        blanks[0], " de ", blanks[1], " sise ", blanks[2], ", à ", blanks[3], " (", blanks[4],
        "), représentée par ", blanks[5], ", ", blanks[6], AUTHORISED, blanks[7], " du ", blanks[8],
    ]  # fmt: skip


def _signature_lines(kind: str) -> tuple[str, str, str]:
    """The collectivité's signing date, quality and name lines, in the blanks of one kind."""
    if kind == "controles":
        quality = drop_down(GENERIC_LIST, QUALITES, tag="qualite")
        return date_picker("d MMMM yyyy"), quality, text_control("Nom du représentant.", tag="representant")
    if kind == "fusion":
        return merge_complex("Date_signature"), merge_simple("Qualite"), merge_complex("Representant")
    return "……………", "Le Maire,", "……………………"


def body(kind: str) -> Callable[[], list[str]]:
    def content() -> list[str]:
        signed, quality, name = _signature_lines(kind)
        other_date = date_picker("d MMMM yyyy") if kind == "controles" else "……………"
        return [
            paragraph(
                "CONVENTION RELATIVE AUX PRESTATIONS ET A L’ACCOMPAGNEMENT SUR DES SERVICES NUMERIQUES",
                bold=True,
            ),
            paragraph("Entre :"),
            paragraph(FIBRE_002),
            paragraph("Ci-après désigné « La Fibre Numérique 59 62 »"),
            paragraph("D’une première part,"),
            paragraph("Et :"),
            paragraph(CDG),
            paragraph("Ci-après désigné « le CDG 59 »"),
            paragraph("D’une deuxième part,"),
            paragraph("Et :"),
            paragraph(*_party(kind)),
            paragraph(HEREAFTER),
            paragraph("D’une troisième part,"),
            paragraph("L’ensemble des signataires collectivement désignés « les Parties »."),
            paragraph("PREAMBULE", bold=True),
            paragraph(preamble()),
            paragraph("Ceci étant exposé, il a été convenu ce qui suit."),
            paragraph("Fait en trois (3) exemplaires,"),
            table(
                [
                    paragraph("Le ", other_date),
                    paragraph("Pour La Fibre Numérique 59 62"),
                    paragraph("Le Président"),
                    paragraph("Christophe COULON"),
                ],
                [paragraph("Pour le CDG59"), paragraph("Le Président"), paragraph("Éric DURAND")],
                [
                    paragraph("Le ", signed),
                    paragraph("Pour la Collectivité / l’établissement"),
                    paragraph(quality),
                    paragraph(name),
                ],
            ),
            paragraph(""),
        ]

    return content


def convention(kind: str, folder: Path) -> Path:
    """The Word file of one kind of blanks, written under a folder."""
    return build(folder / f"convention-{kind}.docx", body(kind), footer=False)
