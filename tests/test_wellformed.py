"""The render check's shortcut: a template part is declared always well-formed only when every filling
of it parses; then a byte scan replaces the XML parse (render/wellformed.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conventum import available_types, load_type
from conventum.rendering.prepared import FILTERS, PreparedTemplate, make_environment
from conventum.rendering.wellformed import always_well_formed

ENV = make_environment()
TEXT = st.text(alphabet="ab &<>\"'é🌊", max_size=6)
ELEMENTS = ["p", "r", "t"]


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """Template XML with conditions and loops placed anywhere, balanced or not."""
    pieces = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.sampled_from(["text", "value", "element", "if", "for", "open", "close"]))
        if choice == "text":
            pieces.append(draw(st.sampled_from(["x", "y z", "&amp;"])))
        elif choice == "value":
            pieces.append("{{ v }}")
        elif choice == "element" and depth < 3:
            name = draw(st.sampled_from(ELEMENTS))
            pieces.append(f"<w:{name}>{draw(fragments(depth + 1))}</w:{name}>")
        elif choice in ("if", "for") and depth < 3:
            inner, other = draw(fragments(depth + 1)), draw(fragments(depth + 1))
            if choice == "if":
                pieces.append(f"{{% if c{depth} %}}{inner}{{% else %}}{other}{{% endif %}}")
            else:
                pieces.append(f"{{% for i in n{depth} %}}{inner}{{% endfor %}}")
        elif choice == "open":
            pieces.append(f"<w:{draw(st.sampled_from(ELEMENTS))}>")
        elif choice == "close":
            pieces.append(f"</w:{draw(st.sampled_from(ELEMENTS))}>")
    return "".join(pieces)


def _wrapped(fragment: str) -> str:
    return f'<w:body xmlns:w="urn:w">{fragment}</w:body>'


@settings(max_examples=400, deadline=None)
@given(
    fragments(),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.lists(st.integers(0, 2), min_size=3, max_size=3),
    TEXT,
)
def test_a_part_declared_always_well_formed_parses_whatever_fills_it(
    fragment: str, conditions: list[bool], counts: list[int], value: str
) -> None:
    source = _wrapped(fragment)
    if not always_well_formed(ENV, source, filters=FILTERS):
        return
    context = {f"c{i}": conditions[i] for i in range(3)} | {f"n{i}": range(counts[i]) for i in range(3)}
    etree.fromstring(ENV.from_string(source).render(context, v=value).encode("utf-8"))


@pytest.mark.parametrize(
    "fragment",
    [
        "<w:p>{% if c %}<w:r>{% endif %}</w:r></w:p>",  # a condition that can drop an opening tag
        "<w:p>{% for i in n %}<w:r>{% endfor %}</w:p>",  # a loop that repeats an opening tag
        "<w:p><w:t>{{ v|safe }}</w:t></w:p>",  # markup let through
        '<w:p w:val="{{ v }}"></w:p>',  # a value inside a tag
        "<w:p>{% set x = 1 %}</w:p>",
        "<w:p>{% macro m() %}{% endmacro %}</w:p>",
        "<w:p>&am{% if c %}p;{% endif %}</w:p>",  # an entity a condition cuts
        "<w:p><!-- {{ v }} --></w:p>",
        "<w:p>{% raw %}x{% endraw %}</w:p>",
    ],
)
def test_what_may_break_the_xml_is_parsed_after_each_filling(fragment: str) -> None:
    assert not always_well_formed(ENV, _wrapped(fragment), filters=FILTERS)


@pytest.mark.parametrize("type_name", available_types())
def test_every_shipped_template_takes_the_byte_scan(type_name: str) -> None:
    prepared = PreparedTemplate(load_type(type_name).template_path)
    assert all(part.always_well_formed for part in prepared._parts.values())
