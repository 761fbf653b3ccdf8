#!/usr/bin/env python3
"""Validate notebooks with nbformat's own JSON schema, each at its own version.

Usage (from the repo root, inside the venv that has nbformat):

    python tests/oracle/validate.py FILE_OR_DIR...

A directory is searched recursively for *.ipynb, skipping any path with a
`bad` folder in it (fixtures/bad holds deliberately broken files) and any
`.venv`/`target` folder; a file named explicitly is always checked.

The file is parsed as plain JSON (strict UTF-8) and validated against the
schema of the nbformat/nbformat_minor it declares: no conversion, no
upgrade, no repair (duplicate cell ids are an error, not fixed silently).

Prints one line per failing file (and per file with -v) and a summary
"N passed, N failed"; exits 1 if any file failed, 2 if no file was given or
found.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbformat import ValidationError

SKIP_DIRS = {"bad", ".venv", "target", ".git", "node_modules"}


def collect(args):
    files = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            for f in sorted(p.rglob("*.ipynb")):
                if not SKIP_DIRS.intersection(f.relative_to(p).parts[:-1]):
                    files.append(f)
        else:
            files.append(p)
    return files


def check(path: Path):
    """Return None when valid, else a one-line reason."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        return f"cannot read: {e.strerror}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8: byte {raw[e.start]:#04x} at offset {e.start}"
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        return f"not JSON: {e.msg} at line {e.lineno} column {e.colno}"
    if not isinstance(nb, dict):
        return f"not a notebook: top level is a JSON {type(nb).__name__}"
    major, minor = nb.get("nbformat"), nb.get("nbformat_minor")
    if not isinstance(major, int) or not isinstance(minor, int):
        return "not a notebook: no integer nbformat/nbformat_minor"
    # nbformat.validate() "repairs" missing and duplicate 4.5 cell ids in
    # place before checking; catch those first so they are not hidden.
    if (major, minor) >= (4, 5) and isinstance(nb.get("cells"), list):
        seen = set()
        for i, cell in enumerate(nb["cells"]):
            if not isinstance(cell, dict):
                continue
            if "id" not in cell:
                return f"invalid nbformat {major}.{minor} at cells/{i}: cell has no id"
            if cell["id"] in seen:
                return f"invalid nbformat {major}.{minor} at cells/{i}: duplicate cell id {cell['id']!r}"
            seen.add(cell["id"])
    try:
        nbformat.validate(nb, version=major, version_minor=minor)
    except ValidationError as e:
        where = "/".join(str(x) for x in e.absolute_path) or "/"
        return f"invalid nbformat {major}.{minor} at {where}: {e.message}"
    except Exception as e:  # noqa: BLE001 - e.g. unknown version: report, don't crash
        return f"cannot validate nbformat {major}.{minor}: {type(e).__name__}: {e}"
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="notebook files or folders")
    ap.add_argument("-v", "--verbose", action="store_true", help="print a line for valid files too")
    args = ap.parse_args(argv)

    files = collect(args.paths)
    if not files:
        print("validate: no notebooks found", file=sys.stderr)
        return 2
    passed = failed = 0
    for f in files:
        reason = check(f)
        if reason is None:
            passed += 1
            if args.verbose:
                print(f"ok   {f}")
        else:
            failed += 1
            print(f"FAIL {f}: {reason}")
    print(f"validate: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
