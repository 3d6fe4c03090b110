"""Shared fixtures: the project root, a throwaway copy of the project to break or build,
`shared_folder` for what the whole test run builds once (however many xdist workers it has), and
`examples` for the number of examples a property test tries."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("_config.yml", "_toc.yml", "tillganglighet.yml", "book", "notebooks", "data")

# The fast tier (`make test-snabb`) runs with `--hypothesis-profile=snabb`: few examples per property.
SNABB = "snabb"
settings.register_profile(SNABB, max_examples=5)


def examples(full: int) -> int:
    """How many examples a property test tries: `full` in the whole suite (`make test`, CI), a twentieth
    of it (at least one) in the fast tier, so the edit loop still runs every property once or more."""
    return max(1, full // 20) if settings.get_current_profile_name() == SNABB else full


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C works in the tests also when the run was started where SIGINT is ignored (a background
    job of a script, `make test &`): the tests that interrupt a build with SIGINT would otherwise wait
    for an interrupt that never comes. Child processes then start with the default action, as from a
    terminal."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _signal_handlers_kept() -> Iterator[None]:
    """Each test leaves SIGINT and SIGTERM handled as it found them: a test that runs the command in
    this process (it turns SIGTERM into an exception) must not change how a later test is stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in before.items():
        if handler is not None and signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture
def project_root() -> Path:
    return ROOT


def copy_project(target: Path) -> Path:
    """Copy what a build reads (config, toc, book pages, notebooks, data) into `target`."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source,
                target / part,
                ignore=shutil.ignore_patterns("chapters", ".ipynb_checkpoints"),
            )
        else:
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def in_project(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The private copy of the project, as the current folder (commands find their project from it)."""
    monkeypatch.chdir(project_copy)
    return project_copy


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run that every xdist worker shares (each worker's own base
    folder is inside it); without xdist, the run's base folder."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]
) -> Path:
    """The folder `name`, made by `make(folder)` once per test run, however many workers ask for it.

    The first worker to ask makes it while it holds a file lock; the others wait for the lock and reuse
    the folder. A failure is recorded as well, so the other workers report it instead of trying again.
    Treat the folder as read only: copy it (e.g. `copy_built`) before changing anything."""
    root = run_folder(tmp_path_factory)
    folder, done, failed = root / name, root / f"{name}.done", root / f"{name}.failed"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if failed.exists():
                pytest.fail(f"{name}: failed in another worker of this run:\n{failed.read_text()}")
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)
                try:
                    make(folder)
                except (Exception, pytest.fail.Exception) as error:
                    failed.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                    raise
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


# The tiers, assigned here and nowhere else (`pytest_collection_modifyitems` below); the test files
# carry no tier marks of their own.
#   e2e        every test under tests/e2e/: whole books built by the real command, a browser.
#   slow       the tests in SLOW: a second or more each on an idle machine (child processes, workbooks
#              saved and read again, notebooks run by nbval, writers killed at every step).
#   component  a test that works on a private copy of the whole project (`project_copy`, `in_project`,
#              or a module's own copy: the files in COMPONENT) and runs check or load on the real year,
#              rather than on a few rows; fast enough for the edit loop, so not left out of it.
# `make test` (CI) runs every tier. `make test-snabb` (the edit loop, under a minute) runs
# `-m "not slow and not e2e"` with few property examples (the `snabb` profile): unit, component,
# property and project tests. A test that is moved between tiers stays in `make test`.
COMPONENT_FIXTURES = ("project_copy", "in_project")
COMPONENT = (
    "tests/unit/checks/test_links.py::",
    "tests/unit/narrative/test_sandbox.py::",
    "tests/project/test_generated_organisations.py::",
)

