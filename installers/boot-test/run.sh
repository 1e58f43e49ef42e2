#!/bin/bash
# `npm run test:boot`: boot a Debian 12 VM under a real systemd with Cusp's .deb installed
# and check the unit live — readiness (Type=notify), LoadCredential, the sandbox and syscall
# filter, restart, a scan through the drop folder, the .deb's maintainer scripts in a bare
# chroot and under systemd, the watchdog. Prints one PASS/FAIL line per property and exits
# non-zero on any FAIL. Results: CUSPCHECK lines in $B/cuspcheck-serial.log.
#
#   installers/boot-test/run.sh [--repo DIR] [--rebuild] [--fresh-root] [--no-kvm]
#
# Needs root, qemu-system-x86, debootstrap and e2fsprogs (installed when missing), the
# npm toolchain (installers/toolchain) for the executable, and Debian's mirror. About 6
# minutes under software emulation (KVM is used when the CPU offers it). Reuses $B/root
# (debootstrap) and $B/cusp between runs. Not part of `npm test`: it needs root and minutes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
B=${CUSP_BOOT_DIR:-${TMPDIR:-/tmp}/cusp-boot}
REPO=$(cd "$HERE/../.." && pwd)
REBUILD=0; FRESH=0; KVM=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) REPO=$2; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    --fresh-root) FRESH=1; shift ;;
    --no-kvm) KVM=no; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ROOT=$B/root
mkdir -p "$B"
T_ALL=$(date +%s)
exec > >(tee "$B/run.log") 2>&1
ts() { echo "[$(date +%T)] $*"; }
for tool in qemu-system-x86_64 debootstrap mke2fs debugfs; do
  command -v $tool >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-system-x86 debootstrap e2fsprogs; break; }
done

# 1. The executable and the .deb (the build writes only the git-ignored installers/out/app).
if [ $REBUILD = 1 ] || [ ! -x "$B/cusp" ]; then
  ts "building the executable"
  [ -d "$REPO/installers/toolchain/node_modules" ] || npm ci --prefix "$REPO/installers/toolchain"
  (cd "$REPO" && node installers/build-executable.mjs --output "$B/cusp")
fi
ts "building the .deb"
"$REPO/installers/deb/build-deb.sh" --binary "$B/cusp" --out "$B/cusp.deb"

# 2. The root file system.
if [ $FRESH = 1 ]; then rm -rf "$ROOT"; fi
if [ ! -e "$ROOT/.debootstrap-done" ]; then
  rm -rf "$ROOT"
  ts "debootstrap bookworm"
  t=$(date +%s)
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,udev,linux-image-amd64,initramfs-tools,ca-certificates,curl,iproute2,openssl,dbus \
    bookworm "$ROOT" http://deb.debian.org/debian
  touch "$ROOT/.debootstrap-done"
  ts "debootstrap took $(( $(date +%s) - t )) s"
fi

# Machine settings (idempotent).
echo cusp-vm >"$ROOT/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$ROOT/etc/fstab"
: >"$ROOT/etc/machine-id"   # generated on first boot
grep -q '^virtio_blk' "$ROOT/etc/initramfs-tools/modules" || printf 'virtio_blk\nvirtio_pci\next4\n' >>"$ROOT/etc/initramfs-tools/modules"
if [ ! -e "$ROOT/.initramfs-done" ]; then
  chroot "$ROOT" update-initramfs -u -k all
  touch "$ROOT/.initramfs-done"
fi
mkdir -p "$ROOT/var/log/journal"   # keep the journal on disk, for reading it back afterwards

# 3. Install the .deb in the chroot, as an image build would (no running systemd there).
# Start from a root without cusp, so every run tests the first install.
if chroot "$ROOT" dpkg -s cusp >/dev/null 2>&1; then
  chroot "$ROOT" dpkg --purge cusp >/dev/null 2>&1 || true
fi
rm -rf "$ROOT/etc/systemd/system/multi-user.target.wants/cusp.service" "$ROOT/etc/systemd/system/cusp.service.d" "$ROOT/etc/cusp" "$ROOT/var/lib/cusp" "$ROOT/srv/cusp" "$ROOT/var/log/journal/"* "$ROOT/root/cuspcheck.log" "$ROOT/root/journal-"*.txt
cp "$B/cusp.deb" "$ROOT/root/cusp.deb"
ts "dpkg -i in the chroot (no /proc, as after a bare debootstrap)"
set +e
umount "$ROOT/proc" 2>/dev/null
chroot "$ROOT" dpkg -i /root/cusp.deb 2>&1 | tee "$B/dpkg-chroot.log"
if ! chroot "$ROOT" dpkg -s cusp 2>/dev/null | grep -q '^Status: install ok installed'; then
  ts "the postinst failed without /proc; again with /proc mounted (dpkg --configure cusp)"
  mount -t proc proc "$ROOT/proc"
  chroot "$ROOT" dpkg --configure cusp 2>&1 | tee -a "$B/dpkg-chroot.log"
  umount "$ROOT/proc"
fi
set -e
chroot "$ROOT" dpkg -s cusp | grep '^Status' | tee -a "$B/dpkg-chroot.log"
ls -la "$ROOT/etc/cusp" "$ROOT/var/lib/cusp" "$ROOT/srv/cusp" 2>&1 | tee -a "$B/dpkg-chroot.log"
chroot "$ROOT" systemctl is-enabled cusp.service 2>&1 | sed 's/^/chroot: is-enabled after dpkg: /' | tee -a "$B/dpkg-chroot.log" || true

