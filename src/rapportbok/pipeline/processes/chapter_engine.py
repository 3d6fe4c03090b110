"""The papermill engine chapters run with: nbclient's, writing the executed notebook when the run ends.

Papermill's own engine writes the whole notebook before and after every cell (each write serialises and
validates it, charts included; a clean build of the 2024 book used about 2 % more processor time). Nothing
reads the notebook while the chapter runs, so this engine writes it when the run ends, as papermill does
also after a cell error, a timeout or a dead kernel: the notebook kept for a failed chapter shows every
cell that ran."""

from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE_NAME = "rapportbok"


class SavedWhenDone(NotebookExecutionManager):
    """Papermill's execution manager, writing the notebook only from `notebook_complete` (called when the
    run ends, whatever ended it) and papermill's own error and final writes, not at every cell."""

    ended = False

    def save(self, **kwargs: Any) -> None:
        if self.ended:
            super().save(**kwargs)

    def notebook_complete(self, **kwargs: Any) -> None:
        self.ended = True
        super().notebook_complete(**kwargs)


class ChapterEngine(NBClientEngine):
    """nbclient's engine with `SavedWhenDone` (papermill's `Engine.execute_notebook`, otherwise as is)."""

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, **kwargs: Any) -> Any:
        manager = SavedWhenDone(
            nb,
            output_path=kwargs.pop("output_path", None),
            progress_bar=kwargs.pop("progress_bar", True),
            log_output=kwargs.get("log_output", False),  # nbclient's engine takes it too
            autosave_cell_every=kwargs.pop("autosave_cell_every", 30),
        )
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


papermill_engines.register(ENGINE_NAME, ChapterEngine)
