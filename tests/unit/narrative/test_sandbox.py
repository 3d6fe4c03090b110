"""Placeholders run in a sandbox: known template-injection payloads end in a located error and run nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from rapportbok.checks.check import check_year
from rapportbok.core.lazy import LazyMapping
from rapportbok.data.load import book_of, load_year
from rapportbok.exceptions import NarrativeError, UsageError
from rapportbok.narrative import templates
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.narrative.sandbox import MAX_OUTPUT, MAX_PLACEHOLDERS
from rapportbok.narrative.templates import render_text

KEY = "tjanstegarantier/inforande"


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project copy for the tests that only change the one text they render."""
    from tests.conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("sandbox") / "project")


FILE = f"data/kommunstyrelsekontoret/2024/text/{KEY}.md"


def _render(project: Path, line: str, **options: Any) -> str:
    """Render a text whose second line is `line`; return the Markdown."""
    (project / "data/kommunstyrelsekontoret/2024/text" / f"{KEY}.md").write_text(
        f"Första raden.\n{line}\nSista raden.\n", encoding="utf-8"
    )
    return render_text(load_year(2024, project / "data" / "kommunstyrelsekontoret"), KEY, **options).markdown


def _refused(project: Path, line: str) -> str:
    """The located message of a text whose line 2 cannot be filled in."""
    with pytest.raises(NarrativeError) as raised:
        _render(project, line)
    problem = raised.value.problem
    assert (problem.file, problem.row) == (FILE, 2), str(problem)
    return problem.message


# Each would run a command, read a file, reach Python internals or never end in a plain Jinja environment.
SSTI_PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__()[132].__init__.__globals__['popen']('touch {sentinel}') }}",
    "{{ cycler.__init__.__globals__.os.popen('touch {sentinel}').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch {sentinel}') }}",
    "{{ namespace.__init__.__globals__.os.popen('touch {sentinel}') }}",
    "{{ lipsum.__globals__['os'].popen('touch {sentinel}').read() }}",
    "{{ lipsum }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{{ organisation.__class__.__base__.__subclasses__() }}",
    "{{ organisation['__class__'] }}",
    "{{ drift | attr('__class__') }}",
    "{{ drift.summa.avvikelse | map('upper') | list }}",
    "{{ '{0.__class__}'.format(drift) }}",
    "{{ organisation.format_map(drift) }}",
    "{{ drift.items() }}",
    "{{ range(10) }}",
    "{% for i in range(1000000000) %}x{% endfor %}",
    "{% for i in range(10) %}{% for j in range(10) %}x{% endfor %}{% endfor %}",
    "{% set x = cycler %}{{ x }}",
    "{% include '/etc/passwd' %}",
    "{% extends '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% filter upper %}x{% endfilter %}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ 10 ** 100000 }}",
    "{{ ar // 0 }}",
    "{{ ar ~ ar }}",
    "{{ ar if ar else ar }}",
    "{{ ar is defined }}",
    "{{ [ar] }}",
    "{{ drift[ar] }}",
    "{{ drift.summa.avvikelse | mnkr(*[1]) }}",
    "{{ drift.summa.avvikelse | mnkr(**{'decimals': 1}) }}",
    "{{ drift.summa.avvikelse | mnkr(ar) }}",
    "{{ " + "(" * 400 + "ar" + ")" * 400 + " }}",
    "{{ ar" + " + ar" * 300 + " }}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_a_template_injection_payload_ends_in_a_located_error_and_runs_nothing(
    shared_copy: Path, tmp_path: Path, payload: str
) -> None:
    """Each payload is refused with file and line 2, within seconds, and its command never runs."""
    sentinel = tmp_path / "ran"
    started = time.monotonic()
    _refused(shared_copy, payload.replace("{sentinel}", str(sentinel)))
    assert time.monotonic() - started < 30
    assert not sentinel.exists()


