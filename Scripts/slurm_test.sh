#!/usr/bin/env bash
# A sharded sweep on a real single-node Slurm, checked against the same sweep on one machine.
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge where missing; starts munged
# (unless one is already answering), slurmctld and `slurmd -N localhost` with a minimal
# slurm.conf whose state, spool, logs and pid files live in a temporary folder; submits a
# small sweep as a 3-task job array (Scripts/slurm/sweep-array.sbatch), polls squeue, merges
# the shards and compares the merged table with an unsharded run. On exit it stops only the
# daemons it started, by their pid files, and removes the folder. Needs root (apt-get, munge).
#
#   bash Scripts/slurm_test.sh            # PILLARS=path/to/pillars to use a given binary
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
t0=$(date +%s.%N)
say() { echo "slurm-test: [$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%4.1f s", b - a }')] $*"; }
die() { echo "slurm-test: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (to install packages and start munged/slurmd); run it as root or in CI"

# 1. Packages.
need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
command -v munged >/dev/null 2>&1 || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

# 2. The binary.
pillars=${PILLARS:-}
if [ -z "$pillars" ]; then
  pillars="$(swift build --show-bin-path)/pillars"
  [ -x "$pillars" ] || swift build --product pillars >/dev/null
fi
[ -x "$pillars" ] || die "no pillars binary at $pillars"
pillars=$(cd "$(dirname "$pillars")" && pwd)/$(basename "$pillars")

# 3. State folder and cleanup: stop only what this script started, by pid file.
tmp=$(mktemp -d /tmp/pillars-slurm.XXXXXX)
started_munge=""
# Stop the daemons whose pid files are given: signal them all, then wait (at most 10 s).
stop_pidfiles() {
  local pids=() f pid
  for f in "$@"; do
    [ -s "$f" ] && pid=$(cat "$f") && kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 100); do
    local alive=()
    for pid in ${pids[@]+"${pids[@]}"}; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && return 0
    pids=("${alive[@]}")
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_pidfiles "$tmp/slurmd.pid" "$tmp/slurmctld.pid" ${started_munge:+"$started_munge"}
  if [ $rc -ne 0 ]; then
    for f in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/out/*; do
      [ -f "$f" ] && { echo "---- $f (last lines)" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [ -n "${PILLARS_SLURM_KEEP:-}" ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# 4. munge: /run/munge owned by munge, a key, the daemon (reuse one that already answers).
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  say "creating a munge key"
  mkdir -p /etc/munge
  if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile=/etc/munge/munge.key --force
  else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
  chown munge:munge /etc/munge /etc/munge/munge.key
  chmod 0700 /etc/munge
  chmod 0400 /etc/munge/munge.key
fi
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "munged already running"
else
  rm -f /run/munge/munged.pid
  runuser -u munge -- munged || die "munged did not start"
  started_munge=/run/munge/munged.pid
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || die "munge does not answer"
fi

# 5. slurm.conf: free ports, everything in $tmp.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=$((20000 + RANDOM % 20000))
while ! port_free "$base" || ! port_free $((base + 1)); do base=$((base + 2)); done
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/out"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=pillarstest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MessageTimeout=10
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"

# 6. Daemons.
slurmctld -i || die "slurmctld did not start"
slurmd -N localhost || die "slurmd did not start"
ready=""
for _ in $(seq 100); do
  state=$(sinfo -h -N -o %T 2>/dev/null || true)
  case "$state" in idle*|mixed*|allocated*) ready=1; break ;; esac
  sleep 0.2
done
[ -n "$ready" ] || die "the node did not become idle within 20 s (state: ${state:-none})"
say "slurm up ($(sinfo -h -N -o '%N %T %c CPUs'))"

# 7. The sweep, as a 3-task array and on one machine.
sweep=(Scenarios/five-pillars.yaml --design lhs --points 6 --reps 2 --seed 11 --set simulation.days=60
       --param governance.whistle.compliance=0.5:1 --param participation.tenant_factor=0.2:0.8)
job=$(PILLARS="$pillars" sbatch --parsable --array=0-2 --chdir="$root" --output="$tmp/out/%A_%a.out" \
        --export=ALL Scripts/slurm/sweep-array.sbatch "$tmp/array" "${sweep[@]}") || die "sbatch failed"
job=${job%%;*}
say "submitted array job $job"
deadline=$(( $(date +%s) + 120 ))
while [ -n "$(squeue -h -j "$job" -o %i 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { squeue -j "$job" >&2 || true; die "array job $job still queued or running after 120 s"; }
  sleep 0.2
done
states=$(scontrol -o show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
say "array finished: ${states:-no record}"
case "$states" in *COMPLETED*) ;; *) die "array tasks did not complete ($states)" ;; esac
case "$states" in *FAILED*|*CANCELLED*|*TIMEOUT*|*NODE_FAIL*) die "an array task failed ($states)" ;; esac

"$pillars" merge "$tmp"/array/shard-* --out "$tmp/array" --quiet || die "merge failed"
"$pillars" sweep "${sweep[@]}" --out "$tmp/single" --quiet || die "single-machine sweep failed"

# 8. Same rows (after sorting) as one machine.
rows=$(($(wc -l < "$tmp/single/sweep.csv") - 1))
[ "$rows" -eq 12 ] || die "single-machine sweep has $rows rows, expected 12"
if ! diff <(sort "$tmp/array/sweep.csv") <(sort "$tmp/single/sweep.csv") >/dev/null; then
  diff <(sort "$tmp/array/sweep.csv") <(sort "$tmp/single/sweep.csv") | head -5 >&2
  die "the merged array sweep differs from the single-machine sweep"
fi
cmp -s "$tmp/array/sweep.csv" "$tmp/single/sweep.csv" || die "same rows but different order after merge"
t1=$(date +%s.%N)
say "ok: 3 shards on Slurm merged = single machine ($rows rows), $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
