# Shared by installers/install.sh and the .deb maintainer scripts (installed there as
# /usr/share/cusp/setup-lib.sh). POSIX sh. Every function works on a target root
# ($CUSP_ROOT: empty for this machine, or a folder for a throwaway install) and can run
# again without changing what is already right.

: "${CUSP_ROOT:=}"

cusp_say() { printf 'cusp: %s\n' "$*"; }
cusp_die() { printf 'cusp: %s\n' "$*" >&2; exit 1; }

# Numeric id of a user or group in the target root's databases.
cusp_uid() { awk -F: -v n="$1" '$1 == n { print $3 }' "$CUSP_ROOT/etc/passwd"; }
cusp_gid() { awk -F: -v n="$1" '$1 == n { print $3 }' "$CUSP_ROOT/etc/group"; }

# The service user, its group and the drop-folder group, from the sysusers.d snippet.
cusp_users() {
  command -v systemd-sysusers >/dev/null 2>&1 || cusp_die "systemd-sysusers is missing — Cusp needs a systemd-based system (Debian 12, Ubuntu 22.04, RHEL 9 or newer)"
  mkdir -p "$CUSP_ROOT/etc"
  systemd-sysusers --root="${CUSP_ROOT:-/}" "$CUSP_ROOT/usr/lib/sysusers.d/cusp.conf" >/dev/null
}

# Folders with their owners and modes, from the tmpfiles.d snippet. systemd-tmpfiles
# needs /proc; in a bare chroot (an image being built) the snippet's `d` lines are applied
# with install(1) instead, which resolves the owners from the chroot's own user database.
cusp_dirs() {
  snippet="$CUSP_ROOT/usr/lib/tmpfiles.d/cusp.conf"
  if [ -e /proc/self ]; then
    systemd-tmpfiles --root="${CUSP_ROOT:-/}" --create "$snippet"
    return
  fi
  [ -z "$CUSP_ROOT" ] || cusp_die "/proc is not mounted: mount it, or run this inside the root with chroot"
  grep -v '^#' "$snippet" | while read -r type path mode user group _age; do
    [ "$type" = d ] || continue
    install -d -m "$mode" -o "$user" -g "$group" "$path"
  done
}

# A fresh 256-bit database key, once: /etc/cusp/cusp.key, cusp:cusp 0600.
cusp_key() {
  key="$CUSP_ROOT/etc/cusp/cusp.key"
  if [ -e "$key" ]; then
    cusp_say "keeping the existing database key $key"
    return 0
  fi
  tmp="$key.tmp.$$"
  (umask 077 && head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$tmp" && printf '\n' >>"$tmp")
  chown "$(cusp_uid cusp):$(cusp_gid cusp)" "$tmp"
  chmod 0600 "$tmp"
  mv "$tmp" "$key"
  cusp_say "created a new 256-bit database key in $key — keep a copy offline (key escrow): without it no backup can be restored"
}

# /etc/cusp/cusp.yaml from the documented example, once, with the appliance's paths: key
# file, admin socket under /run/cusp, the API on every interface, the drop folder.
cusp_config() {
  example="$1"
  config="$CUSP_ROOT/etc/cusp/cusp.yaml"
  if [ -e "$config" ]; then
    cusp_say "keeping the existing config $config"
    return 0
  fi
  [ -r "$example" ] || cusp_die "the example config $example is missing"
  awk '
    /^folders:/ {
      print "folders:"
      print "  # The drop folder made by the installer (group cusp-drop may write). Add one entry"
      print "  # per scanner share; see the example config for every folder setting."
      print "  - path: /srv/cusp/inbox"
      print "    name: inbox"
      skip = 1; next
    }
    skip && /^[^ ]/ { skip = 0 }
    skip { next }
    /^  keyFile:[ ]*$/ && !key { print "  keyFile: /etc/cusp/cusp.key"; key = 1; next }
    /^  adminSocket:/ { print "  adminSocket: /run/cusp/cusp.sock"; next }
    /^  host:/ && !host { print "  host: 0.0.0.0"; host = 1; next }
    { print }
  ' "$example" >"$config.tmp.$$"
  chown "0:$(cusp_gid cusp)" "$config.tmp.$$"
  chmod 0640 "$config.tmp.$$"
  mv "$config.tmp.$$" "$config"
  cusp_say "wrote $config from the example (API on all interfaces, port 8443; drop folder /srv/cusp/inbox)"
}

# True when systemd runs this machine (not a throwaway root, not a container without it).
cusp_systemd_running() { [ -z "$CUSP_ROOT" ] && [ -d /run/systemd/system ]; }

# The version a cusp binary reports ("cusp 1.2.3 (node …)" → 1.2.3).
cusp_version_of() { "$1" version 2>/dev/null | awk '{ print $2 }'; }

# Refuse to replace a newer cusp by an older one: its database may have a newer schema,
# which the older one cannot read (it refuses to start). $1 installed, $2 new version.
cusp_refuse_downgrade() {
  [ -n "$1" ] && [ -n "$2" ] || return 0
  [ "$1" = "$2" ] && return 0
  newest=$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1)
  if [ "$newest" = "$1" ] && [ "${CUSP_ALLOW_DOWNGRADE:-}" != 1 ]; then
    cusp_die "refusing to downgrade cusp $1 to $2: the data may already use a newer schema that $2 cannot read. Restore a backup made by $2 instead, or set CUSP_ALLOW_DOWNGRADE=1 if you know the schema did not change (the daemon still refuses a newer schema)."
  fi
}

# Enable the unit without a running systemd (an image or chroot being built): it starts
# at the next boot.
cusp_enable_offline() {
  systemctl ${CUSP_ROOT:+--root="$CUSP_ROOT"} enable cusp.service >/dev/null 2>&1
}

# Start (or restart) the service and wait until systemd reports it ready.
cusp_start() {
  systemctl daemon-reload
  systemctl enable cusp.service >/dev/null 2>&1
  if ! systemctl restart cusp.service; then
    journalctl -u cusp.service -n 20 --no-pager -o cat >&2 || true
    cusp_die "the service did not start — the lines above say why (also: journalctl -u cusp)"
  fi
}

# Print the local CA's SHA-256 fingerprint (practice software pins it).
cusp_fingerprint() {
  ca="$CUSP_ROOT/var/lib/cusp/tls/ca.crt"
  i=0
  while [ ! -s "$ca" ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
  if [ -s "$ca" ] && command -v openssl >/dev/null 2>&1; then
    cusp_say "CA fingerprint (SHA-256) for the practice software: $(openssl x509 -noout -fingerprint -sha256 -in "$ca" | cut -d= -f2)"
  elif cusp_systemd_running; then
    journalctl -u cusp.service -o cat --no-pager | grep -o 'CA fingerprint (SHA-256) [0-9A-F:]*' | tail -n 1 | sed 's/^/cusp: /'
  else
    cusp_say "the CA and its fingerprint are created on the first start (journalctl -u cusp | grep fingerprint)"
  fi
}
