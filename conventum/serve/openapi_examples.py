"""Bodies and examples of the operations that make documents from more than one type's data: the
dossier's envelope as its JSON Schema with the sample dossier as example, the batch's form with the
sample spreadsheet, so that a client generator and Schemathesis send what a user would."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from conventum.dossier import DossierData
from conventum.model.catalogue import load_type

REF = "#/components/schemas/{model}"


def _samples() -> Path:
    return load_type("deliberation").schema_path.parent.parent / "samples"


@cache
def sample_yaml(name: str) -> dict[str, Any] | None:
    """A sample file as JSON values (dates as AAAA-MM-JJ), or None when the samples are absent."""
    try:
        data = yaml.safe_load((_samples() / name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return json.loads(json.dumps(data, default=str, ensure_ascii=False)) if isinstance(data, dict) else None


def _sample_text(name: str) -> str | None:
    try:
        return (_samples() / name).read_text(encoding="utf-8")
    except OSError:
        return None


def dossier_body(components: dict[str, Any]) -> dict[str, Any]:
    """The dossier's request body: DossierData's schema (its blocks moved into components)."""
    schema = DossierData.model_json_schema(ref_template=REF)
    components.update(schema.pop("$defs", {}))
    components["Dossier"] = schema
    content: dict[str, Any] = {"schema": {"$ref": REF.format(model="Dossier")}}
    example = sample_yaml("dossier-2023-338.yaml")
    if example is not None:
        content["example"] = example
    return {
        "required": True,
        "description": "Le dossier : délibération, convention et rapport (voir « conventum dossier »),"
        " en JSON (le serveur lit aussi le YAML, application/yaml).",
        "content": {"application/json": content},
    }


def batch_example() -> dict[str, Any] | None:
    """The sample batch: its spreadsheet and common data, as the form sends them."""
    sheet, common = _sample_text("batch/membres.csv"), _sample_text("batch/commun.yaml")
    if sheet is None or common is None:
        return None
    return {"type": "services-numeriques", "tableur": sheet, "commun": common, "format": "docx"}


# An example of a RetourClassification (a collectivité sends the one its TdT downloads).
CLASSIFICATION = """<?xml version="1.0" encoding="UTF-8"?>
<actes:RetourClassification xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216">
  <actes:DateClassification>2025-01-01</actes:DateClassification>
  <actes:NaturesActes>
    <actes:NatureActe actes:CodeNatureActe="1" actes:Libelle="Délibérations" actes:TypeAbrege="DE">
      <actes:TypePJNatureActe actes:CodeTypePJ="99_DE" actes:Libelle="Délibération"/>
    </actes:NatureActe>
    <actes:NatureActe actes:CodeNatureActe="4" actes:TypeAbrege="CC"
                      actes:Libelle="Contrats, conventions et avenants">
      <actes:TypePJNatureActe actes:CodeTypePJ="99_CO" actes:Libelle="Contrat, convention et avenant"/>
    </actes:NatureActe>
  </actes:NaturesActes>
  <actes:Matieres>
    <actes:Matiere1 actes:CodeMatiere="1" actes:Libelle="Commande publique">
      <actes:Matiere2 actes:CodeMatiere="4" actes:Libelle="Autres types de contrats"/>
    </actes:Matiere1>
  </actes:Matieres>
</actes:RetourClassification>
"""


def handoff_examples() -> dict[str, dict[str, Any]]:
    """The forms of ``/v1/actes`` (the sample services convention, rendered) and
    ``/v1/publications`` (the sample délibération 2025-498 published alone)."""
    convention, deliberation = (
        _sample_text("services-numeriques.yaml"),
        _sample_text("deliberation-2025-498.yaml"),
    )
    if convention is None or deliberation is None:
        return {}
    return {
        "/v1/actes": {
            "type": "services-numeriques",
            "donnees": convention,
            "classification": CLASSIFICATION,
            "numero": "2025_001",
            "siren": "216207274",
            "matiere": "1.4",
        },
        "/v1/publications": {
            "deliberation": deliberation,
            "classification": CLASSIFICATION,
            "matiere": "1.4",
            "siret": "22620001200012",
            "collectivite": "Département du Pas-de-Calais",
            "mise_en_ligne": "2025-12-10",
        },
    }


def add_examples(document: dict[str, Any]) -> None:
    """The dossier's body and the examples of the batch and the hand-off forms in a built OpenAPI
    document."""
    for path, form in handoff_examples().items():
        operation = document["paths"].get(path, {}).get("post")
        if operation is not None:
            operation["requestBody"]["content"]["multipart/form-data"]["example"] = form
    paths = document["paths"]
    components = document.setdefault("components", {}).setdefault("schemas", {})
    dossier = paths.get("/v1/dossiers", {}).get("post")
    if dossier is not None:
        dossier["requestBody"] = dossier_body(components)
    batch = paths.get("/v1/batches", {}).get("post")
    example = batch_example()
    if batch is not None and example is not None:
        batch["requestBody"]["content"]["multipart/form-data"]["example"] = example
