# 二つのコマンドで準備からビルド・テストまで: make build / make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve check clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

## build: set up the venv from the lock, check the content and build site/
build: $(STAMP)
	$(BIN)/hub check
	$(BIN)/mkdocs build --strict
	$(BIN)/hub summary

## test: set up the venv and run every test
test: $(STAMP)
	$(BIN)/pytest

## serve: live preview at http://127.0.0.1:8000/
serve: $(STAMP)
	$(BIN)/mkdocs serve

## check: validate content only
check: $(STAMP)
	$(BIN)/hub check

clean:
	rm -rf site .site.* $(VENV)
