"""Reading a pillars results folder into pandas DataFrames, typed and checked.

`read_results(folder)` reads every table a verb writes (summary, replications, timeseries,
projects, communities, comparison, decision, sweep, design, sensitivity, samples) with
dtypes taken from the folder's own `outputs.csv` (every output a float64, its unit in
`df.attrs["units"]`), seeds as uint64, and refuses — with IncompleteResultsError naming the
folder and what is wrong — a folder another pillars command is still writing (its `flock`),
one without `manifest.json` (written last; docs/RELIABILITY.md, "Publishing results"), a sweep whose manifest still says `running`, a merge marked `partial`,
or a table with a half-written or missing row.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["read_results", "Results", "ResultsError", "IncompleteResultsError"]


class ResultsError(ValueError):
    """A results folder or one of its tables is not what pillars writes (damaged)."""


class IncompleteResultsError(ResultsError):
    """A results folder that is still being written, or was left incomplete by a killed
    command (resume a sweep with `pillars sweep … --resume --out DIR`)."""


# The leading columns of each table and their kind; the columns after them are outputs
# (or, in sweep.csv and samples.csv, parameters then outputs). Kinds: int, int? (may be
# empty), seed (uint64), str, float, float? (may be empty or the word `undefined`).
_LEADING = {
    "summary.csv": [("metric", "str"), ("mean", "float?"), ("sd", "float?"), ("lo95", "float?"), ("hi95", "float?"), ("n", "int")],
    "replications.csv": [("replication", "int"), ("seed", "seed")],
    "timeseries.csv": [("replication", "int"), ("day", "int")],
    "communities.csv": [("replication", "int"), ("community", "int"), ("name", "str")],
    "projects.csv": None,  # fixed columns, below
    "comparison.csv": [("metric", "str"), ("group", "str"), ("baseline", "float?"), ("alternative", "float?"),
                       ("diff_mean", "float?"), ("lo95", "float?"), ("hi95", "float?")],
    "decision.csv": None,
    "sweep.csv": [("point", "int"), ("replication", "int"), ("seed", "seed")],
    "design.csv": [],
    "sensitivity.csv": [("metric", "str"), ("parameter", "str")],
    "samples.csv": [("row", "int")],
}
_PROJECTS_FIXED = {"replication": "int", "community": "int", "project": "str", "category": "str", "cost": "float?",
                   "start_day": "int?", "raised_total": "float?", "gap": "float?", "funded_share": "float?",
                   "phase": "str", "finish_day": "int?"}
_DECISION_TEXT = {"scenario": "str", "fits_budget": "str", "pairs": "int?"}


@dataclass
class Results:
    """One results folder: its manifest, its dictionary of outputs and its tables.

    Tables are attributes (`summary`, `replications`, `timeseries`, `projects`,
    `communities`, `comparison`, `decision`, `sweep`, `design`, `sensitivity`, `samples`);
    a table the verb does not write is None. `tables` holds those present by file stem.
    `design_json` is a sweep's design.json, `outputs` the folder's outputs.csv."""

    folder: Path
    manifest: dict
    outputs: pd.DataFrame
    design_json: dict | None = None
    tables: dict = field(default_factory=dict)

    def __getattr__(self, name):
        if name in _LEADING_STEMS or name == "cases":
            return self.tables.get(name)
        raise AttributeError(name)

    def units(self) -> dict:
        """Each output's unit, by name."""
        return dict(zip(self.outputs["name"], self.outputs["unit"]))

    def __repr__(self):
        shapes = ", ".join(f"{k} {v.shape[0]}×{v.shape[1]}" for k, v in self.tables.items())
        return f"Results({str(self.folder)!r}: {shapes})"


_LEADING_STEMS = {f[:-4] for f in _LEADING}


