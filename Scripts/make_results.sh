#!/usr/bin/env bash
# Produce every result the notebooks read, into small committed folders under Results/, then
# execute the notebooks to redraw the pictures in Results/figures/ (shown in the README).
#
#   bash Scripts/make_results.sh              # everything (a few minutes on 2 cores)
#   bash Scripts/make_results.sh sweep figures  # only some steps, in the order given
#
# Steps (each writes one folder; the full outputs stay in Results/scratch/make_results/,
# which git ignores):
#   quickstart   pillars run Scenarios/quickstart.yaml                 -> Results/quickstart/
#                (a baseline year, then the five pillars from a timeline; the time series is
#                 kept for the columns the notebook draws only)
#   schemes      pillars compare Scenarios/schemes/_no-incentives.yaml --scheme S … for every scheme
#                overlay S in Scenarios/schemes/[!_]*.yaml             -> Results/schemes/
#   sweep        pillars sweep Scenarios/five-pillars.yaml (points value × fiscal share, with
#                co-deliberation, co-construction and points switched on by --set)
#                                                                       -> Results/sweep/
#   sensitivity  pillars sensitivity Scenarios/five-pillars.yaml (5 parameters, Sobol S1/ST)
#                                                                       -> Results/sensitivity/
#   cases        pillars cases --identify --prior-predictive (Scenarios/cases/*.yaml, its default
#                reps and seed; cases.csv, identification.csv, identification-swings.csv,
#                prior-predictive.csv), then the
#                Chaoyang predictions with --posterior Scenarios/posterior.csv when it exists
#                                                                       -> Results/cases/
#                (the calibration itself, the posterior and crossvalidation.csv are slower:
#                 Scripts/make_calibration.sh)
#   district     pillars run Scenarios/district.yaml                   -> Results/district/
#   mechanisms   pillars compare Scenarios/five-pillars.yaml --scheme O for every overlay O of
#                Scenarios/mechanisms/inventory.csv (each switches one mechanism off); the
#                effect on every output the inventory names, with its 95 % interval
#                                                                       -> Results/mechanisms/,
#                                                                          docs/MECHANISMS.md
#   patterns     pillars patterns Scenarios/patterns/patterns.yaml --posterior Scenarios/posterior.csv
#                (the stylised facts, each across 20 posterior draws)    -> Results/patterns/
#   figures      PILLARS_WRITE_FIGURES=1 .venv/bin/python Scripts/run_notebooks.py (06 runs the
#                model itself, 1000 experiments through pillars.ema, with the release binary)
#                                                                       -> Results/figures/*.png
#
# Every step uses a fixed seed, so a rerun on the same code gives the same CSVs (only the
# manifests' times differ). A step whose inputs do not exist yet (no case scenarios, no district
# scenario, a binary without district mode) is skipped with a message, and the notebooks draw
# what is there. Failing case figures are results, not errors: `pillars cases` exits 1 then and
# this script carries on. A step that fails (a scenario the binary rejects, …) leaves its folder
# as it was (or empty), the other steps still run, and the script exits 1 naming it.
#
# Environment: PILLARS=path/to/pillars to use a binary you built (default: `swift build -c
# release`, then .build/release/pillars); JOBS=N worker threads (default: all cores).
# Python runs in the project's virtual environment .venv/ (made by `bash Scripts/setup.sh
# --python`, which this script runs first: it does nothing when the venv is up to date).
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=Results/scratch/make_results
bash Scripts/setup.sh --python
VENV_PY=.venv/bin/python
JOBS_OPT=()
[ -n "${JOBS:-}" ] && JOBS_OPT=(--jobs "$JOBS")

log() { printf '\n== %s\n' "$*"; }
skip() { printf 'make_results: %s: skipped — %s\n' "$1" "$2" >&2; }

