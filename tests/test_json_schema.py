"""The JSON Schema says what ``validate`` accepts: samples pass both, field errors fail both, and a
document generated from the schema alone passes the schema stage of ``validate``."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conventum
from conventum.model.catalogue import available_types, load_type
from conventum.model.json_schema import DIALECT, sample_data
from conventum.model.loading import load_data, parse_text
from tests.support import SAMPLES

TYPES = sorted(available_types())
TODAY = date(2026, 1, 15)


def _validator(type_name: str) -> jsonschema.Draft202012Validator:
    schema = conventum.json_schema(type_name)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _json(value: Any) -> Any:
    """The data as a JSON document carries it (dates ISO, decimals as strings)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


def _samples() -> list[tuple[str, Path]]:
    found = []
    for name in TYPES:
        for path in sorted(SAMPLES.glob(f"{name}*.yaml")):
            if path.stem == name or path.stem.removeprefix(name).startswith("-"):
                found.append((name, path))
    return found


@pytest.mark.parametrize("type_name", TYPES)
def test_schema_is_draft_2020_12_with_id(type_name: str) -> None:
    schema = conventum.json_schema(type_name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == f"urn:conventum:type:{type_name}"
    assert conventum.json_schema(load_type(type_name)) == schema  # a name or a loaded type


@pytest.mark.parametrize("type_name", TYPES)
def test_every_field_has_a_french_title(type_name: str) -> None:
    schema = conventum.json_schema(type_name)
    untitled: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, child in (node.get("properties") or {}).items():
                if not child.get("title") or child["title"] == key:
                    untitled.append(f"{where}.{key}")
            for key, child in node.items():
                if key not in ("if", "then", "else", "not"):  # conditions, not declarations
                    walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for child in node:
                walk(child, where)

    walk(schema, "$")
    assert untitled == []


def test_closed_choices_are_const_with_french_title() -> None:
    defs = conventum.json_schema("adhesion-centrale-achats")["$defs"]
    quality = defs["Representant"]["properties"]["qualite"]["oneOf"]
    assert {"const": "maire", "title": "Maire"} in quality
    organs = {item["const"]: item["title"] for item in defs["Autorisation"]["properties"]["organe"]["oneOf"]}
    assert organs["commission-permanente"] == "Commission permanente"
    roles = defs["Partie"]["properties"]["role"]["oneOf"]
    assert [item["const"] for item in roles] == ["centrale", "adherent"]
    nature = defs["Autorisation"]["properties"]["nature"]
    assert nature["default"] == "deliberation"
    assert {"const": "arrete", "title": "Arrêté"} in nature["oneOf"]
    # the type's own choices carry their labels too
    cdg = conventum.json_schema("services-numeriques")["properties"]["cdg"]
    assert {"const": "62", "title": "CDG 62 (Pas-de-Calais)"} in cdg["oneOf"]
    assert cdg["default"] == "59"


def test_presidant_is_refused_by_the_schema_as_by_validate() -> None:
    data = load_data(SAMPLES / "adhesion-centrale-achats.yaml")
    data["parties"][0]["representant"]["qualite"] = "presidant"
    assert not _validator("adhesion-centrale-achats").is_valid(_json(data))
    codes = {issue.code for issue in conventum.validate("adhesion-centrale-achats", data, today=TODAY).issues}
    assert codes == {"field.not_in_choices"}


def test_examples_come_from_the_sample() -> None:
    schema = conventum.json_schema("adhesion-centrale-achats")
    assert schema["examples"] == [sample_data(load_type("adhesion-centrale-achats"))]
    assert schema["$defs"]["Adresse"]["properties"]["commune"]["examples"] == ["Arras"]


@pytest.mark.parametrize(("type_name", "path"), _samples(), ids=lambda value: getattr(value, "stem", value))
def test_sample_passes_the_schema_and_validate(type_name: str, path: Path) -> None:
    errors = [error.message for error in _validator(type_name).iter_errors(_json(load_data(path)))]
    assert errors == []
    result = conventum.validate(type_name, path, today=TODAY)
    assert result.convention is not None
    assert not [issue for issue in result.issues if issue.code.startswith("field.")]


def _path_parts(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path)]


FIELD_INVALID = sorted(path for path in (SAMPLES / "invalid").glob("*.field.*.yaml"))


def test_there_are_field_invalid_samples() -> None:
    assert len(FIELD_INVALID) >= 5


@pytest.mark.parametrize("path", FIELD_INVALID, ids=lambda path: path.stem)
def test_field_error_of_invalid_sample_is_refused_by_the_schema(path: Path) -> None:
    type_name = path.stem.split(".", 1)[0]
    result = conventum.validate(type_name, path, today=TODAY)
    field_issues = [issue for issue in result.issues if issue.code.startswith("field.")]
    assert field_issues
    errors = list(_validator(type_name).iter_errors(_json(load_data(path))))
    schema_paths = [list(error.absolute_path) for error in errors]
    for issue in field_issues:
        wanted = _path_parts(issue.path)
        # the schema refuses the same place, or the object (or the choice) that holds it
        assert any(wanted[: len(found)] == found for found in schema_paths), (issue, schema_paths)


