#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest (LibreOffice tests included).
set -euo pipefail
cd "$(dirname "$0")"
.venv/bin/ruff check conventum tests tools benchmarks
.venv/bin/ruff format --check conventum tests tools benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
