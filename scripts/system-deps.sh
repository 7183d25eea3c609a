#!/usr/bin/env bash
# Install the Debian packages the app and its tests need (Qt WebEngine's libraries, Xvfb,
# LibreOffice and GDAL for tests with real files, chromium to open exported HTML maps,
# PostgreSQL (and openssl) for the team-server tests, poppler-utils to read passports back,
# xdotool to click a dialog under Xvfb with the X server's own events).
# Skips what is already there.
# `--bench` adds what only `make bench` uses, never the tests or CI: PyQGIS (python3-qgis and
# its data providers) for the QGIS peer of the open figure (bench/qgis_peer.py). Without it the
# bench row says "QGIS not installed".
set -euo pipefail
packages=(
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libasound2
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libdbus-1-3 libfontconfig1
  fonts-dejavu-core xvfb xauth patchelf gdal-bin libreoffice-calc-nogui chromium postgresql openssl
  poppler-utils xdotool
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-qgis qgis-providers)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "Please install: ${missing[*]}" >&2; exit 1; fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