def read_results(folder: str | os.PathLike) -> Results:
    """Read every table of a pillars results folder (see the module's doc)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such results folder")
    _check_not_locked(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file() and (folder / "cases.csv").is_file():
        return _read_cases(folder)
    if not manifest_path.is_file() and (folder / "design.csv").is_file() and not any(
            (folder / n).is_file() for n in _LEADING if n != "design.csv"):
        # `sweep --dry-run` writes only design.csv (the --design-file format)
        design = _read_table(folder / "design.csv", {}, [])
        return Results(folder=folder, manifest={}, outputs=pd.DataFrame(columns=["name", "unit"]),
                       tables={"design": design})
    if not manifest_path.is_file():
        raise IncompleteResultsError(
            f"{folder}: no manifest.json — the folder is incomplete (pillars writes the manifest last; "
            f"a killed run or merge leaves none) or not a pillars results folder")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ResultsError(f"{manifest_path}: not valid JSON ({e})") from None
    if not isinstance(manifest, dict):
        raise ResultsError(f"{manifest_path}: expected a JSON object")
    status = manifest.get("status")
    if status == "running":
        raise IncompleteResultsError(
            f"{folder}: manifest.json says status running — the sweep is still being written or was killed; "
            f"finish it with the same `pillars sweep … --resume --out {folder}`")
    if status == "partial":
        raise IncompleteResultsError(
            f"{folder}: manifest.json says status partial — a merge with --allow-partial; complete it with "
            f"`pillars sweep … --resume --out {folder}`")
    outputs_path = folder / "outputs.csv"
    if not outputs_path.is_file():
        raise ResultsError(f"{folder}: no outputs.csv (every results folder has the dictionary of its outputs)")
    outputs = pd.read_csv(outputs_path, dtype=str, keep_default_na=False)
    missing = {"name", "unit"} - set(outputs.columns)
    if missing:
        raise ResultsError(f"{outputs_path}: header lacks {', '.join(sorted(missing))}")
    units = dict(zip(outputs["name"], outputs["unit"]))
    definitions = dict(zip(outputs["name"], outputs["definition"])) if "definition" in outputs else {}

    design_json = None
    if (folder / "design.json").is_file():
        try:
            design_json = json.loads((folder / "design.json").read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ResultsError(f"{folder / 'design.json'}: not valid JSON ({e})") from None
    params = [p["name"] for p in (design_json or {}).get("parameters", [])]

    res = Results(folder=folder, manifest=manifest, outputs=outputs, design_json=design_json)
    for name in _LEADING:
        path = folder / name
        if not path.is_file():
            continue
        df = _read_table(path, units, params)
        df.attrs["units"] = {k: v for k, v in units.items() if k in df.columns or name in ("summary.csv", "comparison.csv", "sensitivity.csv")}
        df.attrs["definitions"] = {k: v for k, v in definitions.items() if k in df.attrs["units"]}
        df.attrs["file"] = str(path)
        res.tables[name[:-4]] = df
    if not res.tables:
        raise ResultsError(f"{folder}: a manifest but no result table (summary.csv, sweep.csv, comparison.csv, …)")
    if "sweep" in res.tables and design_json is not None:
        _check_sweep_rows(folder, res.tables["sweep"], design_json)
    return res


def _read_cases(folder: Path) -> Results:
    """A `pillars cases` folder (it writes no manifest): cases.csv and the cross-validation,
    identification and prediction tables beside it, as pandas reads them (`pass` columns as
    booleans)."""
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        if path.name == "outputs.csv":
            continue
        raw = path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            raise IncompleteResultsError(f"{path}: the last row is cut off (no line end) — still being written?")
        df = pd.read_csv(path)
        for c in [c for c in df.columns if c == "pass" or c.startswith("pass_")]:
            if c in df.columns and df[c].dtype != bool:
                df[c] = df[c].astype(str).str.lower().map({"true": True, "false": False, "nan": False, "": False})
        df.attrs["file"] = str(path)
        tables[path.stem] = df
    outputs = pd.read_csv(folder / "outputs.csv", dtype=str, keep_default_na=False) if (folder / "outputs.csv").is_file() \
        else pd.DataFrame(columns=["name", "unit"])
    return Results(folder=folder, manifest={}, outputs=outputs, tables=tables)


def _check_not_locked(folder: Path) -> None:
    """IncompleteResultsError when a pillars command holds the folder's lock (it is writing)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError as e:
        if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise IncompleteResultsError(
                f"{folder}: another pillars command is writing this folder; wait for it to finish") from None
    finally:
        os.close(fd)


def _read_table(path: Path, units: dict, params: list[str]) -> pd.DataFrame:
    name = path.name
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raise IncompleteResultsError(
            f"{path}: the last row is cut off (no line end) — still being written, or a killed command "
            f"(a sweep: resume it with `pillars sweep … --resume`)")
    text = raw.decode("utf-8")
    lines = text.split("\n")[:-1]
    if not lines:
        raise ResultsError(f"{path}: empty (no header)")
    header = lines[0].split(",")
    if '"' not in text:  # every table but outputs.csv is unquoted: a row has exactly the header's fields
        n = len(header) - 1
        for i, line in enumerate(lines[1:], start=2):
            if line.count(",") != n:
                raise ResultsError(f"{path}: line {i} has {line.count(',') + 1} fields, the header {n + 1}")
    kinds = _kinds(name, header, units, params, path)
    if '"' not in text:
        fast = _read_typed(path, kinds)
        if fast is not None:
            return fast
    # A value pandas could not take as its column's type (or a quoted table): convert column
    # by column, to name the line and column of the first bad value.
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    kinds = _kinds(name, list(df.columns), units, params, path)
    out = {}
    for col in df.columns:
        out[col] = _convert(df[col], kinds[col], path, col)
    return pd.DataFrame(out)


_FAST_DTYPES = {"str": str, "int": np.int64, "seed": np.uint64, "int?": "Int64", "float": np.float64, "float?": np.float64}


