#!/usr/bin/env bash
# Create .venv with Python 3.12 and install citypeace with its test and app extras.
#   ./setup.sh            # then: .venv/bin/citypeace scenario=tuzla
#   EXTRAS=test,app ./setup.sh   # a smaller install (sweep, Optuna, Dask and EMA tests then skip)
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS="${EXTRAS:-test,app,sweep,ema,optuna,dask}"

find_python() {
  for candidate in "${PYTHON:-}" python3.12 "$HOME/.pyenv/versions/3.12"*/bin/python3.12; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local version
    version=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.|$)' | sort -V | tail -n 1 || true)
    if [ -n "$version" ]; then echo "$(pyenv root)/versions/$version/bin/python3.12"; return 0; fi
  fi
  return 1
}

PY=$(find_python) || { echo "setup.sh: Python 3.12 not found (install it, or set PYTHON=/path/to/python3.12)" >&2; exit 1; }
echo "setup.sh: using $PY ($("$PY" --version))"
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)'; then
  rm -rf .venv
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${EXTRAS}]"
echo "setup.sh: ready. Try: .venv/bin/citypeace scenario=tuzla"
