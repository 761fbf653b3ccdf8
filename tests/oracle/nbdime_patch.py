#!/usr/bin/env python3
"""Oracle: does nbdiff's JSON diff, applied by nbdime, turn OLD into NEW?

For every pair, runs `BIN --json OLD NEW`, reads the diff it prints (a JSON
list in nbdime's documented diff format, computed on the notebooks as
`nbformat.read(f, as_version=nbformat.NO_CONVERT)` holds them: multi-line
strings joined), applies it with `nbdime.patch(old, diff)` and checks that
the result equals NEW exactly (as plain JSON values).

Usage (from the repo root, inside the venv that has nbformat and nbdime):

    python tests/oracle/nbdime_patch.py target/release/nbdiff
    python tests/oracle/nbdime_patch.py BIN DIR...        # also these dirs
    python tests/oracle/nbdime_patch.py BIN --pairs ../shared/corpus/real-diffs
    python tests/oracle/nbdime_patch.py BIN --groups ../shared/corpus/nbdime-tests
    python tests/oracle/nbdime_patch.py --self-test        # nbdime's own diff, no BIN

Pairs: `fixtures/diff/*/{old,new}.ipynb` always (unless --no-fixtures). Each
DIR argument, and each --pairs DIR, is either one pair folder (holding
old.ipynb/new.ipynb or a.ipynb/b.ipynb) or a folder of such folders.

BIN may exit 0 or 1 (1 = "the notebooks differ", as diff(1) does); any
other exit code, or output that is not a JSON list, is a failure. A pair of
equal notebooks must give an empty diff `[]`.

Prints one line per pair and a summary line "N passed, N failed"; exits 1 if
any pair failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import nbformat.reader
import nbdime
from nbdime.diff_format import DiffEntry, validate_diff
from nbdime.log import NBDiffFormatError

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def find_pairs(d: Path):
    """Yield (name, old, new) for a pair folder or a folder of pair folders."""
    for a, b in (("old.ipynb", "new.ipynb"), ("a.ipynb", "b.ipynb")):
        if (d / a).is_file() and (d / b).is_file():
            yield str(d), d / a, d / b
            return
    if not d.is_dir():
        raise SystemExit(f"nbdime_patch: {d}: not a directory")
    for sub in sorted(p for p in d.iterdir() if p.is_dir()):
        for a, b in (("old.ipynb", "new.ipynb"), ("a.ipynb", "b.ipynb")):
            if (sub / a).is_file() and (sub / b).is_file():
                yield str(sub), sub / a, sub / b
                break


def read_nb(path: Path):
    """The notebook as nbformat holds it in memory.

    This is `nbformat.read(f, as_version=NO_CONVERT)` minus its validation
    step, whose only effect on a readable notebook is to invent random ids
    for 4.5+ cells that lack one (or repeat one): multi-line strings are
    joined, and transient keys (metadata.orig_nbformat, .signature, cell
    metadata.trusted) dropped, exactly as nbformat.read does.
    """
    text = path.read_bytes().decode("utf-8")
    return nbformat.reader.reads(text)


def to_entries(diff):
    """Plain JSON diff -> nbdime's DiffEntry objects (what nbdime.patch needs)."""
    if not isinstance(diff, list):
        return diff
    out = []
    for e in diff:
        if isinstance(e, dict):
            e = DiffEntry({k: (to_entries(v) if k == "diff" else v) for k, v in e.items()})
        out.append(e)
    return out


def plain(x):
    """NotebookNode -> plain JSON values (dicts, lists, str, numbers)."""
    return json.loads(json.dumps(x))


def first_difference(a, b, path="") -> str:
    if type(a) is not type(b):
        return f"{path or '/'}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                return f"{path}/{k}: missing in patched"
            if k not in b:
                return f"{path}/{k}: unexpected in patched"
            if a[k] != b[k]:
                return first_difference(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}/{i}")
        if len(a) != len(b):
            return f"{path or '/'}: length {len(a)} != {len(b)}"
    return f"{path or '/'}: {shorten(a)!s} != {shorten(b)!s}"


def shorten(x, n=80):
    s = json.dumps(x, ensure_ascii=False)
    return s if len(s) <= n else s[: n - 3] + "..."


def group_pairs(root: Path):
    """Every ordered pair of notebooks sharing the NAME of NAME--VARIANT.ipynb
    (a plain NAME.ipynb belongs to the group NAME)."""
    groups: dict[str, list[Path]] = {}
    for f in sorted(root.glob("*.ipynb")):
        groups.setdefault(f.stem.split("--")[0], []).append(f)
    for files in groups.values():
        for old, new in itertools.permutations(files, 2):
            yield f"{old.stem}->{new.stem}", old, new


