#!/usr/bin/env bash
# `nct diff` benchmark (issue 20's figure): two generated bulk zips of N studies (default 100,000)
# with 3% of the studies changed (plus 0.3% removed and 0.3% added), `nct diff` timed as a whole
# process, cold and warm:
#
#   cold       no cache entry: NEW is loaded in full (and its entry written), OLD is scanned
#              (each record hashed, its id read, nothing parsed), the changed studies read
#   NEW warm   NEW's entry written by the run before; OLD scanned again
#   both warm  OLD opened once by nct (`nct search`), so both entries hold every fingerprint:
#              nothing but the changed studies is read
#
# Each run's JSON is checked against the generator's truth.json. The corpora and the cache are
# deleted at the end (about 1 GB of zips and 1 GB of cache at 100k).
#
#   benches/diff.sh [N] [RUNS]      (defaults: 100000 studies, 3 warm runs)
#
# Needs /usr/bin/time; uses hyperfine for the warm runs when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-3}
edits=$((n * 3 / 100))
dir=target/bench/diff-$n
cache=$(mktemp -d)
cleanup() { rm -rf "$dir" "$cache"; }
trap cleanup EXIT
cargo build --release --quiet --bin nct --example gen-corpus
./target/release/examples/gen-corpus "$n" "$dir" --layout zip --edits "$edits"
nct=./target/release/nct
export XDG_CACHE_HOME=$cache NCT_CACHE=auto
echo "pair: $dir (old.zip $(du -h "$dir/old.zip" | cut -f1), new.zip $(du -h "$dir/new.zip" | cut -f1)), $(nproc) cores"

check() {
  python3 - "$dir/truth.json" "$dir/out.json" <<'PY'
import json, sys
t, o = (json.load(open(p)) for p in sys.argv[1:3])
norm = lambda d: {c["id"]: sorted(json.dumps({k: v for k, v in x.items() if k not in ("words", "thresholds_removed", "thresholds_added")}, sort_keys=True)
                                  for x in c["changes"]) for c in d["changed"]}
same = t["added"] == o["added"] and t["removed"] == o["removed"] and norm(t) == norm(o)
print(f"  report: {len(o['added'])} added, {len(o['removed'])} removed, {len(o['changed'])} changed;",
      "matches truth.json" if same else "DIFFERS FROM truth.json")
sys.exit(0 if same else 1)
PY
}

timed() {
  local label=$1; shift
  echo "$label"
  /usr/bin/time -f "  %e s wall, %U s user, %S s sys, %M KB peak RSS" "$nct" diff "$dir/old.zip" "$dir/new.zip" \
    --format json >"$dir/out.json" || [ $? -eq 1 ]
  check
}

timed "cold (no cache): NEW loaded and cached, OLD scanned"
timed "NEW warm, OLD scanned"
"$nct" search nothing-at-all "$dir/old.zip" --format ids >/dev/null || true
timed "both warm"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" -i -n "nct diff, both warm" \
    "$nct diff $dir/old.zip $dir/new.zip --format json > /dev/null"
fi
echo "cache: $(du -sh "$cache" | cut -f1)"
