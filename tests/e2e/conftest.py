"""Built books shared by the e2e tests: each is built once per session, by the real command.

How to use them in a new test:

- `built`: the 2024 book, HTML and PDF (`rapportbok build --year 2024`), in a private copy of the
  project. Read it, never change it: every e2e test after yours reads it too. It is built once per test
  run, not once per xdist worker (`shared_folder` in tests/conftest.py; each worker gets a copy). A
  test about the absolute paths the build wrote reads `built_original`, the folder it was built in.
- `built_copy`: a fresh copy of `built`, `_build/` included, for a test that changes files or builds
  again. The chapter cache is kept (it does not depend on the folder), so a build in the copy runs only
  the chapters your change touches, e.g. one text edit re-executes one chapter.
- `built_elsewhere_on_dask`: a second clean build of 2024, HTML and PDF, in another folder and on
  Dask; read only (two clean builds agree byte for byte: test_trust.py and test_dask.py).
- `small_built` / `small_copy`: the same project with a table of contents of one chapter (arbetsgivare:
  texts, tables and charts) besides the generated pages, built with HTML and PDF like `built`, in a quarter
  of the time. For a test of a mechanism (interrupts, faults, locks, same bytes after edits, organisations,
  the site, the preview) rather than of the report's content: the mechanism is the same for one chapter
  or seven, and the content tests read the whole `built`. Read only / a private copy, as above.
- `copy_built(source, target)`: the same copy for a module-scoped fixture of your own (see
  test_new_year.py and test_incremental.py).
- `shared_folder(tmp_path_factory, name, make)` (tests/conftest.py): anything else that several
  modules would build alike, made once per test run.
- `site` serves `built`'s 2024 site on localhost; `browser` is Debian's headless Chromium (one per module).
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import warm_command
from tests.conftest import copy_project, shared_folder


def rapportbok(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the rapportbok command in `project`: a process of its own, forked from a warm one that has
    imported the package (tests/warm_command.py; a test about how the process starts uses subprocess)."""
    return warm_command.run(list(args), project)


def visible_text(html: str) -> str:
    """The text a reader sees: tags removed, entities and white space normalised."""
    from html import unescape

    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")
    return " ".join(text.split())


def copy_built(source: Path, target: Path) -> Path:
    """A copy of a built project with its build folder; builds in it reuse the cached chapters."""
    shutil.copytree(source, target, symlinks=True)
    return target


def _build_2024(project: Path) -> None:
    copy_project(project)
    completed = rapportbok(project, "build", "--year", "2024", "--jobs", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Klart: _build/kommunstyrelsekontoret/2024/html/index.html" in completed.stdout


def _build_2024_on_dask(project: Path) -> None:
    copy_project(project)
    completed = rapportbok(project, "build", "--year", "2024", "--executor", "dask", "--jobs", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Kör " in completed.stdout and "PDF klar" in completed.stdout, completed.stdout


SMALL_CHAPTERS = ("arbetsgivare",)


def small_book(project: Path, chapters: tuple[str, ...] = SMALL_CHAPTERS) -> Path:
    """Limit the project's table of contents to `chapters` and the generated pages."""
    entries = "".join(f"  - file: chapters/{name}\n" for name in chapters)
    pages = "  - file: om-rapporten\n  - file: tillganglighet\n"
    (project / "_toc.yml").write_text(
        f"format: jb-book\nroot: index\nchapters:\n{entries}{pages}", encoding="utf-8"
    )
    return project


def _build_small_2024(project: Path) -> None:
    small_book(copy_project(project))
    completed = rapportbok(project, "build", "--year", "2024", "--jobs", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "PDF klar" in completed.stdout, completed.stdout


@pytest.fixture(scope="session")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with one chapter (`small_book`), built like `built` (HTML and PDF). Read only.

    Built once per test run; each xdist worker reads its own copy."""
    shared = shared_folder(tmp_path_factory, "small-2024", _build_small_2024)
    return copy_built(shared, tmp_path_factory.mktemp("small") / "project")


@pytest.fixture
def small_copy(small_built: Path, tmp_path: Path) -> Path:
    """A private copy of `small_built`, build folder included, to change and build again."""
    return copy_built(small_built, tmp_path / "project")


@pytest.fixture(scope="session")
def built_elsewhere_on_dask(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second clean build of the 2024 book (HTML and PDF): a fresh copy of the project in another
    folder, built by `rapportbok build --executor dask` (a LocalCluster: chapters, Sphinx and the PDF
    as tasks). Read only. Made once per test run and compared with `built` by two tests: two clean
    builds give the same bytes (test_trust.py), and so does the Dask executor (test_dask.py)."""
    return shared_folder(tmp_path_factory, "built-2024-dask", _build_2024_on_dask)


@pytest.fixture(scope="session")
def built_original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder where `built` was built, once per test run (the first xdist worker builds, the others
    wait). Never change it. Only for a test about the paths the build itself wrote (the chapter cache
    names its folder); every other test reads `built`."""
    return shared_folder(tmp_path_factory, "built-2024", _build_2024)


@pytest.fixture(scope="session")
def built(built_original: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project copy after `rapportbok build --year 2024 --jobs 2` (HTML and PDF). Read only.

    Built once per test run; each xdist worker reads its own copy, so a test that builds in it anyway
    (with `--output`, or `rapportbok site`) cannot disturb another worker."""
    return copy_built(built_original, tmp_path_factory.mktemp("e2e") / "project")


@pytest.fixture
def built_copy(built: Path, tmp_path: Path) -> Path:
    """A private copy of `built`, build folder included, that the test may change and build again."""
    return copy_built(built, tmp_path / "project")


def page(project: Path, chapter: str, year: int = 2024) -> str:
    return (project / f"_build/kommunstyrelsekontoret/{year}/html/chapters" / f"{chapter}.html").read_text(
        encoding="utf-8"
    )


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the test output stays readable
        pass


@pytest.fixture(scope="session")
def site(built: Path) -> Iterator[str]:
    """The built 2024 site served on localhost (pages use relative links and scripts)."""
    handler = functools.partial(
        _QuietHandler, directory=str(built / "_build/kommunstyrelsekontoret/2024/html")
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# Debian's chromium-headless-shell: Chromium's own headless browser (the same Blink, V8 and axe results as
# the full browser; Playwright's default for headless runs is this shell too). The full `chromium` in
# headless mode runs the desktop browser's GPU and compositor processes besides: for the same 40 axe checks
# of the 2024 site it used 105 processor-seconds, the shell 53 (benchmarks/README.md).
BROWSER = "chromium-headless-shell"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium (`BROWSER`) driven by Playwright (no browser download is possible here).

    One per test module: what a module's tests open ends with the module, and a browser that crashed
    fails one module only. (A failed build does not end it: a build ends only the processes that carry
    its mark, `RAPPORTBOK_BUILD`, and the browser is the test process's.)
    """
    executable = shutil.which(BROWSER)
    if executable is None:
        pytest.fail(
            f"{BROWSER} saknas: installera Debians paket med `apt-get install {BROWSER}` (make test gör det)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def site_pages(built: Path) -> list[str]:
    """Every page of the built 2024 site, relative to its folder."""
    root = built / "_build/kommunstyrelsekontoret/2024/html"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if "_static" not in p.parts)