def diff_with_bin(binary: str, old: Path, new: Path):
    proc = subprocess.run(
        [binary, "--json", str(old), str(new)],
        capture_output=True,
        timeout=TIMEOUT,
    )
    if proc.returncode not in (0, 1):
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Failure(f"exit code {proc.returncode}: {err[-1] if err else '(no stderr)'}")
    try:
        return json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Failure(f"output is not JSON: {e}") from None


def diff_with_nbdime(old_nb, new_nb):
    return plain(nbdime.diff_notebooks(old_nb, new_nb))


class Failure(Exception):
    pass


def check_pair(differ, old: Path, new: Path):
    old_nb = read_nb(old)
    new_nb = read_nb(new)
    diff = differ(old, new, old_nb, new_nb)
    if not isinstance(diff, list):
        raise Failure(f"diff is a JSON {type(diff).__name__}, expected a list")
    for i, e in enumerate(diff):
        if not isinstance(e, dict) or "op" not in e or "key" not in e:
            raise Failure(f"diff entry {i} is not an object with op and key: {shorten(e)}")
    diff = to_entries(diff)
    try:
        validate_diff(diff, deep=True)
    except NBDiffFormatError as e:
        raise Failure(f"not nbdime's diff format: {e}") from None
    want = plain(new_nb)
    if plain(old_nb) == want and diff:
        raise Failure(f"notebooks are equal but the diff has {len(diff)} entries")
    try:
        patched = plain(nbdime.patch(old_nb, diff))
    except Exception as e:  # noqa: BLE001 - any patch failure is the verdict
        raise Failure(f"nbdime.patch failed: {type(e).__name__}: {e}") from None
    if patched != want:
        raise Failure("patched != new at " + first_difference(patched, want))
    return len(diff)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bin", nargs="?", help="the nbdiff binary (omit with --self-test)")
    ap.add_argument("dirs", nargs="*", type=Path, help="extra pair folders or folders of pair folders")
    ap.add_argument("--pairs", action="append", type=Path, default=[], metavar="DIR", help="folder of pair folders (a.ipynb/b.ipynb or old/new); repeatable")
    ap.add_argument("--groups", action="append", type=Path, default=[], metavar="DIR", help="folder of notebooks named NAME--VARIANT.ipynb (nbdime's test layout): every ordered pair within a NAME; repeatable")
    ap.add_argument("--self-test", action="store_true", help="use nbdime.diff_notebooks instead of BIN (tests this script)")
    ap.add_argument("--no-fixtures", action="store_true", help="skip fixtures/diff")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    args = ap.parse_args(argv)

    if args.self_test:
        if args.bin is not None:
            args.dirs.insert(0, Path(args.bin))
        differ = lambda o, n, onb, nnb: diff_with_nbdime(onb, nnb)  # noqa: E731
    else:
        if not args.bin:
            ap.error("BIN is required (or use --self-test)")
        binary = args.bin
        if not Path(binary).exists():
            ap.error(f"{binary}: no such file (build it first: cargo build --release)")
        binary = str(Path(binary).resolve())
        differ = lambda o, n, onb, nnb: diff_with_bin(binary, o, n)  # noqa: E731

    sources = ([] if args.no_fixtures else [ROOT / "fixtures" / "diff"]) + args.dirs + args.pairs
    pairs = [p for d in sources for p in find_pairs(d)]
    pairs += [p for d in args.groups for p in group_pairs(d)]
    if not pairs:
        print("nbdime_patch: no pairs found", file=sys.stderr)
        return 2

    passed = failed = 0
    t0 = time.monotonic()
    for name, old, new in pairs:
        try:
            rel = str(Path(name).resolve().relative_to(ROOT))
        except ValueError:
            rel = name
        try:
            n = check_pair(differ, old, new)
        except Failure as e:
            failed += 1
            print(f"FAIL {rel}: {e}")
        except Exception as e:  # noqa: BLE001 - reading the inputs failed
            failed += 1
            print(f"FAIL {rel}: {type(e).__name__}: {e}")
        else:
            passed += 1
            if not args.quiet:
                print(f"ok   {rel} ({n} diff entries)")
    mode = "nbdime self-test" if args.self_test else args.bin
    print(f"nbdime_patch: {len(pairs)} pairs with {mode} in {time.monotonic() - t0:.1f}s")
    print(f"nbdime_patch: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
