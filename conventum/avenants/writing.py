"""The avenant written: its preamble citing the convention, one article per changed article of the
convention (with its consolidated text), its date d'effet, "Les autres stipulations de la convention
demeurent inchangées", and the signature section the clauses write for every document."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from conventum.avenants.articles import Change
from conventum.avenants.changes import Amendment
from conventum.avenants.parts import splice
from conventum.clauses.comparution import for_document
from conventum.context.build import build_context
from conventum.draft import Draft
from conventum.french.formatting import format_date, join_words
from conventum.french.grammar import agree, capitalise
from conventum.french.typography import normalise_values
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType, resource_dir
from conventum.pdf.inspection import AnnexFiles
from conventum.rendering.prepared import render_docx

TEMPLATE = "avenant.docx"
HEADINGS = {
    "modifie": "Modification de {name}",
    "complete": "Modification de {name}",
    "remplace": "Remplacement de {name}",
    "ajoute": "Ajout de {name}",
    "supprime": "Suppression de {name}",
}
PHRASES = {
    "modifie": "{Name}{title} est ainsi {modifie} ; {pronoun} se lit désormais comme suit :",
    "complete": "{Name}{title} est {complete} par les dispositions suivantes :",
    "remplace": "{Name}{title} est {remplace} par les dispositions suivantes :",
    "ajoute": "Il est ajouté à la convention {name}{title}, ainsi {redige} :",
    "supprime": "{Name}{title} est {supprime}.",
}
ATTACHED = {  # an annex supplied as a file: joined to the avenant
    "ajoute": "Il est ajouté à la convention {name}{title}, jointe au présent avenant.",
    "remplace": "{Name}{title} est remplacée par le document joint au présent avenant.",
}
PARTIES_WHOLE = "La désignation des parties est ainsi modifiée ; elle se lit désormais comme suit :"
PARTIES_PHRASE = (
    "La désignation des parties est ainsi modifiée ; les paragraphes suivants se lisent désormais"
    " comme suit :"
)


@dataclasses.dataclass(frozen=True)
class Cited:
    """What the avenant says of the convention it amends."""

    numero: int  # its number in the register
    signature: date | None
    parties: tuple[str, ...]  # the parties' designations ("la Commune de Ruitz")
    avenants: tuple[int, ...] = ()  # the avenants already made to it


def avenant_type(ctype: ConventionType, numero: int) -> ConventionType:
    """The type an avenant is written with: the convention's, its title and template the avenant's."""
    title = f"Avenant n°{numero} à la {ctype.titre[:1].lower()}{ctype.titre[1:]}"
    return dataclasses.replace(ctype, titre=title, template_path=resource_dir("templates") / TEMPLATE)


def signing_convention(amendment: Amendment, consolidated: Convention, found: Sequence[Change]) -> Convention:
    """The consolidated convention as the avenant's signatories stand: the avenant's signature, each
    party's authorising act for the avenant; its annexes, those supplied as files that it adds or
    replaces (the avenant quotes the rest of what it changes)."""
    assert amendment.fields is not None
    parties = [
        party.model_copy(update={"autorisation": amendment.authorisations(f"parties[{index}]", party.role)})
        for index, party in enumerate(consolidated.parties)
    ]
    joined = {change.piece.key for change in found if change.attached}
    annexes = [annex for annex in consolidated.annexes if f"annexe {annex.numero}" in joined]
    update = {"parties": parties, "signature": amendment.fields.signature, "annexes": annexes}
    return consolidated.model_copy(update=update)


def avenant_draft(
    ctype: ConventionType,
    amendment: Amendment,
    consolidated: Convention,
    found: Sequence[Change],
    cited: Cited,
    files: AnnexFiles | None = None,
) -> Draft:
    """The avenant's DOCX, filled and spliced with the consolidated text of each changed article."""
    assert amendment.fields is not None
    numero = amendment.fields.numero
    kind = avenant_type(ctype, numero)
    convention = signing_convention(amendment, consolidated, found)
    context = build_context(ctype, convention)
    for party in context["parties"]:
        party["comparution"] = for_document(party["comparution"], "le présent avenant")
    context["avenant"] = normalise_values(avenant_words(ctype, amendment, found, cited))
    docx = render_docx(kind.template_path, context)
    docx = splice(docx, {rank: change.quoted for rank, change in enumerate(found, start=1)})
    return Draft(kind, convention, context, docx, files or AnnexFiles(Path.cwd()), [], amendment.after)


def avenant_words(
    ctype: ConventionType, amendment: Amendment, found: Sequence[Change], cited: Cited
) -> dict[str, Any]:
    """The avenant's own phrases, for its template."""
    assert amendment.fields is not None
    fields = amendment.fields
    names = join_words([change.piece.name for change in found])
    objet = (
        f"Le présent avenant a pour objet {fields.objet.rstrip('.')}."
        if fields.objet
        else f"Le présent avenant modifie {names} de la convention."
    )
    return {
        "numero": fields.numero,
        "titre": f"AVENANT N°{fields.numero}",
        "a_la_convention": f"À LA {ctype.titre.upper()}",
        "rappel": recital(ctype, cited),
        "objet": objet,
        "articles": [article_words(rank, change) for rank, change in enumerate(found, start=1)],
        "date_effet": format_date(fields.date_effet),
        "rang_effet": len(found) + 1,
        "rang_autres": len(found) + 2,
        "modifie": names,
    }


def recital(ctype: ConventionType, cited: Cited) -> str:
    """ "Le 15 septembre 2025, la Commune de Ruitz, … ont conclu la convention relative …, inscrite au
    registre des conventions sous le n°12 (modifiée par l’avenant n°1)."""
    title = ctype.titre[:1].lower() + ctype.titre[1:]
    parties = join_words(list(cited.parties))
    when = f"Le {format_date(cited.signature)}, " if cited.signature else ""
    opening = f"{when}{parties} ont conclu la {title}"
    text = capitalise(opening) + f", inscrite au registre des conventions sous le n°{cited.numero}"
    if cited.avenants:
        numbers = join_words([f"n°{n}" for n in cited.avenants])
        word = "l’avenant" if len(cited.avenants) == 1 else "les avenants"
        text += f" et modifiée par {word} {numbers}"
    return text + "."


def article_words(rank: int, change: Change) -> dict[str, Any]:
    """An article of the avenant: its heading and the sentence before the quoted text."""
    piece = change.piece
    if piece.key == "parties":
        whole = len(change.quoted) == len(piece.elements)
        return {
            "rang": rank,
            "titre": "Désignation des parties",
            "phrase": PARTIES_WHOLE if whole else PARTIES_PHRASE,
        }
    title = f" « {piece.title} »" if piece.title else ""
    words = {
        key: agree(value, piece.gender)
        for key, value in (("modifie", "modifié"), ("complete", "complété"), ("remplace", "remplacé"))
    }
    words |= {"redige": agree("rédigé", piece.gender), "supprime": agree("supprimé", piece.gender)}
    pronoun = "elle" if piece.gender == "f" else "il"
    phrase = (ATTACHED if change.attached else PHRASES)[change.kind].format(
        Name=capitalise(piece.name), name=piece.name, title=title, pronoun=pronoun, **words
    )
    heading = HEADINGS[change.kind].format(name=piece.name)
    return {
        "rang": rank,
        "titre": heading,
        "phrase": phrase,
    }
