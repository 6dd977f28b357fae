"""Derived template values a type asks for by name in its schema (``contexte:``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conventum.models import Convention
from conventum.seance import deliberation_context, rapport_context

DERIVATIONS: dict[str, Callable[[Convention], dict[str, Any]]] = {
    "deliberation": deliberation_context,
    "rapport": rapport_context,
}
