#!/usr/bin/env bash
# Search benchmark (the search issue's figures), for each N given (default 10000 100000):
#  1. query latency p50/p99 and per-keystroke latency inside the app (benches/search.rs) on a
#     generated N-study zip;
#  2. the whole `nct search WORD` process against `rg -l -i WORD` over the same studies unzipped
#     in a folder, in the same hyperfine run: nct with its catalog cache warm (the usual case:
#     the second question on the same inputs) and cold (NCT_CACHE=off: read, parse and index
#     everything, every time).
#
#   benches/search.sh [N...]
#
# Corpora are generated once into target/bench (gen-corpus, seed 1). The cache lives in
# target/bench/cache so the user's own is left alone. Needs hyperfine and rg.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
word=${WORD:-psoriasis}
dir=target/bench
mkdir -p "$dir"
cargo build --release --quiet --bin nct --example gen-corpus
cargo bench --bench search --no-run --quiet 2>/dev/null
nct=./target/release/nct
export XDG_CACHE_HOME=$PWD/$dir/cache
corpora=()
for n in "${sizes[@]}"; do
  [ -f "$dir/corpus-$n.zip" ] || ./target/release/examples/gen-corpus "$n" "$dir/corpus-$n.zip" --layout zip
  [ -d "$dir/dir-$n" ] || ./target/release/examples/gen-corpus "$n" "$dir/dir-$n" --layout dir
  corpora+=("$dir/corpus-$n.zip")
done
echo "== in-app latency ($(nproc) cores)"
NCT_BENCH_CORPORA=$(IFS=,; echo "${corpora[*]}") cargo bench --bench search --quiet 2>/dev/null | grep -v '^$'

for n in "${sizes[@]}"; do
  folder=$dir/dir-$n
  echo "== nct search $word vs rg -l -i $word over $folder ($(du -sh "$folder" | cut -f1), $n studies)"
  "$nct" search "$word" "$folder" --format ids --limit 0 >/dev/null || true  # warms the cache
  a=$(rg -l -i "$word" "$folder" | wc -l)
  b=$("$nct" search "$word" "$folder" --format ids --limit 0 | wc -l)
  echo "files rg lists: $a; studies nct finds: $b"
  hyperfine --warmup 1 --runs 5 -N --export-json "$dir/search-$n.json" \
    -n rg "rg -l -i $word $folder" \
    -n "nct (cache)" "$nct search $word $folder --format ids --limit 0" \
    -n "nct (no cache)" "env NCT_CACHE=off $nct search $word $folder --format ids --limit 0" \
    | grep -E '^(Benchmark|  Time)'
  python3 - "$dir/search-$n.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
rg, warm, cold = r["rg"], r["nct (cache)"], r["nct (no cache)"]
print(f"rg {rg*1000:.0f} ms; nct cached {warm*1000:.0f} ms = {rg/warm:.1f}x faster than rg; "
      f"nct uncached {cold*1000:.0f} ms = {cold/rg:.1f}x slower than rg")
PY
done
echo "cache on disk: $(du -sh "$XDG_CACHE_HOME/nct/catalogs" | cut -f1)"
