"""PillarsModel: parameters typed and ranged as `pillars params` declares them, and a batch
through EMA Workbench gives exactly the outcomes of `pillars sweep` on the same design."""
import warnings

import numpy as np
import pytest

warnings.filterwarnings("ignore", message="ipyparallel not installed")
import ema_workbench as ema
from ema_workbench.em_framework.parameters import (BooleanParameter, CategoricalParameter, IntegerParameter,
                                                   RealParameter)

import pillars
from pillars.ema import MultiprocessingEvaluator, PillarsModel, SequentialEvaluator, posterior_ranges
from conftest import ROOT, SMALL

BASE = ROOT / "Scenarios/schemes/_no-incentives.yaml"
UNC = {"participation.tenant_factor": (0.2, 0.6), "governance.whistle.compliance": None,
       "deliberation.door_to_door": None, "simulation.observe_every_days": (5, 9)}


def model(binary, **kw):
    args = dict(uncertainties=UNC, outcomes=["participation_rate_tenant", "satisfaction_rate", "funding_gap"],
                replications=2, seed=11, set=SMALL, binary=binary)
    args.update(kw)
    return PillarsModel("pillars", BASE, **args)


def test_parameter_types_and_ranges(binary):
    declared = pillars.parameters(binary).set_index("name")
    m = model(binary, levers={"incentives.points.target": ["all", "tenant"]})
    u = {p.name: p for p in m.uncertainties}
    assert isinstance(u["participation.tenant_factor"], RealParameter)
    assert (u["participation.tenant_factor"].lower_bound, u["participation.tenant_factor"].upper_bound) == (0.2, 0.6)
    w = u["governance.whistle.compliance"]
    assert (w.lower_bound, w.upper_bound) == (float(declared.loc[w.name, "min"]), float(declared.loc[w.name, "max"]))
    assert isinstance(u["deliberation.door_to_door"], BooleanParameter)
    assert isinstance(u["simulation.observe_every_days"], IntegerParameter)
    assert (u["simulation.observe_every_days"].lower_bound, u["simulation.observe_every_days"].upper_bound) == (5, 9)
    t = {p.name: p for p in m.levers}["incentives.points.target"]
    assert isinstance(t, CategoricalParameter) and [c.value for c in t.categories] == ["all", "tenant"]
    post = posterior_ranges()
    pm = PillarsModel("post", BASE, uncertainties="posterior", binary=binary)
    assert {p.name: (p.lower_bound, p.upper_bound) for p in pm.uncertainties} == post
    with pytest.raises(ValueError, match="not inside its declared range"):
        model(binary, uncertainties={"governance.whistle.compliance": (0.5, 1.5)})
    with pytest.raises(ValueError, match="is not a parameter"):
        model(binary, uncertainties=["governance.no_such_thing"])
    with pytest.raises(ValueError, match="not among its values"):
        model(binary, levers={"incentives.points.target": ["everyone"]})
    with pytest.raises(ValueError, match="is not an output"):
        model(binary, outcomes=["participation"])


def _sweep_by_point(binary, experiments, names, tmp_path, scenario=BASE, extra=None):
    """The same design through `pillars sweep --design-file`, each point's replications."""
    r = pillars.sweep(scenario, design_file=experiments[names], reps=2, seed=11, set={**SMALL, **(extra or {})},
                      out=tmp_path / "direct", binary=binary, progress=False, jobs=1)
    return {p: g for p, g in r.sweep.groupby("point")}


def test_batch_equals_pillars_sweep_exactly(binary, tmp_path):
    m = model(binary, outcomes=["participation_rate_tenant", "satisfaction_rate", "funding_gap",
                                ema.ArrayOutcome("tenant_reps", variable_name="participation_rate_tenant")])
    with SequentialEvaluator(m) as ev:
        experiments, outcomes = ev.perform_experiments(scenarios=5, uncertainty_sampling=ema.Samplers.LHS)
    assert len(experiments) == 5
    names = list(UNC)
    rows = _sweep_by_point(binary, experiments, names, tmp_path)
    for i in range(5):
        g = rows[i]
        assert np.array_equal(outcomes["tenant_reps"][i], g["participation_rate_tenant"].to_numpy())
        for o in ("participation_rate_tenant", "satisfaction_rate"):
            assert outcomes[o][i] == float(np.mean(g[o].to_numpy())), o
        # the design the model ran is the experiment, as the sweep used it
        assert g["participation.tenant_factor"].iloc[0] == experiments["participation.tenant_factor"].iloc[i]
        assert g["simulation.observe_every_days"].iloc[0] == experiments["simulation.observe_every_days"].iloc[i]
        assert g["deliberation.door_to_door"].iloc[0] == float(experiments["deliberation.door_to_door"].iloc[i])


