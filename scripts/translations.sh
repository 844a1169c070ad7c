#!/usr/bin/env bash
# The gettext catalogs of the hub (src/hub/translations) and the kiosk (src/kiosk/translations).
# Usage: scripts/translations.sh [update|compile]
#   update:  extract the marked strings (babel.cfg) and merge them into each language's .po
#   compile: compile each .po to the .mo the programs read (committed, so a clean clone has them)
# tests/unit/test_translations.py fails when a marked string has no Spanish or a .mo is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=${PYBABEL:-.venv/bin/pybabel}
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
for package in hub kiosk; do
  dir=src/$package/translations
  case "${1:-compile}" in
    update)
      "$pybabel" -q extract -F babel.cfg -k lazy_gettext -k _l -k N_ --no-location --sort-output \
        --project DepotClock -o "$pot" "src/$package"
      "$pybabel" -q update -i "$pot" -d "$dir" --no-fuzzy-matching --ignore-obsolete -w 120 ;;  # the width the catalogs are kept at
    compile)
      "$pybabel" -q compile -d "$dir" ;;
    *) echo "usage: $0 [update|compile]" >&2; exit 2 ;;
  esac
done