# Tests of a second or more each on an idle machine (child processes, workbooks saved and read again,
# notebooks run by nbval): in the whole suite (`make test`), left out of the fast tier (`make
# test-snabb`, `-m "not slow"`). By node id prefix, so that the test files need no marks of their own.
SLOW = (
    "notebooks/",
    "tests/unit/pipeline/test_processes.py::",
    "tests/unit/pipeline/test_warm_kernel_is_ended.py::",
    "tests/unit/pipeline/test_fork_kernels.py::",  # kernels forked and started, one or more per test
    # the whole 2024 book rendered or every chart of it drawn (seconds each)
    "tests/unit/views/test_vocabulary_in_the_book.py::test_a_file_with_norrtaljes_words_renders_the_2024_book",
    "tests/unit/views/test_chart_bounds.py::",
    "tests/unit/views/test_blocks.py::test_goal_sections_shows_each_goal_as_its_own_output",
    "tests/unit/views/test_blocks.py::test_a_sequence_of_blocks_is_displayed_as_one_output_per_block",
    "tests/unit/data/test_org_tables.py::test_excel_carries_a_declared_table_both_ways",
    "tests/unit/authoring/test_excel_import.py::",
    "tests/unit/authoring/test_excel_export.py::",
    "tests/unit/cli/test_excel_cli.py::",
    "tests/unit/pipeline/test_distributed.py::test_an_unreachable_scheduler_is_named_with_what_to_check",
    "tests/unit/pipeline/test_errors.py::test_a_failed_site_build_points_at_its_log",
    "tests/unit/pipeline/test_books.py::test_ready_books_are_the_books_whose_check_passes",
    "tests/unit/views/test_every_view.py::test_markup_in_the_data_is_shown_as_text[goal_sections]",
    "tests/unit/checks/test_claims.py::test_an_analysis_that_states_another_assessment_stops_publishing",
    "tests/unit/checks/test_claims.py::test_a_pin_that_disagrees_with_data_is_an_error_unless_the_year",
    "tests/unit/checks/test_claims.py::test_a_typed_figure_is_a_warning_with_its_line_until_it_is_listed",
    # writers killed at every step, commands run as child processes, whole checks run out of time
    "tests/unit/authoring/test_write_kills.py::",
    "tests/unit/authoring/test_workbook_identity.py::",
    "tests/unit/authoring/test_workbook_formulas.py::",
    "tests/unit/authoring/test_workbook_bounds.py::test_the_timeout",
    "tests/unit/checks/test_bounds.py::",
    "tests/unit/checks/test_check_agrees_with_build.py::",
    "tests/unit/cli/test_exit_codes.py::",
    # a year started and checked two or three times (the build's stop, the latest complete year)
    "tests/unit/cli/test_unfilled_year.py::test_an_unfilled_year_stops_in_one_screen",
    "tests/unit/cli/test_new_organisation_cli.py::test_a_new_organisation_starts_with_headers_texts",
    "tests/unit/cli/test_unfilled_year.py::test_the_unfilled_year_is_checked_once_the_build_and_its_stop_",
    "tests/unit/checks/test_check_list.py::test_what_a_check_found_before_the_limit_is_kept",
    "tests/unit/checks/test_links.py::test_each_refused_construct_is_refused_alone_too",  # a check each
    # renderings stopped by their time limit: a second each, by design
    "tests/unit/narrative/test_sandbox.py::test_rendering_is_bounded_in_time",
    # a chapter's first cells run in an IPython shell: the whole year loaded
    "tests/unit/views/test_notebook_errors.py::test_the_first_cells_open_the_organisation_and_year_make",
    "tests/unit/views/test_notebook_errors.py::test_in_a_kernel_a_wrong_placeholder_shows_the_swedish",
    "tests/unit/data/test_project_paths.py::",
    "tests/unit/pipeline/test_snapshot.py::",
    # the PDF compiled with its font programs read back, and once more in a child process
    "tests/unit/pdf/test_typst_fonts.py::test_every_embedded_glyph_is_a_glyph_of_the_pinned_fonts",
    "tests/unit/pdf/test_typst_fonts.py::test_fonts_on_the_host_do_not_reach_the_pdf",
    "tests/unit/pdf/test_typst_same_bytes.py::test_two_compiles_and_another_time_zone_give_the_same_bytes",
    "tests/unit/pipeline/test_distributed.py::test_an_address_that_accepts_tcp_but_does_not_speak_dask",
    "tests/property/test_excel_round_trip.py::",  # a workbook written and read per example
    "tests/unit/authoring/test_libreoffice_round_trip.py::",  # LibreOffice started, saves a workbook
    "tests/property/test_linear_time.py::test_every_pattern_on_analyst_input_returns_on_a_200_kB_line",
)

