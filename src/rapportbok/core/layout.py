"""The layout of the build folder, in one place.

```
<build_root>/                      default: _build/ in the project
  <year>/                          one year's book (YearLayout)
    html/  pdf/                    what is published
    excel/<organisation>-underlag-<year>.xlsx   the workbook for editing the year's tables in Excel
    .lock                          held while a build of the year runs
    .cache/<chapter>/              executed notebook + manifest.json; run/ while the chapter runs
    .cache/site.json               the key of the last published site and PDF
    .work/source/  .work/_config.yml  .work/_build/  .work/pdf/   Sphinx and PDF work folders
    .<name>.incoming  .<name>.outgoing   a folder being swapped in / out while publishing
  site/                            every year side by side (`rapportbok site`); .site.new while made
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILD_FOLDER = "_build"
SITE_FOLDER = "site"


@dataclass(frozen=True)
class YearLayout:
    """Where one year's build keeps everything: `<build_root>/<year>/`."""

    folder: Path

    @property
    def html(self) -> Path:
        return self.folder / "html"

    @property
    def pdf(self) -> Path:
        return self.folder / "pdf"

    @property
    def excel(self) -> Path:
        """The folder of the year's Excel workbook (`rapportbok excel`)."""
        return self.folder / "excel"

    def excel_workbook(self, organisation_slug: str) -> Path:
        """`excel/<organisation>-underlag-<year>.xlsx`, e.g. kommunstyrelsekontoret-underlag-2024.xlsx."""
        return self.excel / f"{organisation_slug}-underlag-{self.folder.name}.xlsx"

    @property
    def lock(self) -> Path:
        return self.folder / ".lock"

    @property
    def cache(self) -> Path:
        return self.folder / ".cache"

    @property
    def site_manifest(self) -> Path:
        return self.cache / "site.json"

    @property
    def work(self) -> Path:
        return self.folder / ".work"

    @property
    def source(self) -> Path:
        """The year's Sphinx source folder."""
        return self.work / "source"

    @property
    def config(self) -> Path:
        """The year's Jupyter Book configuration."""
        return self.work / "_config.yml"

    @property
    def pdf_work(self) -> Path:
        return self.work / "pdf"

    def temporary(self) -> list[Path]:
        """What an interrupted build may leave behind: kernels' run folders, half-copied outputs."""
        return [
            *self.cache.glob(f"*/{RUN_FOLDER}"),
            *(swap_folders(target)[0] for target in (self.html, self.pdf)),
            self.pdf_work,
        ]


RUN_FOLDER = "run"


def year_layout(build_root: Path, year: int) -> YearLayout:
    return YearLayout(build_root / str(year))


def site_folder(build_root: Path) -> Path:
    """The multi-year site, `<build_root>/site/`."""
    return build_root / SITE_FOLDER


def site_staging(build_root: Path) -> Path:
    return build_root / f".{SITE_FOLDER}.new"


def swap_folders(target: Path) -> tuple[Path, Path]:
    """The folders beside `target` while it is replaced: (incoming, outgoing)."""
    return target.with_name(f".{target.name}.incoming"), target.with_name(f".{target.name}.outgoing")
