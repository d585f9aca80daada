# 二つのコマンドで準備からビルド・テストまで: make build / make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm's own record of what `npm ci` installed: browser-test tools (axe-core, the Nu HTML Checker) and more.
NODE_STAMP := node_modules/.package-lock.json
# MkDocs and Material print a banner about their future on every run; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test serve check clean linkcheck cms bench

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm がないため node_modules（axe-core、Nu HTML Checker、Sveltia CMS）を入れられません（apt-get install -y npm）"; fi

## build: set up the venv from the lock, build site/ (content is validated first) and summarise it
build: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs build --strict
	$(BIN)/hub summary

## test: set up the venv and run every test, one test file at a time on each core
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest -n auto --dist loadfile

## serve: live preview at http://127.0.0.1:8000/
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

## cms: the editing UI at http://127.0.0.1:8000/hub/admin/ :「ローカルリポジトリで作業」 edits content/ here (Chrome or Edge); the preview beside it
cms: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs serve --dirty

## bench: build synthetic sites of N = 100, 1,000, 3,000 and 5,000 cases (plus events, talents, cafes) against bare MkDocs, the hub twice, each the median of three runs, then the targets with pass/miss (~25 min on 2 cores)
bench: $(STAMP)
	$(BIN)/python scripts/bench --repeat 3

## check: validate content only
check: $(STAMP)
	$(BIN)/hub check

## linkcheck: build, then check every external link (opt-in: needs the network; not part of CI)
linkcheck: build $(VENV)/.linkchecker
	$(BIN)/python scripts/linkcheck.py

$(VENV)/.linkchecker: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[linkcheck]"
	touch $@

clean:
	rm -rf site .site.* .cache/hub $(VENV)
