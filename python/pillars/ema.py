"""Pillars as an EMA Workbench model.

    from pillars.ema import PillarsModel, SequentialEvaluator

    model = PillarsModel("pillars", "Scenarios/schemes/_no-incentives.yaml",
                         uncertainties="posterior", schemes=True,
                         outcomes=["participation_rate_tenant"], replications=2)
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=50, policies=model.scheme_policies())

Uncertainties and levers are built from `pillars params --csv`: a real parameter becomes a
RealParameter, an integer an IntegerParameter, a switch a BooleanParameter, a choice a
CategoricalParameter, over the declared range unless a narrower one is given, or over the
range of the calibration's posterior sample (`Scenarios/posterior.csv`). Schemes (overlay
files of `Scenarios/schemes/`) are the categorical lever `scheme`.

An outcome is any output (`pillars outputs`): a scalar outcome gets, per experiment, the
array of its replications' summaries and by default reduces it with the mean (pass an EMA
outcome with another function to keep a quantile, or the spread); a time-series outcome
the mean over replications at each observed day, as the outcome `NAME_series` (with `TIME`,
the days).

EMA's own evaluators call `run_model` once per experiment, so each experiment is one
`pillars sweep` of one point (it works, and gives the same numbers: replication r has the
same seed at every point). The evaluators here — `SequentialEvaluator` and
`MultiprocessingEvaluator`, subclasses of EMA's — run the whole batch instead: one
`pillars sweep --design-file` per scheme and choice combination (a sweep varies numbers
and switches; a scheme or a choice parameter is fixed per sweep), and the multiprocessing
one runs shard i/n of each sweep in each of its n worker processes.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

import ema_workbench as ema
from ema_workbench.em_framework.experiment_runner import ExperimentRunner
from ema_workbench.em_framework.model import AbstractModel
from ema_workbench.em_framework.outcomes import AbstractOutcome, ArrayOutcome, ScalarOutcome
from ema_workbench.em_framework.parameters import (BooleanParameter, CategoricalParameter, IntegerParameter,
                                                   Parameter, RealParameter)
from ema_workbench.em_framework.points import experiment_generator
from ema_workbench.em_framework.util import NamedObjectMap

from ._cli import call, repository_root
from .commands import parameters as _parameters, set_args, write_design
from .results import read_results

__all__ = ["PillarsModel", "SequentialEvaluator", "MultiprocessingEvaluator", "posterior_ranges", "SCHEME"]

SCHEME = "scheme"  # the name of the scheme lever
NO_SCHEME = "none"  # its value for the scenario as given (no overlay)


def posterior_ranges(path=None) -> dict[str, tuple[float, float]]:
    """Each column of a posterior sample (default: the repository's Scenarios/posterior.csv,
    written by `pillars calibrate … --posterior-out`) and the range of its draws."""
    if path is None:
        root = repository_root()
        if root is None:
            raise FileNotFoundError("no repository found for Scenarios/posterior.csv; pass its path")
        path = root / "Scenarios" / "posterior.csv"
    df = pd.read_csv(path)
    if df.empty:
        raise ValueError(f"{path}: no draws")
    return {c: (float(df[c].min()), float(df[c].max())) for c in df.columns}


def _mean(values):
    a = np.asarray(values, dtype=float)
    return float(np.mean(a[~np.isnan(a)])) if (~np.isnan(a)).any() else float("nan")


def _series_mean(values):
    a = np.asarray(values, dtype=float)  # replications × days
    with np.errstate(all="ignore"):
        return np.nanmean(a, axis=0) if a.size else a


class PillarsModel(AbstractModel):
    """A pillars scenario as an EMA Workbench model (see the module's doc).

    Parameters
    ----------
    name : the model's name (alphanumeric, as EMA requires).
    scenario : the scenario file (YAML) every experiment starts from.
    uncertainties, levers : the parameters to vary, each given as a parameter path (its
        declared range), a mapping path → None | (lo, hi) | [values] | "posterior", an EMA
        Parameter named by its path, or the word "posterior" (every parameter of the
        posterior sample over its range). Narrower ranges than declared are allowed, wider
        ones refused.
    outcomes : output names (scalar summaries, mean over replications) or EMA outcomes whose
        variable names are outputs (their function gets the array over replications).
    timeseries : output names to return as time series (mean over replications per day).
    schemes : None; True (every overlay in Scenarios/schemes/, and "none"); or a list of
        overlay files, or a mapping label → overlay file (None: no overlay). Becomes the
        categorical lever `scheme` (levers are sampled separately: see `scheme_policies`).
    replications, seed : replications per experiment and the master seed (replication r has
        the seed derived from it and r at every experiment: common random numbers).
    set : settings applied to every experiment (`--set`), a mapping path → value.
    posterior : the posterior sample for "posterior" ranges (default Scenarios/posterior.csv).
    binary : the pillars binary (default: found as pillars.find_binary says).
    jobs : worker threads of each sweep (default 1; the multiprocessing evaluator runs one
        shard per worker process instead).
    progress : show each batch sweep's progress bar (pillars draws it on a terminal only, and
        not under CI) on stderr; one-point sweeps of EMA's own evaluators never show one.
    """

    def __init__(self, name: str, scenario, *, uncertainties=(), levers=(), outcomes=("participation_rate",),
                 timeseries: Sequence[str] = (), schemes=None, replications: int = 3, seed: int = 42,
                 set: Mapping[str, object] | None = None, posterior=None, binary=None, jobs: int = 1,
                 progress: bool = True):
        super().__init__(name)
        self.scenario = Path(scenario).resolve()
        if not self.scenario.is_file():
            raise FileNotFoundError(f"{scenario}: no such scenario file")
        self.replications = int(replications)
        if self.replications < 1:
            raise ValueError("replications must be at least 1")
        self.seed = int(seed)
        self.settings = dict(set or {})
        self.binary = binary
        self.jobs = int(jobs)
        self.progress = bool(progress)
        self.posterior = posterior
        self.last_folders: list[Path] = []
        self.keep_folders = False
        self._declared = _parameters(binary).set_index("name")
        self._workdir: Path | None = None
        self._sweeps = 0
        self.uncertainties = self._parameters(uncertainties, "uncertainties")
        self.levers = self._parameters(levers, "levers")
        self.schemes = self._schemes(schemes)
        if self.schemes is not None:
            self.levers.extend([CategoricalParameter(SCHEME, list(self.schemes))])
        outs = []
        names = {*_output_names(binary)}
        for o in outcomes:
            if isinstance(o, AbstractOutcome):
                unknown = [v for v in o.variable_name if v not in names]
                if unknown:
                    raise ValueError(f"outcome {o.name}: {', '.join(unknown)} is not an output (pillars outputs)")
                outs.append(o)
            elif o in names:
                outs.append(ScalarOutcome(o, function=_mean))
            else:
                raise ValueError(f"{o!r} is not an output (pillars outputs lists them)")
        self.timeseries = list(timeseries)
        for t in self.timeseries:
            if t not in names:
                raise ValueError(f"{t!r} is not an output (pillars outputs lists them)")
            # EMA keeps one outcome class per name, so the series is named apart from the scalar
            outs.append(ArrayOutcome(f"{t}_series", variable_name=t, function=_series_mean))
        if self.timeseries:
            outs.append(ArrayOutcome("TIME"))
        self.outcomes = outs
        swept = [p for p in self._all_parameters() if p.name != SCHEME and self._kind(p) != "choice"]
        if not swept:
            raise ValueError("give at least one real, integer or boolean uncertainty or lever: "
                             "a sweep needs a parameter to vary")

    # -- parameters -------------------------------------------------------------------------
    def _kind(self, par: Parameter) -> str:
        path = par.variable_name[0]
        return self._declared.loc[path, "type"] if path in self._declared.index else "scheme"

    def _all_parameters(self):
        return list(self.uncertainties) + list(self.levers)

    def _parameters(self, spec, what: str) -> list[Parameter]:
        if isinstance(spec, str):
            spec = {p: "posterior" for p in posterior_ranges(self.posterior)} if spec == "posterior" else [spec]
        items = spec.items() if isinstance(spec, Mapping) else ((s, None) if isinstance(s, str) else (s, s) for s in spec)
        out = []
        for key, rng in items:
            if isinstance(rng, Parameter):
                self._check_declared(rng.variable_name[0], what)
                out.append(rng)
                continue
            out.append(self._parameter(key, rng, what))
        return out

    def _check_declared(self, path: str, what: str):
        if path not in self._declared.index:
            raise ValueError(f"{what}: {path!r} is not a parameter (pillars params lists them)")
        return self._declared.loc[path]

    def _parameter(self, path: str, rng, what: str) -> Parameter:
        d = self._check_declared(path, what)
        kind = d["type"]
        if kind == "choice":
            values = d["max"].split("|")
            chosen = values if rng is None else list(rng)
            bad = [v for v in chosen if v not in values]
            if bad:
                raise ValueError(f"{what}: {path}: {', '.join(map(str, bad))} not among its values {', '.join(values)}")
            return CategoricalParameter(path, chosen)
        if kind == "boolean":
            if rng is not None:
                raise ValueError(f"{what}: {path} is a switch; give it without a range")
            return BooleanParameter(path)
        lo, hi = float(d["min"]), float(d["max"])
        if isinstance(rng, str) and rng == "posterior":
            ranges = posterior_ranges(self.posterior)
            if path not in ranges:
                raise ValueError(f"{what}: {path} is not in the posterior sample")
            rng = ranges[path]
        if rng is not None:
            try:
                a, b = (float(x) for x in rng)
            except (TypeError, ValueError):
                raise ValueError(f"{what}: {path}: expected (lo, hi), got {rng!r}") from None
            if not (lo <= a < b <= hi):
                raise ValueError(f"{what}: {path}: range ({a:g}, {b:g}) is not inside its declared range "
                                 f"[{lo:g}, {hi:g}] ({d['unit']}), or lo is not below hi")
            lo, hi = a, b
        if kind == "integer":
            return IntegerParameter(path, int(np.ceil(lo)), int(np.floor(hi)))
        return RealParameter(path, lo, hi)

    def _schemes(self, schemes):
        if schemes is None or schemes is False:
            return None
        if schemes is True:
            root = repository_root()
            if root is None:
                raise FileNotFoundError("no repository found for Scenarios/schemes/; pass the overlay files")
            files = sorted(p for p in (root / "Scenarios" / "schemes").glob("*.yaml") if not p.name.startswith("_"))
            schemes = {NO_SCHEME: None, **{p.stem: p for p in files}}
        elif not isinstance(schemes, Mapping):
            schemes = {NO_SCHEME: None, **{Path(p).stem: p for p in schemes}}
        out = {}
        for label, path in schemes.items():
            if path is not None:
                path = Path(path).resolve()
                if not path.is_file():
                    raise FileNotFoundError(f"scheme {label}: {path}: no such overlay file")
            out[str(label)] = path
        return out

    def scheme_policies(self) -> list:
        """One EMA Policy per scheme (the full set of the scheme lever), for
        perform_experiments(policies=…) when the schemes are the only lever."""
        if self.schemes is None:
            raise ValueError("this model has no schemes")
        return [ema.Policy(label, **{SCHEME: label}) for label in self.schemes]

    # -- running ----------------------------------------------------------------------------
    def experiment_values(self, scenario, policy) -> dict:
        """The parameter values of one experiment, by path (and `scheme`)."""
        values = {}
        for pars, point in ((self.uncertainties, scenario), (self.levers, policy)):
            for par in pars:
                value = point[par.name] if par.name in point else par.default
                if value is None:
                    raise ValueError(f"experiment {getattr(point, 'name', '?')}: no value for {par.name}")
                for var in par.variable_name:
                    values[var] = value
        for c in self.constants:
            values[c.name] = c.value
        return values

    def run_model(self, scenario, policy):
        """One experiment (EMA's own evaluators): a sweep of one point."""
        self.policy = policy
        self.outcomes_output = self.run_experiments([self.experiment_values(scenario, policy)], progress=False)[0]

    def process(self, outputs: dict) -> dict:
        """The outcomes of one experiment from its outputs (as run_model would set them)."""
        self._outcomes_output = {}
        self.outcomes_output = outputs
        result, self._outcomes_output = self._outcomes_output, {}
        return result

    def _workspace(self) -> Path:
        if self._workdir is None or not self._workdir.is_dir():
            self._workdir = Path(tempfile.mkdtemp(prefix=f"pillars-ema-{self.name}-"))
            self._workdir_owner = os.getpid()
        return self._workdir

    def cleanup(self):
        """Remove the model's temporary folder (EMA calls this after the experiments; a pool
        worker's copy of the model never removes the folder of the process that made it)."""
        if self._workdir is not None and not self.keep_folders and getattr(self, "_workdir_owner", None) == os.getpid():
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def plan(self, experiments: Sequence[dict]) -> list[dict]:
        """The sweeps a batch needs: one per scheme and choice combination, each with its
        scenario file, its settings, its design and the batch positions of its points."""
        pars = self._all_parameters()
        fixed = [p.variable_name[0] for p in pars if p.name == SCHEME or self._kind(p) == "choice"]
        swept = [p.variable_name[0] for p in pars if p.variable_name[0] not in fixed]
        constants = {c.name: c.value for c in self.constants}
        groups: dict[tuple, list[int]] = {}
        for i, e in enumerate(experiments):
            groups.setdefault(tuple(e[f] for f in fixed), []).append(i)
        ws = self._workspace()
        plans = []
        for key, idx in groups.items():
            choice = dict(zip(fixed, key))
            scheme = choice.pop(SCHEME, None)
            overlay = self.schemes.get(scheme) if self.schemes is not None else None
            scenario = self._scheme_scenario(scheme, ws) if overlay is not None else self.scenario
            settings = {**self.settings, **constants, **choice}
            design = pd.DataFrame([{p: experiments[i][p] for p in swept} for i in idx], columns=swept)
            self._sweeps += 1
            folder = ws / f"sweep-{self._sweeps}"
            plans.append({"scenario": scenario, "settings": settings, "design": design, "index": idx,
                          "folder": folder, "scheme": scheme})
        return plans

    def _scheme_scenario(self, label: str, ws: Path) -> Path:
        """The effective scenario of the base with the scheme's overlay (`pillars show
        BASE --scheme OVERLAY`: the binary applies the overlay, exactly as compare does)."""
        path = ws / f"scheme-{label}.yaml"
        if not path.is_file():
            text = call(["show", str(self.scenario), "--scheme", str(self.schemes[label])], binary=self.binary, progress=False)
            path.write_text(text, encoding="utf-8")
        return path

    def sweep_args(self, plan: dict, shard: tuple[int, int] | None = None, progress: bool = False) -> list[str]:
        """The `pillars sweep` command line of one planned sweep (or of one shard of it)."""
        out = plan["folder"] if shard is None else plan["folder"] / f"shard-{shard[0]}"
        a = ["sweep", str(plan["scenario"]), "--design-file", str(plan["folder"]) + ".csv",
             "--reps", str(self.replications), "--seed", str(self.seed), *set_args(plan["settings"]),
             "--out", str(out), "--jobs", str(self.jobs if shard is None else 1)]
        if not progress:
            a.append("--quiet")
        if self.timeseries:
            a.append("--timeseries")
        if shard is not None:
            a += ["--shard", f"{shard[0]}/{shard[1]}"]
        return a

    def run_experiments(self, experiments: Sequence[dict], pool=None, shards: int = 1,
                        progress: bool | None = None) -> list[dict]:
        """Run a batch (each experiment a dict path → value, as from experiment_values) and
        return each one's outputs: per output the array over replications (time series: an
        array replications × days). With a multiprocessing pool, each planned sweep runs as
        `shards` shards in it."""
        plans = self.plan(experiments)
        tasks = [(p, None) for p in plans] if pool is None or shards <= 1 else \
            [(p, (i, shards)) for p in plans for i in range(1, shards + 1)]
        try:
            for p in plans:
                write_design(p["design"], str(p["folder"]) + ".csv")
            show = self.progress if progress is None else progress
            args = [(self.binary, self.sweep_args(p, s, progress=show and pool is None)) for p, s in tasks]
            if pool is None or shards <= 1:
                folders = [_run_sweep(*a) for a in args]
            else:
                folders = pool.starmap(_run_sweep, args)
            by_plan: dict[int, list] = {}
            for (p, _), folder in zip(tasks, folders):
                by_plan.setdefault(id(p), []).append(read_results(folder))
            results: list[dict | None] = [None] * len(experiments)
            for p in plans:
                parts = by_plan[id(p)]
                sweep = pd.concat([r.sweep for r in parts]).sort_values(["point", "replication"], kind="stable")
                ts = pd.concat([r.timeseries for r in parts]).sort_values(["point", "replication", "day"], kind="stable") \
                    if self.timeseries else None
                variables = [v for o in self.outcomes for v in o.variable_name]
                scalars = [v for v in variables if v != "TIME" and v not in self.timeseries]
                rows = {k: g for k, g in sweep.groupby("point", sort=True)}
                series = {k: g for k, g in ts.groupby("point", sort=True)} if ts is not None else {}
                for point, i in enumerate(p["index"]):
                    g = rows.get(point)
                    if g is None or len(g) != self.replications:
                        raise RuntimeError(f"{p['folder']}: point {point} has {0 if g is None else len(g)} rows, "
                                           f"expected {self.replications}")
                    out = {v: g[v].to_numpy() for v in scalars}
                    if ts is not None:
                        s = series[point]
                        days = np.sort(s["day"].unique())
                        for v in self.timeseries:
                            out[v] = s.pivot(index="replication", columns="day", values=v)[days].to_numpy()
                        out["TIME"] = days
                    results[i] = out
        finally:
            if not self.keep_folders:
                for p in plans:
                    shutil.rmtree(p["folder"], ignore_errors=True)
                    Path(str(p["folder"]) + ".csv").unlink(missing_ok=True)
            else:
                self.last_folders += [p["folder"] for p in plans]
        return results


def _output_names(binary) -> list[str]:
    from .commands import outputs
    return list(outputs(binary)["name"])


def _run_sweep(binary, args) -> Path:
    """Run one sweep (in this process or a pool worker) and return its folder; its progress
    bar is streamed unless the arguments say --quiet (its summary line, on stdout, is not)."""
    call(args, binary=binary, progress="--quiet" not in args)
    return Path(args[args.index("--out") + 1])


def _evaluate(msis, experiments, callback, pool=None, shards=1):
    """Run experiments: those of a PillarsModel as one batch per model, others one by one
    as EMA does; hand each result to the callback in experiment order."""
    models = NamedObjectMap(AbstractModel)
    models.extend(msis)
    outcomes = {}
    try:
        for model in models:
            if isinstance(model, PillarsModel):
                mine = [e for e in experiments if e.model_name == model.name]
                if not mine:
                    continue
                values = [model.experiment_values(e.scenario, e.policy) for e in mine]
                outputs = model.run_experiments(values, pool=pool, shards=shards)
                for e, o in zip(mine, outputs):
                    outcomes[id(e)] = model.process(o)
        runner = None
        for e in experiments:
            if id(e) in outcomes:
                callback(e, outcomes[id(e)])
            else:
                runner = runner or ExperimentRunner(models)
                callback(e, runner.run_experiment(e))
    finally:
        for model in models:
            if isinstance(model, PillarsModel):
                model.cleanup()


class SequentialEvaluator(ema.SequentialEvaluator):
    """EMA's sequential evaluator, but the experiments of each PillarsModel are run as one
    batch (`pillars sweep --design-file` per scheme and choice combination, `jobs` threads)."""

    def evaluate_experiments(self, scenarios, policies, callback, combine="factorial"):
        experiments = list(experiment_generator(scenarios, self._msis, policies, combine=combine))
        _evaluate(self._msis, experiments, callback)


class MultiprocessingEvaluator(ema.MultiprocessingEvaluator):
    """EMA's multiprocessing evaluator, but each sweep of a PillarsModel's batch is split into
    n_processes shards (`--shard i/n`, one per worker; seeds do not depend on the shard, so
    the outcomes are those of the sequential evaluator)."""

    def evaluate_experiments(self, scenarios, policies, callback, combine="factorial"):
        experiments = list(experiment_generator(scenarios, self._msis, policies, combine=combine))
        _evaluate(self._msis, experiments, callback, pool=self._pool, shards=self.n_processes)
