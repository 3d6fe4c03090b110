"""The handbook's generated pages: the command reference from the CLI parser and the package map
from the package's modules, written into docs/ when the handbook is built (so they cannot drift); and
the list of blocks in docs/block.md, written from the blocks' registry (rapportbok.views.blocks.BLOCKS)
between two markers of that page.

A local Sphinx extension (docs/_config.yml: sphinx.local_extensions). It writes the pages on
`config-inited`, before the table of contents is read; the functions that render them are plain
and tested by tests/project/test_docs.py without Sphinx.
"""

from __future__ import annotations

import argparse
import ast
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
PACKAGE = ROOT / "src" / "rapportbok"

# The generated pages (file in docs/ → renderer); git ignores them (.gitignore).
COMMANDS_PAGE = "kommandon.md"
PACKAGE_PAGE = "paketkarta.md"
GENERATED = (COMMANDS_PAGE, PACKAGE_PAGE)
# The page with a generated part (committed: the part is rewritten only when the registry changed).
BLOCKS_PAGE = "block.md"
BLOCKS_START = "<!-- blocklistan: skrivs från rapportbok.views.blocks.BLOCKS av docs/_ext/handbok.py -->"
BLOCKS_END = "<!-- slut på blocklistan -->"


def _cell(text: str) -> str:
    """Text for one cell of a Markdown table: one line, pipes escaped."""
    return _text(" ".join(text.split())).replace("|", "\\|")


def _number(value: int) -> str:
    """An integer as Swedish writes it: 18 894."""
    return f"{value:,}".replace(",", "\u00a0")


def _text(text: str) -> str:
    """Plain text for Markdown: `<` escaped, so that `<organisation>` is shown and not taken as HTML."""
    return text.replace("<", "\\<")


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, help, parser) of each subcommand, in the parser's order."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            found += [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return found


def _argument(action: argparse.Action) -> tuple[str, str, str]:
    """(argument, value, description) of one argument of a command."""
    name = (
        ", ".join(f"`{option}`" for option in action.option_strings) or f"`{action.metavar or action.dest}`"
    )
    if action.choices is not None:
        value = " \\| ".join(f"`{choice}`" for choice in action.choices)
    elif action.nargs == 0 or not action.option_strings:
        value = ""
    else:
        value = f"`{action.metavar or action.dest.upper()}`"
    return name, value, _cell(action.help or "")


def commands_page(parser: argparse.ArgumentParser) -> str:
    """The command reference: every subcommand of `parser` with its help, usage and arguments."""
    lines = [
        "# Kommandon",
        "",
        "Den här sidan skrivs från kommandoradens egen parser (`rapportbok.cli.argument_parser`) varje gång",
        "handboken byggs, så den visar exakt de kommandon och flaggor som finns. Samma text ger",
        f"`rapportbok --help` och `rapportbok KOMMANDO --help`. {_cell(parser.description or '')}",
        "",
        "| Kommando | Vad det gör |",
        "|---|---|",
    ]
    commands = _subcommands(parser)
    lines += [f"| [`{name}`](#rapportbok-{name}) | {_cell(text)} |" for name, text, _ in commands]
    for name, text, sub in commands:
        lines += ["", f"## rapportbok {name}", "", f"{_cell(text[:1].upper() + text[1:])}.", ""]
        lines += ["```text", sub.format_usage().strip(), "```", ""]
        arguments = [action for action in sub._actions if not isinstance(action, argparse._HelpAction)]
        if not arguments:
            lines.append("Kommandot har inga argument utöver `--help`.")
            continue
        lines += ["| Argument | Värde | Beskrivning |", "|---|---|---|"]
        lines += ["| {} | {} | {} |".format(*_argument(action)) for action in arguments]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Module:
    """One module of the package: its dotted name, file, first docstring paragraph and length in lines."""

    name: str
    path: Path
    summary: str
    lines: int