def test_statements_are_refused_by_check_with_file_and_line(project_copy: Path) -> None:
    """check says that only {{ … }} placeholders are allowed, naming the line of the {% … %}."""
    path = project_copy / "data/kommunstyrelsekontoret/2024/text" / f"{KEY}.md"
    path.write_text("Rad ett.\n\n{% for i in range(10**9) %}x{% endfor %}\n", encoding="utf-8")
    problems = [
        str(problem)
        for problem in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [
        f"{FILE}, rad 3: platshållaren är inte tillåten: styrsatser ({{% … %}}) är inte tillåtna; texten "
        "får bara ha platshållare {{ … }} (se platshållarna i data/README.md)"
    ]


def test_a_text_not_yet_rewritten_is_still_checked_for_statements(project_copy: Path) -> None:
    """A carried-over [SKRIV OM] text is not filled in by check, but its grammar is: a draft build
    would render it, so check must refuse what the build would refuse."""
    path = project_copy / "data/kommunstyrelsekontoret/2024/text" / f"{KEY}.md"
    path.write_text("> [SKRIV OM] kopierad.\n\n{{ self.__init__ }}\n", encoding="utf-8")
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert [(p.file, p.row) for p in result.problems] == [(FILE, 3)]
    assert "namn som börjar med _" in result.problems[0].message


@pytest.mark.parametrize(
    ("placeholder", "reason"),
    [
        ("{{ drift.summa | mnkr }}", "formatet mnkr kräver ett tal, men fick en grupp av värden"),
        ("{{ 'abc' | tkr }}", "formatet tkr kräver ett tal, men fick en text"),
        ("{{ drift.summa.avvikelse | tryckt(5) }}", 'tryckt("…") tar den publicerade texten'),
        (
            "{{ drift.summa.avvikelse | tryckt('x' ~ 'y') }}",
            "argumenten till tryckt(…) ska vara text eller tal",
        ),
        ("{{ 99999999999999999999 | tal }}", "talet är för stort för formatet tal"),
        ("{{ 1e400 | tal }}", "talet är för stort"),
        (
            "{{ drift.summa.avvikelse | tal(1000000) }}",
            "antalet decimaler i tal(…) ska vara ett heltal från 0",
        ),
        ("{{ drift.summa.avvikelse | procent(7) }}", "antalet decimaler i procent(…)"),
        ("{{ drift.summa.avvikelse | procent(-1) }}", "argumenten till procent(…) ska vara text eller tal"),
        ("{{ drift.summa.avvikelse | tkr(signed='ja') }}", "tkr(signed=…) ska vara True eller False"),
        ("{{ drift.summa.avvikelse | tkr(foo=1) }}", "formatet tkr skrivs tkr eller tkr(signed=True)"),
        ("{{ drift.summa.avvikelse | mnkr(1, 2) }}", "formatet mnkr skrivs mnkr eller mnkr(decimaler)"),
        ("{{ drift.summa.avvikelse | ord('xx') }}", 'ord(…) tar "en" eller "ett"'),
        ("{{ 2.5 | ord }}", "formatet ord kräver ett heltal"),
        ("{{ 10000000000000 | ord }}", "talet är för stort för formatet ord"),
        ("{{ true | tal }}", "formatet tal kräver ett tal, men fick ett sanningsvärde"),
        ("{{ drift.summa.avvikelse | capitalize | mnkr }}", "formatet mnkr kräver ett tal, men fick en text"),
        ("{{ drift }}", "platshållaren ger en grupp av värden, inte en text eller ett tal"),
        ("{{ true }}", "platshållaren ger ett sanningsvärde"),
        ("{{ drift.summa.avvikelse | upper }}", 'formatet "upper" finns inte'),
        ("{{ ar + 'x' }}", "formatet + kräver ett tal, men fick en text"),
        ("{{ ar - 1e300 }}", "talet är för stort för formatet -"),
        ("{{ drift.ｓumma.avvikelse | mnkr }}", "namnet finns inte i data"),
        ("{{ ｓelf }}", 'namnet "ｓelf" finns inte i data'),
        ("{{ organisation.upper }}", "namnet finns inte i data"),
        (
            "{{ drift.summa.avvikelse | tkr(signed=True, signed=False) }}",
            "ett argument till tkr(…) står två gånger",
        ),
        ('{{ ar | tryckt("\\x1b[2J") }}', 'tryckt("…") får inte innehålla styrtecken'),
        ("{{ " + "a" * 5000 + " }}", 'namnet "' + "a" * 39 + '…" finns inte i data'),
    ],
)
def test_a_format_given_the_wrong_type_or_an_extreme_value_is_a_located_message(
    shared_copy: Path, placeholder: str, reason: str
) -> None:
    """Wrong types, huge numbers, infinities and wrong arguments are messages with file and line."""
    assert reason in _refused(shared_copy, placeholder)


def test_the_documented_placeholders_still_fill_in(project_copy: Path) -> None:
    """Names, keys, + and -, and every format with its arguments work as before."""
    markdown = _render(
        project_copy,
        "{{ ar + 1 }} {{ -ar }} {{ drift.summa.avvikelse | tkr(signed=True) }} {{ 13 | ord | capitalize }} "
        "{{ 1 | ord('en') }} {{ 7.19 | procent(2) }} {{ malomrade[3].namn }} "
        '{{ investering["24007"].under_budget | tkr | tryckt("75 tkr") }}',
    )
    line = " ".join(markdown.splitlines()[1].split())  # no-break spaces as spaces
    assert line == (
        "2025 \\-2024 \\+22 355 tkr Tretton en 7,19 \\% "
        "Norrtälje ska vara en trygg kommun \\- både i vardag och kris 75 tkr"
    )


@pytest.mark.parametrize(
    "printed",
    [
        "[klicka](file:///etc/passwd)",
        "![x](http://127.0.0.1:9/x.png)",
        "<img src=x onerror=alert(1)>",
        "```{raw} html",
        "{raw}`html`",
        "&#60;script&#62;",
        "# Rubrik",
        "* punkt",
    ],
)
def test_a_value_is_text_in_the_markdown_never_markup(shared_copy: Path, printed: str) -> None:
    """A value (here a published wording) becomes plain text: no link, image, HTML, heading or list."""
    markdown = _render(shared_copy, f"{{{{ drift.summa.avvikelse | mnkr | tryckt({printed!r}) }}}}")
    html = markdown_to_html(markdown)
    assert "<a " not in html and "<img" not in html and "<h1" not in html and "<ul" not in html
    from html import unescape

    assert printed in unescape(html)


def test_the_number_of_placeholders_is_bounded_before_parsing(shared_copy: Path) -> None:
    """50 000 placeholders are refused at once, naming the line of the first one too many."""
    started = time.monotonic()
    text = "".join("{{ ar }}\n" for _ in range(50_000))
    (shared_copy / "data/kommunstyrelsekontoret/2024/text" / f"{KEY}.md").write_text(text, encoding="utf-8")
    with pytest.raises(NarrativeError) as raised:
        render_text(load_year(2024, shared_copy / "data" / "kommunstyrelsekontoret"), KEY)
    assert time.monotonic() - started < 30
    assert str(raised.value.problem) == (
        f"{FILE}, rad {MAX_PLACEHOLDERS + 1}: platshållaren är inte tillåten: texten har fler än "
        "1\u00a0000 platshållare (se platshållarna i data/README.md)"
    )


def test_a_message_never_carries_terminal_control_characters(shared_copy: Path) -> None:
    """A published wording with ESC or a bidi override is shown as U+XXXX in what check prints."""
    from rapportbok.narrative.templates import Disagreement

    shown = str(Disagreement(FILE, "\x1b[2J\u202eRÖD", "2024"))
    assert "\x1b" not in shown and "\u202e" not in shown
    assert 'texten säger "U+001B[2JU+202ERÖD"' in shown


def test_the_output_of_a_text_is_bounded(project_copy: Path) -> None:
    """A value of 300 000 characters used ten times is refused, not assembled into 3 million."""
    goals = project_copy / "data/kommunstyrelsekontoret/2024/inriktningsmal.csv"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("En ekonomi i balans", "x" * 300_000), encoding="utf-8"
    )
    (project_copy / "data/kommunstyrelsekontoret/2024/text" / f"{KEY}.md").write_text(
        '{{ mal["1.1"].titel }}' * 10, encoding="utf-8"
    )
    with pytest.raises(NarrativeError) as raised:
        render_text(load_year(2024, project_copy / "data" / "kommunstyrelsekontoret"), KEY)
    assert str(raised.value.problem) == (
        f"{FILE}: den ifyllda texten blir för lång (över {MAX_OUTPUT // 2**20} miljoner tecken) "
        "(korta texten eller använd färre platshållare)"
    )


