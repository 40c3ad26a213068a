#!/usr/bin/env bash
# Set up and run every test: the Swift suites (unit, end-to-end, reproducibility), then the
# notebooks headlessly when there are any. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh --python
swift build -c debug
swift test --disable-xctest
if ls Notebooks/*.ipynb >/dev/null 2>&1; then
  python3 Scripts/run_notebooks.py
fi
