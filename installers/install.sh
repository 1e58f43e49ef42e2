#!/bin/sh
# Install (or upgrade) Cusp on this server from the single executable:
#
#   sudo installers/install.sh [--binary FILE] [--root DIR] [--no-start]
#
# Idempotent: users and folders are made once with their owners and modes, a fresh
# 256-bit key and /etc/cusp/cusp.yaml (from config/cusp.example.yaml) only when missing,
# then the unit is enabled and started and the CA fingerprint printed. An upgrade first
# writes a backup with the installed version, keeps all data, and the new daemon applies
# its migrations at start; a downgrade is refused. --root installs into a folder instead
# of this machine (used by the tests; nothing is started then).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
BINARY="$HERE/out/cusp"
ROOT=""
START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --root) ROOT=$(cd "$2" && pwd); shift 2 ;;
    --no-start) START=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) printf 'install.sh: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done

CUSP_ROOT="$ROOT"
. "$HERE/setup-lib.sh"

[ "$(id -u)" = 0 ] || cusp_die "run install.sh as root (sudo)"
[ -x "$BINARY" ] || cusp_die "no executable at $BINARY — build it with 'npm run package' or pass --binary FILE"
NEW=$(cusp_version_of "$BINARY")
[ -n "$NEW" ] || cusp_die "$BINARY does not run on this machine (it needs linux-x64 with glibc 2.34 or newer)"
BIN="$CUSP_ROOT/usr/local/bin/cusp"
OLD=""
[ -x "$BIN" ] && OLD=$(cusp_version_of "$BIN")
cusp_refuse_downgrade "$OLD" "$NEW"

install -D -m 0644 "$REPO/systemd/cusp.sysusers" "$CUSP_ROOT/usr/lib/sysusers.d/cusp.conf"
install -D -m 0644 "$REPO/systemd/cusp.tmpfiles" "$CUSP_ROOT/usr/lib/tmpfiles.d/cusp.conf"
cusp_users
cusp_dirs

if [ -n "$OLD" ] && [ "$OLD" != "$NEW" ] && [ -e "$CUSP_ROOT/var/lib/cusp/cusp.db" ] && [ -z "$CUSP_ROOT" ]; then
  SAVE="/var/lib/cusp/backups/pre-upgrade-$OLD-$(date -u +%Y%m%d-%H%M%S).cuspbak"
  "$BIN" backup "$SAVE" --config /etc/cusp/cusp.yaml || cusp_die "the backup before the upgrade failed; nothing was changed"
fi

install -D -m 0755 -o 0 -g 0 "$BINARY" "$BIN.new"
mv -f "$BIN.new" "$BIN"
install -D -m 0644 "$REPO/config/cusp.example.yaml" "$CUSP_ROOT/usr/local/share/cusp/cusp.example.yaml"
cusp_config "$CUSP_ROOT/usr/local/share/cusp/cusp.example.yaml"
cusp_key
mkdir -p "$CUSP_ROOT/etc/systemd/system"
sed 's#/usr/bin/cusp#/usr/local/bin/cusp#' "$REPO/systemd/cusp.service" >"$CUSP_ROOT/etc/systemd/system/cusp.service.tmp"
chmod 0644 "$CUSP_ROOT/etc/systemd/system/cusp.service.tmp"
mv -f "$CUSP_ROOT/etc/systemd/system/cusp.service.tmp" "$CUSP_ROOT/etc/systemd/system/cusp.service"
cusp_say "installed cusp $NEW${OLD:+ (was $OLD)} as $BIN"

if [ "$START" = 1 ] && cusp_systemd_running; then
  cusp_start
  cusp_say "cusp.service is enabled and running"
  cusp_fingerprint
  cusp_say "next: create a token for the practice software: sudo cusp token create --name pms --role integration"
elif [ "$START" = 1 ] && cusp_enable_offline; then
  cusp_say "installed and enabled${CUSP_ROOT:+ in $CUSP_ROOT}: it starts at the next boot (or now: systemctl start cusp)"
else
  cusp_say "not started${CUSP_ROOT:+ (installed into $CUSP_ROOT)}; start it with: systemctl enable --now cusp"
fi
