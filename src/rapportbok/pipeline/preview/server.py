"""Serving the live preview: livereload's server (Tornado) serves the pages and injects its script,
which reloads the open page when told; watchfiles says what changed on disk; a rebuild runs in a thread.

livereload normally polls files itself; here its watcher is told by the rebuild instead (a `Watcher`
whose `start` takes the callback), so a page reloads exactly once, when its rebuild is done. While a
rebuild has failed, every page request gets the error page (the last good page stays one link away).

Only this computer's browser may read the draft: a request is answered only when its `Host` is
127.0.0.1:<port> or localhost:<port> (a page on another site whose name was pointed at 127.0.0.1,
"DNS rebinding", sends its own name and gets 421), and the reload endpoints (`/livereload`,
`/forcereload`) refuse a request from a page of another origin (403).
"""

from __future__ import annotations

import logging
import sys
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector, Server
from livereload.watcher import Watcher
from tornado import escape, web
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from rapportbok.core.book import BookId
from rapportbok.core.layout import BUILD_FOLDER
from rapportbok.core.paths import display_path
from rapportbok.exceptions import BuildInterrupted, RapportbokError, UsageError
from rapportbok.pipeline.preview.builder import PreviewBuilder, watched_paths
from rapportbok.pipeline.preview.pages import LAST_GOOD, building_page, error_page
from rapportbok.pipeline.processes.interrupt import signals_deferred
from rapportbok.pipeline.processes.owned import BuildProcesses, stop_leftovers
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing.lock import held_lock
from rapportbok.pipeline.run import BookRun, BuildOptions
from rapportbok.pipeline.steps.cleanup import remove_temporary

HOST = "127.0.0.1"
HOST_NAMES = (HOST, "localhost")  # the names a request may give in `Host` (with the port)
RELOAD = "__livereload__"  # livereload's name for "reload now, whatever changed"
STEP_MS = 50  # watchfiles waits this long for more changes after one (an editor's save is several)
STOP_SECONDS = 30
WAKE_MS = 500  # with no change, watchfiles answers (empty) this often


class PreviewState:
    """What the server shows: the pages in `folder`, or the error of the last rebuild."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._error: RapportbokError | None = None

    @property
    def error(self) -> RapportbokError | None:
        with self._lock:
            return self._error

    def set_error(self, error: RapportbokError | None) -> None:
        with self._lock:
            self._error = error

    def page_instead(self, path: str, last_good: bool) -> str | None:
        """The HTML to send instead of the file at `path` (a page request), or None to send the file."""
        if path and not path.endswith(("/", ".html")):
            return None  # a stylesheet, script or image: always the file
        built = (self.folder / "index.html").is_file()
        error = self.error
        if error is not None and not (last_good and built):
            return error_page(error, last_good=built)
        return None if built else building_page()


class RebuildSignal(Watcher):
    """livereload's watcher, told by the rebuild (not by polling) when the open pages should reload."""

    def __init__(self) -> None:
        super().__init__()
        self._callback: Any = None
        self._loop: IOLoop | None = None
        self._pending = False
        self._guard = threading.Lock()

    def start(self, callback: Any) -> bool:
        """Called by livereload in the server's thread: keep its callback instead of polling."""
        self._callback = callback
        self._loop = IOLoop.current()
        return True

    def examine(self) -> tuple[str | None, int | None]:
        with self._guard:
            pending, self._pending = self._pending, False
        return (RELOAD, 0) if pending else (None, None)

    def rebuilt(self) -> None:
        """Reload every open page (from any thread)."""
        with self._guard:
            self._pending = True
        if self._loop is not None and self._callback is not None:
            self._loop.add_callback(self._callback)


class PreviewFileHandler(StaticFileHandler):
    """livereload's file handler, which sends the error page while a rebuild has failed."""

    def initialize(self, path: str, default_filename: str | None = None, state: Any = None) -> None:
        super().initialize(path, default_filename)
        self.state: PreviewState = state

    async def get(self, path: str, include_body: bool = True) -> None:
        page = self.state.page_instead(path, self.get_query_argument(LAST_GOOD, None) is not None)
        if page is None:
            await super().get(path, include_body)
            return
        self.instead = True
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page)

    def compute_etag(self) -> str | None:
        return None if getattr(self, "instead", False) else super().compute_etag()

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")  # a reload always fetches the rebuilt page

    def log_exception(self, *args: Any) -> None:  # a browser that went away is not the analyst's concern
        pass


