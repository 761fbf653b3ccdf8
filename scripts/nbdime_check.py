"""Check `nbdiff --json OLD NEW` with nbdime's own patch: patch(OLD, diff) == NEW.

Usage: nbdime_check.py BIN (fixtures|corpus|nbdime-tests|all) [ROOT]
Prints one line per failing pair and a summary "N of M pass".
"""
import glob, itertools, json, os, subprocess, sys, warnings
import nbformat, nbdime
from nbdime.diff_format import validate_diff
from nbdime.diff_utils import to_diffentry_dicts

warnings.filterwarnings("ignore")
import logging; logging.disable(logging.CRITICAL)

def pairs(kind):
    if kind in ("fixtures", "all"):
        root = os.environ.get("FIXTURES", "fixtures")
        for d in sorted(glob.glob(f"{root}/diff/*/")):
            if os.path.exists(d + "old.ipynb") and os.path.exists(d + "new.ipynb"):
                yield d + "old.ipynb", d + "new.ipynb"
    if kind in ("corpus", "all"):
        for d in sorted(glob.glob("/work/shared/corpus/real-diffs/*/")):
            yield d + "a.ipynb", d + "b.ipynb"
    if kind in ("nbdime-tests", "all"):
        groups = {}
        for f in sorted(glob.glob("/work/shared/corpus/nbdime-tests/*.ipynb")):
            name = os.path.basename(f)[:-6]
            groups.setdefault(name.split("--")[0], []).append(f)
        for files in groups.values():
            yield from itertools.permutations(files, 2)

def read(path):
    with open(path, encoding="utf-8") as f:
        return nbformat.read(f, as_version=nbformat.NO_CONVERT)

def forget_invented_ids(path, *nbs):
    """nbformat >= 4.5 gives cells without an id a random one on read; no diff
    can predict it, so compare without ids the NEW file does not have."""
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    for i, cell in enumerate(raw.get("cells", [])):
        if "id" not in cell:
            for nb in nbs:
                cells = nb.get("cells", [])
                if i < len(cells):
                    cells[i].pop("id", None)

def main():
    binary, kind = sys.argv[1], sys.argv[2]
    ok = total = 0
    for a, b in pairs(kind):
        total += 1
        try:
            old, new = read(a), read(b)
        except Exception as e:  # not readable by nbformat either: skip
            total -= 1
            print(f"SKIP {a} {b}: nbformat cannot read: {e}")
            continue
        r = subprocess.run([binary, "--json", a, b], capture_output=True)
        if r.returncode != 0:
            print(f"FAIL {a} {b}: exit {r.returncode}: {r.stderr.decode()[:200]}")
            continue
        try:
            diff = to_diffentry_dicts(json.loads(r.stdout))
            validate_diff(diff, deep=True)
            patched = nbdime.patch(old, diff)
        except Exception as e:
            print(f"FAIL {a} {b}: patch raised {type(e).__name__}: {e}")
            continue
        forget_invented_ids(b, patched, new)
        if json.dumps(patched, sort_keys=True) == json.dumps(new, sort_keys=True):
            ok += 1
        else:
            print(f"FAIL {a} {b}: patched != new")
    print(f"{kind}: {ok} of {total} pass")

main()
