#!/usr/bin/env python3
"""Writes the merge engineer's own rule cases: fixtures/merge/rule-*/ and fixtures/merge/bad/fallback-*/ {base,local,remote}.ipynb
(+ `args` with extra merge flags, `expected-exit`). Standard library only; notebooks are written
the way Jupyter writes them (indent=1, sorted keys, no ASCII escaping) unless a case says otherwise.
expected.ipynb is NOT written here: run the merge, check it by eye, then commit it.

    python3 tests/merge_cases/make.py
"""
import copy, json, os, shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "merge"


def code(src, outputs=(), count=None, id=None, meta=None):
    c = {"cell_type": "code", "execution_count": count, "metadata": meta or {},
         "outputs": list(outputs), "source": lines(src)}
    if id:
        c["id"] = id
    return c


def md(src, id=None, meta=None):
    c = {"cell_type": "markdown", "metadata": meta or {}, "source": lines(src)}
    if id:
        c["id"] = id
    return c


def out(text):
    return {"name": "stdout", "output_type": "stream", "text": lines(text)}


def result(text, n):
    return {"data": {"text/plain": lines(text)}, "execution_count": n, "metadata": {},
            "output_type": "execute_result"}


def lines(s):
    parts = s.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def nb(cells, minor=5, meta=None):
    m = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
         "language_info": {"name": "python", "version": "3.11.4"}}
    m.update(meta or {})
    return {"cells": cells, "metadata": m, "nbformat": 4, "nbformat_minor": minor}


def dump(obj, crlf=False, ascii=False):
    s = json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=ascii) + "\n"
    return s.replace("\n", "\r\n") if crlf else s


def case(name, base, local, remote, args=None, exit=None, raw=False, **kw):
    # Broken inputs live under bad/, which the nbformat validator skips.
    d = ROOT / "bad" / name if name.startswith("fallback-") else ROOT / f"rule-{name}"
    d.mkdir(parents=True, exist_ok=True)
    for n, v in (("base", base), ("local", local), ("remote", remote)):
        data = v if raw and isinstance(v, (str, bytes)) else dump(v, **kw)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(d / f"{n}.ipynb", mode, **({} if mode == "wb" else {"newline": ""})) as f:
            f.write(data)
    if args:
        (d / "args").write_text(args + "\n")
    if exit is not None:
        (d / "expected-exit").write_text(f"{exit}\n")


def ids(cells, prefix="c"):
    for i, c in enumerate(cells):
        c["id"] = f"{prefix}{i}"
    return cells


def basic():
    return ids([
        md("# Analysis\n\nLoad the data and fit a line."),
        code("import math\nxs = list(range(10))", count=1),
        code("ys = [2 * x + 1 for x in xs]\nprint(len(ys))", [out("10\n")], 2),
        code("slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])\nslope", [result("2.0", 3)], 3),
        md("## Conclusion\n\nThe slope is two."),
    ])


def edit(cells, i, src):
    cells = copy.deepcopy(cells)
    cells[i]["source"] = lines(src)
    return cells


def rerun(cells, i, text, n):
    cells = copy.deepcopy(cells)
    cells[i]["outputs"] = [out(text)] if cells[i]["outputs"] and cells[i]["outputs"][0]["output_type"] == "stream" else [result(text, n)]
    cells[i]["execution_count"] = n
    return cells


