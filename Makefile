# Two commands: `make run` and `make test`. Everything else they need is set up on the way.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := demo/kazan-auto.cdesk
PLACES_DB := maps/places/places.sqlite

.PHONY: run compile test lint bench bench-growth bench-system screenshot translations dist clean setup system

setup: $(STAMP)

system:
	bash scripts/system-deps.sh

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The place index (FTS5 + R*Tree), built from the shipped GeoNames source; 48 MB, not in git.
$(PLACES_DB): maps/places/places.tsv.gz cluster_desk/places/build_db.py | $(STAMP)
	$(PY) -m cluster_desk.places.build_db

$(DEMO): | $(STAMP)
	mkdir -p demo
	$(PY) -m cluster_desk demo $(DEMO)

# Bytecode compiled ahead, as an installed wheel has it: where PYTHONDONTWRITEBYTECODE is set
# (this CI machine), every start would compile the sources again (~0.15-0.5 s of CPU).
compile: $(STAMP)
	$(PY) -m compileall -q cluster_desk

run: $(STAMP) $(PLACES_DB) $(DEMO) compile
	$(PY) -m cluster_desk $(DEMO)

# Two workers (pytest-xdist), one test file each at a time (module fixtures are built once), files
# handed out in collection order so the frozen bundle's file comes last (tests/conftest.py).
test: lint $(PLACES_DB)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(VENV)/bin/ruff check cluster_desk tests bench scripts packaging
	$(VENV)/bin/mypy cluster_desk/core cluster_desk/store

bench: $(STAMP) $(PLACES_DB) compile  # writes bench/RESULTS.md; BENCH_ARGS="--huge" adds 1,000,000
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_bench.py $(BENCH_ARGS)

bench-growth: $(STAMP)  # bench/GROWTH.md: every operation's growth exponent; GROWTH_ARGS=--huge adds 1,000,000
	QT_QPA_PLATFORM=offscreen flock /tmp/cdesk-1m.lock $(PY) bench/growth.py $(GROWTH_ARGS)

bench-system:  # optional, bench only (never CI): PyQGIS for the QGIS peer of open -> painted
	bash scripts/system-deps.sh --bench

screenshot: $(STAMP) $(DEMO)
	QT_QPA_PLATFORM=offscreen $(PY) -m cluster_desk.ui.screenshot $(DEMO) screenshot.png

translations: $(STAMP)  # after adding user text: update the .ts, translate (ru; en plural forms), run again
	$(VENV)/bin/pyside6-lupdate $$(find cluster_desk -name "*.py" | sort) -ts resources/translations/cluster_desk_ru.ts -no-obsolete
	$(VENV)/bin/pyside6-lupdate $$(find cluster_desk -name "*.py" | sort) -ts resources/translations/cluster_desk_en.ts -no-obsolete -pluralonly
	$(VENV)/bin/pyside6-lrelease resources/translations/cluster_desk_ru.ts -qm resources/translations/cluster_desk_ru.qm
	$(VENV)/bin/pyside6-lrelease resources/translations/cluster_desk_en.ts -qm resources/translations/cluster_desk_en.qm

clean:
	rm -rf build dist demo .pytest_cache .mypy_cache .ruff_cache

# Installers (packaging/README.md). `dist`: the app folder dist/cluster-desk/ from build.spec;
# `deb` and `tarball` pack that folder (Linux). CLUSTER_DESK_PRUNE=0 builds without pruning.
.PHONY: deb tarball
dist: $(STAMP) $(PLACES_DB)
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build build.spec
	du -sh dist/cluster-desk

deb: dist
	deb=$$(PYTHON=$(PY) bash packaging/linux/build-deb.sh dist/cluster-desk dist) && \
	  dpkg-deb --info "$$deb" && ls -l "$$deb"

tarball: dist
	tarball=$$(bash packaging/linux/build-tarball.sh dist/cluster-desk dist) && ls -l "$$tarball"
