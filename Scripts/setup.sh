#!/usr/bin/env bash
# Install what Pillars needs on a fresh Debian/Ubuntu machine, only where it is missing:
# the GNU Scientific Library (libgsl-dev) and pkg-config.
#
# With --python, also the project's Python: a virtual environment in .venv/ (ignored by git)
# with the pinned packages the notebooks, the Python tests and EMA Workbench need
# (Notebooks/requirements.txt; a change to it is seen by its checksum and installs again), and
# the project's package python/pillars/ on its path. Every script that
# runs Python uses .venv/bin/python, never the python3 on PATH, so this works with Debian's
# and Ubuntu's own python3 (which refuses `pip install` outside a venv: PEP 668) as well as
# with pyenv, Homebrew or any other Python 3.11+. When `python3 -m venv` cannot work (Debian
# ships venv and ensurepip in the separate package python3-venv), python3-venv is installed
# with apt-get. PYTHON=/path/to/python3 picks the interpreter the venv is made from.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

apt_install() {
  echo "setup: installing $*" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=()
pkg-config --exists gsl 2>/dev/null || need+=(libgsl-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

# With --browser: Chromium for the report's browser check (Scripts/check_report.sh), only when
# missing; a machine where it cannot be installed carries on (the check then skips).
for arg in "$@"; do
  if [ "$arg" = "--browser" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
      apt_install chromium || echo "setup: chromium could not be installed; the report browser check will be skipped" >&2
    else
      echo "setup: no apt-get to install chromium; the report browser check will be skipped" >&2
    fi
  fi
done

python=0
for arg in "$@"; do [ "$arg" = "--python" ] && python=1; done
[ $python = 1 ] || exit 0
[ -f Notebooks/requirements.txt ] || exit 0

VENV=.venv
PY="${PYTHON:-python3}"
stamp="$VENV/.pillars-requirements"
want="$(cksum < Notebooks/requirements.txt)"
# The project's own Python package (python/pillars/, over the pillars binary) is put on the
# venv's path with a .pth file naming python/ (like an editable install, with nothing to build
# and nothing written into the work tree), so edits to it take effect at once.
link_package() {
  local site
  site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$PWD/python" > "$site/pillars-repo.pth"
}
# Already set up with these requirements: nothing to do (test.sh runs this every time).
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  link_package
  exit 0
fi
# A venv made without ensurepip (python3-venv missing at the time) has no pip: make it again.
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  echo "setup: $VENV has no pip; making it again" >&2
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! command -v "$PY" >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || { echo "setup: no $PY found; install Python 3.11+ or set PYTHON" >&2; exit 2; }
    apt_install python3 python3-venv
    PY=python3
  fi
  # Debian's python3 has the venv module but not ensurepip without python3-venv.
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || { echo "setup: $PY cannot make a virtual environment (no venv/ensurepip)" >&2; exit 2; }
    apt_install python3-venv
  fi
  rm -rf "$VENV"
  echo "setup: creating $VENV with $("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])')" >&2
  "$PY" -m venv "$VENV"
fi
echo "setup: installing Notebooks/requirements.txt into $VENV" >&2
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r Notebooks/requirements.txt
link_package
echo "$want" > "$stamp"
