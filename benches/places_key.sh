#!/usr/bin/env bash
# Scores how near: resolves place names against the hand-written key tests/keys/places.tsv, over
# real records (their sites are the gazetteer): for each name typed, nct search
# 'near:"NAME":25mi' … --sort distance --limit 1 --format json, then
# - a place expected ("City|Country"): the nearest site found must be in that city (its name
#   holds the key's city, accents folded) and that country (a US site's place names its state,
#   so there only a few other countries are ruled out);
# - AMBIGUOUS: a mistake saying the name names places far apart;
# - REFUSED: any other mistake (a region, a name no site has).
#
#   benches/places_key.sh [SAMPLES_DIR]     (default ../shared/samples/studies)
#   NCT_BIN=target/debug/nct benches/places_key.sh
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-../shared/samples/studies}
nct=${NCT_BIN:-target/release/nct}
[ -x "$nct" ] || cargo build --release --quiet --bin nct
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$PWD/target/bench/places-cache}
python3 - "$nct" "$samples" tests/keys/places.tsv <<'PY'
import json, subprocess, sys, unicodedata
nct, samples, key = sys.argv[1:4]
fold = lambda t: ''.join(c for c in unicodedata.normalize('NFKD', t.lower()) if not unicodedata.combining(c))
rows = [l.rstrip('\n').split('\t') for l in open(key, encoding='utf-8') if l.strip() and not l.startswith('#')][1:]
right = 0
for typed, expected in rows:
    run = subprocess.run([nct, 'search', f'near:"{typed}":25mi', samples, '--sort', 'distance',
                          '--limit', '1', '--format', 'json'], capture_output=True, text=True)
    if run.returncode == 2:
        got = 'AMBIGUOUS' if 'far apart' in run.stderr else 'REFUSED'
        ok = got == expected
    else:
        found = json.loads(run.stdout or '[]')
        site = (found[0].get('nearest_site') or {}) if found else {}
        got = site.get('place', '(nothing found)')
        city, _, country = expected.partition('|')
        # The site's place is "City, State" in the United States, else "City, …, Country".
        in_country = fold(country) in fold(got) if country != 'United States' else \
            not any(fold(c) in fold(got) for c in ('Canada', 'Kingdom', 'Germany', 'France'))
        ok = bool(country) and fold(city) in fold(got) and in_country
    right += ok
    if not ok or '--verbose' in sys.argv:
        print(f'MISS  {typed!r}: expected {expected}, got {got}')
print(f'places key: {right}/{len(rows)} right ({100 * right / len(rows):.1f}%)')
PY
