"""The chapter steps: run the stale chapters with papermill, name the failures, and verify that
everything the chapters read is the snapshot's version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rapportbok.core.layout import RUN_FOLDER
from rapportbok.core.paths import display_path
from rapportbok.exceptions import ChapterFailure, DataChanged, RapportbokError
from rapportbok.pipeline.inputs.cache import MANIFEST, ChapterCache, ChapterInputs
from rapportbok.pipeline.inputs.snapshot import changed_details, recorded_reads
from rapportbok.pipeline.processes.execute import ChapterJob, ChapterResult, run_chapters
from rapportbok.pipeline.run import BookRun

# `warm(name)` may give a chapter a kernel already started in its run folder, as (run folder, kernel
# manager) (the preview's warm kernels).
Warm = Callable[[str], tuple[Path, Any] | None]


def chapter_job(run: BookRun, item: ChapterInputs, warm: Warm | None) -> ChapterJob:
    """How one chapter is run: its notebook, its parameters and the kernel protocol's, its folder."""
    cache = run.cache
    prepared = warm(item.name) if warm is not None else None
    return ChapterJob(
        name=item.name,
        source=item.notebook,
        output=cache.entry(item.name) / RUN_FOLDER / "executed.ipynb",
        # The kernel protocol: where the chapter notes what it reads; tables read on first use
        # (the year is validated first). Not part of the cache key: they do not change the output.
        parameters={**item.parameters, "reads_log": str(cache.reads_log(item.name)), "lazy": True},
        cwd=cache.run_folder(item.name) if prepared is None else prepared[0],
        timeout=run.options.timeout,
        environment=run.processes.environment(),
        kernel_manager=None if prepared is None else prepared[1],
    )


def execute(run: BookRun, stale: list[ChapterInputs], warm: Warm | None = None) -> list[ChapterResult]:
    """Run the stale chapters, longest first, `run.options.workers` at once on the run's executor;
    each one that succeeds is stored in the cache, each one that fails is kept for debugging."""
    cache, progress = run.cache, run.progress
    stale = sorted(stale, key=lambda item: -cache.last_seconds(item.name))  # longest first
    jobs = [chapter_job(run, item, warm) for item in stale]
    if not jobs:
        return []
    workers = run.options.workers
    progress.step(f"Kör {len(jobs)} kapitel ({min(workers, len(jobs))} parallellt) …")
    by_name = {item.name: item for item in stale}
    finished = []

    def done(result: ChapterResult) -> None:
        item = by_name[result.name]
        if result.ok:
            stored = cache.store(item, result.output, round(result.seconds, 1))
            finished.append(ChapterResult(result.name, stored, result.seconds))
            progress.chapter(result.name, "done", result.seconds)
        else:
            kept = cache.keep_failed(item, result.output)
            finished.append(replace(result, output=kept))
            progress.chapter(result.name, "failed")

    run_chapters(
        jobs,
        max_workers=workers,
        executor=run.options.executor,
        on_start=lambda job: progress.chapter(job.name, "running"),
        on_done=done,
    )
    return finished


def chapter_failures(
    run: BookRun, failed: list[ChapterResult], *, name_book: bool = True
) -> list[ChapterFailure]:
    """The failed chapters (for ChapterError), each with its cell and kept notebook (and the book,
    unless `name_book` is false: the preview shows one book)."""
    book = run.book
    return [
        ChapterFailure(
            result.name,
            result.error or "",
            display_path(result.output, run.root),
            result.cell,
            organisation=book.organisation if name_book else None,
            year=book.year if name_book else None,
        )
        for result in failed
    ]


def executed(run: BookRun, inputs: list[ChapterInputs]) -> dict[str, Path | None]:
    """Each chapter's executed notebook in the cache (None: out of date)."""
    return {item.name: run.cache.lookup(item) for item in inputs}


def verify_reads(run: BookRun, notebooks: dict[str, Path | None], ran: list[str]) -> None:
    """After the chapters: every file a chapter read is the one of the snapshot (else DataChanged,
    and the chapters run now are forgotten by the cache), and the files read outside the snapshot's
    folders (a shared logo) are verified at the end too."""
    snapshot, cache = run.snapshot, run.cache
    for name in notebooks:
        snapshot.add_reads(recorded_reads(cache.entry(name) / MANIFEST))
    verify_snapshot(run, ran)
    stale = [name for name, path in notebooks.items() if path is None]
    if stale:  # its inputs differ from its cache entry now, though the snapshot saw no change
        forget(cache, ran)
        found = {f"notebooks/{name}.ipynb": "ändrades" for name in stale}
        raise DataChanged(*changed_details(found, snapshot.wording))


def verify_snapshot(run: BookRun, ran: list[str]) -> None:
    """DataChanged when an input differs from the snapshot; the chapters run in this build are then
    forgotten, since they may have read the new version (their cache entries name the new hashes)."""
    try:
        run.snapshot.verify()
    except RapportbokError:
        forget(run.cache, ran)
        raise


def forget(cache: ChapterCache, names: list[str]) -> None:
    """Make the cache entries of `names` invalid: the next build runs those chapters again."""
    for name in names:
        (cache.entry(name) / MANIFEST).unlink(missing_ok=True)
