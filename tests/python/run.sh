#!/usr/bin/env bash
# Builds the Python package the way `pip install .` does, installs it into a fresh virtual
# environment (target/python-test-venv) with pandas, Polars and pytest, and runs
# tests/python/test_package.py against the binary built from the same sources.
#
# The wheel is built with the dev profile (PROFILE=release for an optimized one) into the
# workspace's target/, so after `cargo test --workspace` only pyo3 and the module compile.
# Needs Python 3.9+ and network access to PyPI (maturin, pyarrow, pandas, polars, pytest).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
venv=target/python-test-venv
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

echo "== building the newsmill binary (the reference)"
cargo build -q -p runner
binary="$CARGO_TARGET_DIR/debug/newsmill"

echo "== fresh virtual environment: $venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q pandas polars pytest

echo "== pip install . (profile ${PROFILE:-dev})"
"$venv/bin/pip" install -q --config-settings=build-args="--profile ${PROFILE:-dev}" .

echo "== tests/python/test_package.py"
# Outside the repository, so `import newsmill` is the installed package, not python/newsmill.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
PATH="$root/$venv/bin:$PATH" NEWSMILL_BINARY="$binary" \
  "$root/$venv/bin/python" -m pytest -q "$root/tests/python/test_package.py"
