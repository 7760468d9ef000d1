#!/usr/bin/env bash
# Builds the desk's one-folder bundle with PyInstaller (build_installer.spec):
#   bash scripts/build_installer.sh [--dist DIR] [--work DIR]
# Sets up .venv as scripts/setup.sh does, builds into dist/intake-desk/ (or DIR/intake-desk/),
# then prints the programs and the bundle's size. Run the window with dist/intake-desk/intake-desk,
# the command line with dist/intake-desk/intake-app.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dist="$root/dist"
work="$root/build"
while (($#)); do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "usage: bash scripts/build_installer.sh [--dist DIR] [--work DIR]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "$work" build_installer.spec
bundle="$dist/intake-desk"
echo "Built $bundle (version $(cat "$bundle/VERSION")) in $(( $(date +%s) - start )) s"
ls -1 "$bundle" | grep -vE '^(_internal|VERSION)$' | sed 's/^/  program: /'
echo "Size unpacked: $(du -sh "$bundle" | cut -f1)"
