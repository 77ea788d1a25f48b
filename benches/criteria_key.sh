#!/usr/bin/env bash
# Scores `nct criteria ID PATH --format json` against the hand-written eligibility answer key
# in tests/keys/criteria/ (format: tests/keys/README.md). Per study: PASS, FAIL with the first
# difference, or SKIP when its record is not in the samples; then totals for easy, hard and
# ambiguous studies. Structure is exact per study: the same sections (kind and heading) in order,
# the same items in order with the same labels as registered and the same first words, and the
# same children, recursively.
#
#   benches/criteria_key.sh [NCT...]        # all key studies, or only those named
#   benches/criteria_key.sh --self-test     # the scorer itself: each key, given back as nct's
#                                           # JSON, passes; with one thing changed, fails
#
# NCT_BIN     the binary to run (default target/release/nct, built if missing)
# NCT_SAMPLES the samples folder (default: the first shared/samples found above this checkout)
# VERBOSE=1   also print the whole expected and actual trees of each failing study
#
# Not run by CI: it needs ../shared/samples, which is not in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --self-test ]; then NCT_BIN=none NCT_SAMPLES=none; fi
if [ -z "${NCT_SAMPLES:-}" ]; then
  dir=$PWD
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    if [ -d "$dir/shared/samples" ]; then NCT_SAMPLES=$dir/shared/samples; break; fi
  done
fi
[ "${NCT_SAMPLES:-}" = none ] || [ -d "${NCT_SAMPLES:-/nonexistent}" ] || { echo "criteria_key: no samples folder; set NCT_SAMPLES to ../shared/samples" >&2; exit 2; }
if [ -z "${NCT_BIN:-}" ]; then
  NCT_BIN=target/release/nct
  [ -x "$NCT_BIN" ] || cargo build --release --quiet --bin nct
fi
if [ "$NCT_BIN" != none ] && [ ! -x "$NCT_BIN" ]; then echo "criteria_key: $NCT_BIN is not an executable; build it or set NCT_BIN" >&2; exit 2; fi
export NCT_BIN NCT_SAMPLES
exec python3 - "$@" <<'PY'
import json, os, re, subprocess, sys, unicodedata

KEYS = "tests/keys/criteria"
BIN, SAMPLES = os.environ["NCT_BIN"], os.environ["NCT_SAMPLES"]
VERBOSE = os.environ.get("VERBOSE") == "1"


class KeyError_(Exception):
    pass


