#!/usr/bin/env bash
# Redo the case calibration end to end (docs/CALIBRATION.md), in the order the steps depend on:
#
#   fit        pillars calibrate (shared parameters, Nelder–Mead)     -> Scenarios/calibrated.yaml
#   posterior  pillars calibrate --posterior-out (ABC-SMC)            -> Scenarios/posterior.csv
#   cases      pillars cases --cross-validate (in sample + leave-one-case-out)
#                                                                     -> Results/cases/cases.csv,
#                                                                        crossvalidation.csv
#   chaoyang   pillars cases chaoyang-compound --posterior            -> Results/cases/chaoyang-compound-predictions.csv
#
#   bash Scripts/make_calibration.sh                 # every step
#   bash Scripts/make_calibration.sh posterior cases # only some, in the order given
#
# Budgets (environment): FIT_REPS (8) and FIT_ITERATIONS (200) for the fit and for each
# cross-validation fit; ABC_REPS (8), ABC_CANDIDATES (400, the first generation), ABC_ACCEPT
# (100 draws), ABC_GENERATIONS (4), ABC_BUDGET (2000 evaluations in all) and ABC_PRIOR_WIDTH (0.2:
# priors a fifth of each range wide around the point fit; 1 for the whole range) for the posterior.
# Times on 2 shared cores: docs/CALIBRATION.md. PILLARS=path/to/pillars to use a binary you
# built (default: swift build -c release); JOBS=N worker threads.
set -euo pipefail
cd "$(dirname "$0")/.."
FIT_REPS=${FIT_REPS:-8}; FIT_ITERATIONS=${FIT_ITERATIONS:-200}
ABC_REPS=${ABC_REPS:-8}; ABC_CANDIDATES=${ABC_CANDIDATES:-400}; ABC_ACCEPT=${ABC_ACCEPT:-100}
ABC_GENERATIONS=${ABC_GENERATIONS:-4}; ABC_BUDGET=${ABC_BUDGET:-2000}; ABC_PRIOR_WIDTH=${ABC_PRIOR_WIDTH:-0.2}
JOBS_OPT=()
[ -n "${JOBS:-}" ] && JOBS_OPT=(--jobs "$JOBS")
if [ -z "${PILLARS:-}" ]; then swift build -c release >&2; PILLARS=.build/release/pillars; fi
CASES=(Scenarios/cases/[!_]*.yaml)
log() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step_fit() {
  log "fit: shared parameters on every case"
  "$PILLARS" calibrate "${CASES[@]}" --reps "$FIT_REPS" --max-iterations "$FIT_ITERATIONS" \
    --out Scenarios/calibrated.yaml --overwrite "${JOBS_OPT[@]}"
}
step_posterior() {
  log "posterior: ABC-SMC, $ABC_ACCEPT draws, ≤ $ABC_BUDGET evaluations"
  "$PILLARS" calibrate "${CASES[@]}" --reps "$ABC_REPS" --candidates "$ABC_CANDIDATES" --accept "$ABC_ACCEPT" \
    --generations "$ABC_GENERATIONS" --budget "$ABC_BUDGET" --prior-width "$ABC_PRIOR_WIDTH" \
    --posterior-out Scenarios/posterior.csv --overwrite "${JOBS_OPT[@]}"
}
step_cases() {
  log "cases: in sample and leave-one-case-out"
  local rc=0
  "$PILLARS" cases --out Results/cases --cross-validate --cv-reps "$FIT_REPS" --cv-iterations "$FIT_ITERATIONS" "${JOBS_OPT[@]}" || rc=$?
  [ "$rc" -le 1 ] || exit "$rc"
}
step_chaoyang() {
  log "chaoyang: predictions with the posterior"
  "$PILLARS" cases Scenarios/cases/chaoyang-compound.yaml --posterior Scenarios/posterior.csv --out Results/cases "${JOBS_OPT[@]}"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(fit posterior cases chaoyang)
for s in "${steps[@]}"; do
  case "$s" in
    fit|posterior|cases|chaoyang) "step_$s" ;;
    *) echo "make_calibration: unknown step '$s' (steps: fit posterior cases chaoyang)" >&2; exit 64 ;;
  esac
done
