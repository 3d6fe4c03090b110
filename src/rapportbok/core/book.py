"""One book's identity: the project, the organisation and the fiscal year, and every folder they name.

The one name for each folder, used everywhere in the package:

```
root        the project (the folder with _toc.yml, data/, notebooks/)
data_root   <root>/data                      every organisation's data
org_dir     <root>/data/<org>                one organisation (its years, its own _toc.yml if any)
toc         <org_dir>/_toc.yml or <root>/_toc.yml     the book's chapters (core/toc.py)
year_dir    <root>/data/<org>/<year>         one fiscal year's data
build_root  <root>/_build (or --output)      everything built
layout      <build_root>/<org>/<year>/       one book's build folder (YearLayout)
```

A function that identifies a book takes the BookId; one that needs only a folder takes that folder. The
one other name: the chapters' papermill parameter `data_dir` is the org_dir (notebooks opened by hand set
it, and the published pages keep their bytes); `data.load.book_of(year, org_dir)` turns it into a BookId.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.layout import BUILD_FOLDER, YearLayout, book_layout
from rapportbok.core.paths import parse_year
from rapportbok.core.toc import NOTEBOOK_FOLDER, book_toc, chapter_notebook
from rapportbok.exceptions import UsageError

DATA_FOLDER = "data"
# What `make lab ORG=<id> YEAR=<år>` tells the chapter notebooks it opens (they have no --org or --year).
LAB_ORGANISATION = "RAPPORTBOK_ORG"
LAB_YEAR = "RAPPORTBOK_YEAR"
FOLDER_YEAR = re.compile(r"[0-9]{4}", re.ASCII)


@dataclass(frozen=True)
class FolderBook:
    """The organisation and year the current folder names, when it lies in data/<org>/ or
    data/<org>/<år>/ (or below): what a command run there works on unless --org and --year say otherwise."""

    organisation: str | None = None
    year: int | None = None


def book_of_folder(root: Path, here: Path | None = None) -> FolderBook:
    """The organisation and year named by `here` (default: the current folder) inside `root`'s data/:
    data/<org>/… gives the organisation, data/<org>/<år>/… the year too; elsewhere neither."""
    folder = Path(os.path.abspath(here or Path.cwd()))
    try:
        parts = folder.relative_to(os.path.abspath(data_root_of(root))).parts
    except ValueError:
        try:  # the project reached through a link: compare the folders as they resolve
            parts = folder.resolve().relative_to(data_root_of(root).resolve()).parts
        except (ValueError, OSError, RuntimeError):
            return FolderBook()
    if not parts:
        return FolderBook()
    year = int(parts[1]) if len(parts) > 1 and FOLDER_YEAR.fullmatch(parts[1]) else None
    return FolderBook(parts[0], year)


def data_root_of(root: Path) -> Path:
    """The project's data folder, <root>/data."""
    return root / DATA_FOLDER


@dataclass(frozen=True, order=True)
class BookId:
    """One organisation's book of one fiscal year in the project `root`. Order: organisation, year."""

    organisation: str
    year: int
    root: Path

    @property
    def data_root(self) -> Path:
        """<root>/data: every organisation's data."""
        return data_root_of(self.root)

    @property
    def org_dir(self) -> Path:
        """<root>/data/<org>: the organisation's folder."""
        return self.data_root / self.organisation

    @property
    def year_dir(self) -> Path:
        """<root>/data/<org>/<year>: the year's data."""
        return self.org_dir / f"{self.year:04d}"

    @property
    def label(self) -> str:
        """The year's folder as messages name it: 'data/kommunstyrelsekontoret/2024'."""
        return f"{DATA_FOLDER}/{self.organisation}/{self.year:04d}"

    @property
    def name(self) -> str:
        """How messages name the book: 'kommunstyrelsekontoret 2024'."""
        return f"{self.organisation} {self.year}"

    @property
    def toc(self) -> Path:
        """The book's table of contents: <org_dir>/_toc.yml if the organisation has its own, else the
        project's <root>/_toc.yml."""
        return book_toc(self.root, self.org_dir)

    @property
    def toc_label(self) -> str:
        """The book's table of contents as messages name it: '_toc.yml' or 'data/<org>/_toc.yml'."""
        toc = self.toc
        return toc.relative_to(self.root).as_posix() if toc.is_relative_to(self.root) else toc.name

    def notebook(self, chapter: str) -> Path:
        """The notebook of `chapter`: notebooks/<org>/<chapter>.ipynb if the organisation has its own,
        else notebooks/<chapter>.ipynb."""
        return chapter_notebook(self.root, self.organisation, chapter)

    def layout(self, build_root: Path | None = None) -> YearLayout:
        """The book's build folder, <build_root>/<org>/<year>/ (default build root: <root>/_build)."""
        folder = build_root if build_root is not None else self.root / BUILD_FOLDER
        return book_layout(folder, self.organisation, self.year)

    def __str__(self) -> str:
        return self.name


def notebook_book(root: Path, here: Path | None = None) -> FolderBook:
    """The organisation and year a chapter notebook opened by hand (JupyterLab: no papermill parameters)
    works on. The organisation: the one whose own notebooks folder, notebooks/<org>/, the notebook runs
    in (`here`, default the current folder: such a notebook is that organisation's only), else
    RAPPORTBOK_ORG. The year: RAPPORTBOK_YEAR. `make lab ORG= YEAR=` sets both variables; empty is
    unset. A year that is not four digits is a UsageError naming the variable."""
    folder = Path(os.path.abspath(here or Path.cwd()))
    try:
        parts = folder.relative_to(os.path.abspath(root / NOTEBOOK_FOLDER)).parts
    except ValueError:
        parts = ()
    organisation = parts[0] if parts else os.environ.get(LAB_ORGANISATION, "").strip() or None
    year_text = os.environ.get(LAB_YEAR, "").strip()
    return FolderBook(organisation, _environment_year(year_text) if year_text else None)


def _environment_year(text: str) -> int:
    try:
        return parse_year(text)
    except UsageError as error:
        error.add_note(f"Året kommer från {LAB_YEAR} (make lab YEAR=…): ange det med fyra siffror (ÅÅÅÅ).")
        raise
