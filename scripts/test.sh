#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run it all:
# lint, type check, and pytest (unit, CLI, browser, server and notebook tests).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k catalogue`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages for the browser tests (chromium) and the SPARQL server tests (Virtuoso).
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v virtuoso-t >/dev/null 2>&1 || need="$need virtuoso-opensource-7-bin"
if [ -n "$need" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  else
    echo "note: missing system packages:$need (install them with apt-get as root); their tests will skip" >&2
  fi
fi

# The project and its test tools, in a virtual environment of its own.
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

.venv/bin/ruff check src tests benchmarks scripts tools data/sources
.venv/bin/ruff format --check src tests benchmarks scripts tools data/sources
.venv/bin/mypy src
exec .venv/bin/python -m pytest "$@"
