# sifa — two commands on a fresh machine:
#   make run    the platform with demo data on embedded SQLite at http://127.0.0.1:8000
#   make test   lint, migration check, the whole suite on a throwaway PostgreSQL, SQLite smoke
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test venv lint check-migrations pytest smoke bench system-deps clean help

help:
	@echo "make run    启动演示平台 (SQLite, http://127.0.0.1:$(PORT))"
	@echo "make test   运行全部检查与测试 (PostgreSQL + SQLite 冒烟)"
	@echo "make bench  性能基准 (benchmarks/)"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python ≥ 3.11"' || { echo "需要 Python ≥ 3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	@rm -f $(VENV)/.runtime-*; touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.dev-* $(VENV)/.runtime-*; touch $@ $(RUNTIME_STAMP)

venv: $(RUNTIME_STAMP)

run: $(RUNTIME_STAMP)
	@mkdir -p "$${SIFA_VAR_DIR:-var}"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "→ http://127.0.0.1:$(PORT)  (后台任务进程 manage.py worker 同时运行；Ctrl+C 一并停止)"
	@# The worker beside the web server (imports, exports, reports; docs/adr/0018),
	@# stopped whenever runserver exits, however it exits.
	@$(PY) manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# PostgreSQL server binaries and Debian's Chromium, installed when missing.
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  echo "安装 PostgreSQL …"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
	  || { echo "无法安装 PostgreSQL：请手工执行 apt-get install postgresql"; exit 1; }; fi
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "安装 Chromium（浏览器测试）…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	  || { echo "无法安装 Chromium：请手工执行 apt-get install chromium"; exit 1; }; fi

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/importlint.py

check-migrations: $(DEV_STAMP)
	@# An in-memory database: the check needs no file, and a fresh checkout has no var/.
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: $(DEV_STAMP) system-deps
	$(PY) tools/pgharness.py -- $(PY) -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

smoke: $(DEV_STAMP)
	DATABASE_URL= SIFA_DB=sqlite $(PY) -m pytest -m smoke -p no:cacheprovider -q

test: lint check-migrations pytest smoke

bench: $(DEV_STAMP) system-deps
	$(PY) tools/pgharness.py -- $(PY) -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
