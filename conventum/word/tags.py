"""What rendering would refuse in a template's tags, found before rendering: each tag's syntax on
its own, blocks left open or closed twice (located at their opening tag), unknown filters and tests,
and attribute paths that the context of the type's samples does not hold (« qualitee »).

Jinja stops at the first error of a text; reading tag by tag lets ``conventum check`` say them all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from conventum.rendering.prepared import make_environment

# Opening keyword → its closing one; the keywords that may sit in between.
BLOCKS = {
    "if": "endif",
    "for": "endfor",
    "with": "endwith",
    "macro": "endmacro",
    "call": "endcall",
    "filter": "endfilter",
    "autoescape": "endautoescape",
    "raw": "endraw",
    "block": "endblock",
}
MIDDLES = {"elif": ("if",), "else": ("if", "for")}
KEYWORD = re.compile(r"\{%-?\s*(\w+)")


@dataclass(frozen=True)
class Tag:
    """A tag as written, where it is (the paragraph's position for a clerk)."""

    text: str
    where: str


@dataclass(frozen=True)
class TagProblem:
    """A problem of a tag: its code, where, and the values of its message."""

    code: str
    where: str
    params: dict[str, Any]


def tag_problems(tags: Sequence[Tag]) -> list[TagProblem]:
    """Every tag's own syntax, and the balance of the blocks, in one pass over a part's tags."""
    problems: list[TagProblem] = []
    stack: list[tuple[str, Tag]] = []
    for tag in tags:
        problem = _own_syntax(tag)
        if problem:
            problems.append(problem)
        keyword = _keyword(tag.text)
        if keyword is None:
            continue
        if keyword in BLOCKS or (keyword == "set" and "=" not in tag.text):
            stack.append((keyword, tag))
        elif keyword in MIDDLES and not (stack and stack[-1][0] in MIDDLES[keyword]):
            problems.append(_stray(tag, keyword, stack))
        elif keyword.startswith("end"):
            problems += _close(tag, keyword[3:], stack)
    problems += [
        TagProblem("template.block_unclosed", opening.where, {"tag": opening.text, "fin": _end(kw)})
        for kw, opening in stack
    ]
    return problems


def _end(keyword: str) -> str:
    return BLOCKS.get(keyword, "end" + keyword)


def _keyword(text: str) -> str | None:
    match = KEYWORD.match(text)
    return match.group(1) if match else None


def _stray(tag: Tag, keyword: str, stack: list[tuple[str, Tag]]) -> TagProblem:
    opened = stack[-1][1].text if stack else "aucun bloc"
    return TagProblem("template.block_stray", tag.where, {"tag": tag.text, "ouvert": opened})


def _close(tag: Tag, keyword: str, stack: list[tuple[str, Tag]]) -> list[TagProblem]:
    if not any(kw == keyword for kw, _tag in stack):
        return [TagProblem("template.block_stray", tag.where, {"tag": tag.text, "ouvert": "aucun bloc"})]
    problems = []
    while stack[-1][0] != keyword:  # blocks opened inside and never closed
        kw, opening = stack.pop()
        problems.append(
            TagProblem("template.block_unclosed", opening.where, {"tag": opening.text, "fin": _end(kw)})
        )
    stack.pop()
    return problems


def _own_syntax(tag: Tag) -> TagProblem | None:
    """A tag's syntax alone: an expression, or a block tag given its end (or its start)."""
    text = tag.text
    keyword = _keyword(text)
    if text.startswith("{#") or (keyword and keyword.startswith("end")):
        return None
    if keyword in BLOCKS:
        source = text + "{% " + BLOCKS[keyword] + " %}"
    elif keyword in MIDDLES:
        source = "{% if true %}" + text + "{% endif %}"
    elif keyword == "set" and "=" not in text:
        source = text + "{% endset %}"
    else:
        source = text
    try:
        make_environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        detail = f"{exc.message or exc} dans « {text} »"
        return TagProblem("template.syntax", tag.where, {"detail": detail, "tag": text})
    return None


# --- filters, tests and attributes, on a part that parses --------------------------------------


def unknown_names(ast: nodes.Template, where_of: Any) -> list[TagProblem]:
    """Filters and tests that the environment does not have (``|accrod``), with close names."""
    env = make_environment()
    problems = []
    for kind, node_type, known in (("filtre", nodes.Filter, env.filters), ("test", nodes.Test, env.tests)):
        for node in ast.find_all(node_type):
            if node.name in known:
                continue
            close = difflib.get_close_matches(node.name, list(known), n=1)
            params = {"kind": kind, "name": node.name, "suggestion": _suggest(close)}
            code = "template.unknown_filter" if kind == "filtre" else "template.unknown_test"
            problems.append(TagProblem(code, where_of(node.name), params))
    return problems


def _suggest(close: Sequence[str]) -> str:
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""


def attribute_problems(
    ast: nodes.Template, contexts: Sequence[Mapping[str, Any]], where_of: Any
) -> list[TagProblem]:
    """Attribute paths (``adherent.representant.qualitee``) that no sample's context holds."""
    if not contexts:
        return []
    walker = _Walker(contexts)
    walker.visit(ast, {})
    return [
        TagProblem(
            "template.unknown_attribute", where_of(attr), {"path": path, "name": attr, "suggestion": hint}
        )
        for path, attr, hint in dict.fromkeys(walker.found)
    ]


Values = list[Any] | None  # the values a name takes in the samples' contexts; None: not known


class _Walker:
    def __init__(self, contexts: Sequence[Mapping[str, Any]]) -> None:
        self.contexts = contexts
        self.env = make_environment()
        self.found: list[tuple[str, str, str]] = []

    def visit(self, node: nodes.Node, scope: dict[str, Values]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            inner = dict(scope)
            for name in _names(node.target):
                inner[name] = None
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = _items(self.values(node.iter, scope))
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                self.visit(child, inner)
            return
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            return  # their arguments are not the context's
        if isinstance(node, nodes.Getattr):
            self._check(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def values(self, node: nodes.Node, scope: dict[str, Values]) -> Values:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            found = [context[node.name] for context in self.contexts if node.name in context]
            return found or None
        if isinstance(node, nodes.Getattr):
            base = self.values(node.node, scope)
            if base is None:
                return None
            result = [self.env.getattr(value, node.attr) for value in base]
            return [value for value in result if not isinstance(value, jinja2.Undefined)]
        return None

    def _check(self, node: nodes.Getattr, scope: dict[str, Values]) -> None:
        base = self.values(node.node, scope)
        if not base:  # unknown, or already missing one level up
            self.visit(node.node, scope)
            return
        structured = [value for value in base if isinstance(value, (Mapping, BaseModel))]
        if structured and self.values(node, scope) == []:
            keys = sorted({key for value in structured for key in _keys(value)})
            close = difflib.get_close_matches(node.attr, keys, n=1)
            self.found.append((_dotted(node), node.attr, _suggest(close)))


def _names(target: nodes.Node) -> Iterator[str]:
    if isinstance(target, nodes.Name):
        yield target.name
    for child in target.iter_child_nodes():
        yield from _names(child)


def _items(values: Values) -> Values:
    if values is None:
        return None
    items = [item for value in values if isinstance(value, (list, tuple)) for item in value[:5]]
    return items or None


def _keys(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [str(key) for key in value]
    fields = list(type(value).model_fields)
    return fields + [name for name in dir(type(value)) if not name.startswith("_") and name not in fields]


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Name):
        return node.name
    return "…"
