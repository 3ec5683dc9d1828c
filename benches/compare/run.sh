#!/usr/bin/env bash
# Runs replytrack and other libraries of the same job over tests/corpus and prints the comparison
# tables (Markdown). Installs the other libraries into benches/compare/.venv and
# benches/compare/node_modules (both gitignored); writes intermediate JSON to benches/compare/out/.
#
#   benches/compare/run.sh            # everything
#   ROUNDS=11 benches/compare/run.sh  # timing rounds per library (median is reported)
#
# Needs cargo, python3 (3.9+) and node (18+) with npm. Not part of scripts/test: it takes minutes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="$root/tests/corpus"
out="$here/out"
rounds="${ROUNDS:-7}"
mkdir -p "$out"

echo "== checking the scoring rules" >&2
python3 -m unittest --quiet "$here/test_score.py" >&2

echo "== installing the other libraries" >&2
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
(cd "$here" && npm ci --no-audit --no-fund --silent >&2)

echo "== building rt-compare (release)" >&2
(cd "$root" && cargo build --release --quiet -p replytrack-benches --bin rt-compare >&2)
target="${CARGO_TARGET_DIR:-$root/target}"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== replytrack" >&2
"$target/release/rt-compare" "$corpus" "$out" "$((rounds * 3))"
echo "== Python: email-reply-parser, talon, email" >&2
"$here/.venv/bin/python" "$here/py_compare.py" "$corpus" "$out" "$rounds"
echo "== Node: email-reply-parser, planer, mailparser" >&2
node "$here/node_compare.mjs" "$corpus" "$out" "$rounds"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
# talon's and planer's HTML answers, rendered as text with the corpus's rule for scoring.
"$here/.venv/bin/python" "$here/score.py" gather "$out"
"$target/release/rt-compare" html-to-text "$out/html_answers.json" "$out/html_text.json"

{
  echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $load_before before and $load_after after the run;"
  echo "$(rustc --version | cut -d' ' -f1-2), Python $("$here/.venv/bin/python" -c 'import sys; print(sys.version.split()[0])'), Node $(node --version). Timing rounds: $((rounds * 3)) for replytrack, $rounds for the others (median)."
  echo
  "$here/.venv/bin/python" "$here/score.py" "$corpus" "$out"
} | tee "$out/table.md"
