"""Click's own texts in French (help, usage errors), for the ``conventum`` command only.

Click asks ``gettext`` for each of its sentences when it writes it; the command gives Click's
modules a ``gettext`` that answers from this table (English kept for a sentence not in it).
The library never imports this module: only the command speaks to a person.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

FRENCH: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Interrompu.",
    "Commands": "Commandes",
    "Options": "Options",
    "Positional arguments": "Arguments",
    "Usage:": "Utilisation :",
    "Show this message and exit.": "Affiche cette aide et s’arrête.",
    "Show the version and exit.": "Affiche la version et s’arrête.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "« {command} {option} » donne l’aide.",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "No such option: {name}": "Option inconnue : {name}",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l’une de : {possibilities} ?)",
    "Missing command.": "Commande manquante.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "argument": "argument",
    "option": "option",
    "parameter": "paramètre",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Option {name!r} does not take a value.": "L’option « {name} » ne prend pas de valeur.",
    "Option {name!r} requires an argument.": "L’option « {name} » attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L’option « {name} » attend {nargs} valeurs.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "{value!r} is not {choice}.": "« {value} » n’est pas {choice}.",
    "{value!r} is not one of {choices}.": "« {value} » n’est pas parmi {choices}.",
    "{value!r} is not a valid {number_type}.": "« {value} » n’est pas un nombre valide ({number_type}).",
    "{value} is not in the range {range}.": "{value} n’est pas dans l’intervalle {range}.",
    "{name} {filename!r} does not exist.": "{name} « {filename} » n’existe pas.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » n’est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » n’est pas modifiable.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "Choose from:\n\t{choices}": "Valeurs possibles :\n\t{choices}",
}
MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
    click.utils,
)


def french(message: str) -> str:
    """Click's sentence in French (``{name!r}`` written « name », as French quotes it)."""
    return FRENCH.get(message, message)


def french_plural(singular: str, plural: str, count: int) -> str:
    return french(singular if count == 1 else plural)


def install() -> None:
    """Give Click's modules the French table (idempotent)."""
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = french  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = french_plural  # type: ignore[attr-defined]
