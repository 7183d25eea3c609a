#!/usr/bin/env bash
# Build the Debian package from the PyInstaller folder:
#   packaging/linux/build-deb.sh [BUNDLE_DIR [OUT_DIR]]      (default: dist/cluster-desk, dist)
# Installs to /opt/cluster-desk with /usr/bin/cluster-desk, a desktop entry, icons, and the
# application/x-cluster-desk (*.cdesk) MIME type. Prints the path of the .deb on the last line.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/cluster-desk}" && pwd)"
OUT="${2:-$ROOT/dist}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3
NAME=cluster-desk

[ -x "$BUNDLE/$NAME" ] || { echo "build-deb: $BUNDLE/$NAME not found; run 'make dist' first" >&2; exit 1; }
# The version comes from the built app itself (cluster_desk.__version__ frozen into it).
VERSION="$("$BUNDLE/$NAME" --version | awk '{print $NF}')"
[ -n "$VERSION" ] || { echo "build-deb: cannot read the version from $BUNDLE/$NAME --version" >&2; exit 1; }
DEB_VERSION="${VERSION//-/\~}"   # 1.0.0-rc1 -> 1.0.0~rc1 (sorts before 1.0.0)
ARCH="$(dpkg --print-architecture)"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/root"

install -d -m 755 "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/share/mime/packages" "$PKG/usr/share/icons/hicolor" "$PKG/usr/share/doc/$NAME" \
    "$PKG/usr/share/lintian/overrides"
cp -a "$BUNDLE" "$PKG/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$PKG/usr/bin/$NAME"
install -m 644 "$HERE/cluster-desk.desktop" "$PKG/usr/share/applications/$NAME.desktop"
install -m 644 "$HERE/cluster-desk-mime.xml" "$PKG/usr/share/mime/packages/$NAME.xml"
"$PY" "$HERE/render-icons.py" "$PKG/usr/share/icons/hicolor" >/dev/null
install -m 644 "$HERE/copyright" "$PKG/usr/share/doc/$NAME/copyright"
{
    echo "$NAME ($DEB_VERSION) unstable; urgency=medium"
    echo
    echo "  * Cluster Desk $VERSION (built from build.spec)."
    echo
    echo " -- Cluster Desk maintainers <cluster-desk@example.org>  $(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
} | gzip -9n > "$PKG/usr/share/doc/$NAME/changelog.gz"
install -m 644 "$HERE/lintian-overrides" "$PKG/usr/share/lintian/overrides/$NAME"

# Permissions: directories and data 755/644, executables (the app, Chromium's helper) 755,
# shared libraries 644 (they need no execute bit).
find "$PKG" -type d -exec chmod 755 {} +
find "$PKG" -type f -exec chmod 644 {} +
chmod 755 "$PKG/opt/$NAME/$NAME"
find "$PKG/opt/$NAME" -type f -name QtWebEngineProcess -exec chmod 755 {} +

DEPENDS="$(grep -v '^\s*#' "$HERE/system-libs.txt" | awk 'NF == 2 {print $2}' | sort -u \
    | sed 's/|/ | /g' | paste -sd, - | sed 's/,/, /g')"
INSTALLED_KB="$(du -sk --apparent-size "$PKG" | cut -f1)"
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: Cluster Desk maintainers <cluster-desk@example.org>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: fonts-dejavu-core | fonts-liberation, shared-mime-info, desktop-file-utils
Section: science
Priority: optional
Homepage: https://example.org/cluster-desk
Description: economic cluster roster on an offline map
 Cluster Desk keeps an economic cluster's roster (firms, universities,
 authorities, the cluster organisation) on an offline world map, and checks
 it against what cluster research asks for: critical mass, geographic
 concentration, the triple helix, links between members.
 .
 Self-contained build with its own Python and Qt WebEngine; it makes no
 network requests. Run "cluster-desk --self-test" to check an installation.
CONTROL
install -m 755 "$HERE/postinst" "$PKG/DEBIAN/postinst"
install -m 755 "$HERE/postrm" "$PKG/DEBIAN/postrm"

mkdir -p "$OUT"
DEB="$OUT/${NAME}_${DEB_VERSION}_${ARCH}.deb"
# DEB_COMPRESS: xz (default: smallest download; a few minutes on 2 cores), gzip, zstd or none
# (quick, for tests).
dpkg-deb --root-owner-group "-Z${DEB_COMPRESS:-xz}" --build "$PKG" "$DEB" >/dev/null
echo "$DEB"
