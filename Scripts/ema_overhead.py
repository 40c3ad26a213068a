#!/usr/bin/env python3
"""How much EMA Workbench adds: N experiments through pillars.ema.PillarsModel against the same
design run directly by `pillars sweep --design-file` (issue 28's goal: at most 1.5×).

    .venv/bin/python Scripts/ema_overhead.py [--experiments 200] [--reps 2] [--repeats 3] [--stock]

Draws N experiments (Latin hypercube over the calibration's posterior ranges), then times,
alternating, `repeats` times each: (a) EMA's perform_experiments with pillars.ema's
SequentialEvaluator (one sweep for the batch), and (b) `pillars sweep --design-file` on the
design those experiments are, then reads sweep.csv back with pillars.read_results. With
--stock, also (c) EMA's own SequentialEvaluator (one sweep process per experiment), once.
Prints wall-clock and CPU seconds (medians of the repeats; CPU time counts this process and
the binary, and is not inflated by other work on the machine) and the ratios; checks that
the outcomes agree exactly.
Uses the release binary (PILLARS, else found as pillars.find_binary says), --jobs 1.
"""
import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="ipyparallel not installed")
import numpy as np

import ema_workbench as ema
from ema_workbench.em_framework.samplers import sample_uncertainties

import pillars
from pillars.commands import write_design
from pillars.ema import PillarsModel, SequentialEvaluator

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    """CPU seconds of this process and its finished children: unlike wall-clock time, it does
    not grow when other work shares the machine."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--experiments", type=int, default=200)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scenario", default=str(ROOT / "Scenarios/five-pillars.yaml"))
    ap.add_argument("--stock", action="store_true", help="also time EMA's own SequentialEvaluator (a process per experiment)")
    a = ap.parse_args()
    binary = pillars.find_binary()
    model = PillarsModel("pillars", a.scenario, uncertainties="posterior", replications=a.reps, seed=3,
                         outcomes=["participation_rate_tenant", "satisfaction_rate"], binary=binary, jobs=1)
    np.random.seed(1)  # EMA's samplers draw from numpy's global generator
    scenarios = sample_uncertainties(model, a.experiments, sampler=ema.Samplers.LHS.value)
    tmp = Path(tempfile.mkdtemp(prefix="pillars-ema-overhead-"))
    ema_t, cli_t, ema_c, cli_c = [], [], [], []
    for k in range(a.repeats):
        t, c = time.perf_counter(), cpu()
        with SequentialEvaluator(model) as ev:
            experiments, outcomes = ev.perform_experiments(scenarios=scenarios)
        ema_t.append(time.perf_counter() - t)
        ema_c.append(cpu() - c)
        names = [u.name for u in model.uncertainties]
        design = tmp / f"design-{k}.csv"
        write_design(experiments[names], design)
        t, c = time.perf_counter(), cpu()
        r = pillars.sweep(a.scenario, design_file=design, reps=a.reps, seed=3, out=tmp / f"sweep-{k}", jobs=1,
                          binary=binary, progress=False)
        cli_t.append(time.perf_counter() - t)
        cli_c.append(cpu() - c)
        means = r.sweep.groupby("point")["participation_rate_tenant"].apply(lambda s: float(np.mean(s.to_numpy())))
        assert np.array_equal(means.to_numpy(), outcomes["participation_rate_tenant"]), "outcomes differ"
    e, c = statistics.median(ema_t), statistics.median(cli_t)
    print(f"pillars: {binary} ({a.experiments} experiments × {a.reps} replications, {Path(a.scenario).name}, --jobs 1)")
    print(f"EMA perform_experiments, pillars.ema.SequentialEvaluator : {e:7.2f} s  (runs: {', '.join(f'{x:.2f}' for x in ema_t)})")
    print(f"pillars sweep --design-file + read_results            : {c:7.2f} s  (runs: {', '.join(f'{x:.2f}' for x in cli_t)})")
    print(f"ratio EMA / sweep: {e / c:.3f}  (goal ≤ 1.5)")
    ec, cc = statistics.median(ema_c), statistics.median(cli_c)
    print(f"CPU seconds (this process and the binary): EMA {ec:.2f}, sweep {cc:.2f}, ratio {ec / cc:.3f}")
    if a.stock:
        t, c0 = time.perf_counter(), cpu()
        with ema.SequentialEvaluator(model) as ev:
            _, stock = ev.perform_experiments(scenarios=scenarios)
        s = time.perf_counter() - t
        sc = cpu() - c0
        assert np.array_equal(stock["participation_rate_tenant"], outcomes["participation_rate_tenant"])
        print(f"EMA's own SequentialEvaluator (a sweep per experiment): {s:7.2f} s  ratio {s / c:.3f}; "
              f"CPU {sc:.2f} s, ratio {sc / cc:.3f}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
