"""The handbook (docs/, README.md, benchmarks/README.md) cannot drift from the project: every link
leads somewhere, everything it names exists, and its generated pages (the command reference and the
package map, written by docs/_ext/handbok.py when `make docs` builds it) show the real parser and the
real modules. No Sphinx run: the pages are read as Markdown and the generator is called directly."""

from __future__ import annotations

import argparse
import ast
import importlib.util
import pkgutil
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from mdit_py_plugins.anchors.index import slugify

import rapportbok
from rapportbok.cli import argument_parser
from tests.conftest import ROOT
from tests.package_source import parsed

DOCS = ROOT / "docs"
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,3}) (.+?)\s*$", re.M)
INCLUDE = re.compile(r"^```\{include\} (\S+)", re.M)
NAMED_FILE = re.compile(r"^(?:tests|src|benchmarks|docs)/[\w./*-]+(?:::\w+)?$")
MODULE = re.compile(r"^rapportbok(?:\.\w+)+$")
FUNCTION_IN_MODULE = re.compile(r"`(\w+)\([^`]*\)` i `(rapportbok[\w.]+)`")


def _handbok() -> ModuleType:
    """docs/_ext/handbok.py, the Sphinx extension that writes the generated pages."""
    spec = importlib.util.spec_from_file_location("handbok", DOCS / "_ext" / "handbok.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("handbok", module)
    spec.loader.exec_module(module)
    return module


handbok = _handbok()


@cache
def generated() -> dict[Path, str]:
    """The generated pages as `make docs` writes them now."""
    return {
        DOCS / handbok.COMMANDS_PAGE: handbok.commands_page(argument_parser()),
        DOCS / handbok.PACKAGE_PAGE: handbok.package_page(),
    }


@cache
def pages() -> dict[Path, str]:
    """Every page of the handbook and the two READMEs that point into it, with the generated pages."""
    written = {path: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}
    written.update(generated())
    for readme in (ROOT / "README.md", ROOT / "benchmarks" / "README.md"):
        written[readme] = readme.read_text(encoding="utf-8")
    return written


def prose(text: str) -> str:
    """The text without its fenced code blocks (a link or a heading there is not one)."""
    return FENCE.sub("", text)


def anchors(path: Path, text: str) -> set[str]:
    """The anchors of a page's headings (levels 1–3), as GitHub and MyST make them; an included
    file's headings count."""
    found = set()
    for _, title in HEADING.findall(prose(text)):
        plain = re.sub(r"[`*]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)).replace("&lt;", "<")
        found.add(slugify(plain.replace("&gt;", ">")))
    for included in INCLUDE.findall(text):
        target = (path.parent / included).resolve()
        found |= anchors(target, target.read_text(encoding="utf-8"))
    return found


def links(text: str) -> list[str]:
    """The relative link targets in Markdown prose (not in code)."""
    return [
        target
        for target in LINK.findall(CODE.sub("", prose(text)))
        if not re.match(r"[a-z]+:", target) and not target.startswith("//")
    ]


def test_every_relative_link_leads_to_a_file_and_heading_that_exist() -> None:
    """README.md, benchmarks/README.md and docs/*.md (the generated pages too): each relative link
    names a file in the project, and its #anchor a heading of that file."""
    every = pages()
    broken = []
    for path, text in every.items():
        for target in links(text):
            file, _, anchor = target.partition("#")
            resolved = (path.parent / file).resolve() if file else path
            if not resolved.is_relative_to(ROOT) or not (resolved in every or resolved.exists()):
                broken.append(f"{path.relative_to(ROOT)}: {target} (filen finns inte)")
            elif anchor and resolved.suffix == ".md":
                text_of = every.get(resolved) or resolved.read_text(encoding="utf-8")
                if anchor not in anchors(resolved, text_of):
                    broken.append(f"{path.relative_to(ROOT)}: {target} (rubriken finns inte)")
    assert broken == []


def test_the_checker_finds_a_broken_link_and_a_broken_anchor(tmp_path: Path) -> None:
    """The link reading above sees links in prose and not in code, and anchors as MyST makes them."""
    text = "[a](saknas.md) `[b](kod.md)` [c](https://example.org) [d](#säkerhet-vad-den-som-skriver)\n"
    text += "```sh\n[e](i-ett-kodblock.md)\n```\n## Säkerhet: vad den som skriver\n### `rapportbok site`\n"
    assert links(text) == ["saknas.md", "#säkerhet-vad-den-som-skriver"]
    assert anchors(tmp_path / "x.md", text) == {"säkerhet-vad-den-som-skriver", "rapportbok-site"}


def test_nothing_points_outside_the_project() -> None:
    """No page names the shared folder beside the project, or any folder above it."""
    for path, text in pages().items():
        assert "../shared" not in text and "shared/" not in text, path


def _defines(path: Path, name: str) -> bool:
    return any(getattr(node, "name", None) == name for node in ast.walk(parsed(path)))


def named_files(text: str) -> list[str]:
    """The project paths a page names in code: `tests/…`, `src/…`, `benchmarks/…` (with ::test)."""
    return [token for token in CODE.findall(text) if NAMED_FILE.match(token) and "<" not in token]


def test_every_file_test_and_module_the_handbook_names_exists() -> None:
    """The promise table names its tests, the design names modules: each file, test function and
    module exists (a renamed test or a moved module makes this fail)."""
    missing = []
    for path, text in pages().items():
        for token in named_files(text):
            file, _, test = token.partition("::")
            if "_build/" in file:  # what `make docs` or a build writes, absent in a fresh clone
                continue
            matches = sorted(ROOT.glob(file)) if "*" in file else [ROOT / file]
            if not matches or not all(match.exists() for match in matches):
                missing.append(f"{path.relative_to(ROOT)}: {token}")
            elif test and not _defines(ROOT / file, test):
                missing.append(f"{path.relative_to(ROOT)}: {token} (testet finns inte)")
        for token in CODE.findall(text):
            if MODULE.match(token) and not _module_or_attribute(token):
                missing.append(f"{path.relative_to(ROOT)}: {token}")
        for function, module in FUNCTION_IN_MODULE.findall(" ".join(text.split())):
            if not _module_or_attribute(f"{module}.{function}"):
                missing.append(f"{path.relative_to(ROOT)}: {function} i {module}")
    assert missing == []


def _module_or_attribute(dotted: str) -> bool:
    """`dotted` is a module of the package, or a name defined at the top of one."""
    parts = dotted.split(".")
    for end in range(len(parts), 1, -1):
        base = ROOT / "src" / Path(*parts[:end])
        for file in (base.with_suffix(".py"), base / "__init__.py"):
            if file.is_file():
                return end == len(parts) or (end == len(parts) - 1 and _defines(file, parts[-1]))
    return False


def test_a_module_or_name_that_is_not_in_the_package_is_found_missing() -> None:
    assert _module_or_attribute("rapportbok.authoring.lab.strip_outputs")
    assert _module_or_attribute("rapportbok.pipeline")
    assert not _module_or_attribute("rapportbok.authoring.lab.no_such_function")
    assert not _module_or_attribute("rapportbok.build.book")
    assert named_files("`tests/x.py::test_y` `data/<org>/` `src/a/*.py`") == [
        "tests/x.py::test_y",
        "src/a/*.py",
    ]


def test_every_page_is_in_the_table_of_contents_and_every_entry_is_a_page() -> None:
    """docs/_toc.yml lists each page once; the generated pages are entries though git has no file."""
    toc = yaml.safe_load((DOCS / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    written = sorted(path.stem for path in DOCS.glob("*.md") if path.name not in handbok.GENERATED)
    assert sorted(set(entries)) == sorted(entries)
    assert sorted(entries) == sorted([*written, *(Path(name).stem for name in handbok.GENERATED)])


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _sections(page: str) -> dict[str, str]:
    """The command reference's sections, by command name."""
    parts = re.split(r"^## rapportbok (\S+)\n", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _arguments(command: argparse.ArgumentParser) -> set[str]:
    """Every option string (and positional name) of a command except --help."""
    found = set()
    for action in command._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        found |= set(action.option_strings) or {action.metavar or action.dest}
    return found


def _listed(section: str) -> set[str]:
    """The arguments in the first column of a section's table."""
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in CODE.findall(row.split(" | ")[0])}


def test_the_command_reference_lists_every_command_and_option_of_the_parser_and_nothing_else() -> None:
    parser = argument_parser()
    page = handbok.commands_page(parser)
    sections = _sections(page)
    assert list(sections) == list(_commands(parser))
    for name, command in _commands(parser).items():
        assert _listed(sections[name]) == _arguments(command), name
        assert command.format_usage().strip() in sections[name]
    assert {"build", "check", "site", "new-year", "excel", "import", "preview", "migrate"} <= set(sections)


def test_a_new_command_or_option_appears_in_the_reference_without_editing_the_handbook() -> None:
    """The reference is read from the parser it is given, not written by hand."""
    parser = argument_parser()
    added = _commands(parser)["check"]
    added.add_argument("--ny-flagga", metavar="VÄRDE", help="en flagga som inte finns <i> koden")
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    action.add_parser("nytt-kommando", help="ett kommando som inte finns")
    sections = _sections(handbok.commands_page(parser))
    assert "--ny-flagga" in _listed(sections["check"])
    assert "en flagga som inte finns \\<i> koden" in sections["check"]
    assert "Kommandot har inga argument" in sections["nytt-kommando"]


def _walked() -> set[str]:
    """Every module of the package, found by Python's import system (not by the generator)."""
    found = {"rapportbok"}
    for module in pkgutil.walk_packages(rapportbok.__path__, "rapportbok."):
        found.add(module.name)
    return found


def _mapped(page: str) -> set[str]:
    return {match for match in re.findall(r"^- `([\w.]+)` \(", page, re.M)}


def test_the_package_map_names_every_module_and_nothing_that_does_not_exist() -> None:
    page = handbok.package_page()
    assert _mapped(page) == _walked()
    for module in handbok.modules():
        if module.summary:
            assert handbok._cell(module.summary) in page, module.name


def test_the_package_map_shows_the_layers_of_the_import_contract() -> None:
    contract = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    page = handbok.package_page()
    layers = re.findall(r"^\| (\d+) \| (.+?) \| \d+ \|", page, re.M)
    assert [int(number) for number, _ in layers] == list(range(1, len(layers) + 1))
    assert layers[0][1].startswith("[`rapportbok.cli`]")
    for _, units in layers:
        for unit in re.findall(r"\[`([\w.]+)`\]", units):
            assert re.search(rf"[\"|:(] ?{re.escape(unit)}[\" |:)]", contract), unit


def test_a_module_added_or_removed_changes_the_package_map(tmp_path: Path) -> None:
    """The map is read from the files: a new module is in it with its docstring, a removed one is not."""
    package = tmp_path / "src" / "paket"
    (package / "under").mkdir(parents=True)
    (package / "__init__.py").write_text('"""Paketet."""\n', encoding="utf-8")
    (package / "under" / "__init__.py").write_text("", encoding="utf-8")
    (package / "under" / "ny.py").write_text('"""A new module.\n\nMore."""\nX = 1\n', encoding="utf-8")
    (package / "gammal.py").write_text('"""An old one."""\n', encoding="utf-8")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[[tool.importlinter.contracts]]\nname = "l"\ntype = "layers"\n'
        'layers = ["paket.under", "paket.gammal"]\n',
        encoding="utf-8",
    )
    page = handbok.package_page(package, pyproject)
    assert _mapped(page) == {"paket", "paket.under", "paket.under.ny", "paket.gammal"}
    assert "- `paket.under.ny` (4 rader): A new module.\n" in page
    (package / "gammal.py").unlink()
    page = handbok.package_page(package, pyproject)
    assert "`paket.gammal` (" not in page
    assert "## paket.gammal\n\nFinns inte i koden." in page


def test_the_readme_is_short_and_starts_with_the_two_commands() -> None:
    """What it is, `make report` and `make test` first, the fast tier, and where to read on."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 120
    first = FENCE.search(readme)
    assert first is not None
    commands = [line.split("#")[0].strip() for line in first.group(0).splitlines()[1:-1]]
    assert commands == ["make report", "make test"]
    assert "make test-snabb" in readme and "make docs" in readme and "(docs/index.md)" in readme


def test_every_make_target_the_handbook_names_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    written = {path: text for path, text in pages().items() if path not in generated()}  # not docstrings
    named = {name for text in written.values() for name in re.findall(r"\bmake ([a-z][a-z-]*)", text)}
    assert named - targets == set()
    assert {"report", "test", "test-snabb", "docs"} <= named


@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_the_worked_examples_are_in_the_writing_page(name: str) -> None:
    """tests/e2e/test_worked_examples.py performs the examples marked on docs/skriva.md."""
    assert f"<!-- exempel {name}" in (DOCS / "skriva.md").read_text(encoding="utf-8")


def test_a_table_scrolls_in_a_named_region_and_a_code_block_can_take_focus() -> None:
    """The handbook's pages pass axe-core's scrollable-region-focusable and aria-required-attr rules
    (run by hand at 1280 and 390 px, light and dark): the extension adds what Sphinx leaves out."""
    body = handbok.accessible_body(
        '<table class="docutils align-default"><tr><td>a</td></tr></table>'
        '<div class="highlight"><pre>x</pre></div>'
    )
    assert body == (
        '<div class="hb-table-scroll" role="region" aria-label="Tabell" tabindex="0">'
        '<table class="docutils align-default"><tr><td>a</td></tr></table></div>'
        '<div class="highlight" tabindex="0"><pre>x</pre></div>'
    )
    menu = handbok.accessible_toctree(lambda **_: '<p class="caption" role="heading"><span>Del</span></p>')
    assert menu() == '<p class="caption" role="heading" aria-level="2"><span>Del</span></p>'
