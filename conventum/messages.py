"""French sentences of the validation issues, keyed by their stable code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conventum.formatting import format_amount, format_date

# One sentence per code; {name} placeholders come from the params.
MESSAGES: dict[str, str] = {
    "field.missing": "Le champ « {label} » est obligatoire et n’est pas renseigné.",
    "field.unknown": "Le champ « {field} » n’est pas prévu par ce type de convention.",
    "field.not_in_choices": "La valeur « {value} » n’est pas permise ; valeurs possibles : {choices}.",
    "field.invalid_date": "La valeur « {value} » n’est pas une date (attendu : AAAA-MM-JJ).",
    "field.invalid_number": "La valeur « {value} » n’est pas un nombre.",
    "field.invalid_integer": "La valeur « {value} » n’est pas un nombre entier.",
    "field.invalid_boolean": "La valeur « {value} » n’est pas oui ou non.",
    "field.invalid_text": "La valeur « {value} » n’est pas un texte.",
    "field.invalid_list": "Une liste est attendue ici.",
    "field.invalid_object": "Un ensemble de champs est attendu ici (et non « {value} »).",
    "field.empty": "Le champ « {label} » ne peut pas être vide.",
    "field.too_small": "La valeur « {value} » est trop petite (minimum : {limit}).",
    "field.too_large": "La valeur « {value} » est trop grande (maximum : {limit}).",
    "field.float_amount": "Le montant « {value} » doit être écrit en décimal exact.",
    "field.invalid": "La valeur « {value} » est invalide : {detail}.",
    "parties.role_unknown": "Le rôle « {role} » n’existe pas pour ce type ; rôles possibles : {choices}.",
    "parties.role_missing": "La partie « {label} » (rôle « {role} ») manque.",
    "parties.role_count": "Il faut entre {min} et {max} partie(s) « {label} », et non {count}.",
}


def _french(value: Any) -> Any:
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_french(item)) for item in value)
    return value


def render_message(code: str, params: dict[str, Any]) -> str:
    """The French sentence for an issue code, its values written the French way."""
    template = MESSAGES.get(code)
    if template is None:
        return f"{code} : {params}"
    values = {key: _french(value) for key, value in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return f"{template} ({params})"


def register_messages(messages: dict[str, str]) -> None:
    """Add the sentences of a family of rules (called once, at import of the rules)."""
    MESSAGES.update(messages)