def modules(package: Path = PACKAGE) -> list[Module]:
    """Every Python module under `package` (a package as its __init__), sorted by name; read, not imported."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        source = path.read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(source)) or ""
        summary = docstring.strip().split("\n\n", 1)[0]
        found.append(Module(name, path, " ".join(summary.split()), len(source.splitlines())))
    return sorted(found, key=lambda module: module.name)


def layers(pyproject: Path = ROOT / "pyproject.toml") -> list[list[str]]:
    """The layers of the import-linter contract, top first; each layer is a list of packages."""
    settings: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    contracts = settings["tool"]["importlinter"]["contracts"]
    contract = max((c for c in contracts if c["type"] == "layers"), key=lambda c: len(c["layers"]))
    prefixes = [f"{container}." for container in contract.get("containers", [])] or [""]
    return [
        [prefixes[0] + part.strip(" ()") for part in re.split(r"[|:]", layer)] for layer in contract["layers"]
    ]


def package_page(package: Path = PACKAGE, pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The package map: the layers of the contract, then every module of each top-level unit."""
    found = modules(package)
    layered = layers(pyproject)
    lines = [
        "# Paketkarta",
        "",
        "Den här sidan skrivs från koden varje gång handboken byggs: lagren från import-linter-",
        "kontraktet i `pyproject.toml`, och varje modul i `src/rapportbok/` med första stycket av sin",
        "docstring (på engelska, som koden) och sitt antal rader. Varför lagren ser ut så: se",
        "[Design](design.md).",
        "",
        f"{len(found)} moduler, {_number(sum(module.lines for module in found))} rader.",
        "",
        "## Lagren, uppifrån",
        "",
        "Ett lager importerar bara från lagren under sig, och paket i samma lager (i kontraktet åtskilda",
        "med `|`) importerar inte varandra.",
        "",
        "| Lager | Paket | Moduler | Rader |",
        "|---|---|---|---|",
    ]
    for number, layer in enumerate(layered, start=1):
        in_layer = [m for m in found if any(m.name == u or m.name.startswith(u + ".") for u in layer)]
        names = ", ".join(f"[`{unit}`](#{unit.replace('.', '')})" for unit in layer)
        lines.append(f"| {number} | {names} | {len(in_layer)} | {_number(sum(m.lines for m in in_layer))} |")
    listed = [unit for layer in layered for unit in layer]
    root = package.name
    tops = sorted({".".join(m.name.split(".")[:2]) for m in found if m.name != root})
    units = listed + [unit for unit in tops if unit not in listed]
    if any(m.name == root for m in found):
        units.append(root)
    outside = units[len(listed) :]
    if outside:
        lines += [
            "",
            "Utanför lagren: " + ", ".join(f"[`{unit}`](#{unit.replace('.', '')})" for unit in outside) + ".",
        ]
    for unit in units:
        members = [m for m in found if m.name == unit or (unit != root and m.name.startswith(unit + "."))]
        lines += ["", f"## {unit}", ""]
        if not members:
            lines.append("Finns inte i koden.")
            continue
        for module in members:
            if module.summary or module.path.name != "__init__.py":
                summary = _cell(module.summary) or "(ingen docstring)"
                lines.append(f"- `{module.name}` ({_number(module.lines)} rader): {summary}")
            else:
                lines.append(f"- `{module.name}` (paketet; `__init__.py` har {_number(module.lines)} rader)")
    return "\n".join(lines) + "\n"


def blocks_list(blocks: Sequence[Any]) -> str:
    """The list of blocks: a table per group, in the registry's order, each block's call and description."""
    lines: list[str] = []
    groups = list(dict.fromkeys(block.group for block in blocks))
    for group in groups:
        lines += ["", f"### {group}", "", "| Block | Vad det visar |", "|---|---|"]
        lines += [
            f"| `{block.example}` | {_cell(block.description)} |" for block in blocks if block.group == group
        ]
    return "\n".join(lines[1:]) + "\n"


def with_blocks_list(page: str, blocks: Sequence[Any]) -> str:
    """`page` with the part between BLOCKS_START and BLOCKS_END replaced by the list of `blocks`."""
    before, start, rest = page.partition(BLOCKS_START)
    _, end, after = rest.partition(BLOCKS_END)
    if not start or not end:
        raise ValueError(f"docs/{BLOCKS_PAGE} saknar markeringarna för blocklistan")
    return f"{before}{BLOCKS_START}\n\n{blocks_list(blocks)}\n{BLOCKS_END}{after}"


def write_pages(docs: Path = DOCS) -> list[Path]:
    """Write the generated pages into `docs`, each only when its text changed; return their paths."""
    from rapportbok.cli import argument_parser
    from rapportbok.views.blocks import BLOCKS

    pages = {COMMANDS_PAGE: commands_page(argument_parser()), PACKAGE_PAGE: package_page()}
    block_page = docs / BLOCKS_PAGE
    if block_page.is_file():
        pages[BLOCKS_PAGE] = with_blocks_list(block_page.read_text(encoding="utf-8"), BLOCKS)
    written = []
    for name, text in pages.items():
        path = docs / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _on_config_inited(app: Any, config: Any) -> None:
    write_pages(Path(app.srcdir))


DOCUTILS_TABLE = re.compile(r'<table class="docutils.*?</table>', re.S)


def accessible_body(body: str) -> str:
    """A page's HTML with what the theme does not give Markdown: each table in a named scroll region
    and each code block focusable, so that a reader with a keyboard can scroll what does not fit."""
    body = DOCUTILS_TABLE.sub(
        lambda table: (
            f'<div class="hb-table-scroll" role="region" aria-label="Tabell" tabindex="0">{table[0]}</div>'
        ),
        body,
    )
    return body.replace('<div class="highlight">', '<div class="highlight" tabindex="0">')


def accessible_toctree(toctree: Callable[..., str]) -> Callable[..., str]:
    """The menu's part captions are headings with a level (Sphinx gives them role="heading" only)."""

    def levelled(**options: Any) -> str:
        return toctree(**options).replace('role="heading">', 'role="heading" aria-level="2">')

    return levelled


def _on_page_context(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "body" in context:
        context["body"] = accessible_body(context["body"])
    if "toctree" in context:
        context["toctree"] = accessible_toctree(context["toctree"])


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point: write the pages before sphinx_external_toc reads the table of contents."""
    app.connect("config-inited", _on_config_inited, priority=100)
    app.connect("html-page-context", _on_page_context)
    # Jupyter Book always passes the settings of sphinx-comments, which the handbook does not load.
    app.add_config_value("comments_config", {}, "html")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
