#!/usr/bin/env bash
# Sets everything up and starts the desk on a local data folder (./data, or INTAKE_DATA_DIR).
# On first start with an empty folder it sets up a demo station with sample cases and prints
# the demo officer's badge and password. Arguments go to intake-app, e.g.
#   bash scripts/start.sh case search 刷单
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export INTAKE_DATA_DIR="${INTAKE_DATA_DIR:-$root/data}"
if [ $# -gt 0 ]; then
  exec .venv/bin/intake-app "$@"
fi
if ! .venv/bin/intake-app status --json | grep -q '"initialised": true'; then
  .venv/bin/intake-app demo
fi
.venv/bin/intake-app status
