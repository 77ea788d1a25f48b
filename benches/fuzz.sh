#!/usr/bin/env bash
# The long fuzz run (issue 13's goal: at least 1,000,000 executions per target without a
# failure): each parser's target from examples/fuzz, in an optimised build, each in a child
# process (one that aborts is reported with its input and started again with the next seed).
#
#   benches/fuzz.sh [RUNS] [TARGETS] [SEED]   (defaults: 1000000 runs, all, seed 1)
#   benches/fuzz.sh 200000 zip,query 7        two targets, another seed
#
# Failing inputs are saved under target/fuzz-crashes/TARGET/ and the script exits 1; replay one
# with `cargo run --release --example fuzz -- --target TARGET --replay FILE`, shrink it with
# `--minimize FILE`. An execution slower than 1 s counts as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
targets=${2:-all}
seed=${3:-1}
cargo build --release --quiet --example fuzz
exec ./target/release/examples/fuzz --target "$targets" --runs "$runs" --seed "$seed" --slow-ms 1000 --progress 60