def words(text):
    """Case, whitespace, markup, escapes and punctuation do not count: only letters and digits."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[^\w]+|_", " ", text).split()


def heading(text):
    return " ".join(words(text)) if text else ""


def label(text):
    return (text or "").replace("\\", "").strip()


def parse_key(path):
    study = {"sections": [], "kind": None, "ambiguous": None, "source": None, "path": path}
    stack = []  # (depth, item)
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        where = f"{path}:{n}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("study "):
            parts = line.split()
            if len(parts) != 3 or parts[2] not in ("easy", "hard"):
                raise KeyError_(f"{where}: want 'study NCTxxxxxxxx easy|hard'")
            study["id"], study["kind"] = parts[1], parts[2]
        elif line.startswith("source "):
            study["source"] = line[7:].strip()
        elif line.startswith("ambiguous:"):
            study["ambiguous"] = line[10:].strip()
        elif line.startswith("note:"):
            pass
        elif line.startswith("== "):
            kind, _, head = line[3:].partition("|")
            kind = kind.strip()
            if kind not in ("inclusion", "exclusion", "other"):
                raise KeyError_(f"{where}: section kind must be inclusion, exclusion or other")
            study["sections"].append({"kind": kind, "heading": head.strip() or None, "intro": [], "items": []})
            stack = []
        else:
            if not study["sections"]:
                raise KeyError_(f"{where}: an item before any '== kind | heading' line")
            section = study["sections"][-1]
            indent = len(line) - len(line.lstrip(" "))
            if indent % 2:
                raise KeyError_(f"{where}: indent by two spaces per level")
            depth = indent // 2
            body = line.strip()
            if body.startswith("> "):
                if depth or section["items"]:
                    raise KeyError_(f"{where}: an intro ('> ') comes before a section's first item")
                section["intro"].append(body[2:])
                continue
            if "|" not in body:
                raise KeyError_(f"{where}: an item is 'LABEL | first words' or '| first words'")
            lab, _, first = body.partition("|")
            item = {"label": lab.strip() or None, "words": first.strip(), "items": []}
            while stack and stack[-1][0] >= depth:
                stack.pop()
            if depth == 0:
                section["items"].append(item)
            elif stack and stack[-1][0] == depth - 1:
                stack[-1][1]["items"].append(item)
            else:
                raise KeyError_(f"{where}: indented deeper than one level under its parent")
            stack.append((depth, item))
    if not study.get("id") or not study["source"]:
        raise KeyError_(f"{path}: needs a 'study' and a 'source' line")
    return study


def show(items, depth=0, out=None):
    out = [] if out is None else out
    for it in items:
        text = it.get("words") if "words" in it else " ".join((it.get("text") or "").split()[:6])
        out.append("  " * depth + f"{it.get('label') or ''} | {text}")
        show(it.get("items") or [], depth + 1, out)
    return out


def dump(sections):
    out = []
    for s in sections:
        out.append(f"== {s.get('kind')} | {s.get('heading') or ''}")
        out.extend(show(s.get("items") or []))
    return out


def compare_items(want, got, where):
    for i, w in enumerate(want):
        at = f"{where}{i + 1}"
        if i >= len(got):
            return f"{at}: missing item {w['label'] or '(no label)'} | {w['words']}"
        g = got[i]
        if label(w["label"]) != label(g.get("label")):
            return f"{at}: label {w['label']!r} expected, got {g.get('label')!r} ({' '.join((g.get('text') or '').split()[:6])})"
        kw, gw = words(w["words"]), words(g.get("text"))
        if kw != gw[: len(kw)]:
            return f"{at} ({w['label'] or 'no label'}): text starting {w['words']!r} expected, got {' '.join((g.get('text') or '').split()[:6])!r}"
        diff = compare_items(w["items"], g.get("items") or [], at + ".")
        if diff:
            return diff
    if len(got) > len(want):
        g = got[len(want)]
        return f"{where}{len(want) + 1}: extra item {g.get('label') or '(no label)'} | {' '.join((g.get('text') or '').split()[:6])}"
    return None


def is_intro(item, intro):
    # An intro given as a leading item is accepted when it is a leaf without a label, or with a
    # bare bullet ("* Patients must meet all of the following:").
    return label(item.get("label")) in ("", "*", "-", "•") and not item.get("items") and any(
        words(p) == words(item.get("text"))[: len(words(p))] for p in intro)


def compare(study, got):
    want = study["sections"]
    got = got.get("sections") or []
    for i, w in enumerate(want):
        at = f"section {i + 1}"
        if i >= len(got):
            return f"{at}: missing section {w['kind']} | {w['heading'] or '(no heading)'}"
        g = got[i]
        if w["kind"] != g.get("kind") or heading(w["heading"]) != heading(g.get("heading")):
            return (f"{at}: {w['kind']} | {w['heading'] or '(no heading)'} expected, "
                    f"got {g.get('kind')} | {g.get('heading') or '(no heading)'}")
        items = list(g.get("items") or [])
        while items and w["intro"] and is_intro(items[0], w["intro"]):
            items.pop(0)
        diff = compare_items(w["items"], items, f"{at} ({w['kind']}) item ")
        if diff:
            return diff
    if len(got) > len(want):
        g = got[len(want)]
        return f"section {len(want) + 1}: extra section {g.get('kind')} | {g.get('heading') or '(no heading)'}"
    return None


def run(study):
    path = os.path.join(SAMPLES, study["source"])
    if not os.path.exists(path):
        return "SKIP", f"no record at {path}", None
    try:
        proc = subprocess.run([BIN, "criteria", study["id"], path, "--format", "json"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "FAIL", f"could not run {BIN}: {e}", None
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["(no message)"])[0]
        return "FAIL", f"nct exited {proc.returncode}: {first}", None
    try:
        data = json.loads(proc.stdout)
    except ValueError as e:
        return "FAIL", f"output is not JSON: {e}", None
    if isinstance(data, list):
        data = next((d for d in data if isinstance(d, dict) and d.get("nct_id") == study["id"]), {})
    if data.get("nct_id") != study["id"]:
        return "FAIL", f"nct_id {data.get('nct_id')!r} expected {study['id']!r}", data
    diff = compare(study, data)
    return ("FAIL", diff, data) if diff else ("PASS", "", data)


def as_output(study):
    """The key as `nct criteria --format json` would give it, intros as leading leaf items."""
    def item(it):
        return {"ref": "", "label": it["label"], "text": it["words"] + " and the rest.",
                "thresholds": [], "items": [item(c) for c in it["items"]]}
    sections = [{"kind": s["kind"], "heading": s["heading"],
                 "items": [{"label": None, "text": p, "items": []} for p in s["intro"]]
                 + [item(i) for i in s["items"]]} for s in study["sections"]]
    return {"nct_id": study["id"], "sections": sections}


def mutants(out):
    """Each way one study's output can go wrong by one step that the key must catch."""
    def items(sections):
        for s in sections:
            stack = [s["items"]]
            while stack:
                level = stack.pop()
                for i, it in enumerate(level):
                    yield level, i, it
                    stack.append(it["items"])
    found = list(items(out["sections"]))
    nested = next(((lv, i, it) for lv, i, it in found if it["items"]), None)
    if nested:  # children flattened into siblings
        lv, i, it = nested
        kids, it["items"] = it["items"], []
        lv[i + 1:i + 1] = kids
        yield "children read as siblings"
        del lv[i + 1:i + 1 + len(kids)]
        it["items"] = kids
    labelled = next(((lv, i, it) for lv, i, it in found if it["label"]), None)
    if labelled:
        lv, i, it = labelled
        was, it["label"] = it["label"], "9."
        yield "a label renumbered"
        it["label"] = was
    if found:
        lv, i, it = found[-1]
        del lv[i]
        yield "an item lost"
        lv.insert(i, it)
    kinds = out["sections"]
    was = kinds[-1]["kind"]
    kinds[-1]["kind"] = "inclusion" if was != "inclusion" else "exclusion"
    yield "a section of the wrong kind"
    kinds[-1]["kind"] = was


