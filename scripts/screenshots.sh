#!/usr/bin/env bash
# Regenerates the README's screenshots in docs/screenshots/ from a demo station, offscreen.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
mkdir -p docs/screenshots
for lang in zh_CN en; do
  for page in report cases; do
    .venv/bin/intake-app --demo --lang "$lang" --page "$page" \
      --screenshot "docs/screenshots/${page}-${lang}.png"
  done
done
ls -l docs/screenshots