# 4. The check unit.
install -m 0755 "$HERE/check.sh" "$ROOT/usr/local/sbin/cusp-boot-check"
cat >"$ROOT/etc/systemd/system/cusp-boot-check.service" <<'EOF'
[Unit]
Description=Cusp boot check
After=cusp.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/cusp-boot-check
StandardOutput=journal+console
TimeoutStartSec=20min

[Install]
WantedBy=multi-user.target
EOF
chroot "$ROOT" systemctl enable cusp-boot-check.service
# No login prompt on the serial line, so the log stays readable.
chroot "$ROOT" systemctl mask serial-getty@ttyS0.service >/dev/null 2>&1 || true

# 5. The disk image (no mount needed).
KERNEL=$(ls "$ROOT"/boot/vmlinuz-* | sort -V | tail -n 1)
INITRD=$(ls "$ROOT"/boot/initrd.img-* | sort -V | tail -n 1)
ts "building disk.img"
t=$(date +%s)
rm -f "$B/disk.img"
mke2fs -q -t ext4 -L cusproot -d "$ROOT" "$B/disk.img" 4G
ts "image took $(( $(date +%s) - t )) s"

# 6. Boot.
ACCEL="-accel tcg,thread=multi"; CPU=max
kvm_works() { # /dev/kvm can exist without nested virtualisation (no vmx/svm): then a KVM
  # guest hangs silently. KVM counts as working when the kernel prints its banner within 20 s.
  [ -w /dev/kvm ] && grep -q -w -E 'vmx|svm' /proc/cpuinfo || return 1
  rm -f "$B/kvm-probe.log"
  timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256 -kernel "$KERNEL" -append 'console=ttyS0' \
    -display none -monitor none -nic none -serial file:"$B/kvm-probe.log" -no-reboot >/dev/null 2>&1 || true
  grep -q 'Linux version' "$B/kvm-probe.log" 2>/dev/null
}
if [ $KVM != no ] && kvm_works; then ACCEL="-accel kvm"; CPU=host; fi
ts "booting ($ACCEL)"
rm -f "$B/serial.log"
t=$(date +%s)
set +e
timeout 1500 qemu-system-x86_64 $ACCEL -cpu $CPU -m 2048 -smp 2 \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append 'root=/dev/vda rw console=ttyS0 systemd.unit=multi-user.target systemd.show_status=1' \
  -drive file="$B/disk.img",format=raw,if=virtio \
  -nic none -display none -monitor none -serial file:"$B/serial.log" -no-reboot
QRC=$?
set -e
ts "VM ran $(( $(date +%s) - t )) s (qemu rc=$QRC)"

# 7. Results.
for f in cuspcheck.log journal-full.txt journal-cusp.txt; do
  debugfs -R "dump /root/$f $B/$f" "$B/disk.img" >/dev/null 2>&1 || true
done
grep -a '^CUSPCHECK' "$B/serial.log" | tr -d '\r' >"$B/cuspcheck-serial.log" || true
echo "---- CUSPCHECK ($(wc -l <"$B/cuspcheck-serial.log") lines; also $B/cuspcheck.log)"
cat "$B/cuspcheck-serial.log"
ts "whole script $(( $(date +%s) - T_ALL )) s"

# 8. Verdict, one line per property.
C=$B/cuspcheck-serial.log; FAIL=0
check() { if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; FAIL=1; fi; }
echo "---- verdict"
check "postinst in a chroot without /proc" "! grep -q 'postinst failed without /proc' '$B/run.log' 2>/dev/null && ! grep -q 'post-installation script subprocess returned error' '$B/dpkg-chroot.log'"
check "postinst enabled the unit without a running systemd" "grep -q 'is-enabled after dpkg: enabled' '$B/dpkg-chroot.log'"
check "unit as shipped becomes active at boot (Type=notify READY)" "grep -q '^CUSPCHECK boot is-active=active' '$C'"
check "health endpoint answers 200" "grep -q '^CUSPCHECK health|.*http=200' '$C'"
check "key from the systemd credential" "grep -q 'key from the systemd credential' '$C'"
check "systemd-analyze verify clean" "grep -q '^CUSPCHECK verify rc=0' '$C' && ! grep -q '^CUSPCHECK verify|' '$C'"
check "systemctl restart" "grep -q '^CUSPCHECK restart rc=0 is-active=active' '$C'"
check "scan ingested under the sandbox" "grep -q 'stored scan' '$C'"
check "the unit's syscall filter lets a thread lower its priority (setpriority)" "grep -q 'nicetest| nice_now=10' '$C'"
check "the unit's syscall filter lets a job thread move to SCHED_IDLE (sched_setscheduler)" "grep -q 'idletest|.*SCHED_IDLE' '$C'"
check "the daemon's job thread ran in SCHED_IDLE during the ingest" "grep -q 'sched_idle_thread_seen=yes' '$C'"
check "dpkg -i under running systemd (prerm backup, postinst restart)" "grep -q '^CUSPCHECK dpkg| dpkg rc=0' '$C'"
check "watchdog restarts a frozen daemon" "grep -q \"Failed with result 'watchdog'\" '$C' && grep -q 'watchdog end.*is-active=active' '$C'"
check "check script completed" "grep -q '^CUSPCHECK end' '$C'"
exit $FAIL
