#!/bin/sh
# Side by side: `nbdiff OLD NEW` vs `git diff --no-index` on the corpus pairs.
# Usage: bench/compare.sh [BIN]   (after `cargo build --release`)
# Writes bench/out/<pair>.json and prints per-pair medians and the median ratio.
set -e
BIN=${1:-target/release/nbdiff}
mkdir -p bench/out
for d in /work/shared/corpus/real-diffs/*/; do
  n=$(basename "$d")
  hyperfine -N -i --warmup 3 --min-runs 15 --export-json "bench/out/$n.json" \
    "git diff --no-index --no-color $d/a.ipynb $d/b.ipynb" \
    "$BIN --no-pager --color never $d/a.ipynb $d/b.ipynb" >/dev/null 2>&1
done
python3 - <<'PY'
import glob, json, statistics
ratios = []
for f in sorted(glob.glob("bench/out/*.json")):
    r = json.load(open(f))["results"]
    g, m = r[0]["median"] * 1000, r[1]["median"] * 1000
    ratios.append(m / g)
    print(f"{f.split('/')[-1][:-5]:16} git {g:6.1f} ms  nbdiff {m:6.1f} ms  ratio {m / g:.2f}")
print(f"median ratio nbdiff/git: {statistics.median(ratios):.2f} over {len(ratios)} pairs")
PY
