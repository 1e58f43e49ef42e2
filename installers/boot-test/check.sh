#!/bin/bash
# installers/boot-test/run.sh copies this into the VM it boots, as cusp-boot-check.service.
# Runs inside the booted VM. Every result line goes to the serial
# console prefixed "CUSPCHECK " and to /root/cuspcheck.log (read back with debugfs).
LOG=/root/cuspcheck.log
: >"$LOG"
out() { printf 'CUSPCHECK %s\n' "$*" | tee -a "$LOG" >/dev/ttyS0; }
block() { # label, then a command whose output is printed line by line
  local label=$1; shift
  "$@" 2>&1 | while IFS= read -r line; do out "$label| $line"; done
}
prop() { systemctl show cusp -p "$1" --value; }
now_s() { cut -d' ' -f1 /proc/uptime; }

out "begin uptime=$(now_s) systemd=$(systemctl --version | head -1 | awk '{print $2}') kernel=$(uname -r)"

# 1. Readiness after boot, with the unit as shipped.
wait_active() { # up to $1 s; stops early once the unit failed or restarted 3 times
  local i
  for i in $(seq 1 "$1"); do
    state=$(systemctl is-active cusp)
    [ "$state" = active ] && break
    [ "$state" = failed ] && break
    [ "$(prop NRestarts)" -ge "${2:-3}" ] && break
    sleep 1
  done
  waited=$i
}
wait_active 180 3
out "boot is-active=$state after_wait_s=$waited uptime=$(now_s) NRestarts=$(prop NRestarts)"
if [ "$state" != active ]; then
  block stock systemctl show cusp -p ActiveState,SubState,Result,NRestarts,ExecMainStatus
  block stockjournal sh -c 'journalctl -u cusp -b --no-pager | tail -12'
fi
block show systemctl show cusp -p ActiveState,SubState,Type,NotifyAccess,WatchdogUSec,MainPID,NRestarts,Result,StatusText,ExecMainStartTimestampMonotonic,ActiveEnterTimestampMonotonic,UnitFileState
start=$(prop ExecMainStartTimestampMonotonic); ready=$(prop ActiveEnterTimestampMonotonic)
[ "${start:-0}" -gt 0 ] && [ "${ready:-0}" -gt 0 ] && out "exec_to_ready_ms=$(( (ready - start) / 1000 )) boot_to_ready_ms=$(( ready / 1000 ))"
block analyze systemd-analyze
block blame sh -c 'systemd-analyze blame --no-pager | head -5'

port=$(awk '/^api:/{a=1;next} a&&/^[^ ]/{a=0} a&&/^  port:/{print $2; exit}' /etc/cusp/cusp.yaml)
port=${port:-8443}
out "config port=$port"
block health curl -sk --max-time 10 -w ' http=%{http_code}\n' "https://127.0.0.1:$port/api/v1/health"
block keysource sh -c 'journalctl -u cusp -b --no-pager -o cat | grep -i -E "key|credential" | head -5'
block journal sh -c 'journalctl -u cusp -b --no-pager | tail -40'
block security sh -c 'systemd-analyze security cusp.service --no-pager | tail -3'
unitpath=$(systemctl show cusp -p FragmentPath --value)
block verify systemd-analyze verify "$unitpath"
out "verify rc=$(systemd-analyze verify "$unitpath" >/dev/null 2>&1; echo $?) unit=$unitpath"
block creds sh -c 'ls -la /run/credentials/cusp.service/ 2>&1'
pid=$(prop MainPID)
block proc sh -c "grep -E '^(Uid|Gid|Groups|NoNewPrivs|Seccomp|CapBnd|CapEff)' /proc/$pid/status"
block mounts sh -c "grep -E ' / | /var/lib/cusp | /srv/cusp | /tmp | /etc ' /proc/$pid/mountinfo | awk '{print \$5, \$6}'"

# 2. Worker-thread nice under the syscall filter: the unit's own SystemCallFilter= lines,
# in their order, applied to nice(1) as the service user.
filters=()
while IFS= read -r line; do filters+=(-p "$line"); done < <(grep -E '^SystemCallFilter=|^SystemCallErrorNumber=|^SystemCallArchitectures=' "$unitpath")
block nicetest systemd-run --quiet --wait --pipe -p User=cusp "${filters[@]}" nice -n 10 sh -c 'echo nice_now=$(nice)'
# And SCHED_IDLE (jobs.priority idle: a job thread runs chrt on itself). No $$ here:
# systemd-run expands it itself; pid 0 is the calling process.
block idletest systemd-run --quiet --wait --pipe -p User=cusp -p RestrictRealtime=yes "${filters[@]}" chrt --idle 0 chrt -p 0
# And in the daemon itself: any thread with a nice value other than 0?
block threads sh -c "for t in /proc/$pid/task/*; do awk '{print \$2, \"nice=\" \$19}' \$t/stat; done | sort | uniq -c"

# 3. Restart.
t0=$(date +%s%N)
systemctl restart cusp; rc=$?
out "restart rc=$rc is-active=$(systemctl is-active cusp) took_ms=$(( ($(date +%s%N) - t0) / 1000000 )) MainPID=$(prop MainPID)"
block health2 curl -sk --max-time 10 -w ' http=%{http_code}\n' "https://127.0.0.1:$port/api/v1/health"

