#!/usr/bin/env bash
# Sets everything up, then runs the linters, the type checker and the whole test suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not slow"`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check intake_app tests bench
.venv/bin/mypy
# Both cores: the suite is mostly independent processes and temporary folders.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
