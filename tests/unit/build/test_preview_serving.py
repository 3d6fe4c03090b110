"""What the preview serves: the last good pages (a mirror written file by file), a Swedish error page
naming file, row and column instead of pages while a rebuild has failed, with every value escaped."""

from __future__ import annotations

from pathlib import Path

from rapportbok.build.preview import mirror
from rapportbok.build.preview_page import LAST_GOOD, error_page
from rapportbok.build.preview_server import PreviewState
from rapportbok.exceptions import ChapterError, ChapterFailure, DataError, Problem


def _error() -> DataError:
    return DataError(
        [
            Problem(
                "data/kommunstyrelsekontoret/2024/sjukfranvaro.csv",
                '"<script>alert(1)</script>" är inte giltigt',
                3,
                "procent",
            )
        ]
    )


def test_the_error_page_names_file_row_and_column_and_escapes_the_value() -> None:
    page = error_page(_error(), last_good=True)
    assert '<html lang="sv">' in page
    assert "<td>data/kommunstyrelsekontoret/2024/sjukfranvaro.csv</td><td>3</td><td>procent</td>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'href="?{LAST_GOOD}"' in page
    assert "Boken kan inte byggas" in page and "</head>" in page  # livereload's script goes before </head>


def test_an_error_without_a_place_is_shown_as_its_message() -> None:
    page = error_page(ChapterError([ChapterFailure("ekonomi", "cell 3: <b>")]), last_good=False)
    assert "<pre>Kapitlet ekonomi misslyckades: cell 3: &lt;b&gt;</pre>" in page
    assert f"?{LAST_GOOD}" not in page and "Ingen version av boken har byggts ännu." in page


def test_pages_are_replaced_by_the_error_page_but_assets_are_not(tmp_path: Path) -> None:
    state = PreviewState(tmp_path)
    assert "Förhandsvisningen byggs" in (state.page_instead("", last_good=False) or "")
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    assert state.page_instead("chapters/ekonomi.html", last_good=False) is None
    state.set_error(_error())
    assert "Boken kan inte byggas" in (state.page_instead("chapters/ekonomi.html", last_good=False) or "")
    assert "Boken kan inte byggas" in (state.page_instead("", last_good=False) or "")
    assert state.page_instead("chapters/ekonomi.html", last_good=True) is None
    assert state.page_instead("_static/rapportbok.css", last_good=False) is None
    state.set_error(None)
    assert state.page_instead("chapters/ekonomi.html", last_good=False) is None


def test_the_mirror_writes_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    source, target = tmp_path / "html", tmp_path / "served"
    (source / "chapters").mkdir(parents=True)
    (source / "index.html").write_text("start", encoding="utf-8")
    (source / "chapters/ekonomi.html").write_text("ekonomi", encoding="utf-8")
    mirror(source, target)
    kept = (target / "index.html").stat().st_mtime_ns
    (source / "chapters/ekonomi.html").unlink()
    (source / "chapters/arbetsgivare.html").write_text("arbetsgivare", encoding="utf-8")
    mirror(source, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "chapters/arbetsgivare.html",
        "index.html",
    ]
    assert (target / "index.html").stat().st_mtime_ns == kept
    assert not list(target.rglob(".*.tmp"))
