#!/usr/bin/env bash
# Refresh the translators' file from the sources, then compile what the desk loads:
#   pyside6-lupdate  intake_app/ui/*.py forms/*.ui  ->  resources/i18n/intake_zh_CN.ts
#   pyside6-lrelease resources/i18n/intake_zh_CN.ts ->  resources/i18n/intake_zh_CN.qm
# New source strings arrive as "unfinished"; translate them in the .ts (Qt Linguist or an
# editor) and run this again. tests/ui/test_translations.py fails while any is unfinished.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bin=.venv/bin
mapfile -t sources < <(ls intake_app/ui/*.py forms/*.ui 2>/dev/null)
for lang in zh_CN; do
  ts="resources/i18n/intake_${lang}.ts"
  "$bin/pyside6-lupdate" -silent -no-obsolete -locations none -target-language "$lang" \
    "${sources[@]}" -ts "$ts"
  "$bin/pyside6-lrelease" -silent "$ts" -qm "resources/i18n/intake_${lang}.qm"
done
