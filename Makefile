# rapportbok — the two commands: `make report` and `make test`. Both create .venv themselves.
# `make test-snabb` is the fast tier for the edit loop (no whole books, no browser; about a minute).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Which book: ORG=<organisation> (default: the only organisation in data/) and YEAR=<year> (default: the
# organisation's latest year); rapportbok itself chooses the defaults.
ORG ?=
YEAR ?=
BOOK = $(if $(ORG),--org $(ORG)) $(if $(YEAR),--year $(YEAR))
PORT ?= 8000

LAB_INSTALLED := $(VENV)/.lab-installed

.PHONY: help report check preview test test-snabb lint lock clean chromium libreoffice lab

help: ## Visa kommandona
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

# pytest keeps each test module with its rewritten asserts as bytecode (tests/**/__pycache__) unless
# PYTHONDONTWRITEBYTECODE is set; then both test processes rewrite and compile every test module on
# every run (collecting the fast tier: 10.7 CPU-seconds a process, 5.9 with the cache).
TEST_ENV := PYTHONDONTWRITEBYTECODE=

# One test process per core, at least two and at most four (pytest-xdist; a file stays in one process).
# The suite is bound by processor time (a run on two cores keeps them 90 % busy), so more cores make it
# shorter; four processes on two cores pass too and take as long as two (benchmarks/README.md). Above
# four, memory rather than time decides (every process has its own builds and kernels). TEST_WORKERS=n
# overrides it.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); if [ $$n -lt 2 ]; then n=2; elif [ $$n -gt 4 ]; then n=4; fi; echo $$n)

# The package's bytecode, written once: pip compiles what it installs, but not an editable package, and
# where PYTHONDONTWRITEBYTECODE is set (as on CI machines) every command, kernel and Jupyter Book process
# would compile src/ again (about 0.25 CPU-seconds each). A changed module is compiled again here (and
# Python never uses a stale file: it compares the source's time and size).
.PHONY: bytecode
bytecode: $(INSTALLED)
	@$(BIN)/python -m compileall -q src

# Without YEAR= the build takes the organisation's latest year, or (when that year is not filled in yet)
# the latest complete one and says so in one line; with YEAR= of an unfilled year it stops with the to-do.
report: bytecode ## Installera och bygg årets rapport (ORG=id och YEAR=2024 för en viss bok)
	$(BIN)/rapportbok build $(BOOK)

check: bytecode ## Kontrollera årets data (ORG=, YEAR= som för report)
	$(BIN)/rapportbok check $(BOOK)

preview: bytecode ## Visa boken i webbläsaren, byggs om vid varje ändring (ORG=, YEAR=, PORT=8000)
	$(BIN)/rapportbok preview $(BOOK) --port $(PORT)

# The handbook (docs/): Markdown pages only, nothing executed; the command reference and the package map
# are written from the code by docs/_ext/handbok.py first. Warnings (a broken link or anchor) are errors.
.PHONY: docs
docs: $(INSTALLED) ## Bygg handboken (docs/) till docs/_build/html/index.html
	$(BIN)/jupyter-book build docs --builder html --all -W -n --keep-going --quiet
	@echo "Handboken: $(CURDIR)/docs/_build/html/index.html"

$(LAB_INSTALLED): $(INSTALLED) requirements-lab.lock
	$(BIN)/python -m pip install --quiet -r requirements.lock -r requirements-lab.lock
	$(BIN)/python -m ipykernel install --sys-prefix --name python3
	touch $(LAB_INSTALLED)

# The chapter notebooks opened in Lab have no --org or --year: ORG= and YEAR= reach them through the
# environment (RAPPORTBOK_ORG, RAPPORTBOK_YEAR; read by core/book.py notebook_book). A build passes its own.
lab: $(LAB_INSTALLED) ## Öppna kapitlens notebooks i JupyterLab (ORG=id och YEAR=2024 som för report)
	RAPPORTBOK_ORG="$(ORG)" RAPPORTBOK_YEAR="$(YEAR)" $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
	  --ContentsManager.pre_save_hook=rapportbok.authoring.lab.strip_outputs \
	  $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

# The browser tests drive Debian's headless Chromium (chromium-headless-shell; no browser download is
# possible here), and the Excel round trip is saved by LibreOffice Calc as an analyst's spreadsheet would
# (Debian's libreoffice-calc-nogui).
chromium:
	@command -v chromium-headless-shell >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; \
	  else echo "Chromium saknas: kör 'sudo apt-get install chromium-headless-shell' och sedan make test igen."; exit 1; fi; }

libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	  else echo "LibreOffice saknas: kör 'sudo apt-get install libreoffice-calc-nogui' och sedan make test igen."; exit 1; fi; }

test: bytecode chromium libreoffice ## Kör alla tester, även hela böcker i webbläsare (det här kör CI)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=15

# The fast tier: ruff, then the unit, component, property (few examples: the snabb profile) and project
# tests that are not marked slow (one case in N of a few parametrised checks; the rest run in `make
# test`); no whole book, no browser, no notebook. The tiers: see tests/conftest.py. A file stays in one
# process, so a module's fixture (a generated project, a checked year) is made once, not once a process.
test-snabb: bytecode ## Snabba tester medan du arbetar: ruff och enhetstesterna (under en minut)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -q -m "not slow and not e2e" --hypothesis-profile=snabb tests/unit tests/property tests/project

lock: ## Lås beroendena på nytt (requirements.lock) från pyproject.toml
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade "pip>=24"
	.lock-venv/bin/python -m pip install --quiet ".[test]"
	echo "# Generated by 'make lock' from pyproject.toml; install with pip install -r requirements.lock" > requirements.lock
	.lock-venv/bin/python -m pip freeze --exclude rapportbok >> requirements.lock
	.lock-venv/bin/python -m pip install --quiet ".[test,lab]"
	echo "# The optional JupyterLab extra (pip install -e '.[lab]'), on top of requirements.lock; installed by 'make lab' only." > requirements-lab.lock
	.lock-venv/bin/python -m pip freeze --exclude rapportbok | grep -vxF -f requirements.lock >> requirements-lab.lock
	rm -rf .lock-venv

clean: ## Ta bort byggda filer (inte .venv)
	rm -rf _build book/chapters docs/_build
