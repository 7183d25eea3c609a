#!/usr/bin/env bash
# Pack the PyInstaller folder as a plain tarball (.tar.gz; TARBALL_COMPRESS=xz for .tar.xz):
#   packaging/linux/build-tarball.sh [BUNDLE_DIR [OUT_DIR]]   (default: dist/cluster-desk, dist)
# Unpack anywhere and run cluster-desk/cluster-desk; the system libraries it needs are listed in
# packaging/README.md. Prints the path of the tarball on the last line.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/cluster-desk}" && pwd)"
OUT="${2:-$ROOT/dist}"
NAME=cluster-desk
[ -x "$BUNDLE/$NAME" ] || { echo "build-tarball: $BUNDLE/$NAME not found; run 'make dist' first" >&2; exit 1; }
VERSION="$("$BUNDLE/$NAME" --version | awk '{print $NF}')"
ARCH="$(uname -m)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
# TARBALL_COMPRESS: gz (default, opens everywhere) or xz (about 27 % smaller, a few minutes).
case "${TARBALL_COMPRESS:-gz}" in
    gz) EXT=tar.gz; COMPRESS=(gzip -6n) ;;
    xz) EXT=tar.xz; COMPRESS=(xz -6 -T0) ;;
    *) echo "build-tarball: TARBALL_COMPRESS must be gz or xz" >&2; exit 2 ;;
esac
TARBALL="$OUT/$NAME-$VERSION-linux-$ARCH.$EXT"
# Reproducible-ish: sorted names, numeric root owner, the folder named cluster-desk/.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$(dirname "$BUNDLE")" \
    --transform "s,^$(basename "$BUNDLE"),$NAME," -cf - "$(basename "$BUNDLE")" | "${COMPRESS[@]}" > "$TARBALL"
echo "$TARBALL"
