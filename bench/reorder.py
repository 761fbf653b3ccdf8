#!/usr/bin/env python3
"""Merge inputs where both sides reorder or regenerate every cell: the worst
case of the cell-list merge (issue 14, finding 8). Stdlib only, deterministic.

    python3 bench/reorder.py --cells 20000 --remote new-ids -o bench/out/r20k

Writes OUT/base.ipynb (N code cells with ids), OUT/local.ipynb (base's cells
shuffled) and OUT/remote.ipynb, which is base with every cell regenerated:

  new-ids      the same sources under new cell ids (a notebook re-created)
  edited       every source edited, same ids
  new-all      new ids and new sources
  shuffled     an independent shuffle of base's cells
"""
import argparse
import json
import os
import random


def cell(cid, src):
    return {"cell_type": "code", "execution_count": None, "id": cid,
            "metadata": {}, "outputs": [], "source": src}


def nb(cells):
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def write(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--cells", type=int, default=10000)
    ap.add_argument("--remote", choices=["new-ids", "edited", "new-all", "shuffled"], default="new-ids")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-ids", action="store_true", help="nbformat 4.4: cells without ids (aligned by content)")
    ap.add_argument("--distinct", type=int, default=0, help="only this many distinct sources (repeated content); 0: all distinct")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    def src(k):
        j = k % a.distinct if a.distinct else k
        return "x_%d = %d\nprint(x_%d)" % (j, j * 7919 % 10**6, j)
    base = [cell("c%d" % k, src(k)) for k in range(a.cells)]
    local = base[:]
    rng.shuffle(local)
    if a.remote == "new-ids":
        remote = [cell("r%d" % k, c["source"]) for k, c in enumerate(base)]
    elif a.remote == "edited":
        remote = [cell(c["id"], c["source"] + "\n# regenerated") for c in base]
    elif a.remote == "new-all":
        remote = [cell("r%d" % k, c["source"] + "\n# regenerated") for k, c in enumerate(base)]
    else:
        remote = base[:]
        rng.shuffle(remote)
    os.makedirs(a.out, exist_ok=True)
    for name, cells in (("base", base), ("local", local), ("remote", remote)):
        doc = nb(cells)
        if a.no_ids:
            doc["nbformat_minor"] = 4
            doc["cells"] = [{k: v for k, v in c.items() if k != "id"} for c in cells]
        write(os.path.join(a.out, name + ".ipynb"), doc)


main()