def main():
    if ROOT.exists():
        for d in [*ROOT.glob("rule-*"), *ROOT.glob("bad/fallback-*")]:
            shutil.rmtree(d)
    B = basic()
    src = lambda i: "".join(B[i]["source"])

    case("edits-different-cells", nb(B), nb(edit(B, 0, "# Analysis of a line\n\nLoad the data and fit a line.")),
         nb(edit(B, 4, "## Conclusion\n\nThe slope is exactly two.")))
    case("same-edit-both-sides", nb(B),
         nb(edit(edit(B, 1, "import math\nxs = list(range(12))"), 0, "# Analysis!\n\nLoad the data and fit a line.")),
         nb(edit(B, 1, "import math\nxs = list(range(12))")))
    case("same-cell-different-lines", nb(B),
         nb(edit(B, 3, "slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])\nslope\n# checked")),
         nb(edit(B, 3, "# the slope\nslope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])\nslope")))
    case("same-lines-conflict", nb(B),
         nb(edit(B, 1, "import math\nxs = list(range(20))")),
         nb(edit(B, 1, "import math\nxs = list(range(30))")), exit=1)
    for pol in ("ours", "theirs", "union"):
        case(f"same-lines-{pol}", nb(B),
             nb(edit(B, 1, "import math\nxs = list(range(20))")),
             nb(edit(B, 1, "import math\nxs = list(range(30))")), args=f"--conflicts {pol}")
    deleted = copy.deepcopy(B); del deleted[2]
    case("delete-vs-edit", nb(B), nb(deleted),
         nb(edit(B, 2, "ys = [2 * x + 1 for x in xs]\nprint(len(ys), sum(ys))")), exit=1)
    case("delete-vs-rerun", nb(B), nb(deleted), nb(rerun(B, 2, "10 (again)\n", 7)))
    case("edit-vs-delete-theirs", nb(B), nb(edit(B, 2, "ys = [3 * x for x in xs]\nprint(len(ys))")), nb(deleted),
         args="--conflicts theirs")
    L = copy.deepcopy(B); L.insert(2, code("print('local step')", id="new-local"))
    R = copy.deepcopy(B); R.insert(2, md("A remote note.", id="new-remote"))
    case("insert-insert-conflict", nb(B), nb(L), nb(R), exit=1)
    case("insert-insert-union", nb(B), nb(L), nb(R), args="--conflicts union")
    R2 = copy.deepcopy(B); R2.insert(4, md("A remote note.", id="new-remote"))
    case("inserts-different-places", nb(B), nb(L), nb(R2))
    S = copy.deepcopy(B); S.insert(3, code("print('same')", id="same-new"))
    S2 = edit(S, 0, "# Analysis (remote title)\n\nLoad the data and fit a line.")
    case("same-insert-both-sides", nb(B), nb(S), nb(S2))
    # moves, without ids (nbformat 4.4)
    noids = copy.deepcopy(B)
    for c in noids:
        del c["id"]
    moved = copy.deepcopy(noids); moved.append(moved.pop(1)); moved.insert(1, moved.pop(1))
    moved = [noids[0], noids[2], noids[3], noids[4], noids[1]]
    moved = copy.deepcopy(moved)
    case("move-vs-edit-noids", nb(noids, 4), nb(moved, 4),
         nb(edit(noids, 1, "import math\nxs = list(range(10))  # ten points"), 4))
    case("move-vs-edit-ids", nb(B), nb(copy.deepcopy([B[0], B[2], B[3], B[4], B[1]])),
         nb(edit(B, 1, "import math\nxs = list(range(10))  # ten points")))
    # outputs
    case("outputs-both-reran-same-source", nb(B), nb(rerun(B, 3, "2.0", 5)), nb(rerun(B, 3, "2.00", 9)))
    case("outputs-follow-source", nb(B),
         nb(rerun(edit(B, 2, "ys = [2 * x + 1 for x in xs]\nprint(len(ys), 'points')"), 2, "10 points\n", 4)),
         nb(rerun(B, 2, "10\n", 8)))
    case("outputs-cleared-when-merged", nb(B),
         nb(rerun(edit(B, 3, "slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])\nslope\n# checked"), 3, "2.0", 4)),
         nb(rerun(edit(B, 3, "# the slope\nslope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])\nslope"), 3, "2.0 ", 6)))
    case("outputs-conflict-policy", nb(B), nb(rerun(B, 3, "2.0", 5)), nb(rerun(B, 3, "2.00", 9)),
         args="--outputs conflict", exit=1)
    case("outputs-remote-policy", nb(B), nb(rerun(B, 3, "2.0", 5)), nb(rerun(B, 3, "2.00", 9)),
         args="--outputs remote")
    # metadata
    mb = copy.deepcopy(B); mb[1]["metadata"] = {"tags": ["setup"], "trusted": True}
    ml = copy.deepcopy(mb); ml[1]["metadata"]["tags"] = ["setup", "local-tag"]; ml[1]["metadata"]["slideshow"] = {"slide_type": "slide"}
    mr = copy.deepcopy(mb); mr[1]["metadata"]["tags"] = ["setup", "remote-tag"]; mr[1]["metadata"]["editable"] = False
    case("metadata-key-by-key", nb(mb), nb(ml), nb(mr))
    cl = copy.deepcopy(mb); cl[1]["metadata"]["trusted"] = False; cl[1]["metadata"]["jupyter"] = {"source_hidden": True}
    cr = copy.deepcopy(mb); cr[1]["metadata"]["trusted"] = "yes"
    case("metadata-conflict", nb(mb), nb(cl), nb(cr), exit=1)
    vl = copy.deepcopy(B); vl[1]["metadata"] = {"execution": {"iopub.status.idle": "2024-01-01T10:00:00Z"}}
    vr = copy.deepcopy(B); vr[1]["metadata"] = {"execution": {"iopub.status.idle": "2024-02-02T11:00:00Z"}}
    case("volatile-metadata", nb(B), nb(vl, meta={"language_info": {"name": "python", "version": "3.12.1"}}),
         nb(vr, meta={"language_info": {"name": "python", "version": "3.11.9"},
                      "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}))
    # notebook metadata conflict
    case("notebook-metadata-conflict", nb(B, meta={"title": "Base"}), nb(B, meta={"title": "Local"}),
         nb(edit(B, 4, "## Conclusion\n\nDone."), meta={"title": "Remote"}), exit=1)
    # formats
    v3b = {"metadata": {"name": "line"}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Analysis"]},
        {"cell_type": "code", "collapsed": False, "input": ["xs = list(range(10))\n", "ys = [2 * x for x in xs]"],
         "language": "python", "metadata": {}, "outputs": [], "prompt_number": 1},
        {"cell_type": "code", "collapsed": False, "input": ["print(sum(ys))"], "language": "python",
         "metadata": {}, "outputs": [{"output_type": "stream", "stream": "stdout", "text": ["90\n"]}],
         "prompt_number": 2},
        {"cell_type": "markdown", "metadata": {}, "source": ["The end."]}], "metadata": {}}]}
    v3l = copy.deepcopy(v3b); v3l["worksheets"][0]["cells"][1]["input"] = ["xs = list(range(10))  # ten\n", "ys = [2 * x for x in xs]"]
    v3r = copy.deepcopy(v3b); v3r["worksheets"][0]["cells"][3]["source"] = ["The very end."]
    v3r["worksheets"][0]["cells"][2]["outputs"][0]["text"] = ["90 \n"]; v3r["worksheets"][0]["cells"][2]["prompt_number"] = 5
    case("v3-notebook", v3b, v3l, v3r)
    v3c = copy.deepcopy(v3b); v3c["worksheets"][0]["cells"][1]["input"] = ["xs = list(range(11))\n", "ys = [2 * x for x in xs]"]
    v3d = copy.deepcopy(v3b); v3d["worksheets"][0]["cells"][1]["input"] = ["xs = list(range(12))\n", "ys = [2 * x for x in xs]"]
    case("v3-conflict", v3b, v3c, v3d, exit=1)
    U = ids([md("# Données\n\nÉtude rapide — ünïcödé ✓"), code("nom = 'café'\nprint(nom)", [out("café\n")], 1),
             md("## 結論\n\n終わり")])
    case("unicode", nb(U), nb(edit(U, 0, "# Données 📊\n\nÉtude rapide — ünïcödé ✓")),
         nb(edit(U, 2, "## 結論\n\nおわり")))
    case("unicode-ascii-escaped", nb(U), nb(edit(U, 0, "# Données 📊\n\nÉtude rapide — ünïcödé ✓")),
         nb(edit(U, 2, "## 結論\n\nおわり")), ascii=True)
    case("crlf", nb(B), nb(edit(B, 0, "# Analysis (CRLF)\n\nLoad the data and fit a line.")),
         nb(edit(B, 4, "## Conclusion\n\nThe slope is two (CRLF).")), crlf=True)
    case("crlf-conflict", nb(B), nb(edit(B, 1, "import math\nxs = list(range(20))")),
         nb(edit(B, 1, "import math\nxs = list(range(30))")), crlf=True, exit=1)
    M = ids([md("Title\n=======\n\nSome text.\n\nSection\n-------\n\nMore."), code("x = 1")])
    case("marker-like-content", nb(M), nb(edit(M, 0, "Title\n=======\n\nLocal text.\n\nSection\n-------\n\nMore.")),
         nb(edit(M, 0, "Title\n=======\n\nRemote text.\n\nSection\n-------\n\nMore.")), exit=1)
    # fallbacks
    good = dump(nb(B))
    case("fallback-invalid-json", good, good.replace('"# Analysis', '"# Analysis local', 1)[:-3] + "\n",
         good.replace("The slope is two.", "The slope is 2."), raw=True)
    conflicted = good.replace('  "import math\\n",\n', '<<<<<<< HEAD\n  "import math\\n",\n=======\n  "import cmath\\n",\n>>>>>>> other\n')
    case("fallback-conflict-markers", good, conflicted, good.replace("The slope is two.", "The slope is 2."),
         raw=True, exit=0)
    case("fallback-not-utf8", good.encode(), good.replace("Load the data", "Load the d\u00e4ta").encode("latin-1"),
         good.replace("The slope is two.", "The slope is 2.").encode(), raw=True)
    case("fallback-conflicting", good, good.replace('"# Analysis', '"# Analysis L', 1) + "}",
         good.replace('"# Analysis', '"# Analysis R', 1), raw=True, exit=1)


if __name__ == "__main__":
    main()
