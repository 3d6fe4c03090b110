"""No function in the package is more complex than 15, measured as the issue measures it: radon's
cyclomatic complexity (ruff's C901 counts fewer branches, so it alone does not hold the promise)."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import add_inner_blocks, cc_visit
from radon.visitors import Function

import rapportbok

PACKAGE = Path(rapportbok.__file__).parent
MOST = 15


def _too_complex(package: Path) -> list[str]:
    """`path:line name complexity` for each function, method and closure under `package` above MOST
    (the blocks `radon cc --show-closures` lists; a class's own figure is its methods' and is left out)."""
    found = []
    for source in sorted(package.rglob("*.py")):
        path = source.relative_to(package.parent).as_posix()
        blocks = add_inner_blocks(cc_visit(source.read_text(encoding="utf-8")))
        functions = sorted((block for block in blocks if isinstance(block, Function)), key=lambda f: f.lineno)
        found += [f"{path}:{f.lineno} {f.fullname} {f.complexity}" for f in functions if f.complexity > MOST]
    return found


def _branches(indent: str) -> str:
    """MOST `if` statements: with the function itself, one more than MOST."""
    return "".join(f"{indent}if x == {n}:\n{indent}    return {n}\n" for n in range(MOST))


def test_the_measure_finds_functions_methods_and_closures_above_the_limit(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    body = _branches("        ") + "        return None\n"
    flat = "def flat(x):\n    return x\n\n\n"
    method = f"class Shelf:\n    def pick(self, x):\n{body}\n\n"
    closure = f"def outer(x):\n    def inner(x):\n{body}\n    return inner(x)\n"
    (package / "deep.py").write_text(flat + method + closure, encoding="utf-8")
    assert _too_complex(package) == ["pkg/deep.py:6 Shelf.pick 16", "pkg/deep.py:41 outer.inner 16"]


def test_no_function_is_more_complex_than_15() -> None:
    too_complex = _too_complex(PACKAGE)
    assert not too_complex, f"radon cyclomatic complexity above {MOST}:\n" + "\n".join(too_complex)
