"""Placeholders in a sandbox: a narrative text can name values and format them, and nothing else.

A placeholder is `{{ name.key["key"] | format(constant) }}`, optionally `+` or `-` between numbers (`{{ ar +
1 }}`). Every text is parsed first and its syntax tree is checked against that grammar before anything
is compiled or run: no statements (`{% … %}`), no calls, no tests, no comparisons, no `*`, `/`, `**`, `%` or
`~`, no literals but constants, no names but the key figures, no keys that start with `_`, and no
filters but the documented formats. What passes is compiled by Jinja's immutable sandbox, where
attribute access is further narrowed to looking up keys of the key-figure mappings (never a Python
attribute), calls are refused, and `+`/`-` accept only numbers of bounded size. Each format checks
the type and range of its input and arguments. The output of a text is bounded in size and the
rendering in time. Every refusal is a `PlaceholderRefused` with the line of the placeholder, or a
ValueError whose message is Swedish.
"""

from __future__ import annotations

import inspect
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from types import CodeType
from typing import Any, Generic, TypeVar

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from rapportbok.core.deadline import Deadline
from rapportbok.core.formatting import (
    GROUP,
    format_mnkr,
    format_number,
    format_percent,
    format_tkr,
    number_in_words,
)
from rapportbok.core.markup import markdown_literal
from rapportbok.exceptions import OutputTooLong, PlaceholderRefused
from rapportbok.narrative.suggest import close_matches, did_you_mean

EMPTY_VALUE = "platshållaren har inget värde i data"
MAX_MAGNITUDE = 10**15  # as read_table: far beyond any amount, exact as a float
MAX_DECIMALS = 6
MAX_WORDS = 10**12  # `ord` spells out whole numbers up to this size
MAX_PRINTED = 200  # characters of a published wording in tryckt("…")
MAX_OUTPUT = 2 * 2**20  # characters of one filled-in text
MAX_DEPTH = 24  # nesting of one placeholder's expression
MAX_PLACEHOLDERS = 1000  # per text; a section of the 2024 report has at most a dozen
TOO_MANY_PLACEHOLDERS = f"texten har fler än {format_number(MAX_PLACEHOLDERS)} platshållare"
MAX_REMEMBERED = 1_000_000  # characters of text a process keeps parsed and compiled (2024: 26 000)
STATEMENTS = "styrsatser ({% … %}) är inte tillåtna; texten får bara ha platshållare {{ … }}"


class _MissingValue(jinja2.StrictUndefined):
    """A name or key the data does not have: any use of it is an error."""


# --- Formats ------------------------------------------------------------------------------------------


def _present(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # the name does not exist: "namnet finns inte i data"
    if value is None:
        raise ValueError(EMPTY_VALUE)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "en text"
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, Mapping):
        return "en grupp av värden"
    return "ett värde av annan typ"


def _number(value: Any, format_name: str) -> int | float:
    """A finite int or float of bounded size, as every number format needs."""
    value = _present(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"formatet {format_name} kräver ett tal, men fick {_kind(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"formatet {format_name} kräver ett ändligt tal")
    if abs(value) >= MAX_MAGNITUDE:
        raise ValueError(f"talet är för stort för formatet {format_name}")
    return value


def _decimals(decimals: Any, format_name: str) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise ValueError(
            f"antalet decimaler i {format_name}(…) ska vara ett heltal från 0 till {MAX_DECIMALS}"
        )
    return decimals


def _mnkr(value: Any, decimals: Any = 1) -> str:
    return format_mnkr(_number(value, "mnkr"), _decimals(decimals, "mnkr"))


def _tkr(value: Any, signed: Any = False) -> str:
    if not isinstance(signed, bool):
        raise ValueError("tkr(signed=…) ska vara True eller False")
    return format_tkr(_number(value, "tkr"), signed=signed)


def _tal(value: Any, decimals: Any = 0) -> str:
    return format_number(_number(value, "tal"), _decimals(decimals, "tal"))


def _procent(value: Any, decimals: Any = 1) -> str:
    return format_percent(_number(value, "procent"), _decimals(decimals, "procent"))


def _ord(value: Any, genus: Any = "ett") -> str:
    number = _number(value, "ord")
    if isinstance(number, float) and not number.is_integer():
        raise ValueError("formatet ord kräver ett heltal")
    if abs(number) >= MAX_WORDS:
        raise ValueError("talet är för stort för formatet ord")
    if genus not in ("en", "ett"):
        raise ValueError('ord(…) tar "en" eller "ett"')
    return number_in_words(int(number), genus)


def _abs(value: Any) -> int | float:
    return abs(_number(value, "abs"))


def _capitalize(value: Any) -> str:
    value = _present(value)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"formatet capitalize kräver en text, men fick {_kind(value)}")
    return str(value).capitalize()


