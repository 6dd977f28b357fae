"""What a recognised party's paragraph becomes, and what follows it: the "ci-après", the signature
block ("Pour la Commune de …, / Le Maire, / …"), its blanks shown elsewhere; the closing section
("Fait à … le …, en N exemplaires") becomes the clauses'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from conventum.french.formatting import words
from conventum.ooxml.namespaces import w
from conventum.word.controls import Control
from conventum.word.recognition.parties import HEREAFTER, QUOTED, PartyMatch, designation_key
from conventum.word.recognition.places import Place, PlaceIndex
from conventum.word.recognition.rewrite import (
    atoms,
    paragraph_text,
    remove_paragraph,
    replace_control,
    replace_paragraph,
    replace_span,
)
from conventum.word.recognition.slots import SLOT_PATHS, plain

CLOSING = re.compile(r"^fait(?:\s+(?:a|au|aux|en|le)\b|\s*,)")
COPIES = re.compile(r"\ben\s+(\w+)(?:\s*\((\d+)\))?\s+(?:exemplaires|originaux)")
QUALITY_LINE = re.compile(
    r"^(?:le|la|l')\s*(?:[\w-]+\s+)*?(?:maire|president|presidente|adjoint|adjointe|vice-president|"
    r"vice-presidente|directeur|directrice)\b[^.]{0,50}$"
)


@dataclass
class Rewritten:
    """What the rewriting did: the blanks it took, the places it changed and what they became."""

    consumed: list[Control] = field(default_factory=list)
    mentions: dict[str, list[tuple[Place, str]]] = field(default_factory=dict)  # role → (place, tag)
    copies: int | None = None
    closing: Place | None = None
    dated: list[Place] = field(default_factory=list)
    signers: list[tuple[Control, str, str]] = field(
        default_factory=list
    )  # (blank, titre/nom, "Pour …")  # other parties' "Le ……": the signing date


def rewrite_party(match: PartyMatch, controls: dict[etree._Element, Control], done: Rewritten) -> str:
    """The party's paragraphs become its comparution (the text after its last blank kept): the tag."""
    first, last = match.paragraphs[0], match.paragraphs[-1]
    last_text = paragraph_text(last, controls)
    tail = last_text[_end_of_last_blank(last, controls) :]
    tail, in_tail = _hereafter_tag(tail, match)
    clause = "comparution_ligne" if match.seat == "ligne" else "comparution"
    tag = f"{{{{ {match.role}.{clause} }}}}{tail}"
    text = paragraph_text(first, controls)
    start = text.index(":") + 1 if ":" in text[: _start_of_first_blank(first, controls)] else 0
    start += len(text[start:]) - len(text[start:].lstrip())
    done.consumed += replace_span(first, start, len(text), tag, controls)
    for paragraph in match.paragraphs[1:]:
        done.consumed += remove_paragraph(paragraph, controls)
    if match.hereafter is not None and match.hereafter not in match.paragraphs and not in_tail:
        _rewrite_hereafter(match, controls, done)
    return tag


def _end_of_last_blank(paragraph: etree._Element, controls: dict[etree._Element, Control]) -> int:
    offset = end = 0
    for atom in atoms(paragraph, controls):
        offset += len(atom.text)
        end = offset if atom.control is not None else end
    return end


def _start_of_first_blank(paragraph: etree._Element, controls: dict[etree._Element, Control]) -> int:
    offset = 0
    for atom in atoms(paragraph, controls):
        if atom.control is not None:
            return offset
        offset += len(atom.text)
    return offset


def _hereafter_tag(text: str, match: PartyMatch) -> tuple[str, bool]:
    """A "ci-après désigné(e) « … »" in a text made the party's own (agreed with its nature)."""
    found = HEREAFTER.search(text)
    if not found:
        return text, False
    quoted = list(QUOTED.finditer(text, found.end()))
    bare = text[found.end() :].split(",", maxsplit=1)[0].rstrip(" .;")
    end = quoted[-1].end() if quoted else found.end() + len(bare)
    clause = f"{match.role}.ci_apres"
    if found.group(0)[0] == "c":
        clause += '|replace("Ci-après", "ci-après")'
    return text[: found.start()] + f"{{{{ {clause} }}}}" + text[end:], True


def _rewrite_hereafter(match: PartyMatch, controls: dict[etree._Element, Control], done: Rewritten) -> None:
    paragraph = match.hereafter
    assert paragraph is not None
    text = paragraph_text(paragraph, controls)
    new, _found = _hereafter_tag(text, match)
    done.consumed += replace_paragraph(paragraph, new, controls)


