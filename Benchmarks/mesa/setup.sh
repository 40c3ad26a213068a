#!/usr/bin/env bash
# The Mesa side of the Schelling comparison: a virtual environment with a pinned Mesa, in
# Benchmarks/mesa/.venv (ignored by git; MESA_VENV=DIR puts it elsewhere).
#
#   bash Benchmarks/mesa/setup.sh          # then: bash Benchmarks/compare_mesa.sh
#
# Mesa 3.5.1 needs Python 3.12 or later: the first new enough of python3.13, python3.12,
# pyenv's 3.12+ and python3 is used (PYTHON=/path/to/python picks one). With only an older
# Python 3 (Debian 12 ships 3.11) it installs Mesa 3.3.1, the last release for 3.11, and
# says so: its Schelling example is the same model (SPEC.md, "Versions"). Mesa's `networkx` extra is
# installed too, because `import mesa` imports networkx. Running it again does nothing once
# the venv holds the pinned version.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${MESA_VENV:-$HERE/.venv}"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

at_least_312() { "$1" -c 'import sys; raise SystemExit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  # pyenv's shims only run the versions it has selected, so its installed ones are named too.
  pyenv_versions=()
  command -v pyenv >/dev/null 2>&1 && pyenv_versions=("$(pyenv root)"/versions/3.1[2-9]*/bin/python3)
  for candidate in python3.13 python3.12 "${pyenv_versions[@]}" python3; do
    if command -v "$candidate" >/dev/null 2>&1 && at_least_312 "$candidate"; then PY="$candidate"; break; fi
  done
fi
if [ -n "$PY" ] && at_least_312 "$PY"; then
  MESA=3.5.1
else
  PY="${PY:-python3}"
  MESA=3.3.1
  echo "mesa setup: no Python 3.12+ found; using $PY with Mesa $MESA" >&2
fi

installed() { "$VENV/bin/python" -c 'import mesa, networkx; print(mesa.__version__)' 2>/dev/null || true; }
if [ -x "$VENV/bin/python" ] && [ "$(installed)" = "$MESA" ]; then
  echo "mesa setup: $VENV has Mesa $MESA"
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  # Debian and Ubuntu keep venv's pip bootstrap (ensurepip) in the package python3-venv.
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "mesa setup: installing python3-venv" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "mesa[network]==$MESA"
echo "mesa setup: $VENV has Mesa $(installed) on Python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())')"
