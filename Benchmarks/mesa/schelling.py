#!/usr/bin/env python3
"""Time Mesa's own Schelling example for the comparison with pillars-bench (SPEC.md).

The model is the one inside the installed Mesa (mesa.examples.basic.schelling); this file
only builds it, steps it a fixed number of times and reports. Run it with the venv that
setup.sh makes:

    Benchmarks/mesa/.venv/bin/python Benchmarks/mesa/schelling.py --config small
    Benchmarks/mesa/.venv/bin/python Benchmarks/mesa/schelling.py --no-datacollector

Prints one line per configuration: RESULT followed by key=value fields without spaces,
the format Benchmarks/compare_mesa.sh reads (and pillars-bench prints).
"""
import argparse
import gc
import os
import platform
import resource
import sys
import time

import mesa
from mesa.examples.basic.schelling import model as example

# name: (width, height, steps). Density, minority share, homophily and radius are shared.
SIZES = {"small": (100, 100, 100), "large": (300, 300, 20)}
HOMOPHILY = 3 / 8  # Mesa 3 compares the *share* of like neighbours with this: 3 of 8 cells.
DENSITY, MINORITY, RADIUS = 0.8, 0.5, 1


def make_model(width, height, seed, homophily):
    """The example model; Mesa 3.4+ takes its parameters in a Scenario, 3.0–3.3 as keywords."""
    grid = dict(width=width, height=height, density=DENSITY, minority_pc=MINORITY,
                homophily=homophily, radius=RADIUS)
    scenario_class = getattr(example, "SchellingScenario", None)
    if scenario_class is None:
        return example.Schelling(seed=seed, **grid)
    return example.Schelling(scenario=scenario_class(rng=seed, **grid))


def measure(name, seed, homophily, collect, steps=None):
    width, height, default_steps = SIZES[name]
    steps = default_steps if steps is None else steps
    gc.collect()
    built = time.perf_counter()
    model = make_model(width, height, seed, homophily)
    setup_s = time.perf_counter() - built
    if not collect:
        model.datacollector.collect = lambda *_: None
    agents = len(model.agents)
    moves = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(steps):
        moves += agents - model.happy  # the unhappy at the end of a step each move once in the next
        model.step()  # a fixed count: model.running is not consulted
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    work = agents * steps
    fields = [
        ("engine", "mesa"), ("config", name), ("mesa", mesa.__version__),
        ("python", platform.python_version()), ("seed", seed),
        ("datacollector", str(collect).lower()), ("agents", agents), ("steps", steps),
        ("agent_steps", work), ("setup_s", f"{setup_s:.4f}"), ("wall_s", f"{wall:.4f}"),
        ("agent_steps_per_s", f"{work / wall:.1f}"), ("cpu_s", f"{cpu:.4f}"),
        ("agent_steps_per_cpu_s", f"{work / cpu:.1f}"), ("happy_share", f"{model.happy / agents:.6f}"),
        ("moves", moves), ("loadavg_1m", f"{os.getloadavg()[0]:.2f}"),
        ("peak_rss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    ]
    return "RESULT " + " ".join(f"{k}={v}" for k, v in fields)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", choices=[*SIZES, "all"], default="all")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--steps", type=int, help="steps instead of the configuration's")
    ap.add_argument("--homophily", type=float, default=HOMOPHILY,
                    help="share of occupied neighbours of the same type an agent needs (default 0.375)")
    ap.add_argument("--no-datacollector", action="store_true",
                    help="turn off Mesa's per-step data collection (pillars-bench records nothing per step)")
    args = ap.parse_args()
    for name in SIZES if args.config == "all" else [args.config]:
        print(measure(name, args.seed, args.homophily, not args.no_datacollector, args.steps), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