@dataclass(frozen=True)
class Format:
    """A documented filter: its function and how it is written, for messages."""

    function: Callable[..., Any]
    usage: str


# The format that keeps a printed value and reports a disagreement (its name as a text is written).
PRINTED_FORMAT = "tryckt"


def _formats(disagreements: Callable[[str, str], None]) -> dict[str, Format]:
    def tryckt(computed: Any, printed: Any) -> str:
        computed = _present(computed)
        if not isinstance(printed, str) or len(printed) > MAX_PRINTED:
            raise ValueError(f'tryckt("…") tar den publicerade texten, högst {MAX_PRINTED} tecken')
        if any(unicodedata.category(char) in ("Cc", "Cf") for char in printed):
            raise ValueError('tryckt("…") får inte innehålla styrtecken')
        if isinstance(computed, bool) or not isinstance(computed, str | int | float):
            raise ValueError(f"formatet tryckt kräver en text eller ett tal, men fick {_kind(computed)}")
        computed_text = str(computed).replace(GROUP, " ")
        if computed_text != printed.replace(GROUP, " "):
            disagreements(printed, computed_text)
        return printed

    return {
        "mnkr": Format(_mnkr, "mnkr eller mnkr(decimaler)"),
        "tkr": Format(_tkr, "tkr eller tkr(signed=True)"),
        "tal": Format(_tal, "tal eller tal(decimaler)"),
        "procent": Format(_procent, "procent eller procent(decimaler)"),
        "ord": Format(_ord, 'ord eller ord("en")'),
        "abs": Format(_abs, "abs"),
        "capitalize": Format(_capitalize, "capitalize"),
        PRINTED_FORMAT: Format(tryckt, 'tryckt("publicerad text")'),
    }


FORMAT_NAMES = ("mnkr", "tkr", "tal", "procent", "ord", "abs", "capitalize", "tryckt")


def _checked_call(name: str, spec: Format) -> Callable[..., Any]:
    """The filter, with its arguments bound first, so that a wrong call is a Swedish message (the
    signature is read at the first call: an environment is made per text, most use few formats).

    It takes the template's context (unused) so that Jinja never calls it while compiling: on a
    constant, e.g. `{{ 22355 | tkr | tryckt("22,3 mnkr") }}`, Jinja would otherwise call it once at
    compile time, and a disagreement would reach only the environment that compiled the text, not the
    others that run the same compiled code (`_compiled`).
    """
    signatures: list[inspect.Signature] = []

    @jinja2.pass_context
    def call(_context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        if not signatures:
            signatures.append(inspect.signature(spec.function))
        try:
            signatures[0].bind(value, *args, **kwargs)
        except TypeError:
            raise ValueError(f"formatet {name} skrivs {spec.usage}") from None
        return spec.function(value, *args, **kwargs)

    return call


# --- The environment ----------------------------------------------------------------------------------


def _finalize(value: Any) -> str:
    """What a placeholder prints: one value from data as Markdown text, never as markup."""
    value = _present(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"platshållaren ger {_kind(value)}, inte en text eller ett tal")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("platshållaren ger inget ändligt tal")
    return markdown_literal(value)


class NarrativeEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to key lookups, formats and bounded `+`/`-` on numbers."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def __init__(self, disagreements: Callable[[str, str], None]) -> None:
        super().__init__(
            autoescape=False,  # values are escaped as Markdown by _finalize; the page escapes the HTML
            undefined=_MissingValue,
            keep_trailing_newline=True,
            finalize=_finalize,
            optimized=False,  # nothing authored is evaluated while compiling
        )
        self.globals.clear()  # no range, lipsum, cycler, joiner, namespace, dict
        self.tests.clear()
        self.filters.clear()
        self.filters.update(
            {name: _checked_call(name, spec) for name, spec in _formats(disagreements).items()}
        )

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator not in ("+", "-"):
            raise SecurityError(f"operatorn {operator} är inte tillåten")
        result = self.binop_table[operator](_number(left, operator), _number(right, operator))
        return _number(result, operator)

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        return self.unop_table[operator](_number(arg, operator))

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self._lookup(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self._lookup(obj, argument)

    def _lookup(self, obj: Any, key: Any) -> Any:
        """`a.b` and `a["b"]` look up a key of a mapping of key figures; never a Python attribute."""
        if isinstance(obj, jinja2.Undefined):
            obj._fail_with_undefined_error()
        if isinstance(key, str) and key.startswith("_"):
            return self.undefined(obj=obj, name=key)
        if isinstance(obj, Mapping) and isinstance(key, str | int) and not isinstance(key, bool):
            try:
                return obj[key]
            except (KeyError, TypeError):
                pass
        return self.undefined(obj=obj, name=key)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        raise SecurityError("funktionsanrop är inte tillåtna")


# --- The grammar --------------------------------------------------------------------------------------

EXPRESSIONS = (
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Const,
    nodes.Filter,
    nodes.Add,
    nodes.Sub,
    nodes.Neg,
    nodes.Pos,
)
REFUSED: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.Stmt, STATEMENTS),
    (nodes.Call, "funktionsanrop är inte tillåtna i en platshållare"),
    (nodes.Test, "tester (is …) är inte tillåtna i en platshållare"),
    (
        (nodes.Compare, nodes.And, nodes.Or, nodes.Not, nodes.CondExpr),
        "villkor är inte tillåtna i en platshållare",
    ),  # type: ignore[arg-type]
    ((nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow), "bara + och - är tillåtna mellan tal"),  # type: ignore[arg-type]
    (nodes.Concat, "sammanfogning (~) är inte tillåten i en platshållare"),
    ((nodes.List, nodes.Tuple, nodes.Dict, nodes.Slice), "listor, tupler och intervall är inte tillåtna"),  # type: ignore[arg-type]
)