# Every folder keeps its outputs.csv (the dictionary of the outputs its tables use), so that
# pillars.read_results (python/) types and labels the committed tables too.
# thin IN OUT COLUMN…: copy a CSV keeping only the named columns that exist (in the file's
# order), numbers with a fraction to 6 significant digits; a name ending in '*' keeps every
# column starting with it, '.*' every column with a dot (the swept parameter paths). Keeps
# committed results small.
thin() {
  "$VENV_PY" - "$@" <<'PY'
import csv, sys
src, dst, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
def keep(c):
    for w in wanted:
        if w == ".*" and "." in c: return True
        if w.endswith("*") and c.startswith(w[:-1]): return True
        if c == w: return True
    return False
with open(src, newline="") as f, open(dst + ".tmp", "w", newline="") as g:
    r = csv.reader(f); w = csv.writer(g, lineterminator="\n")
    head = next(r); idx = [i for i, c in enumerate(head) if keep(c)]
    missing = [c for c in wanted if "*" not in c and c not in head]
    if missing: print(f"make_results: {src}: no column {', '.join(missing)} (left out)", file=sys.stderr)
    def short(v):
        if "." not in v and "e" not in v: return v
        try: return format(float(v), ".6g")
        except ValueError: return v
    w.writerow([head[i] for i in idx])
    for row in r: w.writerow([short(row[i]) for i in idx])
import os; os.replace(dst + ".tmp", dst)
PY
}

# fresh DIR: an empty results folder (the committed one is replaced as a whole).
fresh() { rm -rf "$1"; mkdir -p "$1"; }

build() {
  if [ -z "${PILLARS:-}" ]; then
    log "build: swift build -c release"
    swift build -c release
    PILLARS="$(swift build -c release --show-bin-path)/pillars"
  fi
  [ -x "$PILLARS" ] || { echo "make_results: $PILLARS is not an executable" >&2; exit 2; }
  echo "pillars: $PILLARS ($("$PILLARS" --version))"
}

step_quickstart() {
  log "quickstart: a baseline year, then the five pillars (Scenarios/quickstart.yaml)"
  local raw=$SCRATCH/quickstart out=Results/quickstart
  "$PILLARS" run Scenarios/quickstart.yaml --reps 20 --seed 1 --out "$raw" --overwrite --quiet "${JOBS_OPT[@]}"
  fresh "$out"
  cp "$raw/manifest.json" "$raw/outputs.csv" "$raw/summary.csv" "$raw/replications.csv" "$out/"
  thin "$raw/timeseries.csv" "$out/timeseries.csv" replication day 'participation_rate*' \
    satisfaction_rate satisfaction_rate_surveyed satisfaction_mean trust_mean fee_collection_rate \
    'resolution_days_*' resolution_rate complaints_per_100hh_month disputes_per_100hh_month
}

step_schemes() {
  log "schemes: every incentive scheme against the five pillars without schemes (Scenarios/schemes/)"
  local schemes=(Scenarios/schemes/[!_]*.yaml)
  [ -e "${schemes[0]}" ] || { skip schemes "no Scenarios/schemes/*.yaml"; return; }
  local raw=$SCRATCH/schemes
  # Each scheme file is an overlay (only the settings it changes), applied to the baseline.
  local scheme_opts=()
  for f in "${schemes[@]}"; do scheme_opts+=(--scheme "$f"); done
  "$PILLARS" compare Scenarios/schemes/_no-incentives.yaml "${scheme_opts[@]}" --reps 40 --seed 2 --out "$raw" --overwrite --quiet "${JOBS_OPT[@]}"
  fresh Results/schemes
  cp "$raw/comparison.csv" "$raw/manifest.json" "$raw/outputs.csv" Results/schemes/
}