def test_stock_and_multiprocessing_evaluators_agree_with_the_batch(binary):
    m = model(binary)
    from ema_workbench.em_framework.samplers import sample_uncertainties
    scenarios = sample_uncertainties(m, 4)
    with SequentialEvaluator(m) as ev:
        _, batch = ev.perform_experiments(scenarios=scenarios)
    with ema.SequentialEvaluator(m) as ev:  # EMA's own: run_model per experiment
        _, one_by_one = ev.perform_experiments(scenarios=scenarios)
    with MultiprocessingEvaluator(m, n_processes=2) as ev:  # shards 1/2 and 2/2 in the pool
        _, sharded = ev.perform_experiments(scenarios=scenarios)
    for o in batch:
        np.testing.assert_array_equal(batch[o], one_by_one[o])
        np.testing.assert_array_equal(batch[o], sharded[o])


def test_schemes_and_choices_as_levers(binary, tmp_path):
    m = model(binary, schemes=[ROOT / "Scenarios/schemes/points-tenants.yaml"],
              levers={"incentives.points.target": ["all", "tenant"]},
              outcomes=["participation_rate_tenant", "satisfaction_rate", "funding_gap", "incentive_cost"])
    policies = [ema.Policy(f"{s}-{t}", scheme=s, **{"incentives.points.target": t})
                for s in ("none", "points-tenants") for t in ("all", "tenant")]
    with SequentialEvaluator(m) as ev:
        experiments, outcomes = ev.perform_experiments(scenarios=2, policies=policies)
    df = experiments.assign(**outcomes)
    # the scheme as `pillars compare --scheme` applies it: the same tenant figure
    cmp = pillars.compare(BASE, schemes=[ROOT / "Scenarios/schemes/points-tenants.yaml"], reps=2, seed=11,
                          set={**SMALL, **{k: v for k, v in experiments.iloc[0][list(UNC)].items()},
                               "deliberation.door_to_door": bool(experiments.iloc[0]["deliberation.door_to_door"]),
                               "incentives.points.target": "all"},
                          out=tmp_path / "cmp", binary=binary, progress=False, jobs=1)
    row = cmp.comparison.query("metric == 'participation_rate' and group == 'tenant'").iloc[0]
    first = df[df["scenario"] == df["scenario"].iloc[0]].set_index("policy")["participation_rate_tenant"]
    assert first["points-tenants-all"] == pytest.approx(row["alternative"], abs=1e-12)
    assert first["none-all"] == pytest.approx(row["baseline"], abs=1e-12)
    # points off without the scheme: its target does nothing; with the scheme on, the choice lever
    # overrides the overlay's target (settings apply after overlays, as in compare) and matters
    assert first["none-all"] == first["none-tenant"]
    # (points now act only on the acts they reward and barely move participation, so the
    # difference shows in what the points cost: points for all cost more than for tenants)
    cost = df[df["scenario"] == df["scenario"].iloc[0]].set_index("policy")["incentive_cost"]
    assert cost["none-all"] == cost["none-tenant"] == 0
    assert cost["points-tenants-all"] > cost["points-tenants-tenant"]


def test_timeseries_outcome(binary):
    m = model(binary, timeseries=["participation_rate"], uncertainties={"participation.tenant_factor": (0.2, 0.6)})
    with SequentialEvaluator(m) as ev:
        _, out = ev.perform_experiments(scenarios=2)
    assert out["participation_rate_series"].shape == out["TIME"].shape and out["TIME"].shape[0] == 2
    assert np.all(np.diff(out["TIME"][0]) > 0)


def test_cli_error_surfaces(binary):
    m = model(binary, set={**SMALL, "simulation.summary_days": 10**6})
    with pytest.raises(Exception, match="summary_days"):
        with SequentialEvaluator(m) as ev:
            ev.perform_experiments(scenarios=1)
