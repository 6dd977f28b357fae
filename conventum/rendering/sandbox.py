"""The Jinja sandbox templates run in, under a budget: a hostile or mistaken template costs one
TemplateError, never a hang, a 6 GB process or a cut document.

Per rendered part: loop iterations and calls are counted (``limits().max_template_steps``), the
wall time is bounded (``max_template_seconds``), the output too (``max_output_chars``), and so
are the sizes arithmetic can build (``'a' * 10**9``, ``10**10**10``, widths like
``'%999999999s'``). A template loads no other: ``include``, ``import`` and ``extends`` are refused
when it is parsed, with the tag named.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import markup_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from conventum.settings import limits

LOADING_TAGS: dict[type[nodes.Node], str] = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
}
LOOP_GUARD = "__conventum_loop"
CONCAT_GUARD = "__conventum_concat"
MAX_RANGE = 100_000
SEQUENCES = (str, list, tuple)
MAX_EXPONENT_BITS = 4_096  # 10**1000 is allowed, 10**10**10 is not
# A printf or format() width (or precision) of a million characters or more
WIDTH = re.compile(r"%[-+ #0]*\d{7,}|%[-+ #0*\d]*\.\d{7,}|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")
# Filters whose arguments say how long their result is
SIZED_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "format", "replace"})


class BudgetExceeded(jinja2.TemplateError):
    """A template went past its budget; the message says which, in French."""


class _Budget:
    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + limits().max_template_seconds

    def tick(self) -> None:
        self.steps += 1
        if self.steps > limits().max_template_steps:
            raise BudgetExceeded(
                f"plus de {limits().max_template_steps} tours de boucle ou appels : modèle arrêté"
            )
        if self.steps & 0xFF == 0 and time.monotonic() > self.deadline:
            raise BudgetExceeded(f"remplissage de plus de {limits().max_template_seconds} s : modèle arrêté")


_CURRENT: ContextVar[_Budget | None] = ContextVar("conventum_template_budget", default=None)


def _budget() -> _Budget:
    # Outside ``BudgetedTemplate.render`` (a macro called from Python), each loop has its own.
    return _CURRENT.get() or _Budget()


class _CountedIterable:
    """A loop's iterable, each item counted against the budget; its length kept for ``loop.length``."""

    def __init__(self, iterable: Any) -> None:
        self.iterable = iterable

    def __len__(self) -> int:
        return len(self.iterable)

    def __iter__(self) -> Iterator[Any]:
        budget = _budget()
        for item in self.iterable:
            budget.tick()
            yield item


def _concat(*values: Any) -> str:
    """The ``~`` operator, its result bounded (doubling a text in a loop stops at the limit)."""
    joined: str = markup_join(values)
    _bounded(joined, "texte")
    return joined


def _bounded(result: Any, what: str) -> Any:
    """A result checked after the fact: a text or list that grows by doubling stops at twice the limit."""
    if isinstance(result, SEQUENCES):
        _refuse_size(len(result), what)
    return result


def _refuse_size(size: int, what: str) -> None:
    if size > limits().max_output_chars:
        raise BudgetExceeded(f"{what} de {size} éléments (au plus {limits().max_output_chars}) : refusé")