step_sweep() {
  log "sweep: points value × fiscal share, against participation and the funding gap"
  local raw=$SCRATCH/sweep
  rm -rf "$raw"
  # Co-deliberation and co-construction are switched on here (projects, hence funding gaps,
  # come from deliberated resolutions), and the points scheme whose value is swept.
  "$PILLARS" sweep Scenarios/five-pillars.yaml --reps 32 --seed 4 --out "$raw" --quiet "${JOBS_OPT[@]}" \
    --set deliberation.enabled=true --set construction.enabled=true --set incentives.points.enabled=true \
    --param incentives.points.yuan_per_point=0:1:0.25 --param construction.fiscal_share=0.2:0.8:0.1
  fresh Results/sweep
  cp "$raw/design.json" "$raw/manifest.json" "$raw/outputs.csv" Results/sweep/
  thin "$raw/sweep.csv" Results/sweep/sweep.csv point replication seed '.*' participation_rate \
    satisfaction_rate funding_gap funding_gap_probability projects_completed incentive_cost
}

step_sensitivity() {
  log "sensitivity: Sobol indices of participation, satisfaction and resolution time"
  local raw=$SCRATCH/sensitivity
  "$PILLARS" sensitivity Scenarios/five-pillars.yaml --samples 256 --reps 4 --seed 5 --out "$raw" --overwrite --quiet "${JOBS_OPT[@]}" \
    --param participation.social_weight=0.5:3 --param participation.tenant_factor=0.2:0.8 \
    --param participation.motivation_weight=1:4 --param governance.whistle.compliance=0.5:1 \
    --param governance.department_days=4:20 \
    --outputs participation_rate,satisfaction_rate,resolution_days_mean
  fresh Results/sensitivity
  cp "$raw/sensitivity.csv" "$raw/manifest.json" "$raw/outputs.csv" Results/sensitivity/   # samples.csv stays in scratch
}

step_cases() {
  log "cases: published vs simulated for every case figure (Scenarios/cases/)"
  if ! ls Scenarios/cases/[!_]*.yaml >/dev/null 2>&1; then
    skip cases "no case scenarios in Scenarios/cases/ yet; Notebooks/04-cases.ipynb reads Results/cases/cases.csv"
    return
  fi
  local rc=0
  # --identify: which case informs which shared parameter (seconds; docs/CALIBRATION.md);
  # --prior-predictive: each figure's range over the fitted parameters' bounds (a minute).
  "$PILLARS" cases --identify --prior-predictive --out Results/cases --quiet "${JOBS_OPT[@]}" || rc=$?
  case $rc in
    0) echo "every case figure passes" ;;
    1) echo "some case figures fail (see Results/cases/cases.csv) — drawn as they are" ;;
    *) echo "make_results: pillars cases failed (exit $rc)" >&2; exit "$rc" ;;
  esac
  # The combined case's predictions carry parameter uncertainty when a posterior sample exists
  # (Scenarios/posterior.csv, from Scripts/make_calibration.sh): a case without targets writes
  # only its predictions, so cases.csv above stays as it is.
  if [ -f Scenarios/posterior.csv ]; then
    "$PILLARS" cases Scenarios/cases/chaoyang-compound.yaml --posterior Scenarios/posterior.csv \
      --out Results/cases --quiet "${JOBS_OPT[@]}"
  fi
}

step_district() {
  log "district: communities ranked by the survey (Scenarios/district.yaml)"
  if [ ! -f Scenarios/district.yaml ]; then
    skip district "no Scenarios/district.yaml yet; Notebooks/05-district.ipynb reads Results/district/communities.csv"
    return
  fi
  local raw=$SCRATCH/district rc=0
  rm -f "$raw/communities.csv"
  "$PILLARS" run Scenarios/district.yaml --reps 20 --seed 6 --out "$raw" --overwrite --quiet "${JOBS_OPT[@]}" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "make_results: pillars run Scenarios/district.yaml failed (exit $rc); Results/district/ left as it was" >&2
    return "$rc"
  fi
  if [ ! -f "$raw/communities.csv" ]; then
    skip district "the run wrote no communities.csv (a binary without district mode?); Results/district/ left as it was"
    return
  fi
  fresh Results/district
  cp "$raw/manifest.json" "$raw/outputs.csv" "$raw/summary.csv" Results/district/
  thin "$raw/communities.csv" Results/district/communities.csv replication community name \
    'satisfaction_*' evaluation_score participation_rate trust_mean fee_collection_rate \
    resolution_days_mean staff_effort leadership_changes funding_gap funding_fiscal projects_completed
}