def allowed_hosts(port: int) -> frozenset[str]:
    """The `Host` values the preview answers: this computer's names with the preview's port (a
    browser leaves out port 80)."""
    return frozenset(f"{name}:{port}" for name in HOST_NAMES) | (
        frozenset(HOST_NAMES) if port == 80 else frozenset()
    )


def allowed_origins(port: int) -> frozenset[str]:
    """The origins of the preview's own pages, the only ones that may use its reload endpoints."""
    return frozenset(f"http://{host}" for host in allowed_hosts(port))


class ForeignHostHandler(web.RequestHandler):
    """The answer to a request whose `Host` is not the preview's: 421 and a short Swedish text."""

    def initialize(self, port: int) -> None:
        self.port = port

    def prepare(self) -> None:
        self.set_status(421)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            f"Förhandsvisningen svarar bara på http://{HOST}:{self.port}/ och "
            f"http://localhost:{self.port}/ från den här datorn.\n"
        )


class LocalOnlyApplication(web.Application):
    """Tornado's application, which sends every request whose `Host` is not the preview's own (any
    path, any handler) to `ForeignHostHandler`."""

    def __init__(self, *args: Any, port: int, **settings: Any) -> None:
        super().__init__(*args, trusted_origins=sorted(allowed_origins(port)), **settings)
        self.hosts = allowed_hosts(port)
        self.port = port

    def find_handler(self, request: HTTPServerRequest, **kwargs: Any) -> Any:
        if request.headers.get("Host", "").lower() not in self.hosts:
            return self.get_handler_delegate(request, ForeignHostHandler, {"port": self.port})
        return super().find_handler(request, **kwargs)


class ReloadSocket(LiveReloadHandler):
    """livereload's websocket, which accepts no other origin than the preview's pages (livereload's
    own accepts every origin). Tornado asks `check_origin` for every cross-origin handshake."""

    def check_origin(self, origin: str) -> bool:
        return self.check_trusted_origin(origin.lower())  # the application's `trusted_origins`


class ForceReload(ForceReloadHandler):
    """livereload's "reload every page now", refused to a page of another origin (403)."""

    def prepare(self) -> None:
        origin = self.request.headers.get("Origin")
        site = self.request.headers.get("Sec-Fetch-Site", "same-origin")
        if origin is None and site in ("same-origin", "none"):
            return  # the analyst's own tool or browser
        if origin is None or not self.check_trusted_origin(origin.lower()):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("Förhandsvisningen laddas bara om från sina egna sidor.\n")


class PreviewServer(Server):
    """livereload's server for the preview's pages and state."""

    def __init__(self, state: PreviewState, signal: RebuildSignal) -> None:
        super().__init__(watcher=signal)
        self.state = state
        self.root = str(state.folder)
        self.default_filename = "index.html"
        signal.watch(str(state.folder))  # livereload watches the working folder when given nothing
        self.port: int | None = None

    def get_web_handlers(self, script: bytes) -> list[Any]:
        handler = {"path": str(self.state.folder), "default_filename": "index.html", "state": self.state}
        return [(r"/(.*)", PreviewFileHandler, handler)]

    def application(
        self,
        port: int,
        host: str,
        liveport: int | None = None,
        debug: bool | None = None,
        live_css: bool = True,
    ) -> None:
        """livereload's `Server.application` (its handlers on one port, its script in every page) with
        the preview's guards: only the preview's `Host`, and only its own origin on the reload endpoints."""
        sockets = bind_sockets(port, host)
        self.port = sockets[0].getsockname()[1]  # the port chosen when `port` is 0
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        live_script = escape.utf8(
            '<script type="text/javascript">(function(){'
            'var s=document.createElement("script");'
            f"var port={self.port};"
            's.src="//"+window.location.hostname+":"+port'
            '+ "/livereload.js?port=" + port;'
            "document.head.appendChild(s);"
            "})();</script>"
        )

        class ScriptInjector(LiveScriptInjector):
            script = live_script

        handlers = [
            (r"/livereload", ReloadSocket),
            (r"/forcereload", ForceReload),
            (r"/livereload.js", LiveReloadJSHandler),
            *self.get_web_handlers(live_script),
        ]
        app = LocalOnlyApplication(handlers, port=self.port, debug=False, transforms=[ScriptInjector])
        HTTPServer(app).add_sockets(sockets)

    def listen(self, port: int) -> None:
        """Open the port (OSError when it is taken; 0: any free port, then in `self.port`)."""
        for name in ("livereload", "tornado.access", "tornado.application", "tornado.general"):
            logging.getLogger(name).setLevel(logging.CRITICAL)  # English log lines are not for analysts
        self.application(port, HOST, live_css=False)

    def run(self) -> None:
        """Serve until Ctrl-C (KeyboardInterrupt) or SIGTERM (BuildInterrupted) in this thread."""
        LiveReloadHandler.start_tasks()
        IOLoop.current().start()


