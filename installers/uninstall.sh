#!/bin/sh
# Remove Cusp from this server:
#
#   sudo installers/uninstall.sh [--purge] [--root DIR]
#
# Stops and disables the service and removes the executable, the unit and the snippets.
# The config and key (/etc/cusp), the data (/var/lib/cusp: database, audit trail,
# backups) and the drop folders (/srv/cusp) are kept unless --purge is given; --purge
# also removes the cusp user and groups, and keeps a drop folder that still holds files.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=""
PURGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) PURGE=1; shift ;;
    --root) ROOT=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) printf 'uninstall.sh: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done
CUSP_ROOT="$ROOT"
. "$HERE/setup-lib.sh"
[ "$(id -u)" = 0 ] || cusp_die "run uninstall.sh as root (sudo)"

if cusp_systemd_running; then
  systemctl disable --now cusp.service 2>/dev/null || true
fi
rm -f "$CUSP_ROOT/etc/systemd/system/cusp.service" "$CUSP_ROOT/usr/local/bin/cusp" \
  "$CUSP_ROOT/usr/lib/sysusers.d/cusp.conf" "$CUSP_ROOT/usr/lib/tmpfiles.d/cusp.conf"
rm -rf "$CUSP_ROOT/usr/local/share/cusp"
cusp_systemd_running && systemctl daemon-reload
cusp_say "removed the cusp executable and service"

if [ "$PURGE" = 1 ]; then
  rm -rf "$CUSP_ROOT/etc/cusp" "$CUSP_ROOT/var/lib/cusp"
  rmdir "$CUSP_ROOT/srv/cusp/inbox" "$CUSP_ROOT/srv/cusp" 2>/dev/null || cusp_say "kept $CUSP_ROOT/srv/cusp: it still holds files no scan was taken from"
  userdel ${CUSP_ROOT:+--root "$CUSP_ROOT"} cusp 2>/dev/null || true
  groupdel ${CUSP_ROOT:+--root "$CUSP_ROOT"} cusp-drop 2>/dev/null || true
  groupdel ${CUSP_ROOT:+--root "$CUSP_ROOT"} cusp 2>/dev/null || true
  cusp_say "purged the config, key and data"
else
  cusp_say "kept /etc/cusp (config and key), /var/lib/cusp (database, audit trail, backups) and /srv/cusp — remove them with --purge"
fi
