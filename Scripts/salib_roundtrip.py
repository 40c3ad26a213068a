#!/usr/bin/env python3
"""SALib round trip: a Saltelli plan drawn by SALib, run by `pillars sweep --design-file`,
analysed by SALib, and compared with `pillars sensitivity --design-file` on the same points.

    .venv/bin/python Scripts/salib_roundtrip.py [--pillars PATH] [--out DIR] [--n 16] [--reps 4]

1. SALib draws the plan: sobol.sample(problem, N, calc_second_order=False), N·(k+2) points in
   SALib's layout (A, AB_1, …, AB_k, B per base row), written as points.csv (header: the
   parameter paths, as `sweep --design-file` reads them).
2. `pillars sweep --design-file points.csv --reps R` runs every point R times (replication r
   with the same seed at every point); the mean over the replications of each output at
   each point is the Y SALib analyses (sobol.analyze, 95 % intervals).
3. `pillars sensitivity --design-file points.csv --reps R` analyses the same points itself.
4. Each S1 and ST of SALib must lie within pillars' bootstrap 95 % interval, and pillars'
   estimate within SALib's (estimate ± its 95 % half-width). Exit 0 when all agree, 1 if not.

A cheap scenario (150 households, 120 days) keeps it to a few seconds; the tests run it
(Tests/PillarsCLITests/ResearchWorkflowTests.swift). The interval checks are what the two
implementations promise each other: the estimators are the same (Saltelli 2010 for S1,
Jansen for ST), the centring and the bootstrap differ, so the estimates differ a little.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIO = "Scenarios/five-pillars.yaml"
CHEAP = ["--set", "population.households=150", "--set", "simulation.days=120"]
PARAMETERS = {
    "governance.whistle.compliance": (0.5, 1.0),
    "participation.tenant_factor": (0.2, 0.8),
}
OUTPUTS = ["participation_rate", "satisfaction_rate"]


def pillars(binary, *args):
    r = subprocess.run([binary, *args], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"salib_roundtrip: pillars {' '.join(args[:2])} failed ({r.returncode}): {r.stderr.strip()}")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pillars", default=str(ROOT / ".build/debug/pillars"), help="the pillars binary")
    ap.add_argument("--out", help="folder for the files (default: a temporary one)")
    ap.add_argument("--n", type=int, default=16, help="SALib's base sample size N (a power of two)")
    ap.add_argument("--reps", type=int, default=4, help="replications per point")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    out = pathlib.Path(a.out or tempfile.mkdtemp(prefix="salib-roundtrip-"))
    out.mkdir(parents=True, exist_ok=True)

    names = list(PARAMETERS)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(PARAMETERS[p]) for p in names]}
    x = sobol_sample.sample(problem, a.n, calc_second_order=False, seed=a.seed)
    points = out / "points.csv"
    pd.DataFrame(x, columns=names).to_csv(points, index=False)   # shortest round-trip floats

    common = ["--reps", str(a.reps), "--seed", str(a.seed), "--quiet", *CHEAP]
    pillars(a.pillars, "sweep", SCENARIO, "--design-file", str(points), "--out", str(out / "sweep"), *common)
    sweep = pd.read_csv(out / "sweep" / "sweep.csv")
    if not np.allclose(sweep.groupby("point")[names].first().to_numpy(), x, rtol=0, atol=0):
        sys.exit("salib_roundtrip: sweep.csv does not hold SALib's points")
    means = sweep.groupby("point")[OUTPUTS].mean().sort_index()

    pillars(a.pillars, "sensitivity", SCENARIO, "--design-file", str(points), "--outputs", ",".join(OUTPUTS),
            "--bootstrap", "500", "--out", str(out / "sensitivity"), *common)
    ours = pd.read_csv(out / "sensitivity" / "sensitivity.csv").set_index(["metric", "parameter"])

    ok = True
    print(f"{'output':20} {'parameter':32} {'index':5} {'SALib':>8} {'± 95 %':>8} {'pillars':>8}  pillars 95 % interval")
    for metric in OUTPUTS:
        si = sobol_analyze.analyze(problem, means[metric].to_numpy(), calc_second_order=False,
                                   num_resamples=500, seed=a.seed)
        for i, p in enumerate(names):
            row = ours.loc[(metric, p)]
            for index, lo, hi in (("S1", "s1_lo", "s1_hi"), ("ST", "st_lo", "st_hi")):
                theirs, half = si[index][i], si[index + "_conf"][i]
                mine = row[index.lower()]
                agree = row[lo] <= theirs <= row[hi] and theirs - half <= mine <= theirs + half
                ok &= bool(agree)
                print(f"{metric:20} {p:32} {index:5} {theirs:8.3f} {half:8.3f} {mine:8.3f}  "
                      f"[{row[lo]:.3f}, {row[hi]:.3f}]  {'agree' if agree else 'DISAGREE'}")
    print(f"files: {out}")
    print("SALib and pillars agree within the intervals" if ok else "SALib and pillars DISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
