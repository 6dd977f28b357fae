"""The whole import of an office's Word convention: a type (template and schema) and its report,
prepared without writing anything (``prepare_import``); then written in one step (``write_prepared``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from conventum.errors import ImportRefused
from conventum.french.grammar import capitalise, vocabulary
from conventum.model.catalogue import read_type
from conventum.ooxml.namespaces import w
from conventum.ooxml.package import Package, open_package
from conventum.word.checking import check_template
from conventum.word.controls import Control, iter_controls, read_controls
from conventum.word.fields import (
    TEMPLATE_STORIES,
    FieldInfo,
    assign_fields,
    identifier,
    merged_fields,
    short_label,
)
from conventum.word.importing import add_table_grids, convert, write_import
from conventum.word.recognition.blanks import Skipped, blank_controls, unique
from conventum.word.recognition.formats import foreign_format
from conventum.word.recognition.mentions import (
    Rewritten,
    rewrite_blocks,
    rewrite_closing,
    rewrite_mentions,
    rewrite_named_again,
    rewrite_party,
)
from conventum.word.recognition.mergefields import NestedField, merge_controls
from conventum.word.recognition.parties import PartyMatch, find_parties
from conventum.word.recognition.places import PlaceIndex, in_text_box
from conventum.word.recognition.problems import ImportProblem
from conventum.word.recognition.report import FieldReport, ImportReport, LeftReport, PartyReport
from conventum.word.recognition.runs import ORIGIN
from conventum.word.recognition.slots import plain

NOTHING = (
    "aucun blanc à compléter dans ce fichier : ni contrôle de contenu, ni champ de fusion (MERGEFIELD), ni"
    " blanc (……, ____, [à compléter], XXX, texte surligné) ; rien à importer"
)


@dataclass(frozen=True)
class PreparedImport:
    """An imported type ready to be written: its template's bytes, its schema, the report."""

    name: str
    template: bytes
    schema: dict[str, Any]
    report: ImportReport

    def schema_yaml(self) -> str:
        header = f"# Type importé par « conventum import » depuis {self.schema.get('source', '?')}.\n"
        return header + yaml.safe_dump(self.schema, allow_unicode=True, sort_keys=False, width=100)


@dataclass
class _Reading:
    """The Word file as the import reads it: its package, places, controls and what was set aside."""

    package: Package
    places: PlaceIndex
    controls: list[Control]
    fields: dict[str, FieldInfo]
    skipped: list[Skipped]
    nested: list[NestedField]

    @property
    def by_element(self) -> dict[etree._Element, Control]:
        return {c.element: c for c in iter_controls(self.controls) if c.role == "field"}

    def paragraphs(self) -> list[etree._Element]:
        main = next(part for part, story in self.package.stories.items() if story == "document")
        return [p for p in self.package.trees[main].iter(w("p")) if not in_text_box(p)]


def prepare_import(
    data: bytes, *, name: str, source: str = "document", refused: Collection[str] = ()
) -> PreparedImport:
    """Read a Word convention, recognise its parties and closing, make its blanks fields: the type
    and its report, nothing written. ImportRefused lists every problem, each with its place.
    ``refused``: the roles whose recognition the author undid (their blanks stay plain fields)."""
    foreign = foreign_format(data)
    if foreign is not None:
        raise ImportRefused([foreign], source=source)
    reading = _read(open_package(data, source=source))
    problems = [_nested_problem(reading, nested) for nested in reading.nested]
    if not reading.fields and not problems:
        problems.append(ImportProblem("import.rien_a_importer", NOTHING))
    matches, found = find_parties(reading.paragraphs(), reading.by_element, reading.places)
    matches = [match for match in matches if match.role not in refused]
    if problems + found:
        raise ImportRefused(problems + found, source=source)
    done = _rewrite(reading, matches)
    report_fields = _field_reports(reading)
    style = reading.package.placeholder_style
    convert(reading.controls, style, prefix="", depth=1)
    for tree in reading.package.trees.values():
        add_table_grids(tree)
    template = reading.package.to_bytes()
    schema = _schema(name, source, matches, done, reading)
    ctype = read_type(Path(f"{name}.yaml"), schema)  # the schema is read as an installed type's
    checked = check_template(template, schema=ctype)
    notes = _notes(reading) + [f"{issue.path} : {issue.message}" for issue in checked.issues]
    report = ImportReport(
        name,
        source,
        tuple(_party_report(match, done) for match in matches),
        tuple(report_fields),
        done.closing,
        done.copies,
        tuple(_left(reading, matches)),
        tuple(
            notes
            + [f"date de signature {{{{ signature.date }}}} : {place.describe()}" for place in done.dated]
        ),
    )
    return PreparedImport(name, template, schema, report)


