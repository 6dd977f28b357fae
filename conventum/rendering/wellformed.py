"""Whether a template part gives well-formed XML whatever it is filled with: decided once, on the template.

A filled part is its template's literal XML with some regions left out (a false condition, an empty
loop), some repeated (a loop) and escaped text put in (the values, autoescaped). If every region a
block can leave out or repeat begins and ends with the same elements open, and the values cannot
carry markup, every filling is well-formed; the XML parse of each document can then be replaced by
a scan of its bytes for what escaping does not remove (control characters, template tags, blanks).
A part that does anything else (a tag inside an XML tag, ``|safe``, ``set``, macros…) is parsed
after each filling, as before.

>>> from jinja2.sandbox import SandboxedEnvironment
>>> env = SandboxedEnvironment(autoescape=True)
>>> always_well_formed(env, "<w:p>{% if a %}<w:r><w:t>{{ a }}</w:t></w:r>{% endif %}</w:p>")
True
>>> always_well_formed(env, "<w:p>{% if a %}<w:r>{% endif %}</w:r></w:p>")
False
>>> always_well_formed(env, "<w:p><w:t>{{ a|safe }}</w:t></w:p>")
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from xml.parsers import expat

from jinja2 import Environment
from jinja2.exceptions import TemplateSyntaxError

# Statements whose regions keep or drop whole stretches of the template, nothing else.
BRANCHING = {
    "if": "open",
    "for": "open",
    "elif": "branch",
    "else": "branch",
    "endif": "close",
    "endfor": "close",
}
# Filters whose output is text (escaped when written), never markup: Jinja's own and conventum's.
TEXT_FILTERS = frozenset(
    [
        "abs",
        "attr",
        "batch",
        "capitalize",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "first",
        "float",
        "format",
        "groupby",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "sum",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
    ]
)
XML_TOKEN = re.compile(r"<(/?)([^\s/>!?]+)[^>]*?(/?)>|<[!?][^>]*>")
COMMENT_OR_CDATA = ("<!--", "<![CDATA[")
UNFINISHED_ENTITY = re.compile(r"&[^;<>]*$")  # an entity a tag cuts: its end is in the next stretch


def always_well_formed(env: Environment, source: str, *, filters: Iterable[str] = ()) -> bool:
    """Whether every filling of ``source`` is well-formed XML (when ``source`` itself, with its tags
    taken as true once, is): see the module's docstring. ``filters`` are further text-only filters."""
    try:
        tokens = list(env.lex(source))
    except TemplateSyntaxError:
        return False
    walk = _Walk(TEXT_FILTERS | frozenset(filters))
    return all(walk.step(kind, value) for kind, value in _tokens(tokens)) and walk.done(tokens)


class _Walk:
    """The elements open at each point of the template, and at the start of each open block."""

    def __init__(self, filters: frozenset[str]) -> None:
        self.filters = filters
        self.stack: list[str] = []
        self.blocks: list[tuple[str, ...]] = []

    def step(self, kind: str, value: str) -> bool:
        if kind == "data":
            return _follow(self.stack, value)
        if kind == "filter":
            return value in self.filters
        if kind == "statement":
            return self._statement(BRANCHING.get(value))
        return False  # refused

    def _statement(self, role: str | None) -> bool:
        if role == "open":
            self.blocks.append(tuple(self.stack))
            return True
        if role is None or not self.blocks or self.blocks[-1] != tuple(self.stack):
            return False
        if role == "close":
            self.blocks.pop()
        return True

    def done(self, tokens: list[tuple[int, str, str]]) -> bool:
        return not self.stack and not self.blocks and _literal_xml_parses(tokens)


def _literal_xml_parses(tokens: list[tuple[int, str, str]]) -> bool:
    """The template's literal XML, every tag taken out, is well-formed (attributes, entities…)."""
    literal = "".join(value for _line, kind, value in tokens if kind == "data")
    parser = expat.ParserCreate()
    try:
        parser.Parse(literal.encode("utf-8"), True)
    except expat.ExpatError:
        return False
    return True


def _tokens(tokens: list[tuple[int, str, str]]) -> Iterator[tuple[str, str]]:
    """("data", text), ("statement", keyword), ("filter", name) and ("refused", what) from Jinja's lexer."""
    previous = ""
    for _line, kind, value in tokens:
        if kind == "whitespace":
            continue
        if kind == "data":
            yield "data", value
        elif kind == "name" and previous == "block_begin":
            yield "statement", value
        elif kind == "name" and previous == "pipe":
            yield "filter", value
        elif kind == "raw_begin":
            yield "refused", kind
        previous = "pipe" if (kind == "operator" and value == "|") else kind


def _follow(stack: list[str], text: str) -> bool:
    """Move through the XML of a literal stretch, updating the open elements; False when it ends
    inside a tag, closes what it did not open, or holds a comment or CDATA."""
    if any(mark in text for mark in COMMENT_OR_CDATA):
        return False
    position = 0
    for match in XML_TOKEN.finditer(text):
        if "<" in text[position : match.start()] or ">" in text[position : match.start()]:
            return False
        position = match.end()
        closing, name, empty = match.group(1), match.group(2), match.group(3)
        if name is None or empty:
            continue
        if closing:
            if not stack or stack[-1] != name:
                return False
            stack.pop()
        else:
            stack.append(name)
    rest = text[position:]
    return "<" not in rest and ">" not in rest and not UNFINISHED_ENTITY.search(text)
