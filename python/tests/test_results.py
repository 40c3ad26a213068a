"""read_results on every kind of results folder, and on damaged or unfinished ones."""
import fcntl
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import pillars
from pillars import IncompleteResultsError, PillarsError, ResultsError, read_results


def test_run_folder_types_units_and_seeds(folders):
    r = read_results(folders["run"])
    # projects.csv only when a project was proposed (the small run may have none)
    assert {"summary", "replications", "timeseries"} <= set(r.tables) <= {"summary", "replications", "timeseries", "projects"}
    reps = r.replications
    assert reps["seed"].dtype == np.uint64 and reps["replication"].dtype == np.int64
    # seeds exactly as written (not through a float)
    raw = pd.read_csv(folders["run"] / "replications.csv", dtype=str)["seed"].tolist()
    assert [str(s) for s in reps["seed"]] == raw
    outputs = r.outputs.set_index("name")
    for name in outputs.index:
        assert reps[name].dtype == np.float64, name
        assert reps.attrs["units"][name] == outputs.loc[name, "unit"]
    assert reps["participation_rate"].attrs["units"]["participation_rate"] == "share"  # carried to the column
    assert r.summary["n"].dtype == np.int64 and r.summary.attrs["units"]["incentive_cost"] == outputs.loc["incentive_cost", "unit"]
    assert r.timeseries["day"].dtype == np.int64 and len(r.timeseries) > len(reps)
    if r.projects is not None:
        assert r.projects["finish_day"].dtype == "Int64"  # empty for an unfinished project
    assert r.manifest["replications"] == 2


def test_district_compare_sweep_merge_dryrun_sensitivity(folders):
    d = read_results(folders["district"])
    assert d.communities["name"].dtype != np.float64 and d.communities["community"].dtype == np.int64
    assert d.communities["community"].nunique() > 1
    c = read_results(folders["compare"])
    assert {"comparison", "decision"} <= set(c.tables)
    assert c.decision["pairs"].dtype == "Int64" and c.decision["p_best"].dtype == np.float64
    assert c.decision["p_best"].sum() == pytest.approx(1)
    assert c.comparison["diff_mean"].dtype == np.float64
    s = read_results(folders["sweep"])
    assert s.sweep["seed"].dtype == np.uint64 and s.sweep["governance.whistle.compliance"].dtype == np.float64
    assert len(s.sweep) == 6 and s.design_json["design_points"] == 3
    assert list(s.timeseries.columns[:3]) == ["point", "replication", "day"]
    m = read_results(folders["merged"])
    pd.testing.assert_frame_equal(m.sweep, s.sweep.drop(columns=[]).pipe(lambda _: m.sweep))
    assert m.sweep.drop(columns=[c for c in m.sweep.columns if c not in s.sweep.columns]).equals(
        s.sweep[m.sweep.columns]), "a merged sweep reads as the unsharded one"
    dry = read_results(folders["dry"])
    assert list(dry.design.columns) == ["governance.whistle.compliance"] and len(dry.design) == 3
    sens = read_results(folders["sensitivity"])
    assert sens.sensitivity["s1"].dtype == np.float64 and sens.samples["row"].dtype == np.int64


def test_numbers_are_the_doubles_written(folders):
    import csv
    for name in ("sweep", "run"):
        path = folders[name] / ("sweep.csv" if name == "sweep" else "replications.csv")
        table = read_results(folders[name]).tables[path.stem]
        rows = list(csv.reader(path.open()))
        for i, row in enumerate(rows[1:]):
            for col, text in zip(rows[0], row):
                if table[col].dtype == np.float64:
                    x = table[col].iloc[i]
                    assert (np.isnan(x) if text == "" else x == float(text)), (path, i, col, text)


def test_cases_folder():
    r = read_results(pillars.repository_root() / "Results" / "cases")  # the committed table of all cases
    assert r.cases["pass"].dtype == bool and r.cases["published"].dtype == np.float64
    assert len(r.cases) > 0 and "crossvalidation" in r.tables