def rewrite_blocks(
    matches: list[PartyMatch],
    paragraphs: list[etree._Element],
    controls: dict[etree._Element, Control],
    places: PlaceIndex,
    done: Rewritten,
) -> None:
    """Each "Pour …" line of a recognised party, with its title, name and date lines, becomes its block."""
    for paragraph in paragraphs:
        if paragraph.getparent() is None:
            continue
        text = plain(paragraph_text(paragraph, controls))
        owner = _owner(paragraph, text, matches, controls) if text.startswith("pour ") else None
        if owner is None:
            _date_other_block(paragraph, text, controls, places, done)
            _signer_of_other_block(paragraph, text, controls, done)
            continue
        place = places.of(paragraph)
        lines = _block_lines(paragraph, controls)
        for key, line in lines.items():
            done.consumed += replace_paragraph(line, f"{{{{ {owner.role}.bloc.{key} }}}}", controls)
            _not_justified(line)
        done.mentions.setdefault(owner.role, []).append((place, "bloc de signature : " + ", ".join(lines)))


def _signer_of_other_block(
    paragraph: etree._Element, text: str, controls: dict[etree._Element, Control], done: Rewritten
) -> None:
    """The blanks of another party's block ("Pour le CdG62," / "Le Président," / "……"): its signer."""
    if not text.startswith("pour "):
        return
    for key, line in _block_lines(paragraph, controls).items():
        blanks = [atom.control for atom in atoms(line, controls) if atom.control is not None]
        if key in ("titre", "nom") and len(blanks) == 1 and _lone(line, controls):
            done.signers.append((blanks[0], key, paragraph_text(paragraph, controls).strip(" ,")))


def _date_other_block(
    paragraph: etree._Element,
    text: str,
    controls: dict[etree._Element, Control],
    places: PlaceIndex,
    done: Rewritten,
) -> None:
    """The "Le ……" line of another party's block ("Pour La Fibre Numérique 59 62"): the signing date."""
    before = _sibling_paragraph(paragraph, preceding=True) if text.startswith("pour ") else None
    if (
        before is None
        or not _lone(before, controls)
        or not re.match(r"^le\b", plain(paragraph_text(before, controls)))
    ):
        return
    blank = next(atom.control for atom in atoms(before, controls) if atom.control is not None)
    if blank.element.getparent() is None:
        return
    place = places.of(before)
    replace_control(blank, "{{ signature.date }}", None)
    done.consumed.append(blank)
    done.dated.append(place)


def _not_justified(line: etree._Element) -> None:
    """A block's line is ragged: a justified "Pour le Centre communal d’action sociale…" would gape."""
    for alignment in line.iterfind(f"{w('pPr')}/{w('jc')}"):
        if alignment.get(w("val")) in ("both", "distribute"):
            alignment.set(w("val"), "left")


def _owner(
    paragraph: etree._Element, text: str, matches: list[PartyMatch], controls: dict[etree._Element, Control]
) -> PartyMatch | None:
    names = {atom.control.name for atom in atoms(paragraph, controls) if atom.control is not None}
    for match in matches:
        if names & set(match.slot_names()):
            return match
        words = [designation_key(d).replace("_", " ") for d in match.designations]
        if any(word and word in text.replace("-", " ") for word in words):
            return match
    return matches[0] if names and len(matches) == 1 else None


def _block_lines(pour: etree._Element, controls: dict[etree._Element, Control]) -> dict[str, etree._Element]:
    lines: dict[str, etree._Element] = {"pour": pour}
    before = _sibling_paragraph(pour, preceding=True)
    if (
        before is not None
        and re.match(r"^le\b", plain(paragraph_text(before, controls)))
        and _lone(before, controls)
    ):
        lines["date"] = before
    following: etree._Element | None = pour
    for _rank in range(3):
        following = _sibling_paragraph(following, preceding=False) if following is not None else None
        if following is None:
            break
        text = plain(paragraph_text(following, controls))
        if "titre" not in lines and (QUALITY_LINE.match(text) or _lone(following, controls)):
            lines["titre"] = following
        elif "titre" in lines and _lone(following, controls):
            lines["nom"] = following
            break
    return dict(sorted(lines.items(), key=lambda item: ["date", "pour", "titre", "nom"].index(item[0])))


def _sibling_paragraph(paragraph: etree._Element, *, preceding: bool) -> etree._Element | None:
    for sibling in paragraph.itersiblings(preceding=preceding):
        if sibling.tag != paragraph.tag:
            return None
        if paragraph_text(sibling, {}).strip() or sibling.find(".//{*}sdt") is not None:
            return sibling
    return None


def _lone(paragraph: etree._Element, controls: dict[etree._Element, Control]) -> bool:
    """A line holding one blank and nothing but little words and punctuation ("Le ……", "……,")."""
    found = atoms(paragraph, controls)
    blanks = [atom for atom in found if atom.control is not None]
    rest = plain("".join(atom.text for atom in found if atom.control is None))
    return len(blanks) == 1 and re.fullmatch(r"(?:le|la|l')?[\s,.:]*", rest) is not None


