"""Same output before and after: the 2024 book built from clean clones of two commits, compared file by file.

Each commit is cloned from this repository into a temporary folder (a clean checkout: nothing uncommitted,
no build folder) and its book is built there by its own code (`PYTHONPATH=<clone>/src`, the same
installed dependencies), HTML and PDF. Then every published file (`html/**`, `pdf/**`) is compared:

- byte for byte; a file that differs is compared again line by line, the differing lines after removing
  what names the commit: its id (the 12 characters the book shows, or the whole id) and its date
  (SOURCE_DATE_EPOCH, the time of the last commit that touched the code or the data, as a date or a
  number). Om rapporten and the search
  index name the commit; a file that differs only there counts as the same, and the report lists it;
- the PDF by its page count and its text page by page, with the same removals (its bytes carry the
  dates in its metadata and font subsets named by them).

Usage: .venv/bin/python benchmarks/same_output.py [--base 4a6a118] [--head HEAD]
       [--org kommunstyrelsekontoret] [--year 2024] [--keep]
Exit code 0 when every file is the same, 1 when any differs (they are listed), 2 when a build fails.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rapportbok.core.formatting import MONTHS

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Built:
    """One commit's clone and its built book."""

    commit: str  # the full id
    clone: Path
    book: Path  # _build/<org>/<year>
    epoch: int  # the SOURCE_DATE_EPOCH the build used


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _clone(commit: str, target: Path) -> Path:
    """A clean checkout of `commit` in `target` (a local clone shares the objects; no work tree copied)."""
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "checkout", "--quiet", "--detach", commit], cwd=target, check=True)
    return target


def _epoch(clone: Path, org: str, year: int) -> int:
    """SOURCE_DATE_EPOCH as the build takes it: the last commit touching the year's data or the code."""
    paths = [f"data/{org}/{year}", "src", "notebooks", "book", "_config.yml", "_toc.yml", "requirements.lock"]
    return int(_git("log", "-1", "--format=%ct", "--", *paths, cwd=clone))


