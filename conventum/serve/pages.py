"""What the clerks' pages share: their templates, the list of types, who is asking."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from conventum.model.catalogue import ConventionType, available_types, load_type

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


def all_types() -> list[ConventionType]:
    return [load_type(name) for name in sorted(available_types())]


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def data_kind(filename: str) -> str:
    """The media type a data file's name announces (JSON, else YAML)."""
    return "application/json" if filename.lower().endswith(".json") else "application/yaml"
