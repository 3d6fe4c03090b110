"""The layout of the build folder, in one place.

```
<build_root>/                      default: _build/ in the project
  <org>/<year>/                    one organisation's book of one year (YearLayout), e.g.
                                     kommunstyrelsekontoret/2024/
    html -> .current/html          what is published: two fixed paths (symbolic links) that resolve
    pdf  -> .current/pdf             through .current, so HTML and PDF always come from one release
    .current -> .releases/<id>     the published release, switched atomically (os.replace of a link)
    .current.new  .html.new  .pdf.new   links being made, before they are renamed into place
    .releases/<id>/html/ pdf/      one folder per published build
    .releases/<id>/release.json      the site key and the SHA-256 of every published file
    excel/<organisation>-underlag-<year>.xlsx   the workbook for editing the year's tables in Excel
    .lock                          held while a build of this organisation and year runs
    .running.json                  the id of a build that has started processes (gone when it ends)
    .cache/<chapter>/              executed notebook + manifest.json; run/ while the chapter runs
    .cache/<chapter>/run/reads.log   the data files the running chapter read (its `reads_log` parameter)
    .work/source/  .work/_config.yml  .work/_build/  .work/pdf/   Sphinx and PDF work folders
    .preview/                      `rapportbok preview`: its own .cache/, .work/, .lock and
                                     .running.json, and served/ (the last good pages); never a release
  site -> .site-releases/<id>      every book side by side (`rapportbok site`), switched atomically
  .site-releases/<id>/             one folder per published site
  .site.lock                       held while `rapportbok site` runs
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILD_FOLDER = "_build"
SITE_FOLDER = "site"
RUN_FOLDER = "run"
READS_LOG = "reads.log"
RELEASE_MANIFEST = "release.json"
NEW_LINK_SUFFIX = ".new"


@dataclass(frozen=True)
class ReleaseLayout:
    """Versioned releases of one published unit: `folder/<id>/`, the live one named by the link `current`.

    `links` are fixed paths that users open; each is a relative symbolic link through `current`.
    """

    folder: Path
    current: Path
    links: tuple[tuple[Path, str], ...] = ()

    def release(self, release_id: str) -> Path:
        return self.folder / release_id

    @property
    def next_link(self) -> Path:
        """Where the new `current` link is made before it replaces the old one."""
        return self.current.with_name(self.current.name + NEW_LINK_SUFFIX)

    @staticmethod
    def link_staging(link: Path) -> Path:
        """Where a fixed link is made before it is renamed into place."""
        return link.with_name(f".{link.name}{NEW_LINK_SUFFIX}")

    @staticmethod
    def legacy_swap_folders(path: Path) -> tuple[Path, Path]:
        """The folders an older rapportbok swapped `path` through: (incoming, outgoing)."""
        return path.with_name(f".{path.name}.incoming"), path.with_name(f".{path.name}.outgoing")


@dataclass(frozen=True)
class YearLayout:
    """Where one book (organisation and year) keeps everything: `<build_root>/<org>/<year>/`."""

    folder: Path

    @property
    def build_root(self) -> Path:
        """The build root this book's folder is in: `<build_root>/<org>/<year>/`."""
        return self.folder.parent.parent

    @property
    def html(self) -> Path:
        """The published site (a link through `.current`)."""
        return self.folder / "html"

    @property
    def pdf(self) -> Path:
        """The published PDF's folder (a link through `.current`)."""
        return self.folder / "pdf"

    @property
    def releases(self) -> ReleaseLayout:
        current = self.folder / ".current"
        return ReleaseLayout(
            self.folder / ".releases",
            current,
            ((self.html, f"{current.name}/html"), (self.pdf, f"{current.name}/pdf")),
        )

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
    def running(self) -> Path:
        """Names the build that has started processes; left behind only by a build that was killed."""
        return self.folder / ".running.json"

    @property
    def cache(self) -> Path:
        return self.folder / ".cache"

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

    @property
    def pdf_log(self) -> Path:
        """What the PDF process printed (its own error lines and any traceback)."""
        return self.work / "pdf.log"

    @property
    def preview(self) -> YearLayout:
        """The live preview's own build folder, apart from the releases: a preview never publishes."""
        return YearLayout(self.folder / ".preview")

    @property
    def served(self) -> Path:
        """The preview's pages as served: a copy of the last rebuild that succeeded."""
        return self.folder / "served"

    def temporary(self) -> list[Path]:
        """What an interrupted build may leave behind: kernels' run folders, the PDF being written."""
        return [*self.cache.glob(f"*/{RUN_FOLDER}"), self.pdf_work]


def book_layout(build_root: Path, organisation: str, year: int) -> YearLayout:
    """The build folder of one organisation's book of one year: `<build_root>/<org>/<year>/`."""
    return YearLayout(build_root / organisation / f"{year:04d}")


def site_folder(build_root: Path) -> Path:
    """The multi-year site, `<build_root>/site/` (a link to its current release)."""
    return build_root / SITE_FOLDER


def site_releases(build_root: Path) -> ReleaseLayout:
    return ReleaseLayout(build_root / f".{SITE_FOLDER}-releases", site_folder(build_root))


def site_lock_file(build_root: Path) -> Path:
    return build_root / f".{SITE_FOLDER}.lock"


def protected_folders(root: Path) -> list[Path]:
    """Folders of the project that a build may never write into."""
    return [root / name for name in ("data", "notebooks", "book", "src", ".git")]