def build(commit: str, folder: Path, org: str, year: int) -> Built:
    """Clone `commit` into `folder` and build its book there with its own code (HTML and PDF)."""
    full = _git("rev-parse", commit)
    clone = _clone(full, folder)
    environment = {**os.environ, "PYTHONPATH": str(clone / "src")}
    environment.pop("RAPPORTBOK_BUILD", None)
    where = subprocess.run(
        [sys.executable, "-c", "import rapportbok; print(rapportbok.__file__)"],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not where.startswith(str(clone / "src")):
        raise SystemExit(f"{commit}: rapportbok is imported from {where}, not from the clone")
    completed = subprocess.run(
        [sys.executable, "-m", "rapportbok.cli", "build", "--org", org, "--year", str(year), "--jobs", "2"],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        print(f"Bygget av {commit} misslyckades:\n{completed.stdout}\n{completed.stderr}", file=sys.stderr)
        raise SystemExit(2)
    return Built(full, clone, clone / "_build" / org / str(year), _epoch(clone, org, year))


def _names(built: Built) -> list[tuple[str, str]]:
    """(what is written, its placeholder): the commit's ids and its date in the forms a page may show."""
    moment = datetime.fromtimestamp(built.epoch, tz=UTC)
    forms = [
        (built.commit, "<commit>"),
        (built.commit[:12], "<commit>"),
        (moment.strftime("%Y-%m-%d"), "<datum>"),
        (f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}", "<datum>"),
        (moment.strftime("%Y%m%d"), "<datum>"),
        (str(built.epoch), "<datum>"),
    ]
    return sorted(forms, key=lambda form: -len(form[0]))


def normalise(text: str, built: Built) -> str:
    for written, placeholder in _names(built):
        text = text.replace(written, placeholder)
    return text


def differing_lines(one: str, other: str, base: Built, head: Built) -> list[str]:
    """The lines that differ once each side's commit is removed, as a diff (empty: the same text).

    Lines that are the same on both sides are the same, and only the lines that differ are normalised:
    a date that both builds print alike (e.g. the accessibility statement's) is no difference even when
    it happens to be one side's commit date, which normalising the whole text would hide on that side
    only."""
    left, right = one.splitlines(), other.splitlines()
    found: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = [normalise(line, base) for line in left[i1:i2]]
        after = [normalise(line, head) for line in right[j1:j2]]
        if before != after:
            found += [f"-{line}" for line in before] + [f"+{line}" for line in after]
    return found


def published(book: Path) -> dict[str, Path]:
    return {
        path.relative_to(book).as_posix(): path
        for part in ("html", "pdf")
        for path in sorted((book / part).rglob("*"))
        if path.is_file()
    }


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


@dataclass
class Comparison:
    same: list[str]
    same_but_commit: list[str]
    different: dict[str, str]  # name → why
    only_base: list[str]
    only_head: list[str]


def _compare_pdf(name: str, base: Built, head: Built, result: Comparison) -> None:
    left, right = pdf_pages(base.book / name), pdf_pages(head.book / name)
    if len(left) != len(right):
        result.different[name] = f"{len(left)} sidor mot {len(right)}"
        return
    for number, (one, other) in enumerate(zip(left, right, strict=True), start=1):
        if diff := differing_lines(one, other, base, head):
            result.different[name] = f"texten på sidan {number} skiljer sig:\n" + "\n".join(diff[:20])
            return
    same_bytes = (base.book / name).read_bytes() == (head.book / name).read_bytes()
    (result.same if same_bytes else result.same_but_commit).append(
        name if same_bytes else f"{name} ({len(left)} sidor, samma text sida för sida)"
    )


def compare(base: Built, head: Built) -> Comparison:
    left, right = published(base.book), published(head.book)
    result = Comparison([], [], {}, sorted(set(left) - set(right)), sorted(set(right) - set(left)))
    for name in sorted(set(left) & set(right)):
        if name.endswith(".pdf"):
            _compare_pdf(name, base, head, result)
            continue
        one, other = left[name].read_bytes(), right[name].read_bytes()
        if one == other:
            result.same.append(name)
            continue
        try:
            one_text, other_text = one.decode("utf-8"), other.decode("utf-8")
        except UnicodeDecodeError:
            result.different[name] = "binärfilerna skiljer sig"
            continue
        diff = differing_lines(one_text, other_text, base, head)
        if not diff:
            result.same_but_commit.append(name)
            continue
        result.different[name] = "\n".join(diff[:20])
    return result


def report(result: Comparison, base: Built, head: Built) -> int:
    print(f"bas:  {base.commit[:12]}  ({base.book})")
    print(f"head: {head.commit[:12]}  ({head.book})")
    print(f"{len(result.same)} filer byte för byte lika")
    print(f"{len(result.same_but_commit)} filer lika när commit-id och datum tagits bort:")
    for name in result.same_but_commit:
        print(f"  {name}")
    for label, names in (("bara i bas", result.only_base), ("bara i head", result.only_head)):
        for name in names:
            print(f"{label}: {name}")
    for name, why in result.different.items():
        print(f"OLIKA: {name}\n{why}")
    differs = bool(result.different or result.only_base or result.only_head)
    print("RESULTAT: " + ("olika" if differs else "samma utdata"))
    return 1 if differs else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="4a6a118")
    parser.add_argument("--head", default="HEAD")
    parser.add_argument("--org", default="kommunstyrelsekontoret")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="same-output-"))
    try:
        base = build(arguments.base, folder / "base", arguments.org, arguments.year)
        head = build(arguments.head, folder / "head", arguments.org, arguments.year)
        return report(compare(base, head), base, head)
    finally:
        if arguments.keep:
            print(f"Mapparna finns kvar: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