def preview(book: BookId, options: BuildOptions, port: int, progress: Progress | None = None) -> None:
    """Build the book's web edition into `<build_root>/<org>/<year>/.preview/` (`options`: draft, the
    cell's timeout, the build root), serve it on http://127.0.0.1:<port> and rebuild on every change
    until Ctrl-C; then end every process it started and its temporary files."""
    progress = progress or Progress()
    built = book.layout((options.build_root or book.root / BUILD_FOLDER).resolve())
    layout = built.preview
    busy = f"En annan förhandsvisning av {book.name} pågår redan (process {{holder}}). Avsluta den först."
    with held_lock(layout.lock, busy):
        stop_leftovers(layout.running)  # a preview that was killed outright
        remove_temporary(layout)
        processes = BuildProcesses()
        processes.record(layout.running)
        layout.served.mkdir(parents=True, exist_ok=True)
        state = PreviewState(layout.served)
        signal = RebuildSignal()
        server = PreviewServer(state, signal)
        builder = PreviewBuilder(BookRun(book, layout, options, processes, progress), built.cache)
        stop = threading.Event()
        loop = threading.Thread(
            target=_rebuild_loop,
            args=(builder, state, signal, stop),
            name="rapportbok-preview",
            daemon=True,
        )
        try:
            try:
                server.listen(port)
            except OSError as error:
                raise UsageError(
                    f"Porten {port} kan inte användas ({error.strerror or error}). Välj en annan med --port."
                ) from None
            progress.step(f"Förhandsvisning av {book.name}: http://{HOST}:{port}/")
            progress.step("Sidan i webbläsaren laddas om när du sparar en ändring. Ctrl-C avslutar.")
            loop.start()
            try:
                server.run()
            finally:
                with suppress(Exception):  # frees the port (the loop ran in this thread)
                    IOLoop.current().close(all_fds=True)
        except (KeyboardInterrupt, BuildInterrupted):
            pass
        finally:
            with signals_deferred():
                stop.set()
                processes.stop()  # kernels of a running chapter
                builder.close()
                if loop.is_alive():
                    loop.join(STOP_SECONDS)
                processes.stop()
                remove_temporary(layout)
                layout.running.unlink(missing_ok=True)
        progress.step("Förhandsvisningen är avslutad.")


def _rebuild_loop(
    builder: PreviewBuilder, state: PreviewState, signal: RebuildSignal, stop: threading.Event
) -> None:
    """Build once, then again after every change, until `stop` is set. Watching starts before the
    first build (its first, empty, answer comes after WAKE_MS), so a file saved meanwhile is not missed."""
    import watchfiles

    progress = builder.run.progress
    first = True
    for changes in watchfiles.watch(
        *watched_paths(builder.run.book),
        stop_event=stop,
        step=STEP_MS,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if stop.is_set():
            return
        if first:
            first = False
            _rebuild(builder, state, signal, stop)
            continue
        if not changes:
            continue
        shown = sorted({display_path(Path(path), builder.root) for _, path in changes})
        more = f" och {len(shown) - 3} till" if len(shown) > 3 else ""
        progress.step(f"Ändrat: {', '.join(shown[:3])}{more}")
        _rebuild(builder, state, signal, stop)


def _rebuild(
    builder: PreviewBuilder, state: PreviewState, signal: RebuildSignal, stop: threading.Event
) -> None:
    progress = builder.run.progress
    try:
        rebuilt = builder.rebuild()
    except Exception as error:
        if stop.is_set():
            return  # the preview is stopping: its kernels were ended on purpose
        shown = (
            error
            if isinstance(error, RapportbokError)
            else RapportbokError(f"Oväntat fel i förhandsvisningen: {type(error).__name__}: {error}")
        )
        state.set_error(shown)
        print(
            f"{shown}\nDe senast fungerande sidorna visas tills felet är rättat.", file=sys.stderr, flush=True
        )
    else:
        state.set_error(None)
        how = []
        if rebuilt.rerendered:
            how.append(f"text utan kärna: {', '.join(rebuilt.rerendered)}")
        if rebuilt.executed:
            how.append(f"körda kapitel: {', '.join(rebuilt.executed)}")
        progress.step(f"Uppdaterat på {rebuilt.seconds:.1f} s" + (f" ({'; '.join(how)})" if how else ""))
    signal.rebuilt()
    with suppress(Exception):  # the search index and kernels for the next time; a failure shows then
        builder.finish()
