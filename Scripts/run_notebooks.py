#!/usr/bin/env python3
"""Execute every notebook in Notebooks/ headlessly and fail on the first error.

    .venv/bin/python Scripts/run_notebooks.py [NOTEBOOK…] [--timeout SECONDS]

The packages live in the project's virtual environment .venv/ (`bash Scripts/setup.sh
--python` makes it); started with another Python, the script re-runs itself with the venv's.

Runs each notebook (default: Notebooks/*.ipynb, in name order) top to bottom with nbclient
on the `python3` kernel, in the notebook's own folder, with a time limit per cell. The
notebooks 01–05 only read the committed results under Results/; 06 runs its experiments with
the pillars binary ($PILLARS, which Scripts/test.sh sets to the release build, else as
pillars.find_binary finds it) into temporary folders. Notebooks are never written back.

Figures: a notebook saves its PNGs to Results/figures/ only when PILLARS_WRITE_FIGURES=1
(Scripts/make_results.sh sets it, to refresh the committed pictures). Otherwise — in the
tests — this script points them at a temporary folder (PILLARS_FIGURES_DIR), so running the
tests leaves the work tree as it was.

Exit status: 0 when every notebook ran; 1 naming the notebook and cell that failed; 2 when
a notebook could not be found or read.
"""
import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def use_project_venv() -> None:
    """Re-run under .venv/bin/python when started by another interpreter and the venv exists."""
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks to run (default: Notebooks/*.ipynb)")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("PILLARS_CELL_TIMEOUT", "600")),
                    help="seconds allowed for one cell (default 600, or $PILLARS_CELL_TIMEOUT)")
    args = ap.parse_args()

    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    except ImportError as e:
        print(f"run_notebooks: {e.name} is missing — install the notebooks' requirements: "
              f"bash Scripts/setup.sh --python (makes .venv/ with Notebooks/requirements.txt)", file=sys.stderr)
        return 2

    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "Notebooks").glob("*.ipynb"))
    if not paths:
        print("run_notebooks: no notebooks in Notebooks/", file=sys.stderr)
        return 2

    tmp = None
    if os.environ.get("PILLARS_WRITE_FIGURES") != "1" and not os.environ.get("PILLARS_FIGURES_DIR"):
        tmp = tempfile.TemporaryDirectory(prefix="pillars-figures-")
        os.environ["PILLARS_FIGURES_DIR"] = tmp.name  # inherited by the kernels
    where = "Results/figures/" if os.environ.get("PILLARS_WRITE_FIGURES") == "1" else os.environ["PILLARS_FIGURES_DIR"]
    print(f"run_notebooks: {len(paths)} notebook(s), figures to {where}, cell timeout {args.timeout} s", flush=True)

    failed = 0
    total = time.monotonic()
    for path in paths:
        name = path.name
        try:
            nb = nbformat.read(path, as_version=4)
        except (OSError, ValueError) as e:
            print(f"FAIL {name}: cannot read: {e}", file=sys.stderr)
            return 2
        started = time.monotonic()
        current = {"index": None}

        def on_start(cell, cell_index):
            current["index"] = cell_index

        client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.resolve().parent)}},
                                on_cell_start=on_start)
        # The kernel's own stderr (start-up chatter) goes to a file, shown only when the notebook fails.
        kernel_log = tempfile.TemporaryFile(mode="w+")
        try:
            client.execute(stderr=kernel_log)
        except Exception as e:  # a cell's error, a timeout, a dead or missing kernel
            failed += 1
            cell = _describe(nb, current["index"])
            kind = ("timed out" if isinstance(e, CellTimeoutError) else "— the kernel died" if isinstance(e, DeadKernelError)
                    else "raised" if isinstance(e, CellExecutionError) else f"— {type(e).__name__}")
            print(f"FAIL {name}: cell {cell} {kind}", file=sys.stderr)
            print(_short(_ANSI.sub("", str(e))), file=sys.stderr)
            kernel_log.seek(0)
            log = kernel_log.read().strip()
            if log:
                print("kernel stderr:\n" + _short(log, 15), file=sys.stderr)
            continue
        finally:
            kernel_log.close()
        print(f"ok   {name}  ({time.monotonic() - started:.1f} s)", flush=True)
    print(f"run_notebooks: {time.monotonic() - total:.1f} s")
    print(f"notebooks: {len(paths) - failed} passed, {failed} failed", flush=True)
    if tmp is not None:
        tmp.cleanup()
    return 1 if failed else 0


def _describe(nb, index) -> str:
    """The cell's number (1-based, counting every cell) and its first line."""
    if index is None:
        return "? (before the first cell: the kernel did not start)"
    first = next((l for l in nb.cells[index].source.splitlines() if l.strip()), "")
    return f"{index + 1} ({first[:70]!r})"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _short(text: str, lines: int = 30) -> str:
    t = text.strip().splitlines()
    return "\n".join(t[-lines:])


if __name__ == "__main__":
    use_project_venv()
    sys.exit(main())
