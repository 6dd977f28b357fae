"""A séance's document (délibération, rapport) on the form, as guided as a convention's: the assembly
chosen in a list, then its members by name — the president and the secretary in drop-downs, each
member's presence in one table, the pouvoirs from one member to another, the interested members and
the political groups ticked — never their keys typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conventum.errors import ConventumError
from conventum.seance.assemblyfile import assembly_keys, load_assembly
from conventum.serve.choices import plain_options
from conventum.serve.formfields import FormField, find_field

# The presence lists of a délibération, in the order its first page writes them, and their status.
PRESENCE = {
    "presents": "Présent(e)",
    "excuses": "Excusé(e)",
    "absents": "Absent(e)",
    "assistants_sans_voix": "Assiste sans voix délibérative",
    "excuses_sans_voix": "Excusé(e), sans voix délibérative",
}
MEMBER_FIELDS = ("presidence", "secretaire", "mandant", "mandataire")
MEMBER_LISTS = ("sans_participation", "excuses_sans_delegation", "membres")


def guide_seance(fields: list[FormField], data: Mapping[str, Any], prefix: str = "") -> None:
    """The fields of a séance's document, given their choices from the chosen assembly."""
    chooser = find_field(fields, f"{prefix}assemblee")
    if chooser is None:
        return
    keys = assembly_keys()
    chooser.kind, chooser.refresh = "select", True
    chooser.options = plain_options([(key, _assembly_label(key)) for key in keys])
    chooser.help = "Ses élus, ses groupes et ses services sont alors proposés par leur nom."
    if chooser.value in (None, "") and len(keys) == 1:
        chooser.value = keys[0]
    try:
        assembly = load_assembly(str(chooser.value)) if chooser.value else None
    except ConventumError:
        assembly = None
    if assembly is not None:
        _members_chosen(fields, assembly, data, prefix)


def _assembly_label(key: str) -> str:
    """ "La Commission Permanente du Conseil départemental du Pas-de-Calais"."""
    try:
        return str(load_assembly(key)["organe"]["sujet"])
    except (ConventumError, KeyError):
        return key


def _members_chosen(
    fields: list[FormField], assembly: Mapping[str, Any], data: Mapping[str, Any], prefix: str
) -> None:
    members = [(key, f"{m['prenom']} {m['nom']}") for key, m in assembly["membres"].items()]
    groups = list(assembly.get("groupes", {}).items())
    officers = [
        (key, f"{o['prenom']} {o['nom']}, {o['intitule']}") for key, o in assembly["officiers"].items()
    ]
    for item in _walk(fields):
        if item.key in MEMBER_FIELDS and item.kind == "text":
            item.kind, item.options = "select", plain_options(members)
            item.label = item.label.replace(" (clé d’élu)", "").replace(" (clé)", "")
        elif item.key == "signataire_delegue":
            item.kind, item.options = "select", plain_options(officers)
            item.label = item.label.replace(" (clé)", "")
            item.help = next((f"Sans choix : {label}." for key, label in officers if key == "dgs"), None)
        elif item.key in MEMBER_LISTS and item.kind == "lines":
            _checklist(item, members)
        elif item.key == "groupes" and item.kind == "lines":
            _checklist(item, groups)
    _presence(fields, members, data, prefix)


def _walk(fields: list[FormField]) -> list[FormField]:
    found: list[FormField] = []
    for item in fields:
        found.append(item)
        found += _walk(item.children)
    return found


def _checklist(item: FormField, choices: list[tuple[str, str]]) -> None:
    """Members or groups ticked in a list (their keys sent one by one)."""
    ticked = str(item.value or "").split("\n")
    item.kind, item.options = "checklist", plain_options(choices)
    item.value = [key for key in ticked if key]
    item.label = item.label.replace(" (clés)", "").replace(" (clé)", "")


PRESENCE_HELP = (
    "Chaque élu est d’abord marqué présent : changez le statut des excusés, des absents et des assistants."
)


def _presence(
    fields: list[FormField], members: list[tuple[str, str]], data: Mapping[str, Any], prefix: str
) -> None:
    """The five presence lists as one table: each member's status (everyone present at first)."""
    table = find_field(fields, prefix + "presents")
    others = [find_field(fields, prefix + name) for name in list(PRESENCE)[1:]]
    if table is None:
        return
    status = {
        member: name for name in PRESENCE for member in (data.get(name) or []) if isinstance(member, str)
    }
    if not status:
        status = {key: "presents" for key, _label in members}
    table.kind, table.label, table.help = "presence", "Présence des élus", PRESENCE_HELP
    table.options = plain_options([(f"{prefix}{name}|", label) for name, label in PRESENCE.items()])
    rows = [(key, label, f"{prefix}{status[key]}|" if key in status else "") for key, label in members]
    counts = [
        (sum(1 for v in status.values() if v == name), label.lower()) for name, label in PRESENCE.items()
    ]
    summary = f"{len(members)} élus : " + ", ".join(f"{count} {label}" for count, label in counts if count)
    table.value = (summary, rows)
    drop_fields(fields, {item.name for item in others if item is not None})


def drop_fields(fields: list[FormField], names: set[str]) -> None:
    """Fields given elsewhere out of the form (the presence table holds the five lists; a dossier
    gives the séance once), and the sections they leave empty."""
    fields[:] = [item for item in fields if item.name not in names]
    for item in fields:
        drop_fields(item.children, names)
    fields[:] = [item for item in fields if "rubrique:" not in item.name or item.children]
