"""Shared fixtures: the pillars binary (PILLARS, as Scripts/test.sh sets it, else as
pillars.find_binary finds it) and small results folders made once per session with it."""
import shutil
from pathlib import Path

import pytest

import pillars

ROOT = Path(__file__).resolve().parents[2]
# A small compound and a short horizon keep every run well under a second, even in debug.
SMALL = {"population.households": 60, "simulation.days": 200, "simulation.warmup_days": 40,
         "simulation.summary_days": 60}


@pytest.fixture(scope="session")
def binary():
    return str(pillars.find_binary())


@pytest.fixture(scope="session")
def folders(tmp_path_factory, binary):
    """One folder of every kind: run, district run, compare, sweep (with time series),
    merged shards, dry-run design, sensitivity."""
    base = tmp_path_factory.mktemp("results")
    kw = dict(binary=binary, progress=False, jobs=1)
    f = {}
    f["run"] = pillars.run(ROOT / "Scenarios/five-pillars.yaml", reps=2, set=SMALL, out=base / "run", **kw).folder
    f["district"] = pillars.run(ROOT / "Scenarios/district.yaml", reps=1, out=base / "district",
                                set={"simulation.days": 120, "simulation.warmup_days": 20, "simulation.summary_days": 60}, **kw).folder
    f["compare"] = pillars.compare(ROOT / "Scenarios/schemes/_no-incentives.yaml",
                                   schemes=[ROOT / "Scenarios/schemes/points-tenants.yaml"], reps=2, set=SMALL,
                                   out=base / "compare", **kw).folder
    f["sweep"] = pillars.sweep(ROOT / "Scenarios/five-pillars.yaml", params={"governance.whistle.compliance": "0.5:1"},
                               design="lhs", points=3, reps=2, set=SMALL, out=base / "sweep", timeseries=True, **kw).folder
    for i in (1, 2):
        pillars.sweep(ROOT / "Scenarios/five-pillars.yaml", params={"governance.whistle.compliance": "0.5:1"},
                      design="lhs", points=3, reps=2, set=SMALL, out=base / "shards" / f"shard-{i}", shard=f"{i}/2", **kw)
    pillars._cli.call(["merge", base / "shards/shard-1", base / "shards/shard-2", "--out", base / "merged"], binary=binary,
                      progress=False)
    f["merged"] = base / "merged"
    pillars._cli.call(["sweep", ROOT / "Scenarios/five-pillars.yaml", "--param", "governance.whistle.compliance=0.5:1",
                       "--design", "lhs", "--points", "3", "--dry-run", "--out", base / "dry"], binary=binary, progress=False)
    f["dry"] = base / "dry"
    pillars._cli.call(["sensitivity", ROOT / "Scenarios/five-pillars.yaml", "--samples", "4", "--reps", "1",
                       "--bootstrap", "20", "--param", "governance.whistle.compliance=0.5:1",
                       "--param", "participation.tenant_factor=0.2:0.8", "--out", base / "sens", "--jobs", "1", "--quiet",
                       *sum((["--set", f"{k}={v}"] for k, v in SMALL.items()), [])], binary=binary, progress=False)
    f["sensitivity"] = base / "sens"
    return f


@pytest.fixture
def damaged(tmp_path):
    """A copy of a results folder to damage."""
    def copy(src):
        dst = tmp_path / Path(src).name
        shutil.copytree(src, dst)
        return dst
    return copy
