#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu machine: system packages when missing, then the venv.
# Usage: scripts/setup.sh [demo|test]   (test also installs what the test suite drives)
set -euo pipefail
cd "$(dirname "$0")/.."
role="${1:-test}"

# system packages: name of a binary or file that proves it is there, and the package
system_parts=(
  "/usr/sbin/mosquitto mosquitto"
  "/usr/include/PCSC/winscard.h libpcsclite-dev"
  "/usr/bin/swig swig"
  "/usr/share/doc/libpangoft2-1.0-0 libpangoft2-1.0-0"  # WeasyPrint's text layout (printed timesheets)
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core"
)
if [ "$role" = test ]; then
  system_parts+=(
    "/usr/sbin/pcscd pcscd"
    "/usr/lib/pcsc/drivers/serial/libifdvpcd.so vsmartcard-vpcd"
    "/usr/sbin/gpsd gpsd"
    "/usr/bin/gpsfake gpsd-clients"
    "/usr/bin/faketime faketime"
    "/usr/bin/chromium chromium"
    "/usr/bin/pg_dump postgresql-client"
    "/usr/bin/make make"
    "/usr/bin/pdftotext poppler-utils"  # the tests read printed timesheets back
    "/usr/bin/cage cage"
    "/usr/bin/Xwayland xwayland"
    "/usr/bin/grim grim"
  )
fi
missing=()
for part in "${system_parts[@]}"; do
  set -- $part
  [ -e "$1" ] || missing+=("$2")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts these as system services on install; our tests and demo run their own.
  for svc in gpsd gpsd.socket pcscd pcscd.socket; do
    $sudo_cmd systemctl disable --now "$svc" >/dev/null 2>&1 || true
  done
fi

stamp=.venv/.installed-$role
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -e "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  if [ "$role" = test ]; then
    .venv/bin/pip install -q -e '.[test]'
  else
    .venv/bin/pip install -q -e '.[hub,kiosk,vehicle]'
  fi
  touch "$stamp"
fi