def _short(name: str) -> str:
    """A name as a message quotes it: at most 40 characters."""
    return name if len(name) <= 40 else name[:39] + "…"


def _refusal(node: nodes.Node) -> str:
    for kinds, message in REFUSED:
        if isinstance(node, kinds):
            return message
    return "uttrycket är inte tillåtet i en platshållare"


def _constant(node: nodes.Node) -> bool:
    """A literal text, number or truth value (a float literal like 1e400 is infinite: refused)."""
    if not isinstance(node, nodes.Const) or not isinstance(node.value, str | int | float | bool):
        return False
    return not isinstance(node.value, float) or math.isfinite(node.value)


def check_grammar(tree: nodes.Template, names: Collection[str]) -> None:
    """Raise PlaceholderRefused at the first construct outside the placeholder grammar, or when the
    text has more than MAX_PLACEHOLDERS placeholders (compiling is linear, but not free)."""
    stack: list[tuple[nodes.Node, int, int | None]] = [(tree, 0, None)]
    count = 0
    while stack:
        node, depth, line = stack.pop()
        line = getattr(node, "lineno", None) or line
        if depth == 2 and not isinstance(node, nodes.TemplateData):  # an expression directly in an Output
            count += 1
            if count > MAX_PLACEHOLDERS:
                raise PlaceholderRefused(TOO_MANY_PLACEHOLDERS, line)
        if not isinstance(node, nodes.Template | nodes.Output | nodes.TemplateData | nodes.Keyword):
            # a Keyword (format argument) is checked with its Filter; nothing else has one
            _check_expression(node, depth, line, names)
        stack.extend((child, depth + 1, line) for child in node.iter_child_nodes())


def _check_expression(node: nodes.Node, depth: int, line: int | None, names: Collection[str]) -> None:
    """Raise PlaceholderRefused when `node` (at `depth` in the tree) is outside the grammar."""
    if not isinstance(node, EXPRESSIONS):
        raise PlaceholderRefused(_refusal(node), line)
    if depth > MAX_DEPTH:
        raise PlaceholderRefused("platshållaren är för djupt nästlad", line)
    if isinstance(node, nodes.Filter):
        _check_filter(node, line)
    problem = _expression_problem(node, names)
    if problem:
        raise PlaceholderRefused(problem, line)


def _expression_problem(node: nodes.Node, names: Collection[str]) -> str | None:
    """Why a name, key or constant is refused, in Swedish; None when it is allowed (and for any other
    expression of the grammar)."""
    if isinstance(node, nodes.Name):
        return _name_problem(node, names)
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f'namn som börjar med _ är inte tillåtna ("{_short(node.attr)}")'
    if isinstance(node, nodes.Getitem):
        return _key_problem(node.arg)
    if isinstance(node, nodes.Const) and not _constant(node):
        return "talet är för stort" if isinstance(node.value, float) else "uttrycket är inte tillåtet"
    return None


def _name_problem(node: nodes.Name, names: Collection[str]) -> str | None:
    """A name must be read (not assigned) and be one of the key figures' `names`."""
    if node.ctx == "load" and node.name in names:
        return None
    hint = did_you_mean(close_matches(node.name, names))
    message = f'namnet "{_short(node.name)}" finns inte i data'
    return f"{message}; {hint}" if hint else message


def _key_problem(key: nodes.Expr) -> str | None:
    """The key inside [ ] must be a text or a whole number that does not start with _."""
    if not (_constant(key) and isinstance(key.value, str | int)):  # type: ignore[attr-defined]
        return 'inom [ ] står en nyckel, t.ex. ["24007"] eller [3]'
    if str(key.value).startswith("_"):  # type: ignore[attr-defined]
        return "namn som börjar med _ är inte tillåtna"
    return None