def _read_typed(path: Path, kinds: dict) -> pd.DataFrame | None:
    """The table read by pandas' C parser straight into its types (fast); None when a value
    does not fit its column, so that the caller finds and names it."""
    na = {c: ["", "undefined"] if k == "float?" else [""] if k == "int?" else [] for c, k in kinds.items()}
    try:
        # pandas 3's default parser gives back exactly the double the binary wrote (checked on
        # 400,000 shortest round-trip numbers; the tests compare outcomes bit for bit)
        df = pd.read_csv(path, dtype={c: _FAST_DTYPES[k] for c, k in kinds.items()}, na_values=na,
                         keep_default_na=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if list(df.columns) != list(kinds):
        return None
    for c, k in kinds.items():
        if k in ("float", "int", "seed") and df[c].isna().any():
            return None
        if k == "str":
            df[c] = df[c].astype(str)
    return df


def _kinds(name: str, columns: list[str], units: dict, params: list[str], path: Path) -> dict:
    if len(set(columns)) != len(columns):
        raise ResultsError(f"{path}: a column name appears twice in the header")
    kinds = {}
    if name == "projects.csv":
        for c in columns:
            if c in _PROJECTS_FIXED:
                kinds[c] = _PROJECTS_FIXED[c]
            elif c.startswith("funding_"):
                kinds[c] = "float?"
            else:
                raise ResultsError(f"{path}: unexpected column {c!r}")
        return kinds
    if name == "decision.csv":
        if not columns or columns[0] != "scenario":
            raise ResultsError(f"{path}: header should start with scenario, not {columns[:1]}")
        return {c: _DECISION_TEXT.get(c, "float?") for c in columns}
    lead = _LEADING[name]
    if name == "comparison.csv" and columns and columns[0] == "scenario":
        lead = [("scenario", "str")] + lead  # several alternatives
    if name == "timeseries.csv" and columns and columns[0] == "point":
        lead = [("point", "int")] + lead  # a sweep's --timeseries
    head = [c for c, _ in lead]
    if columns[:len(head)] != head:
        raise ResultsError(f"{path}: header should start with {','.join(head)}, not {','.join(columns[:len(head)])}")
    kinds.update(dict(lead))
    rest = columns[len(head):]
    if name in ("summary.csv", "comparison.csv", "sensitivity.csv"):
        for c in rest:  # sensitivity: s1… or mu… columns, all numbers
            kinds[c] = "float?"
        return kinds
    for c in rest:
        if c in units:
            kinds[c] = "float?"
        elif name in ("sweep.csv", "design.csv", "samples.csv") and (c in params or "." in c or c == "matrix" or c == "trajectory"):
            kinds[c] = "int" if c == "trajectory" else ("str" if c == "matrix" else "float")
        else:
            raise ResultsError(f"{path}: column {c!r} is neither an output in outputs.csv nor a parameter")
    return kinds


def _convert(col: pd.Series, kind: str, path: Path, name: str) -> pd.Series:
    if kind == "str":
        return col.astype(str)
    empty = col.eq("")
    if kind in ("int", "seed") and empty.any():
        line = int(np.flatnonzero(empty.to_numpy())[0]) + 2
        raise ResultsError(f"{path}: line {line}, column {name}: empty, expected a whole number")
    if kind == "seed":
        try:
            return col.astype(np.uint64)
        except (ValueError, OverflowError):
            bad = next(i for i, v in enumerate(col) if not (v.isdigit() and int(v) < 2**64))
            raise ResultsError(f"{path}: line {bad + 2}, column seed: {col.iloc[bad]!r} is not an unsigned 64-bit seed") from None
    values = col.where(~(empty | col.eq("undefined")), None) if kind.endswith("?") else col
    num = pd.to_numeric(values, errors="coerce")
    bad = num.isna() & values.notna() & ~(values.isin(["nan", "NaN"]) if kind.endswith("?") else False)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        expected = "a whole number" if kind.startswith("int") else "a number"
        raise ResultsError(f"{path}: line {i + 2}, column {name}: {col.iloc[i]!r} is not {expected}")
    if kind == "int":
        if (num != np.round(num)).any():
            i = int(np.flatnonzero((num != np.round(num)).to_numpy())[0])
            raise ResultsError(f"{path}: line {i + 2}, column {name}: {col.iloc[i]!r} is not a whole number")
        return num.astype(np.int64)
    if kind == "int?":
        return num.astype("Int64")
    return num.astype(np.float64)


def _check_sweep_rows(folder: Path, sweep: pd.DataFrame, design: dict) -> None:
    """A complete sweep (or merge) has every job of its shard, each once."""
    expected = design.get("shard_jobs", design.get("total_jobs"))
    if expected is not None and len(sweep) != expected:
        raise IncompleteResultsError(
            f"{folder / 'sweep.csv'}: {len(sweep)} rows, design.json expects {expected} — incomplete; "
            f"resume with `pillars sweep … --resume --out {folder}`")
    if sweep.duplicated(["point", "replication"]).any():
        raise ResultsError(f"{folder / 'sweep.csv'}: a (point, replication) appears twice")
