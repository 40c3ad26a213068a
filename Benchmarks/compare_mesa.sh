#!/usr/bin/env bash
# Schelling: Pillars vs Mesa on the same machine, interleaved so both see the same load.
#   bash Benchmarks/mesa/setup.sh && bash Benchmarks/compare_mesa.sh
# Each of REPS rounds runs, per config (small, large): Mesa (Benchmarks/mesa/schelling.py
# --no-datacollector), pillars-bench fast, pillars-bench exact. See Benchmarks/mesa/SPEC.md.
# Environment: MESA_VENV (the venv of Benchmarks/mesa/setup.sh; default Benchmarks/mesa/.venv),
#   REPS (default 3), RUNS (timed runs inside each pillars-bench process; default 21),
#   SEED (default 42), SKIP_BUILD=1 (do not rebuild pillars-bench first).
# Prints every RESULT line, then one SUMMARY line per config with the medians over rounds
# and the ratios. Mesa's numbers are the median over its REPS processes; ours are the
# median over REPS processes of the per-process median of RUNS runs.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${MESA_VENV:-$HERE/mesa/.venv}"
REPS="${REPS:-3}"
RUNS="${RUNS:-21}"
SEED="${SEED:-42}"

[ -x "$VENV/bin/python" ] || { echo "no Mesa venv at $VENV: run 'bash Benchmarks/mesa/setup.sh' first" >&2; exit 1; }
# SKIP_BUILD=1 reuses the last release build (e.g. while other targets are mid-edit).
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --package-path "$HERE" >&2
BENCH="$(swift build -c release --package-path "$HERE" --show-bin-path)/pillars-bench"

OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
echo "# $(date -u +%FT%TZ) $(uname -srm) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for rep in $(seq 1 "$REPS"); do
  for cfg in small large; do
    "$VENV/bin/python" "$HERE/mesa/schelling.py" --config "$cfg" --seed "$SEED" --no-datacollector \
      | grep '^RESULT ' | tee -a "$OUT"
    "$BENCH" schelling --config "$cfg" --seed "$SEED" --runs "$RUNS" | tee -a "$OUT"
    "$BENCH" schelling --config "$cfg" --seed "$SEED" --runs "$RUNS" --exact | tee -a "$OUT"
  done
done
"$VENV/bin/python" - "$OUT" <<'EOF'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith("RESULT ")]
def med(cfg, engine, mode, key):
    xs = [float(r[key]) for r in rows if r["config"] == cfg and r["engine"] == engine
          and (mode is None or r.get("mode") == mode)]
    return statistics.median(xs) if xs else float("nan")
for cfg in ("small", "large"):
    mesa = med(cfg, "mesa", None, "agent_steps_per_s")
    fast = med(cfg, "pillars", "fast", "agent_steps_per_s")
    exact = med(cfg, "pillars", "exact", "agent_steps_per_s")
    cmesa = med(cfg, "mesa", None, "agent_steps_per_cpu_s")
    cfast = med(cfg, "pillars", "fast", "agent_steps_per_cpu_s")
    cexact = med(cfg, "pillars", "exact", "agent_steps_per_cpu_s")
    loads = ",".join(r["loadavg_1m"] for r in rows if r["config"] == cfg and r["engine"] == "mesa")
    print(f"SUMMARY config={cfg} mesa_agent_steps_per_s={mesa:.0f} mesa_wall_s={med(cfg, 'mesa', None, 'wall_s'):.3f} "
          f"pillars_fast={fast:.0f} pillars_exact={exact:.0f} "
          f"ratio_fast={fast / mesa:.0f} ratio_exact={exact / mesa:.0f} "
          f"cpu_ratio_fast={cfast / cmesa:.0f} cpu_ratio_exact={cexact / cmesa:.0f} mesa_loadavg_1m={loads}")
EOF