def write_prepared(prepared: PreparedImport, folder: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write templates/NAME.docx and schemas/NAME.yaml under a folder (an existing type only with force)."""
    return write_import(prepared, folder, force=force)


def _read(package: Package) -> _Reading:
    places = PlaceIndex(package)
    names = {identifier(control.tag) for control in iter_controls(read_controls(package)) if control.tag}
    nested = merge_controls(package, names)
    skipped = blank_controls(package, names)
    controls = read_controls(package)
    for control in controls:
        if package.stories[control.part] not in TEMPLATE_STORIES and control.role == "field":
            control.role = "unmapped"  # docxtpl fills the body, headers and footers only
    return _Reading(package, places, controls, assign_fields(controls), skipped, nested)


def _nested_problem(reading: _Reading, nested: NestedField) -> ImportProblem:
    return ImportProblem(
        "import.champ_dans_un_champ",
        f"le champ de fusion « {nested.name} » est dans le code d’un autre champ ({nested.outer}) :"
        " conventum ne peut pas le remplacer là ; sortez-le de ce champ dans Word (Alt+F9 montre les codes)",
        reading.places.of(nested.element),
    )


def _rewrite(reading: _Reading, matches: list[PartyMatch]) -> Rewritten:
    done = Rewritten()
    by_element = reading.by_element
    for match in matches:
        match.became = rewrite_party(match, by_element, done)
    paragraphs = reading.paragraphs()
    if matches:
        rewrite_blocks(matches, paragraphs, by_element, reading.places, done)
        fields = [c for c in iter_controls(reading.controls) if c.role == "field"]
        rewrite_mentions(matches, fields, reading.package.placeholder_style, reading.places, done)
    if len(matches) == 1:
        rewrite_named_again(matches[0], paragraphs, by_element, reading.places, done)
    rewrite_closing(paragraphs, by_element, reading.places, done)
    for control in done.consumed:
        control.role = "consumed"
    _name_signers(reading, done)
    return done


def _name_signers(reading: _Reading, done: Rewritten) -> None:
    """Another party's signer blanks named for what they are: « Nom du signataire (Pour le CdG62) »."""
    renamed: dict[str, str] = {}
    for control, key, pour in done.signers:
        info = reading.fields.get(control.name)
        if info is None or len(info.controls) != 1 or control.role != "field":
            continue
        word = "Nom" if key == "nom" else "Qualité"
        info.label = short_label(f"{word} du signataire ({pour})")
        info.spec["libelle"] = info.label
        taken = set(reading.fields) | set(renamed.values())
        renamed[info.name] = unique(identifier(f"{word} signataire {pour.removeprefix('Pour ')}"), taken)
    if renamed:
        reading.fields = {renamed.get(name, name): info for name, info in reading.fields.items()}
        for name, info in reading.fields.items():
            info.name = name
            for control in info.controls:
                control.name = name


def _field_reports(reading: _Reading) -> list[FieldReport]:
    found = []
    for name, info in list(reading.fields.items()):
        shown = [c for c in info.controls if c.role == "field" and not c.duplicate]
        if not shown:
            del reading.fields[name]
            continue
        origin = shown[0].element.get(ORIGIN) or "controle"
        choices = tuple(str(label) for label in info.typed.choices.values())
        places = tuple(reading.places.of(control.element) for control in shown)
        found.append(FieldReport(name, info.typed.kind, origin, info.label, places, choices))
    return found


def _schema(
    name: str, source: str, matches: list[PartyMatch], done: Rewritten, reading: _Reading
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "titre": name,
        "description": f"Modèle Word importé de {source}",
        "source": source,
    }
    if matches:
        schema["parties"] = [_role(match) for match in matches]
    if done.copies:
        schema["exemplaires"] = done.copies
    authorised = [match.role for match in matches if match.has("organe", "date", "numero")]
    if authorised:  # the template cites each one's authorising act: it must be given (and the form asks it)
        schema["regles"] = [{"nom": "parties.autorisation", "parametres": {"roles": authorised}}]
    schema["champs"] = {key: info.spec for key, info in reading.fields.items()}
    return schema


def _role(match: PartyMatch) -> dict[str, Any]:
    role: dict[str, Any] = {"role": match.role, "libelle": _label(match)}
    designation = _designation(match.designations)
    if designation:
        role["designation"] = designation
    natures = _natures(match)
    if natures:
        role["natures"] = natures
    return role


def _label(match: PartyMatch) -> str:
    return (
        capitalise(match.designations[0]) if match.designations else f"Partie {match.role.rsplit('_', 1)[-1]}"
    )


def _designation(designations: list[str]) -> str | dict[str, str] | None:
    """One "ci-après" name, or one for collectivités and one for établissements (« … » ou « … »)."""
    if len(designations) < 2:
        return designations[0] if designations else None
    public = [d for d in designations if "etablissement" in plain(d)]
    others = [d for d in designations if d not in public]
    if public and others:
        return {"collectivite": others[0], "etablissement": public[0]}
    return designations[0]


def _natures(match: PartyMatch) -> list[str]:
    """The natures a party's drop-down offers, when each of its items is one conventum knows."""
    known = {plain(key): key for key in vocabulary()["natures"]}
    known |= {plain(info["libelle"]): key for key, info in vocabulary()["natures"].items()}
    found: list[str] = []
    for slot, control in match.slots:
        if slot != "nature" or not control.items:
            continue
        for value, label in control.items:
            key = known.get(plain(value)) or known.get(plain(label).split(" ", 1)[-1])
            if key is None:
                return []
            found.append(key)
    return list(dict.fromkeys(found))


def _party_report(match: PartyMatch, done: Rewritten) -> PartyReport:
    slots = tuple((slot, _blank_label(control)) for slot, control in match.slots)
    return PartyReport(
        match.role,
        _label(match),
        _designation(match.designations),
        match.place,
        match.became,
        slots,
        tuple(done.mentions.get(match.role, [])),
    )


def _blank_label(control: Control) -> str:
    return control.alias or control.placeholder or control.tag or control.name


def _left(reading: _Reading, matches: list[PartyMatch]) -> list[LeftReport]:
    left = [
        LeftReport(f"blanc « {s.text} »", s.reason, reading.places.of(s.element)) for s in reading.skipped
    ]
    for control in iter_controls(reading.controls):
        if control.role == "unmapped" and not control.duplicate:
            what = f"contrôle « {control.kind} » ({_blank_label(control) or 'sans titre'})"
            reason = "conventum ne remplit pas ce genre de contrôle, ou pas à cet endroit"
            left.append(LeftReport(what, reason, reading.places.of(control.element)))
    for match in matches:
        for control in match.unslotted:
            why = "blanc du paragraphe de la partie sans rôle reconnu : la comparution le remplace"
            left.append(LeftReport(f"blanc « {_blank_label(control)} »", why, match.place))
    return left


def _notes(reading: _Reading) -> list[str]:
    notes = [
        f"« {info.label} » : {len([c for c in info.controls if not c.duplicate])} contrôles sans balise,"
        f" de même titre, réunis en un champ « {info.name} » (des balises distinctes les garderaient séparés)"
        for info in merged_fields(reading.fields)
    ]
    if reading.package.macros:
        notes.append(
            f"macros retirées : {', '.join(reading.package.macros)} (le modèle produit est sans macro)"
        )
    legacy = sum(len(tree.findall(f".//{w('ffData')}")) for tree in reading.package.trees.values())
    if legacy:
        notes.append(f"{legacy} case(s) à cocher ou liste(s) d’un ancien formulaire Word non importée(s)")
    return notes
