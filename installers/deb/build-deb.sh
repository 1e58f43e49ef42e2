#!/bin/sh
# Build the Debian package from the single executable with dpkg-deb:
#
#   installers/deb/build-deb.sh [--binary FILE] [--out FILE]
#
# Default: installers/out/cusp → installers/out/cusp_<version>_amd64.deb. The version is
# package.json's. Files are owned by root in the package (--root-owner-group).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
INSTALLERS=$(dirname "$HERE")
REPO=$(dirname "$INSTALLERS")
BINARY="$INSTALLERS/out/cusp"
VERSION=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$REPO/package.json" | head -n 1)
OUT="$INSTALLERS/out/cusp_${VERSION}_amd64.deb"
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --version) VERSION="$2"; shift 2 ;;
    *) echo "build-deb.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$BINARY" ] || { echo "build-deb.sh: no executable at $BINARY — run 'npm run package' first" >&2; exit 1; }
STAGE=$(mktemp -d)
chmod 0755 "$STAGE"
trap 'rm -rf "$STAGE"' EXIT
install -D -m 0755 "$BINARY" "$STAGE/usr/bin/cusp"
install -D -m 0644 "$REPO/systemd/cusp.service" "$STAGE/usr/lib/systemd/system/cusp.service"
install -D -m 0644 "$REPO/systemd/cusp.sysusers" "$STAGE/usr/lib/sysusers.d/cusp.conf"
install -D -m 0644 "$REPO/systemd/cusp.tmpfiles" "$STAGE/usr/lib/tmpfiles.d/cusp.conf"
install -D -m 0644 "$REPO/config/cusp.example.yaml" "$STAGE/usr/share/cusp/cusp.example.yaml"
install -D -m 0644 "$INSTALLERS/setup-lib.sh" "$STAGE/usr/share/cusp/setup-lib.sh"
install -D -m 0644 "$REPO/README.md" "$STAGE/usr/share/doc/cusp/README.md"
mkdir -p "$STAGE/DEBIAN"
sed "s/@VERSION@/$VERSION/g" "$HERE/control.in" >"$STAGE/DEBIAN/control"
printf 'Installed-Size: %s\n' "$(du -sk "$STAGE/usr" | cut -f1)" >>"$STAGE/DEBIAN/control"
for script in preinst postinst prerm postrm; do
  sed "s/@VERSION@/$VERSION/g" "$HERE/$script" >"$STAGE/DEBIAN/$script"
  chmod 0755 "$STAGE/DEBIAN/$script"
done
mkdir -p "$(dirname "$OUT")"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "built $OUT"
