#!/usr/bin/env bash
# Sets everything up and opens the desk's window on a local data folder (./data, or
# INTAKE_DATA_DIR). An empty folder starts with the first-run set-up of the station.
#   bash scripts/start.sh            the desk on ./data
#   bash scripts/start.sh --demo     a throwaway demo station with sample cases
#   bash scripts/start.sh case search 刷单 --officer 100002    any intake-app command
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export INTAKE_DATA_DIR="${INTAKE_DATA_DIR:-$root/data}"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec .venv/bin/intake-app "$@"  # a command, not a window option
fi
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
  echo "No screen found (DISPLAY is not set). The command line works without one:" >&2
  echo "  bash scripts/start.sh status    |    bash scripts/start.sh --help" >&2
  echo "or open the window on a virtual screen: xvfb-run bash scripts/start.sh --demo" >&2
  exit 1
fi
exec .venv/bin/intake-app "$@"