# Parametrised tests whose cases each run a whole check (or a child process): the fast tier runs one
# case in N (the first, then every N-th, in the file's order), the others are `slow` like the tests
# above, so `make test` still runs every case. By test function: "file::function": N.
SAMPLED = {
    "tests/unit/data/test_validation.py::test_bad_input_is_reported_with_file_row_and_column": 3,
    "tests/unit/data/test_validation.py::test_files_saved_by_swedish_excel_are_read_correctly": 3,
    "tests/unit/narrative/test_sandbox.py::test_a_template_injection_payload_ends_in_a_located_error": 4,
    "tests/unit/narrative/test_sandbox.py::test_a_format_given_the_wrong_type_or_an_extreme_value": 4,
    "tests/unit/data/test_input_files.py::test_a_named_pipe_is_refused_without_hanging": 2,
    "tests/unit/data/test_input_files.py::test_invisible_control_characters_in_a_text_are_refused": 3,
    "tests/unit/data/test_input_files.py::test_a_number_beyond_any_report_is_a_located_problem": 3,
    "tests/unit/cli/test_cli.py::test_only_ascii_digits_make_a_year": 3,
    "tests/unit/data/test_metadata.py::test_years_and_dates_have_types": 3,
    "tests/unit/data/test_metadata.py::test_a_bad_text_value_is_refused_with_line_and_key": 3,
    "tests/unit/data/test_metadata.py::test_unknown_duplicate_nested_and_aliased_keys_are_refused": 3,
    "tests/unit/data/test_metadata.py::test_a_logo_outside_the_project_or_not_an_image_is_refused": 3,
}


def _sampled_out(items: list[pytest.Item]) -> set[str]:
    """The node ids of the cases of SAMPLED tests that the fast tier leaves out."""
    seen: dict[str, int] = {}
    left_out = set()
    for item in items:
        function = item.nodeid.split("[", 1)[0]
        every = next((n for prefix, n in SAMPLED.items() if function.startswith(prefix)), None)
        if every is None or "[" not in item.nodeid:
            continue
        index = seen[function] = seen.get(function, -1) + 1
        if index % every:
            left_out.add(item.nodeid)
    return left_out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ is `e2e` (whole books, a browser); the tests in SLOW are `slow`; a
    test on a copy of the whole project is `component` (see the tiers above). Under xdist, the files
    are also put in the order that keeps both workers busy (`_work_order`)."""
    sampled_out = _sampled_out(items)
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.e2e)
        if item.nodeid.startswith(SLOW) or item.nodeid in sampled_out:
            item.add_marker(pytest.mark.slow)
        fixtures = getattr(item, "fixturenames", ())
        if item.nodeid.startswith(COMPONENT) or any(name in fixtures for name in COMPONENT_FIXTURES):
            item.add_marker(pytest.mark.component)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items[:] = _work_order(items)


# Session builds besides `built` that tests of more than one file share (tests/e2e/conftest.py): the
# tests that read them run last in their file, so that another file's worker has made them meanwhile.
LATE_FIXTURES = ("built_elsewhere_on_dask",)


def _late(item: pytest.Item) -> bool:
    return any(name in getattr(item, "fixturenames", ()) for name in LATE_FIXTURES)


def _work_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """The tests file by file (each file's own order kept, except that tests of a shared second build
    come last; `--dist loadfile` gives a worker a whole file): long files first, short ones last to
    even out the end. First an e2e file that needs the built book (its worker builds it), then the
    e2e files that need no built book (the other worker runs them meanwhile instead of waiting), the
    other e2e files, the notebooks, and the rest."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    for name, tests in files.items():  # a second shared build is waited for as late as possible
        files[name] = [t for t in tests if not _late(t)] + [t for t in tests if _late(t)]

    def needs_built(name: str) -> bool:
        return any("built_original" in item.fixturenames for item in files[name])

    e2e = [name for name in files if name.startswith("tests/e2e/")]
    building = [name for name in e2e if needs_built(name)]
    first = building[:1]
    meanwhile = [name for name in e2e if name not in building]
    notebooks = [name for name in files if name.endswith(".ipynb")]
    ordered = first + meanwhile + building[1:] + notebooks
    ordered += [name for name in files if name not in ordered]
    return [item for name in ordered for item in files[name]]
