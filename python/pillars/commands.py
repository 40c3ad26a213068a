"""`run`, `compare` and `sweep` through the binary, returning the results folder read back;
`parameters` and `outputs` from `pillars params --csv` and `pillars outputs --csv`."""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ._cli import call
from .results import Results, read_results

__all__ = ["run", "compare", "sweep", "parameters", "outputs"]

Settings = Mapping[str, object] | Iterable[str] | None


def _value(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        return repr(float(v))  # shortest round trip: the binary reads the same double
    if isinstance(v, np.integer):
        return str(int(v))
    return str(v)


def set_args(settings: Settings) -> list[str]:
    """`--set key.path=value` for each setting (a mapping, or `key=value` strings)."""
    if not settings:
        return []
    items = settings.items() if isinstance(settings, Mapping) else (s.split("=", 1) for s in settings)
    out = []
    for k, v in items:
        out += ["--set", f"{k}={_value(v)}"]
    return out


def _common(reps, seed, settings, out, jobs, overwrite, posterior=None) -> list[str]:
    a = []
    if reps is not None:
        a += ["--reps", str(int(reps))]
    if seed is not None:
        a += ["--seed", str(int(seed))]
    a += set_args(settings)
    if out is not None:
        a += ["--out", os.fspath(out)]
    if jobs is not None:
        a += ["--jobs", str(int(jobs))]
    if overwrite:
        a.append("--overwrite")
    if posterior is not None:
        a += ["--posterior", os.fspath(posterior)]
    return a


def _folder(stdout: str, out) -> Path:
    if out is not None:
        return Path(out)
    for line in reversed(stdout.splitlines()):
        if line.startswith("results: "):
            p = Path(line[len("results: "):].strip())
            return p.parent if p.suffix == ".csv" else p
    raise RuntimeError("pillars did not say where it wrote its results (no 'results:' line); pass out=")


def run(scenario, *, reps: int | None = None, seed: int | None = None, set: Settings = None,
        out=None, jobs: int | None = None, overwrite: bool = False, posterior=None,
        args: Sequence[str] = (), binary=None, progress: bool | Callable[[str], None] = True) -> Results:
    """`pillars run SCENARIO …`; returns the results folder read back (summary, replications,
    timeseries, projects, communities for a district). `set` maps key paths to values."""
    stdout = call(["run", os.fspath(scenario), *_common(reps, seed, set, out, jobs, overwrite, posterior), *args],
                  binary=binary, progress=progress)
    return read_results(_folder(stdout, out))


def compare(baseline, *alternatives, schemes: Sequence = (), reps: int | None = None, precision: float | None = None,
            max_reps: int | None = None, objective: str | None = None, minimize: bool = False, cost: str | None = None,
            budget: float | None = None, seed: int | None = None, set: Settings = None, out=None,
            jobs: int | None = None, overwrite: bool = False, args: Sequence[str] = (), binary=None,
            progress: bool | Callable[[str], None] = True) -> Results:
    """`pillars compare BASELINE [ALTERNATIVE…] [--scheme OVERLAY]…`; returns the folder read
    back (comparison and decision tables)."""
    a = ["compare", os.fspath(baseline), *map(os.fspath, alternatives)]
    for s in schemes:
        a += ["--scheme", os.fspath(s)]
    if precision is not None:
        a += ["--precision", repr(float(precision))]
    if max_reps is not None:
        a += ["--max-reps", str(int(max_reps))]
    if objective is not None:
        a += ["--objective", objective]
    if minimize:
        a.append("--minimize")
    if cost is not None:
        a += ["--cost", cost]
    if budget is not None:
        a += ["--budget", _value(budget)]
    stdout = call([*a, *_common(reps, seed, set, out, jobs, overwrite), *args], binary=binary, progress=progress)
    return read_results(_folder(stdout, out))


def sweep(scenario, *, params: Mapping[str, str] | Iterable[str] = (), design: str | None = None,
          points: int | None = None, design_file=None, reps: int | None = None, seed: int | None = None,
          set: Settings = None, out=None, jobs: int | None = None, timeseries: bool = False,
          resume: bool = False, shard: str | None = None, posterior=None, args: Sequence[str] = (),
          binary=None, progress: bool | Callable[[str], None] = True) -> Results:
    """`pillars sweep SCENARIO --param …` or `--design-file FILE` (or a DataFrame, whose
    columns are the parameter paths, written to a temporary CSV for it); returns the folder
    read back (sweep, and timeseries with `timeseries=True`)."""
    a = ["sweep", os.fspath(scenario)]
    items = params.items() if isinstance(params, Mapping) else (p.split("=", 1) for p in params)
    for k, v in items:
        a += ["--param", f"{k}={v}"]
    if design is not None:
        a += ["--design", design]
    if points is not None:
        a += ["--points", str(int(points))]
    written = None
    if design_file is not None:
        if isinstance(design_file, pd.DataFrame):  # written to a temporary CSV for --design-file
            fd, written = tempfile.mkstemp(prefix="pillars-design-", suffix=".csv")
            os.close(fd)
            write_design(design_file, written)
            design_file = written
        a += ["--design-file", os.fspath(design_file)]
    if timeseries:
        a.append("--timeseries")
    if resume:
        a.append("--resume")
    if shard is not None:
        a += ["--shard", shard]
    try:
        stdout = call([*a, *_common(reps, seed, set, out, jobs, False, posterior), *args], binary=binary, progress=progress)
    finally:
        if written is not None:
            os.unlink(written)
    return read_results(_folder(stdout, out))


def write_design(df: pd.DataFrame, path) -> None:
    """A design as `--design-file` reads it: header the parameter paths, one row per point,
    numbers in shortest round-trip form (so the binary runs exactly these values), switches 0/1."""
    lines = [",".join(map(str, df.columns))]
    for row in df.itertuples(index=False):
        lines.append(",".join(_design_value(v) for v in row))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _design_value(v) -> str:
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return "1" if v else "0"
    if isinstance(v, float) or type(v).__name__.startswith("float"):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 2**53 else repr(f)
    return str(v)


def parameters(binary=None) -> pd.DataFrame:
    """Every parameter (`pillars params --csv`): name, type (real, integer, boolean, choice),
    unit, min, max (for a choice: its values joined by |), default and source."""
    df = pd.read_csv(io.StringIO(call(["params", "--csv"], binary=binary, progress=False)), dtype=str, keep_default_na=False)
    if "type" not in df.columns:
        raise RuntimeError("this pillars binary's `params --csv` has no type column; rebuild it")
    return df


def outputs(binary=None) -> pd.DataFrame:
    """The dictionary of outputs (`pillars outputs --csv`): name, unit, definition, group, …"""
    return pd.read_csv(io.StringIO(call(["outputs", "--csv"], binary=binary, progress=False)), dtype=str, keep_default_na=False)
