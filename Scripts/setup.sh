#!/usr/bin/env bash
# Install what Pillars needs on a fresh Debian/Ubuntu machine, only where it is missing:
# the GNU Scientific Library (libgsl-dev) and pkg-config. With --python, also the pinned
# Python packages the notebooks need (Notebooks/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
need=()
pkg-config --exists gsl 2>/dev/null || need+=(libgsl-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "${1:-}" = "--python" ] && [ -f Notebooks/requirements.txt ]; then
  python3 -m pip install -q -r Notebooks/requirements.txt
fi