# 3b. One scan through the drop folder: ingest and analysis in worker threads under the filter.
stl=/srv/cusp/inbox/Muster_Max_2026-11-22_upper.stl
awk 'BEGIN { n = 120; print "solid boottest"
  for (i = 0; i < n; i++) for (j = 0; j < n; j++) {
    x0 = i * 0.3; y0 = j * 0.3; x1 = x0 + 0.3; y1 = y0 + 0.3
    z00 = 4 * exp(-((x0-18)^2 + (y0-18)^2) / 80); z10 = 4 * exp(-((x1-18)^2 + (y0-18)^2) / 80)
    z01 = 4 * exp(-((x0-18)^2 + (y1-18)^2) / 80); z11 = 4 * exp(-((x1-18)^2 + (y1-18)^2) / 80)
    printf "facet normal 0 0 1\nouter loop\nvertex %f %f %f\nvertex %f %f %f\nvertex %f %f %f\nendloop\nendfacet\n", x0,y0,z00, x1,y0,z10, x1,y1,z11
    printf "facet normal 0 0 1\nouter loop\nvertex %f %f %f\nvertex %f %f %f\nvertex %f %f %f\nendloop\nendfacet\n", x0,y0,z00, x1,y1,z11, x0,y1,z01
  }
  print "endsolid boottest" }' >/root/scan.stl
install -o cusp -g cusp-drop -m 0660 /root/scan.stl "$stl.part" && mv "$stl.part" "$stl"
pid=$(prop MainPID); since=$(date '+%Y-%m-%d %H:%M:%S')
out "ingest dropped $(stat -c %s "$stl") bytes at uptime=$(now_s)"
maxnice=0; idleseen=no
for i in $(seq 1 120); do
  for t in /proc/$pid/task/*; do
    nv=$(awk '{print $19}' "$t/stat" 2>/dev/null); [ -n "$nv" ] && [ "$nv" -gt "$maxnice" ] && maxnice=$nv
    # Scheduling policy (field 41, counted after the command name): 5 is SCHED_IDLE.
    [ "$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $39}')" = 5 ] && idleseen=yes
  done
  [ -e "$stl" ] || { sleep 3; break; }
  sleep 0.5
done
out "ingest file_gone=$([ -e "$stl" ] && echo no || echo yes) after_polls=$i max_thread_nice_seen=$maxnice sched_idle_thread_seen=$idleseen uptime=$(now_s)"
block ingestlog sh -c "journalctl -u cusp --since '$since' --no-pager -o cat | cut -c1-400 | tail -12"

# 4. First token, as the README says.
block token sh -c 'cusp token create --name pms --role integration 2>&1 | sed -E "s/[A-Za-z0-9_-]{30,}/<token>/g"'

# 5. Reinstall the .deb under the running systemd (upgrade path: prerm backup + stop, postinst restart).
if [ -e /root/cusp.deb ]; then
  t0=$(date +%s%N)
  block dpkg sh -c 'DEBIAN_FRONTEND=noninteractive dpkg -i /root/cusp.deb; echo "dpkg rc=$?"'
  out "reinstall took_ms=$(( ($(date +%s%N) - t0) / 1000000 )) is-active=$(systemctl is-active cusp) NRestarts=$(prop NRestarts)"
  block backups ls -la /var/lib/cusp/backups
fi

# 6. Watchdog: freeze the daemon, wait past WatchdogUSec, expect systemd to kill and restart it.
pid=$(prop MainPID); n0=$(prop NRestarts); wd=$(prop WatchdogUSec)
out "watchdog begin MainPID=$pid NRestarts=$n0 WatchdogUSec=$wd uptime=$(now_s)"
if [ "${pid:-0}" -gt 1 ]; then
  kill -STOP "$pid"
  for i in $(seq 1 240); do
    sleep 1
    n=$(prop NRestarts); cur=$(prop MainPID)
    [ "$n" != "$n0" ] && [ "$(systemctl is-active cusp)" = active ] && break
  done
  out "watchdog NRestarts went $n0 -> $(prop NRestarts)"
  kill -0 "$pid" 2>/dev/null && { out "watchdog old pid $pid still there, sending CONT"; kill -CONT "$pid"; }
  out "watchdog end after_s=$i NRestarts=$(prop NRestarts) MainPID=$(prop MainPID) is-active=$(systemctl is-active cusp) Result=$(prop Result) uptime=$(now_s)"
else
  out "watchdog skipped: no main process"
fi
block wdjournal sh -c "journalctl -b --no-pager -u cusp | grep -i -E 'watchdog|abort|core|kill|Scheduled restart|Started|Failed|Main process' | tail -15"
block health3 curl -sk --max-time 10 -w ' http=%{http_code}\n' "https://127.0.0.1:$port/api/v1/health"

# 7. Anything the filter or the sandbox refused, over the whole boot.
block denials sh -c "journalctl -b --no-pager -k | grep -i -E 'audit|seccomp|denied' | tail -10"
block final systemctl show cusp -p ActiveState,SubState,NRestarts,Result,StatusText
journalctl -b --no-pager >/root/journal-full.txt 2>&1
journalctl -b --no-pager -u cusp -o short-monotonic >/root/journal-cusp.txt 2>&1
out "end uptime=$(now_s)"
sync
systemctl poweroff
