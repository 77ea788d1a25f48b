#!/usr/bin/env bash
# Facets benchmark (issue 14's figures), for each N given (default 100000):
#  1. the counts of every facet in-process (benches/facets.rs): the whole set and a 10k result;
#  2. the whole `nct facets '' FOLDER --field status` process with its catalog cache warm, against
#     jq computing the status counts over the same studies unzipped in a folder, in the same
#     hyperfine run.
#
#   benches/facets.sh [N...]
#
# Corpora are generated once into target/bench (gen-corpus, seed 1) as folders. The cache lives in
# target/bench/cache so the user's own is left alone. Needs hyperfine and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)
dir=target/bench
mkdir -p "$dir"
cargo build --release --quiet --bin nct --example gen-corpus
nct=./target/release/nct
export XDG_CACHE_HOME=$PWD/$dir/cache
for n in "${sizes[@]}"; do
  folder=$dir/dir-$n
  [ -d "$folder" ] || ./target/release/examples/gen-corpus "$n" "$folder" --layout dir
  echo "== in-process counts ($(nproc) cores)"
  NCT_BENCH_CORPUS=$folder cargo bench --bench facets --quiet 2>/dev/null | grep -v '^$'
  echo "== nct facets '' vs jq over $folder ($(du -sh "$folder" | cut -f1), $n studies)"
  "$nct" facets '' "$folder" --field status >/dev/null   # warms the cache
  # jq on every core, one process per 2,000 files, each batch counted and the counts summed
  # (the batches' lines would interleave on one pipe otherwise).
  peer=$dir/jq-status-$n.sh
  {
    echo '#!/bin/sh'
    echo "find $folder -name '*.json' -print0 |"
    echo "  xargs -0 -n 2000 -P $(nproc) sh -c 'jq -r .protocolSection.statusModule.overallStatus \"\$@\" | sort | uniq -c' _ |"
    echo "  awk '{n[\$2] += \$1} END {for (s in n) print n[s], s}' | sort -rn"
  } > "$peer"
  chmod +x "$peer"
  echo "jq:"; "$peer"
  echo "nct:"; "$nct" facets '' "$folder" --field status --format json
  hyperfine --warmup 1 --runs 3 -N \
    -n "jq (status counts)" "$peer" \
    -n "nct facets '' --field status (cache)" "$nct facets '' $folder --field status" \
    -n "nct facets '' (every facet, cache)" "$nct facets '' $folder" \
    | grep -E '^(Benchmark|  Time)'
done