def _check_filter(node: nodes.Filter, line: int | None) -> None:
    if node.name not in FORMAT_NAMES:
        hint = did_you_mean(close_matches(node.name, FORMAT_NAMES))
        raise PlaceholderRefused(
            f'formatet "{_short(node.name)}" finns inte{"; " + hint if hint else ""} '
            f"(tillåtna format: {', '.join(FORMAT_NAMES)})",
            line,
        )
    if node.node is None or node.dyn_args is not None or node.dyn_kwargs is not None:
        raise PlaceholderRefused(f"formatet {node.name} skrivs utan * och **", line)
    if not all(_constant(arg) for arg in node.args) or not all(_constant(kw.value) for kw in node.kwargs):
        raise PlaceholderRefused(f"argumenten till {node.name}(…) ska vara text eller tal, t.ex. (1)", line)
    names = [keyword.key for keyword in node.kwargs]
    if len(names) != len(set(names)):
        raise PlaceholderRefused(f"ett argument till {node.name}(…) står två gånger", line)


# --- Rendering ----------------------------------------------------------------------------------------


def parse(env: NarrativeEnvironment, source: str, names: Collection[str]) -> nodes.Template:
    """The checked syntax tree of a text; raise jinja2.TemplateSyntaxError or PlaceholderRefused."""
    openings = [match.start() for match in re.finditer(r"\{[{%]", source)]
    if len(openings) > MAX_PLACEHOLDERS:  # refused before parsing, which takes seconds for 50 000
        line = source.count("\n", 0, openings[MAX_PLACEHOLDERS]) + 1
        raise PlaceholderRefused(TOO_MANY_PLACEHOLDERS, line)
    try:
        tree = _TREES.get(source, lambda: env.parse(source))
    except jinja2.TemplateSyntaxError:
        raise
    except RecursionError:
        raise PlaceholderRefused("platshållaren är för djupt nästlad", None) from None
    except (ValueError, OverflowError, MemoryError):  # e.g. an integer literal of 5 000 digits
        raise PlaceholderRefused(
            "platshållaren kan inte läsas (ett tal med för många siffror?)", None
        ) from None
    check_grammar(tree, names)
    return tree


_T = TypeVar("_T")


class _PerText(Generic[_T]):
    """What is made from a text, made once per process: a check, the preview and a chapter fill in the
    same texts again and again, and parsing and compiling them was a fifth of a check of the 2024 book.
    It keeps at most MAX_REMEMBERED characters of text, then starts over. A failure is not kept: it
    fails again, with its own message, the next time."""

    def __init__(self) -> None:
        self.values: dict[str, _T] = {}
        self.characters = 0

    def get(self, source: str, make: Callable[[], _T]) -> _T:
        found = self.values.get(source)
        if found is None:
            found = make()
            if len(source) > MAX_REMEMBERED:
                return found
            if self.characters + len(source) > MAX_REMEMBERED:
                self.values.clear()
                self.characters = 0
            self.values[source] = found
            self.characters += len(source)
        return found


_TREES: _PerText[nodes.Template] = _PerText()
_COMPILED: _PerText[CodeType] = _PerText()


def _compiled(env: NarrativeEnvironment, source: str, tree: nodes.Template) -> CodeType:
    """The Python code of the checked `tree` of `source`.

    Neither the tree nor the code depends on the environment that made them: every NarrativeEnvironment
    has the same settings and filter names, nothing is evaluated while compiling (the formats take the
    context, and `+`, `-` … are intercepted), and a template looks its formats up in its own environment
    when it runs (what Jinja's bytecode cache relies on). Nothing changes a tree once it is parsed.
    """
    return _COMPILED.get(source, lambda: env.compile(tree))


def render(env: NarrativeEnvironment, source: str, values: Mapping[str, Any], deadline: Deadline) -> str:
    """Fill in `source`; `values` is not copied (that would compute every lazy key figure)."""
    tree = parse(env, source, values.keys())
    try:
        code = _compiled(env, source, tree)
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
    except RecursionError:
        raise PlaceholderRefused("platshållaren är för djupt nästlad", None) from None
    except SyntaxError as error:  # Jinja accepted what Python cannot compile, e.g. a repeated argument
        raise PlaceholderRefused("platshållaren kan inte tolkas (upprepat argument?)", None) from error
    chunks: Iterator[str] = template.root_render_func(template.new_context(values, shared=True))  # type: ignore[attr-defined]
    parts, size = [], 0
    for chunk in chunks:
        deadline.check()
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise OutputTooLong(
                f"den ifyllda texten blir för lång (över {MAX_OUTPUT // 2**20} miljoner tecken)"
            )
        parts.append(chunk)
    return "".join(parts)
