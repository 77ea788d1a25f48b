#!/usr/bin/env bash
# Thresholds against the hand-written answer keys (issue 16 item 2): for each keyed criterion item,
# the item's text is found in the sample studies, `study::threshold::find` runs on it, and the
# misses, extras, recall and precision are printed (examples/score-thresholds.rs). Then the same
# for the held-out and the two blind keys, and the speed of `find` over every line of every sample
# study's criteria.
#
#   benches/thresholds_key.sh [SAMPLES_DIR] [--quiet]
#
# SAMPLES_DIR defaults to ../shared/samples (or ../../shared/samples from a worktree). The speed
# figure is from a release build (target/release); pass NCT_PROFILE=dev for a quicker debug one.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${NCT_PROFILE:-release}
flags=(--profile "$profile" --quiet --example score-thresholds --)
echo "== tests/keys/thresholds.tsv"
cargo run "${flags[@]}" "$@" --key tests/keys/thresholds.tsv
echo "== tests/keys/thresholds-heldout.tsv"
cargo run "${flags[@]}" "$@" --key tests/keys/thresholds-heldout.tsv
echo "== tests/keys/thresholds-blind.tsv"
cargo run "${flags[@]}" "$@" --key tests/keys/thresholds-blind.tsv
echo "== tests/keys/thresholds-blind2.tsv"
cargo run "${flags[@]}" "$@" --key tests/keys/thresholds-blind2.tsv --speed