def _check_arguments(subject: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Arguments of a text function that would make a huge text: a width of a billion, a format
    with such a width, a replacement multiplying the text."""
    for value in (subject, *args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limits().max_output_chars:
            raise BudgetExceeded(
                f"argument {value} trop grand (au plus {limits().max_output_chars}) : refusé"
            )
        if isinstance(value, str) and WIDTH.search(value):
            raise BudgetExceeded("largeur de format démesurée : refusée")
    if isinstance(subject, str) and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]  # replace(old, new): each occurrence grows the text
        occurrences = len(subject) + 1 if not old else subject.count(old)
        _refuse_size(len(subject) + occurrences * (len(new) - len(old)), "remplacement")


def _range(*args: int) -> range:
    _check_arguments(None, args, {})
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise BudgetExceeded(f"range de {len(result)} nombres (au plus {MAX_RANGE}) : refusé")
    return result


def _guarded_filter(function: Callable[..., Any], *, sized: bool) -> Callable[..., Any]:
    passed = getattr(function, "jinja_pass_arg", None)  # context, eval context or environment first

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        if sized:
            first = 1 if passed is not None else 0
            _check_arguments(args[first] if len(args) > first else None, args[first + 1 :], kwargs)
        return _bounded(function(*args, **kwargs), "résultat de filtre")

    return guarded


class BudgetedTemplate(jinja2.Template):
    """A compiled template whose ``render`` runs under a fresh budget and bounds its output."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _CURRENT.set(_Budget())
        try:
            context = self.new_context(dict(*args, **kwargs))
            pieces: list[str] = []
            size = 0
            try:
                for piece in self.root_render_func(context):
                    size += len(piece)
                    if size > limits().max_output_chars:
                        raise BudgetExceeded(
                            f"document de plus de {limits().max_output_chars} caractères : modèle arrêté"
                        )
                    pieces.append(piece)
            except Exception:
                self.environment.handle_exception()
            return "".join(pieces)
        finally:
            _CURRENT.reset(token)


class BudgetedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with loops, calls, arithmetic and output under the budget, and no template
    loading another."""

    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _range
        self.globals[LOOP_GUARD] = _CountedIterable
        self.globals[CONCAT_GUARD] = _concat

    def guard_filters(self) -> None:
        """Count and check every filter (call once the filters are all registered)."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _guarded_filter(function, sized=name in SIZED_FILTERS)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(tuple(LOADING_TAGS)):
            tag = LOADING_TAGS[type(node)]
            raise jinja2.TemplateSyntaxError(
                f"balise « {tag} » refusée : un modèle conventum ne charge aucun autre modèle",
                node.lineno,
                name,
                filename,
            )
        return tree

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        _Guards().visit(source)
        return super()._generate(source, name, filename, defer_init)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        subject = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(subject, str):  # a text's method: center, ljust, zfill, format, replace…
            _check_arguments(subject, args, kwargs)
        return _bounded(super().call(__context, __obj, *args, **kwargs), "résultat d’appel")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
                    _refuse_size(len(sequence) * count, "répétition")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_EXPONENT_BITS:
                raise BudgetExceeded(f"puissance {left} ** {right} trop grande : refusée")
        elif operator == "%" and isinstance(left, str) and WIDTH.search(left):
            raise BudgetExceeded("largeur de format démesurée : refusée")
        elif (
            operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple))
        ):
            _refuse_size(len(left) + len(right), "concaténation")
        return super().call_binop(context, operator, left, right)


class _Guards(NodeTransformer):
    """Each loop's iterable counted, each ``~`` bounded (compiled code only: ``parse`` is left
    alone, so the template check sees the template's own names)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        guard = nodes.Name(LOOP_GUARD, "load", lineno=node.lineno)
        node.iter = nodes.Call(guard, [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        guard = nodes.Name(CONCAT_GUARD, "load", lineno=node.lineno)
        return nodes.Call(guard, list(node.nodes), [], None, None, lineno=node.lineno)


def trial_render(source: str, filters: dict[str, Callable[..., Any]]) -> str | None:
    """Render a template text once with every name undefined (empty, iterable, chainable), under
    the budget: the reason it went past the budget, or None. What depends on the data (a filter
    given nothing) stops the trial silently: only what the template does on its own is judged."""
    env = BudgetedSandbox(undefined=jinja2.ChainableUndefined, autoescape=True)
    env.filters.update(filters)
    env.guard_filters()
    try:
        env.from_string(source).render({})
    except BudgetExceeded as exc:
        return exc.message or str(exc)
    except RecursionError:
        return "appels imbriqués trop profonds (macro récursive ?)"
    except (OverflowError, MemoryError) as exc:
        return f"nombre ou texte démesuré ({exc})"
    except Exception:  # a fault that depends on the data: not the trial's business
        return None
    return None
