"""The tiers of tests/conftest.py name tests that exist (a renamed file or test would silently leave
its tier), and the fast tier's sample of a parametrised test is the first case and every N-th."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tests import conftest
from tests.conftest import COMPONENT, LATE_FIXTURES, ROOT, SAMPLED, SLOW, _sampled_out


def _named(prefix: str) -> tuple[str, str]:
    """(file, start of the test function's name) of a node id prefix; the name may be empty."""
    file, _, rest = prefix.partition("::")
    return file, rest.split("[", 1)[0]


@pytest.mark.parametrize("prefix", [*SLOW, *COMPONENT, *SAMPLED])
def test_every_test_a_tier_names_exists(prefix: str) -> None:
    file, name = _named(prefix)
    path = ROOT / file
    assert path.is_file() or path.is_dir(), f"{file} finns inte (flyttad eller omdöpt?)"
    if name:
        assert re.search(rf"^(async )?def {re.escape(name)}", path.read_text(encoding="utf-8"), re.M), (
            f"{prefix}: inget test med det namnet (omdöpt?)"
        )


def test_the_late_fixtures_are_fixtures_of_the_e2e_books() -> None:
    text = (ROOT / "tests/e2e/conftest.py").read_text(encoding="utf-8")
    for name in LATE_FIXTURES:
        assert f"def {name}(" in text


def test_the_fast_tier_keeps_the_first_case_and_every_nth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "SAMPLED", {"tests/unit/x.py::test_a": 3})
    items = [SimpleNamespace(nodeid=f"tests/unit/x.py::test_a[{n}]") for n in range(7)]
    items += [SimpleNamespace(nodeid=f"tests/unit/x.py::test_b[{n}]") for n in range(2)]
    left_out = _sampled_out(items)  # type: ignore[arg-type]
    assert sorted(left_out) == [f"tests/unit/x.py::test_a[{n}]" for n in (1, 2, 4, 5)]
