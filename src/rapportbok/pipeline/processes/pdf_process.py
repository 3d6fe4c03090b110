"""Write the PDF in a child process whose exit status the build checks, then verify the file.

The print document is set with Typst (`rapportbok.pdf.typst.from_html`) in a child process, so that
an interrupt, a full disk or a crash ends the child and never leaves the build half-way in a write:
the child restores the default signal actions (a signal ends it outright) and dies with the build;
the build waits for it, stops it when the build is interrupted, and publishes the PDF only after
`rapportbok.pdf.verify` has found every figure of the print document tagged and drawn.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.exceptions import PdfError
from rapportbok.pipeline.processes.owned import BuildProcesses, child_command, run_child
from rapportbok.pipeline.publishing.publish import describe_os_error

PRINT_DOCUMENT = "print.html"
LOG_TAIL_LINES = 20
REPORTED = "rapportbok: "  # the child's own error lines in its log, shown instead of the log's tail


def render_pdf(document: str, target: Path, *, base_url: Path, processes: BuildProcesses, log: Path) -> Path:
    """Write `document` as the PDF `target` in a child process and verify it; return `target`."""
    from rapportbok.pdf.verify import figures_in_document, verify_pdf

    target.parent.mkdir(parents=True, exist_ok=True)
    source = target.parent / PRINT_DOCUMENT
    source.write_text(document, encoding="utf-8")
    target.unlink(missing_ok=True)
    code = f"from {__name__} import main; sys.exit(main(sys.argv[1:]))"
    command = child_command(code, str(source), str(target), str(base_url))
    # The figures the PDF must have are read from the document while the child sets it.
    with ThreadPoolExecutor(max_workers=1) as reader:
        figures = reader.submit(figures_in_document, document)
        completed = run_child(command, cwd=base_url, env=processes.child_environment(), log=log)
    if completed.returncode != 0:
        lines = completed.stdout.splitlines()
        reported = [line.removeprefix(REPORTED) for line in lines if line.startswith(REPORTED)]
        tail = "\n".join(reported or lines[-LOG_TAIL_LINES:])
        how = (
            f"stoppades av signal {-completed.returncode}"
            if completed.returncode < 0
            else f"avslutades med kod {completed.returncode}"
        )
        raise PdfError(f"PDF:en kunde inte skrivas: processen {how} (logg: {display_path(log)}).\n{tail}")
    verify_pdf(target, figures.result())
    return target


def main(argv: list[str]) -> int:
    """The child (started by `render_pdf`, which has already run DIE_WITH_PARENT in it)."""
    from rapportbok.pdf.typst.from_html import write_pdf

    source, target, base_url = (Path(argument) for argument in argv)
    try:
        write_pdf(source.read_text(encoding="utf-8"), target, base_url=base_url)
    except PdfError as error:
        print(f"{REPORTED}{error}")
        return 2
    except OSError as error:  # e.g. a full disk; a failed write does not name its file
        error.filename = error.filename or str(target)
        print(f"{REPORTED}{describe_os_error(error, display_path)}")
        return 2
    return 0