def self_test(studies):
    bad = 0
    for s in studies:
        out = as_output(s)
        diff = compare(s, out)
        if diff:
            bad += 1
            print(f"self-test: {s['id']}: the key given back does not pass: {diff}")
        for what in mutants(out):
            if not compare(s, out):
                bad += 1
                print(f"self-test: {s['id']}: {what} passes")
        if compare(s, out):
            bad += 1
            print(f"self-test: {s['id']}: the output is not restored after the mutants")
    print(f"self-test: {len(studies)} keys, {bad} problems")
    return 1 if bad else 0


def main(only):
    files = sorted(f for f in os.listdir(KEYS) if f.endswith(".txt"))
    studies = []
    for f in files:
        try:
            studies.append(parse_key(os.path.join(KEYS, f)))
        except KeyError_ as e:
            print(f"criteria_key: bad key: {e}", file=sys.stderr)
            return 2
    if "--self-test" in only:
        return self_test(studies)
    if only:
        studies = [s for s in studies if s["id"] in only]
    totals = {}
    ambiguous = []
    for s in studies:
        verdict, why, data = run(s)
        group = "ambiguous" if s["ambiguous"] else s["kind"]
        t = totals.setdefault(group, {"PASS": 0, "FAIL": 0, "SKIP": 0})
        t[verdict] += 1
        tag = f"{s['kind']}{', ambiguous' if s['ambiguous'] else ''}"
        print(f"{verdict} {s['id']} ({tag}){': ' + why if why else ''}")
        if verdict == "FAIL" and VERBOSE:
            print("  expected:\n" + "\n".join("    " + l for l in dump(s["sections"])))
            if data:
                print("  got:\n" + "\n".join("    " + l for l in dump(data.get("sections") or [])))
        if s["ambiguous"]:
            ambiguous.append((s["id"], s["ambiguous"]))
    print()
    for group in ("easy", "hard", "ambiguous"):
        t = totals.get(group)
        if t:
            scored = t["PASS"] + t["FAIL"]
            pct = f" ({100 * t['PASS'] / scored:.0f}%)" if scored else ""
            skip = f", {t['SKIP']} skipped" if t["SKIP"] else ""
            print(f"{group:>9}: {t['PASS']}/{scored} exact{pct}{skip}")
    clear = [totals.get(g, {"PASS": 0, "FAIL": 0}) for g in ("easy", "hard")]
    passed, scored = sum(t["PASS"] for t in clear), sum(t["PASS"] + t["FAIL"] for t in clear)
    print(f"unambiguous: {passed}/{scored} exact")
    if ambiguous:
        print("\nambiguous studies (scored apart):")
        for nid, why in ambiguous:
            print(f"  {nid}: {why}")
    return 0


sys.exit(main(set(sys.argv[1:])))
PY
