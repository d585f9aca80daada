# 二つのコマンドで準備からビルド・テストまで: make build / make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# MkDocs and Material print a banner about their future on every run; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test serve check clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

## build: set up the venv from the lock, build site/ (content is validated first) and summarise it
build: $(STAMP)
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