def rewrite_mentions(
    matches: list[PartyMatch],
    fields_controls: list[Control],
    style: str | None,
    places: PlaceIndex,
    done: Rewritten,
) -> None:
    """The other places a party's blank shows (same tag, same title) say the party's value."""
    consumed = set(map(id, done.consumed))
    for match in matches:
        slots = match.slot_names()
        for control in fields_controls:
            if id(control) in consumed or control.name not in slots or control.element.getparent() is None:
                continue
            tag = f"{{{{ {match.role}.{SLOT_PATHS[slots[control.name]]} }}}}"
            place = places.of(control.element)
            replace_control(control, tag, style)
            done.consumed.append(control)
            done.mentions.setdefault(match.role, []).append((place, tag))


# "la Commune de ……", "LA COMMUNAUTÉ D’AGGLOMÉRATION DU ……" before a blank: the party named again.
NAMED_AGAIN = re.compile(
    r"\b(?:la|le|l[’'])\s*(?:commune|collectivit[ée]|communaut[ée]\s+(?:de\s+communes|d[’']agglom[ée]ration"
    r"|urbaine)|m[ée]tropole|centre\s+communal\s+d[’']action\s+sociale)\s+(?:de|du|d[’'])\s*$",
    re.IGNORECASE,
)


def rewrite_named_again(
    match: PartyMatch,
    paragraphs: list[etree._Element],
    controls: dict[etree._Element, Control],
    places: PlaceIndex,
    done: Rewritten,
) -> None:
    """A blank after "la Commune de" elsewhere (a heading, a sentence) names the one party again:
    "AVEC LA COMMUNE DE ……" becomes its denomination (in capitals where the heading is)."""
    for paragraph in paragraphs:
        if paragraph.getparent() is None:
            continue
        offset = 0
        for atom in atoms(paragraph, controls):
            text = paragraph_text(paragraph, controls)
            found = NAMED_AGAIN.search(text[:offset]) if atom.control is not None else None
            if found is not None and re.search(r"\b(?:de|à|a)\s*$", text[: found.start()], re.IGNORECASE):
                found = None  # "de la Commune de": "de" would have to contract with another nature's article
            if found is not None and atom.control is not None and atom.control.role == "field":
                capitals = found.group(0).isupper()
                tag = f"{{{{ {match.role}.denomination{'|upper' if capitals else ''} }}}}"
                place = places.of(paragraph)
                done.consumed += replace_span(
                    paragraph, found.start(), offset + len(atom.text), tag, controls
                )
                done.mentions.setdefault(match.role, []).append((place, tag))
                break
            offset += len(atom.text)


def rewrite_closing(
    paragraphs: list[etree._Element],
    controls: dict[etree._Element, Control],
    places: PlaceIndex,
    done: Rewritten,
) -> None:
    """ "Fait à …, le …, en deux (2) exemplaires" becomes ``{{ cloture }}`` ("Fait à …, le …" without its
    copies, ``{{ fait_a }}``); a lone "Le ……" after it goes."""
    for index, paragraph in enumerate(paragraphs):
        text = plain(paragraph_text(paragraph, controls)).strip()
        blanks = any(atom.control for atom in atoms(paragraph, controls))
        if paragraph.getparent() is None or not CLOSING.match(text) or not (blanks or "exemplaire" in text):
            continue
        done.closing = places.of(paragraph)
        done.copies = copies_of(text)
        full = paragraph_text(paragraph, controls)
        tag = (
            "{{ cloture }}"
            if "exemplaire" in text
            else "{{ fait_a }}" + full[_end_of_last_blank(paragraph, controls) :]
        )
        done.consumed += replace_paragraph(paragraph, tag, controls)
        after = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if after is not None and _dated_line(after, paragraph, controls):
            done.consumed += remove_paragraph(after, controls)
        return


def _dated_line(
    line: etree._Element, closing: etree._Element, controls: dict[etree._Element, Control]
) -> bool:
    """ "Le ……" alone after the closing, beside it (not in a signature table): its date is the closing's."""
    same_place = line.getparent() is closing.getparent()
    return (
        same_place
        and _lone(line, controls)
        and re.match(r"^le\b", plain(paragraph_text(line, controls))) is not None
    )


def copies_of(text: str) -> int | None:
    """ "en deux (2) exemplaires" → 2; "en trois exemplaires originaux" → 3.

    >>> copies_of("fait en deux (2) exemplaires,"), copies_of("fait a ..., en trois exemplaires")
    (2, 3)
    """
    found = COPIES.search(text)
    if not found:
        return None
    if found.group(2):
        return int(found.group(2))
    word = found.group(1)
    if word.isdigit():
        return int(word)
    return next((n for n in range(1, 21) if words(n) == word), None)
