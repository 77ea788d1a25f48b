#!/usr/bin/env bash
# The whole-registry benchmark: nct on registry-sized corpora, the bulk download's layout, side
# by side with the tools people use on the unzipped registry. For each N given (default 1000
# 10000 100000; give 600000 for the full-size run: a 2.8 GB zip, 10 GB unzipped, most of an hour):
#
#   corpus      gen-corpus N target/bench/registry-N.zip (one compact NCTxxxxxxxx.json per study,
#               mean 17 KB), unzipped once into target/bench/registry-N/ for rg and jq
#   peers       unzip -p ZIP > /dev/null (the inflate floor); rg -l -i WORD FOLDER;
#               jq selecting the recruiting studies over FOLDER (2 processes, like rg's 2 cores)
#   first open  the app on ZIP with an empty cache: first frame, first study row, loaded and
#               indexed (the header stops saying "loading"), peak RSS
#   reopen      the same with the cache warm
#   CLI         nct search WORD ZIP --format ids, cache off and warm; nct search status:recruiting
#               (the jq question) warm; filters on three columns warm; nct check (the inflate
#               and parse floor); nct show ID ZIP warm
#   cache       its size on disk
#   in the app  query p50/p99 and per-keystroke latency (benches/search.rs), facets
#               (benches/facets.rs), unless SKIP_LATENCY=1
#
# SKIP_PEERS=1 leaves out the peers (their figures do not change with nct); SKIP_CLI=1 the command
# line.
#
#   benches/registry.sh [N...]
#
# The app runs in a detached tmux pane of 120x40 under /usr/bin/time (for its peak RSS); times
# come from polling the pane (each poll ~3 ms, which bounds the precision). The cache lives in
# target/bench/registry-cache, leaving the user's alone. Needs tmux, hyperfine, rg, jq, unzip.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
word=${WORD:-psoriasis}
dir=$PWD/target/bench
mkdir -p "$dir"
cargo build --release --quiet --bin nct --example gen-corpus
nct=$PWD/target/release/nct
cache=$dir/registry-cache
export XDG_CACHE_HOME=$cache

