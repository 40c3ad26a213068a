"""Pillars from Python: read results folders, run the command line, and explore with EMA Workbench.

    import pillars
    res = pillars.run("Scenarios/five-pillars.yaml", reps=10, out="Results/runs/mine")
    res.summary                                   # a DataFrame; units in res.summary.attrs["units"]
    pillars.read_results("Results/schemes").comparison

Everything is computed by the pillars binary (found as `find_binary` says); this package
only builds its command lines and reads what it writes. `pillars.ema` holds the EMA
Workbench model (`PillarsModel`) and the evaluators that run a batch as one sweep.
"""
from ._cli import PillarsError, find_binary, repository_root
from .results import IncompleteResultsError, Results, ResultsError, read_results
from .commands import compare, outputs, parameters, run, sweep

__all__ = ["read_results", "Results", "ResultsError", "IncompleteResultsError", "PillarsError",
           "find_binary", "repository_root", "run", "compare", "sweep", "parameters", "outputs"]
