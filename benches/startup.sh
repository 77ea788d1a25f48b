#!/usr/bin/env bash
# Startup benchmark of the app: time from starting `nct CORPUS` to its first frame on screen,
# with a generated 20,000-study zip (the one benches/load.sh uses). The app draws its first frame
# before loading finishes, so this is what a user waits before seeing anything; the time until
# the list is complete is printed alongside.
#
#   benches/startup.sh [N] [RUNS]      (defaults: 20000 studies, 10 runs; prints the medians)
#
# How: nct runs in a detached tmux pane of 120x40 (no status line). The pane's shell writes its
# clock ($EPOCHREALTIME, no fork) and execs nct; this script polls `tmux capture-pane` in a tight
# loop until the header line starts with " nct ", and reads the clock again. The binary is not
# changed for the measurement. Each poll costs a tmux client round trip (~3 ms here), which bounds
# the precision; the poller also competes with nct for the CPUs, as a busy terminal would.
#
# Needs tmux and bash >= 5 (for EPOCHREALTIME).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
runs=${2:-10}
dir=target/bench
zip=$dir/corpus-$n.zip
mkdir -p "$dir"
command -v tmux >/dev/null || { echo "startup.sh: needs tmux (apt-get install tmux)" >&2; exit 2; }
cargo build --release --quiet --bin nct --example gen-corpus
[ -f "$zip" ] || ./target/release/examples/gen-corpus "$n" "$zip" --layout zip
nct=$PWD/target/release/nct

work=$(mktemp -d)
sock=nct-startup-$$
trap 'stop; rm -rf "$work"' EXIT
# bash for the pane's command too ($EPOCHREALTIME); no status line, so the pane is 120x40.
printf 'set -g default-shell %s\nset -g status off\nset -g default-size 120x40\n' "$BASH" >"$work/tmux.conf"

# Microseconds from a $EPOCHREALTIME value ("1700000000.123456").
us() { local s=${1%[.,]*} f=${1#*[.,]}; echo $((10#$s * 1000000 + 10#$f)); }

# Ends the run: q to quit, then the server. nct is the pane's process (the shell execs it); it is
# also ended by its pid if still there, since a crossterm app whose terminal is gone can spin on
# EOF rather than exit.
stop() {
  local pid
  pid=$(tmux -L "$sock" display-message -p '#{pane_pid}' 2>/dev/null || true)
  tmux -L "$sock" send-keys q 2>/dev/null || true
  for _ in $(seq 100); do
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  tmux -L "$sock" kill-server 2>/dev/null || true
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
  fi
}

# One run: prints "first-frame-ms loaded-ms".
run() {
  local start=$work/start line first loaded
  rm -f "$start"
  tmux -L "$sock" -f "$work/tmux.conf" new-session -d -x 120 -y 40 \
    "printf %s \$EPOCHREALTIME > $start; TERM=xterm-256color exec $nct $zip"
  # Tight loop: the first frame's header line.
  local deadline=$(( $(us "$EPOCHREALTIME") + 10000000 ))
  while :; do
    line=$(tmux -L "$sock" capture-pane -p -S 0 -E 0 2>/dev/null || true)
    [[ $line == " nct "* ]] && break
    if (( $(us "$EPOCHREALTIME") > deadline )); then
      echo "startup.sh: no frame after 10 s; the pane shows:" >&2
      tmux -L "$sock" capture-pane -p >&2 || true
      exit 1
    fi
  done
  first=$EPOCHREALTIME
  # Then, less eagerly, the end of loading (the header stops saying "loading…").
  while [[ $line == *loading* ]]; do
    sleep 0.01
    line=$(tmux -L "$sock" capture-pane -p -S 0 -E 0 2>/dev/null || true)
  done
  loaded=$EPOCHREALTIME
  stop
  while [ ! -s "$start" ]; do sleep 0.01; done
  local s; s=$(us "$(cat "$start")")
  echo "$(( ($(us "$first") - s) / 1000 )).$(( ($(us "$first") - s) / 100 % 10 ))" \
    "$(( ($(us "$loaded") - s) / 1000 ))"
  sleep 0.3 # let the killed nct go before the next run
}

echo "corpus: $zip ($(du -h "$zip" | cut -f1), $n studies), $(nproc) cores, 120x40, $runs runs"
firsts=() loads=()
for i in $(seq "$runs"); do
  read -r f l < <(run)
  echo "run $i: first frame ${f} ms, loaded ${l} ms"
  firsts+=("$f") loads+=("$l")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "median: first frame $(median "${firsts[@]}") ms (goal <= 150 ms), list complete $(median "${loads[@]}") ms"