work=$(mktemp -d)
sock=nct-registry-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
printf 'set -g default-shell %s\nset -g status off\nset -g default-size 120x40\n' "$BASH" >"$work/tmux.conf"
us() { local s=${1%[.,]*} f=${1#*[.,]}; echo $((10#$s * 1000000 + 10#$f)); }
ms() { echo $(( ($(us "$2") - $(us "$1")) / 1000 )); }
pane() { tmux -L "$sock" capture-pane -p -S "$1" -E "$1" 2>/dev/null || true; }

# The app on $1 until loaded; prints "first-frame-ms first-row-ms loaded-ms peak-rss-MB".
app_open() {
  local start=$work/start rss=$work/rss line first row loaded
  rm -f "$start" "$rss"
  tmux -L "$sock" -f "$work/tmux.conf" new-session -d -x 120 -y 40 \
    "printf %s \$EPOCHREALTIME > $start; TERM=xterm-256color exec /usr/bin/time -f %M -o $rss $nct $1"
  until [[ $(pane 0) == " nct "* ]]; do :; done
  first=$EPOCHREALTIME
  until [[ $(pane 2) == *NCT* ]]; do :; done
  row=$EPOCHREALTIME
  while [[ $(pane 0) == *loading* ]]; do sleep 0.02; done
  loaded=$EPOCHREALTIME
  tmux -L "$sock" send-keys q
  while [ ! -s "$rss" ]; do sleep 0.05; done
  tmux -L "$sock" kill-server 2>/dev/null || true
  local s; s=$(cat "$start")
  echo "$(ms "$s" "$first") $(ms "$s" "$row") $(ms "$s" "$loaded") $(( $(tail -1 "$rss") / 1024 ))"
}

# Seconds of one run of a command, and its peak RSS in MB.
timed() {
  /usr/bin/time -f "%e %M" -o "$work/timed" "$@" >/dev/null 2>&1 || true
  read -r secs kb <"$work/timed"
  echo "$secs s, $((kb / 1024)) MB"
}

for n in "${sizes[@]}"; do
  zip=$dir/registry-$n.zip
  folder=$dir/registry-$n
  [ -f "$zip" ] || ./target/release/examples/gen-corpus "$n" "$zip" --layout zip 2>/dev/null
  [ -d "$folder" ] || { mkdir -p "$folder.tmp" && unzip -q "$zip" -d "$folder.tmp" && mv "$folder.tmp" "$folder"; }
  id=$(unzip -Z1 "$zip" | sed -n '2{s/\.json$//;p}')
  echo "== $n studies: $(du -h "$zip" | cut -f1) zipped, $(du -sh "$folder" | cut -f1) unzipped, $(nproc) cores, $(date -u +%F)"

  if [ "${SKIP_PEERS:-0}" != 1 ]; then
  echo "-- peers"
  echo "unzip -p > /dev/null: $(timed sh -c "unzip -p $zip > /dev/null")"
  echo "rg -l -i $word FOLDER: $(timed rg -l -i "$word" "$folder")  ($(rg -l -i "$word" "$folder" | wc -l) files)"
  jq_filter='select(.protocolSection.statusModule.overallStatus == "RECRUITING") | .protocolSection.identificationModule.nctId'
  echo "jq recruiting over FOLDER: $(timed sh -c "find $folder -name '*.json' -print0 | xargs -0 -n 2000 -P 2 jq -r '$jq_filter'")  ($(find "$folder" -name '*.json' -print0 | xargs -0 -n 2000 -P 2 jq -r "$jq_filter" | wc -l) studies)"
  fi

  echo "-- the app (120x40): first frame / first row / loaded and indexed, ms; peak RSS"
  rm -rf "$cache"
  read -r f r l m < <(app_open "$zip")
  echo "first open (empty cache): $f / $r / $l ms, $m MB"
  read -r f r l m < <(app_open "$zip")
  echo "reopen (cache warm):      $f / $r / $l ms, $m MB"
  echo "cache on disk: $(du -sh "$cache/nct/catalogs" | cut -f1)"

  if [ "${SKIP_CLI:-0}" != 1 ]; then
  echo "-- command line"
  echo "nct search $word, cache off: $(NCT_CACHE=off timed "$nct" search "$word" "$zip" --format ids --limit 0)"
  echo "nct search $word, cache warm: $(timed "$nct" search "$word" "$zip" --format ids --limit 0)  ($("$nct" search "$word" "$zip" --format ids --limit 0 | wc -l) studies)"
  echo "nct search status:recruiting, cache warm: $(timed "$nct" search status:recruiting "$zip" --format ids --limit 0)  ($("$nct" search status:recruiting "$zip" --format ids --limit 0 | wc -l) studies)"
  filters='status:recruiting phase:3 country:Germany'
  echo "nct search '$filters', cache warm: $(timed "$nct" search "$filters" "$zip")  ($("$nct" search "$filters" "$zip" --format ids --limit 0 | wc -l) studies)"
  echo "nct check (inflate and parse, no index): $(NCT_CACHE=off timed "$nct" check "$zip")"
  hyperfine --warmup 2 --runs 10 -N --export-json "$work/cli.json" \
    -n "rg" "rg -l -i $word $folder" \
    -n "search" "$nct search $word $zip --format ids --limit 0" \
    -n "show" "$nct show $id $zip" | grep -E '^(Benchmark|  Time)'
  python3 - "$work/cli.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
rg, s, sh = r["rg"]["mean"], r["search"]["mean"], r["show"]["mean"]
print(f"cached nct search {s*1000:.0f} ms = {rg/s:.0f}x faster than rg ({rg*1000:.0f} ms); "
      f"cached nct show {sh*1000:.1f} ms (median {r['show']['median']*1000:.1f})")
PY
  fi

  if [ "${SKIP_LATENCY:-0}" != 1 ]; then
    echo "-- in the app: query and keystroke latency"
    NCT_BENCH_CORPORA=$zip cargo bench --bench search --quiet 2>/dev/null | grep -v '^$'
    echo "-- in the app: facets"
    NCT_BENCH_CORPUS=$zip cargo bench --bench facets --quiet 2>/dev/null | grep -v '^$'
  fi
done