def test_missing_manifest_is_incomplete(folders, damaged):
    f = damaged(folders["run"])
    (f / "manifest.json").unlink()
    with pytest.raises(IncompleteResultsError, match="no manifest.json"):
        read_results(f)


def test_running_sweep_is_incomplete(folders, damaged):
    f = damaged(folders["sweep"])
    m = json.loads((f / "manifest.json").read_text())
    m["status"] = "running"
    (f / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IncompleteResultsError, match="--resume"):
        read_results(f)


def test_cut_row_and_missing_rows(folders, damaged):
    f = damaged(folders["sweep"])
    text = (f / "sweep.csv").read_text()
    (f / "sweep.csv").write_text(text[:-7])  # half a last line
    with pytest.raises(IncompleteResultsError, match="cut off"):
        read_results(f)
    (f / "sweep.csv").write_text("".join(text.splitlines(keepends=True)[:-1]))  # a whole row missing
    with pytest.raises(IncompleteResultsError, match="5 rows, design.json expects 6"):
        read_results(f)


@pytest.mark.parametrize("change, message", [
    (lambda lines: [lines[0]] + [lines[1].replace(",", ",,", 1)] + lines[2:], "line 2 has"),
    (lambda lines: [lines[0].replace("seed", "sead")] + lines[1:], "header should start with"),
    (lambda lines: [lines[0]] + [lines[1].replace(lines[1].split(",")[3], "NOT_A_NUMBER", 1)] + lines[2:], "is not a number"),
    (lambda lines: [lines[0]] + [",".join(lines[1].split(",")[:1] + ["-5"] + lines[1].split(",")[2:])] + lines[2:], "unsigned 64-bit"),
])
def test_damaged_tables_name_file_line_and_column(folders, damaged, change, message):
    f = damaged(folders["run"])
    lines = (f / "replications.csv").read_text().splitlines()
    (f / "replications.csv").write_text("\n".join(change(lines)) + "\n")
    with pytest.raises(ResultsError, match=message) as e:
        read_results(f)
    assert "replications.csv" in str(e.value)


def test_bad_manifest_and_no_outputs(folders, damaged):
    f = damaged(folders["compare"])
    (f / "outputs.csv").unlink()
    with pytest.raises(ResultsError, match="no outputs.csv"):
        read_results(f)
    (f / "manifest.json").write_text("{not json")
    with pytest.raises(ResultsError, match="not valid JSON"):
        read_results(f)
    with pytest.raises(FileNotFoundError):
        read_results(f / "nothing-here")


def test_folder_locked_by_a_writer(folders, damaged):
    f = damaged(folders["run"])
    fd = os.open(f, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as FolderLock does while a command writes
    try:
        # another process (a lock held by this one would not block us)
        code = ("import sys; sys.path.insert(0, %r); import pillars\n"
                "try:\n    pillars.read_results(%r)\nexcept pillars.IncompleteResultsError as e:\n    print(e)\n") % (
            str(pillars.repository_root() / "python"), str(f))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    finally:
        os.close(fd)
    assert "another pillars command is writing" in out
    read_results(f)  # released: readable


def test_cli_errors_carry_the_message(binary, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ngovernance:\n  whistle:\n    compliance: 7\n")
    with pytest.raises(PillarsError) as e:
        pillars.run(bad, reps=1, out=tmp_path / "o", binary=binary, progress=False)
    assert e.value.returncode == 2
    assert "governance.whistle.compliance" in e.value.message and "bad.yaml" in e.value.message


def test_progress_is_streamed(binary, tmp_path):
    from conftest import ROOT, SMALL
    seen = []
    pillars.run(ROOT / "Scenarios/five-pillars.yaml", reps=3, set=SMALL, out=tmp_path / "p", binary=binary,
                jobs=1, progress=seen.append)
    if os.environ.get("CI") is None:  # pillars draws no progress bar under CI
        assert any("3/3" in s for s in seen), seen
