#!/usr/bin/env bash
# Regenerates the README's screenshots in docs/screenshots/ from a demo station, offscreen.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
mkdir -p docs/screenshots
for lang in zh_CN en; do
  for page in report cases stop_payment statistics; do
    .venv/bin/intake-app --demo --lang "$lang" --page "$page" \
      --screenshot "docs/screenshots/${page}-${lang}.png"
  done
done

# The printed documents, from a demo case, as PNG pages (poppler's pdftoppm).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export INTAKE_DATA_DIR="$tmp/data" INTAKE_PASSWORD=demo-officer-2026
.venv/bin/intake-app demo --cases 5 >/dev/null
# Exports need a supervisor (the demo's 100003).
INTAKE_PASSWORD=demo-super-2026 .venv/bin/intake-app case export -o "$tmp/cases.jsonl" \
    --officer 100003 >/dev/null 2>&1
case_no="$(head -n1 "$tmp/cases.jsonl" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["case_no"])')"
.venv/bin/intake-app receipt "$case_no" -o "$tmp/receipt.pdf" --officer 100002 >/dev/null
.venv/bin/intake-app case form "$case_no" -o "$tmp/case-form.pdf" --officer 100002 >/dev/null
# The stop-payment request sheet of the demo case whose payees use the most banks.
sheet_case="$(.venv/bin/intake-app stop-payment list --json --officer 100002 | .venv/bin/python -c '
import collections, json, sys
banks = collections.defaultdict(set)
for item in json.load(sys.stdin):
    banks[item["case_no"]].add(item["payee_bank"])
print(max(banks, key=lambda case_no: (len(banks[case_no]), case_no)))')"
.venv/bin/intake-app stop-payment "$sheet_case" -o "$tmp/stop-payment-sheet.pdf" --officer 100002 >/dev/null
pdftoppm -png -r 80 -singlefile "$tmp/receipt.pdf" docs/screenshots/receipt
pdftoppm -png -r 80 -singlefile "$tmp/stop-payment-sheet.pdf" docs/screenshots/stop-payment-sheet
pdftoppm -png -r 80 -singlefile "$tmp/case-form.pdf" docs/screenshots/case-form
.venv/bin/intake-app report monthly --month "$(date +%Y-%m)" -o "$tmp/monthly.pdf" --officer 100002 >/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/monthly.pdf" docs/screenshots/monthly-report
ls -l docs/screenshots
