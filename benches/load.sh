#!/usr/bin/env bash
# Load benchmark (the foundation issue's figure): `nct check` on a generated 20,000-study zip,
# against plain single-threaded inflation (`unzip -p FILE > /dev/null`) of the same file, in the
# same run, plus nct's peak RSS.
#
#   benches/load.sh [N] [RUNS]      (defaults: 20000 studies, 5 runs each)
#
# Needs unzip and /usr/bin/time; uses hyperfine when installed (`apt-get install hyperfine`).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
runs=${2:-5}
dir=target/bench
zip=$dir/corpus-$n.zip
mkdir -p "$dir"
cargo build --release --quiet --bin nct --example gen-corpus
[ -f "$zip" ] || ./target/release/examples/gen-corpus "$n" "$zip" --layout zip
nct=./target/release/nct
echo "corpus: $zip ($(du -h "$zip" | cut -f1), $n studies, $(unzip -Z1 "$zip" | wc -l) entries), $(nproc) cores"

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" --export-json "$dir/load.json" \
    -n unzip "unzip -p $zip > /dev/null" \
    -n nct "$nct check $zip > /dev/null"
  python3 - "$dir/load.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
u, n = r["unzip"]["mean"], r["nct"]["mean"]
print(f"ratio nct/unzip = {n:.3f} s / {u:.3f} s = {n / u:.2f}  (goal <= 1.0)")
PY
else
  best() { local b=999; for _ in $(seq "$runs"); do
      s=$( { /usr/bin/time -f %e "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1 ); b=$(python3 -c "print(min($b,$s))"); done; echo "$b"; }
  u=$(best sh -c "unzip -p $zip"); c=$(best "$nct" check "$zip")
  python3 -c "print(f'best of $runs: nct {$c:.2f} s, unzip {$u:.2f} s, ratio {$c/$u:.2f} (goal <= 1.0)')"
fi
/usr/bin/time -f "nct peak RSS: %M KB (goal <= 150 MB)" "$nct" check "$zip" >/dev/null
