# sifa — two commands on a fresh machine:
#   make run    the platform with demo data on embedded SQLite at http://127.0.0.1:8000
#   make test   lint, migration check, the whole suite on a throwaway PostgreSQL, SQLite smoke
#   make prod-check   the production settings under gunicorn + worker + PostgreSQL, checked over HTTP
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test prod-check venv lint check-migrations pytest smoke bench system-deps clean help

help:
	@echo "make run    启动演示平台 (SQLite, http://127.0.0.1:$(PORT))"
	@echo "make test   运行全部检查与测试 (PostgreSQL + SQLite 冒烟)"
	@echo "make prod-check  生产配置验收 (gunicorn + 后台任务进程 + PostgreSQL, 数分钟)"
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
	@# The daily KPI facts every minute, as the production timer does (docs/adr/0021).
	@$(PY) manage.py worker & worker=$$!; \
	  (while sleep 60; do $(PY) manage.py stats_rollup >/dev/null; done) & rollup=$$!; \
	  trap 'kill $$worker $$rollup 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# What `make test`, `make bench` and `make prod-check` need from Debian, installed when
# missing: PostgreSQL's server binaries, Chromium (browser tests) and a CJK font (Chinese
# text in the browser's screenshots). `make run` never needs it (nor sudo). A busy package
# manager (unattended-upgrades, another apt) is waited for, not failed on: install waits
# for the dpkg lock (DPkg::Lock::Timeout), and update, whose lists lock that option does
# not cover, is retried for up to ten minutes.
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
system-deps:
	@pkgs=""; \
	if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then pkgs="$$pkgs postgresql"; fi; \
	if [ ! -x /usr/bin/chromium ]; then pkgs="$$pkgs chromium"; fi; \
	if ! { command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; }; then pkgs="$$pkgs fonts-noto-cjk"; fi; \
	[ -z "$$pkgs" ] && exit 0; \
	echo "安装系统软件包：$$pkgs …"; \
	for try in $$(seq 60); do \
	  $(APT_GET) update -qq && break; \
	  [ "$$try" = 60 ] && { echo "apt-get update 失败（软件包管理器一直被占用或无法联网）"; exit 1; }; \
	  echo "软件包管理器正忙，10 秒后重试 apt-get update（$$try/60）…"; sleep 10; \
	done; \
	$(APT_GET) install -y -qq $$pkgs >/dev/null || { echo "无法安装：请手工执行 apt-get install$$pkgs"; exit 1; }

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

# The production settings on this machine: gunicorn (deploy/gunicorn.conf.py), the worker
# and a throwaway PostgreSQL; check --deploy, then a journey over HTTP (tools/prodcheck.py).
prod-check: $(RUNTIME_STAMP) system-deps
	@# No streaming replica: the production check does not use one.
	SIFA_PG_REPLICA=0 $(PY) tools/pgharness.py -- $(PY) tools/prodcheck.py

bench: $(DEV_STAMP) system-deps
	@# No streaming replica: it would take a core from the measurement.
	SIFA_PG_REPLICA=0 $(PY) tools/pgharness.py -- $(PY) -m benchmarks.run $(BENCH_ARGS)

# Mixed load (locust, headless) against gunicorn with the production settings
# on loopback and a throwaway PostgreSQL (no replica: it would share the cores).
.PHONY: bench-load
bench-load: $(DEV_STAMP) system-deps
	SIFA_PG_REPLICA=0 $(PY) tools/pgharness.py -- $(PY) -m benchmarks.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