# --- documents generated from the schema alone --------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from("aàbcéèêdefçgiïoôsuùxyzAÉZ0189 -’'«»/,;:\t\n\x07\x0b"), max_size=12)


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    return node


def strategy(node: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:  # noqa: PLR0911, PLR0912, C901
    """Values valid for a node of the schemas conventum writes (their keywords only)."""
    node = _resolve(node, root)
    if "oneOf" in node and all("const" in item for item in node["oneOf"]):
        return st.sampled_from([item["const"] for item in node["oneOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "anyOf" in node or "oneOf" in node:
        return st.one_of([strategy(option, root) for option in node.get("anyOf", node.get("oneOf", []))])
    if "allOf" in node:
        return _party_strategy(node, root)
    kind = node.get("type")
    if kind == ["number", "string"]:
        low = Decimal(node.get("minimum", -(10**6)))
        amounts = st.decimals(min_value=low, max_value=Decimal(10**6), places=2, allow_nan=False)
        return st.one_of(amounts.map(str), amounts.map(float), st.integers(int(low), 10**6))
    if kind == "string" and node.get("format") == "date":
        return st.dates(date(1990, 1, 1), date(2060, 12, 31)).map(date.isoformat)
    if kind == "string" and node.get("pattern") in (r"^[0-9]{5}$",):
        return st.from_regex(r"\A[0-9]{5}\Z")
    if kind == "string":
        # any text the schema's pattern lets through: blanks and control characters are tried too
        pattern = re.compile(node.get("pattern", ""))
        return TEXT.filter(
            lambda text: len(text) >= node.get("minLength", 0) and pattern.search(text) is not None
        )
    if kind == "integer":
        return st.integers(node.get("minimum", -1000), node.get("maximum", 1000))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(strategy(node["items"], root), max_size=2)
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {key: strategy(value, root) for key, value in properties.items() if key in required},
            optional={key: strategy(value, root) for key, value in properties.items() if key not in required},
        )
    raise AssertionError(f"mot-clé non prévu par le générateur : {node}")


def _party_strategy(node: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A party: its role first, then the rules (``if`` role …, ``then`` …) that role meets."""
    roles = [item["const"] for item in root["$defs"]["Partie"]["properties"]["role"]["oneOf"]]
    check = jsonschema.Draft202012Validator({"$defs": root["$defs"]})

    def for_role(role: str) -> st.SearchStrategy[Any]:
        base = {key: value for key, value in node.items() if key != "allOf"}
        natures: list[str] | None = None
        for clause in node["allOf"]:
            if not check.evolve(schema={"$defs": root["$defs"], **clause["if"]}).is_valid({"role": role}):
                continue
            then = clause["then"]
            if "$ref" in then:
                base = _resolve(then, root)
            else:
                natures = then["properties"]["nature"]["enum"]
        properties = dict(base["properties"], role={"enum": [role]})
        if natures is not None:
            properties["nature"] = {"enum": natures}
        return strategy({**base, "properties": properties}, root)

    return st.sampled_from(roles).flatmap(for_role)


@pytest.mark.parametrize("type_name", TYPES)
def test_documents_generated_from_the_schema_pass_validate(type_name: str) -> None:
    schema = conventum.json_schema(type_name)
    validator = _validator(type_name)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(strategy(schema, schema))
    def check(document: dict[str, Any]) -> None:
        text = json.dumps(document, ensure_ascii=False)
        assert validator.is_valid(document), [error.message for error in validator.iter_errors(document)]
        data = parse_text(text, fmt="json", source="<généré>")
        result = conventum.validate(type_name, data, today=TODAY)
        refused = [(issue.code, issue.path) for issue in result.issues if issue.code.startswith("field.")]
        assert refused == []
        assert result.convention is not None

    check()


# --- dates as a clerk writes them ------------------------------------------------------------------


def _with_decision_date(written: str) -> dict[str, Any]:
    text = (SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8")
    return parse_text(text.replace("date: 2023-09-18", f"date: {written}"), fmt="yaml", source="t.yaml")  # type: ignore[no-any-return]


@pytest.mark.parametrize("written", ["2023-09-18", '"2023-09-18"', '"18/09/2023"', "18/09/2023"])
def test_both_date_forms_are_accepted(written: str) -> None:
    result = conventum.validate("adhesion-centrale-achats", _with_decision_date(written), today=TODAY)
    assert result.convention is not None, result.issues
    assert result.convention.parties[0].autorisation[0].date == date(2023, 9, 18)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2025-02-31", "le 31 février 2025 n’existe pas"),
        ('"31/02/2025"', "le 31 février 2025 n’existe pas"),
        ('"29/02/2025"', "le 29 février 2025 n’existe pas"),
        ('"12/13/2025"', "le mois 13 n’existe pas"),
        ('"le 3 mars"', "« le 3 mars » n’est pas écrite AAAA-MM-JJ ou JJ/MM/AAAA"),
    ],
)
def test_a_wrong_date_says_what_is_wrong(written: str, reason: str) -> None:
    result = conventum.validate("adhesion-centrale-achats", _with_decision_date(written), today=TODAY)
    [issue] = result.issues
    assert (issue.code, issue.path) == ("field.invalid_date", "parties[0].autorisation[0].date")
    assert reason in issue.message