class _Slow(Mapping[str, int]):
    """Key figures that take `seconds` for every lookup."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __getitem__(self, key: str) -> int:
        time.sleep(self.seconds)
        return 1

    def __iter__(self) -> Iterator[str]:
        return iter(["x"])

    def __len__(self) -> int:
        return 1


def _slow_figures(seconds: float) -> Callable[[Any], LazyMapping]:
    def figures(report: Any) -> LazyMapping:
        return LazyMapping({"ar": lambda: report.year, "langsam": lambda: _Slow(seconds)})

    return figures


def test_rendering_is_bounded_in_time(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value that takes 60 s to compute is stopped after the timeout, with the file named."""
    monkeypatch.setattr(templates, "key_figures", _slow_figures(60))
    started = time.monotonic()
    with pytest.raises(NarrativeError) as raised:
        _render(project_copy, "{{ langsam.x }}", timeout=1)
    assert time.monotonic() - started < 30
    assert str(raised.value.problem) == (
        f"{FILE}: texten tog för lång tid att fylla i (mer än 1 s) (förenkla platshållarna)"
    )


def test_rendering_is_bounded_in_time_outside_the_main_thread(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SIGALRM (a worker thread) the limit still holds between placeholders."""
    monkeypatch.setattr(templates, "key_figures", _slow_figures(0.2))
    outcome: list[BaseException | str] = []

    def work() -> None:
        try:
            outcome.append(_render(project_copy, "{{ langsam.x }} " * 200, timeout=1))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    (error,) = outcome
    assert isinstance(error, NarrativeError) and error.problem.code == "text.timeout"


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_time_limit_of_zero_or_less_is_refused(project_copy: Path, timeout: int) -> None:
    """0 and negative seconds do not silently mean "no limit"."""
    with pytest.raises(UsageError, match="positivt antal sekunder"):
        _render(project_copy, "{{ ar }}", timeout=timeout)