step_mechanisms() {
  log "mechanisms: each mechanism of the inventory switched off (Scenarios/mechanisms/)"
  local inv=Scenarios/mechanisms/inventory.csv raw=$SCRATCH/mechanisms
  [ -f "$inv" ] || { skip mechanisms "no $inv"; return; }
  rm -rf "$raw"; mkdir -p "$raw"
  # One comparison per scenario the inventory names: the scenario against each of its overlays.
  local scenario
  while IFS= read -r scenario; do
    local opts=()
    while IFS= read -r f; do opts+=(--scheme "Scenarios/mechanisms/$f"); done < <("$VENV_PY" -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["scenario"] == sys.argv[2]: print(r["overlay"])' "$inv" "$scenario")
    # A single alternative gives comparison.csv without the scenario column: add one more
    # (the first again) so every comparison has the same columns.
    [ ${#opts[@]} -gt 2 ] || opts+=("${opts[@]}")
    "$PILLARS" compare "Scenarios/$scenario" "${opts[@]}" --reps 30 --seed 3 --out "$raw/${scenario//\//_}" --overwrite --quiet "${JOBS_OPT[@]}"
  done < <("$VENV_PY" -c '
import csv, sys
seen = []
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["scenario"] not in seen: seen.append(r["scenario"]); print(r["scenario"])' "$inv")
  fresh Results/mechanisms
  "$VENV_PY" - "$inv" "$raw" Results/mechanisms/inventory.csv docs/MECHANISMS.md <<'PY'
import csv, json, sys
inv, raw, out, md = sys.argv[1:5]
cmp, manifests = {}, {}
for m in csv.DictReader(open(inv, newline="")):
    key = m["scenario"]
    if key in manifests: continue
    folder = raw + "/" + key.replace("/", "_")
    manifests[key] = json.load(open(folder + "/manifest.json"))
    label_of = {c["scheme_overlay"]: c["label"] for c in manifests[key]["compared"] if c.get("scheme_overlay")}
    for r in csv.DictReader(open(folder + "/comparison.csv", newline="")):
        name = r["metric"] if r["group"] == "all" else r["metric"] + "_" + r["group"]
        for overlay, label in label_of.items():
            if label == r["scenario"]: cmp[(key, overlay.rsplit("/", 1)[-1], name)] = r
rows = []
for m in csv.DictReader(open(inv, newline="")):
    for claim in m["moves"].split():
        name, sign = claim.rsplit(":", 1)
        c = cmp.get((m["scenario"], m["overlay"], name))
        if c is None or c["diff_mean"] == "":
            vals = ["", "", "", "", ""]; ok = "no"
        else:
            d, lo, hi = float(c["diff_mean"]), float(c["lo95"]), float(c["hi95"])
            ok = "yes" if (sign == "+" and lo > 0) or (sign == "-" and hi < 0) else "no"
            vals = [format(float(c["baseline"]), ".6g"), format(float(c["alternative"]), ".6g"),
                    format(d, ".6g"), format(lo, ".6g"), format(hi, ".6g")]
        rows.append([m["mechanism"], m["pillar"], m["overlay"], m["scenario"], name, sign] + vals + [ok, m["source"]])
head = ["mechanism", "pillar", "overlay", "scenario", "output", "expected_sign", "with", "without", "diff", "lo95", "hi95",
        "as_expected", "source"]
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(head); w.writerows(rows)
with open(out.replace("inventory.csv", "manifests.json"), "w") as f:
    json.dump({k: {x: v[x] for x in ("pillars_version", "master_seed", "replications", "scenario_hash") if x in v} for k, v in manifests.items()}, f, indent=1, sort_keys=True)
    f.write("\n")
with open(md, "w") as f:
    f.write("# Mechanism inventory\n\nGenerated by `Scripts/make_results.sh mechanisms` from "
            "`Scenarios/mechanisms/inventory.csv`: each mechanism of the essay switched off (its overlay in "
            "`Scenarios/mechanisms/`) in the scenario named, 30 replications on common random numbers "
            "(seed 3). *without − with* is the paired difference of the output with the mechanism off, with "
            "its 95 % interval; *as expected* says the interval excludes 0 on the side the literature gives. "
            "docs/ODD.md, \"Mechanism inventory\", says how to read it; "
            "`Tests/GovernanceTests/MechanismInventoryTests.swift` asserts it.\n\n")
    f.write("| mechanism | pillar | scenario | output | expected | with | without | without − with [95 %] | as expected | source |\n")
    f.write("|---|---|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        f.write(f"| {r[0]} | {r[1]} | `{r[3]}` | `{r[4]}` | {r[5]} | {r[6]} | {r[7]} | {r[8]} [{r[9]}, {r[10]}] | {r[11]} | {r[12]} |\n")
print(f"mechanisms: {sum(r[11] == 'yes' for r in rows)} of {len(rows)} claimed effects as expected")
PY
}

step_patterns() {
  log "patterns: the stylised facts of Scenarios/patterns/patterns.yaml across posterior draws"
  [ -f Scenarios/patterns/patterns.yaml ] || { skip patterns "no Scenarios/patterns/patterns.yaml"; return; }
  local post=()
  [ -f Scenarios/posterior.csv ] && post=(--posterior Scenarios/posterior.csv)
  local raw=$SCRATCH/patterns rc=0
  rm -rf "$raw"
  # A pattern that fails is a result, not an error: exit 1 is kept, anything else fails the step.
  "$PILLARS" patterns Scenarios/patterns/patterns.yaml "${post[@]}" --draws 20 --reps 4 --out "$raw" --overwrite "${JOBS_OPT[@]}" || rc=$?
  [ $rc = 0 ] || [ $rc = 1 ] || return $rc
  fresh Results/patterns
  cp "$raw/patterns.csv" "$raw/manifest.json" Results/patterns/
}

step_figures() {
  log "figures: execute the notebooks, writing Results/figures/*.png"
  mkdir -p Results/figures
  # 06-scenario-discovery runs its experiments through the Python package: with this binary.
  [ -n "${PILLARS:-}" ] || build
  PILLARS="$PILLARS" PILLARS_WRITE_FIGURES=1 "$VENV_PY" Scripts/run_notebooks.py
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(quickstart schemes sweep sensitivity cases district mechanisms patterns figures)
for s in "${steps[@]}"; do
  case $s in
    quickstart|schemes|sweep|sensitivity|cases|district|mechanisms|patterns|figures) ;;
    *) echo "make_results: unknown step '$s' (steps: quickstart schemes sweep sensitivity cases district mechanisms patterns figures)" >&2; exit 64 ;;
  esac
done
needs_binary=0
for s in "${steps[@]}"; do [ "$s" = figures ] || needs_binary=1; done
[ $needs_binary = 1 ] && { build; mkdir -p "$SCRATCH"; }
started=$SECONDS
failed=()
# A step that fails does not stop the others (its committed folder is left as it was, or
# emptied when the failure came after it was replaced); the script exits 1 naming it.
# (errexit is ignored inside a `( … ) ||` list, hence set +e around a plain subshell.)
for s in "${steps[@]}"; do
  set +e
  ( set -e; "step_$s" )
  rc=$?
  set -e
  [ $rc = 0 ] || { echo "make_results: step $s FAILED (exit $rc)" >&2; failed+=("$s"); }
done
log "done in $((SECONDS - started)) s"
du -sh Results/quickstart Results/schemes Results/sweep Results/sensitivity Results/cases Results/district Results/mechanisms Results/patterns Results/figures 2>/dev/null || true
if [ ${#failed[@]} -gt 0 ]; then
  echo "make_results: failed steps: ${failed[*]}" >&2
  exit 1
fi
