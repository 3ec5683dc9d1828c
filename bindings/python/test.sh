#!/usr/bin/env bash
# Builds the `replytrack` Python package from source the way a user installs it
# (`pip install ./bindings/python`), into a virtualenv, and runs its pytest suite.
#
# Needs only Python >= 3.10 with pip and venv, and a Rust toolchain. Exits non-zero on any
# failure, including a pytest run that collected no tests (pytest's exit code 5).
#
# Environment:
#   PYTHON               interpreter that creates the virtualenv (default: python3)
#   REPLYTRACK_PY_VENV   where the virtualenv lives (default: bindings/python/.venv, gitignored)
#   CARGO_TARGET_DIR     honoured by the build, as by any cargo build
#   PYTEST_ADDOPTS       extra pytest arguments
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="${REPLYTRACK_PY_VENV:-$here/.venv}"
python="${PYTHON:-python3}"

step() { printf '\n==> %s\n' "$*"; }

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "test.sh: $python is older than Python 3.10" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    step "creating virtualenv $venv"
    "$python" -m venv "$venv"
fi
py="$venv/bin/python"
pip=("$py" -m pip --disable-pip-version-check --no-input)

step "installing test tools (requirements-dev.txt)"
"${pip[@]}" install --quiet -r "$here/requirements-dev.txt"

step "building and installing the package: pip install ./bindings/python"
start=$(date +%s)
"${pip[@]}" install --quiet --force-reinstall --no-deps "$here"
echo "built and installed in $(( $(date +%s) - start )) s"

step "pytest"
cd "$here"
status=0
"$py" -m pytest tests -p no:cacheprovider || status=$?
if [ "$status" -eq 5 ]; then
    echo "test.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
