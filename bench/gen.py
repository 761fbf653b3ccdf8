#!/usr/bin/env python3
"""Synthetic Jupyter notebook generator for nbdiff benchmarks (stdlib only).

Writes nbformat 4.5 notebooks exactly as Jupyter serializes them
(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\\n",
multi-line strings stored as lists of lines).

Modes (all deterministic for a given --seed):

  pair (default)  OUT/a.ipynb (old) and OUT/b.ipynb (new): b is a with
                  --edit-frac of the cells touched: changed source lines,
                  inserted / deleted / moved cells, re-executed cells
                  (new execution counts and outputs).
  --shuffle       like pair, but b's cells are additionally put in a
                  random order (the alignment's worst case).
  --merge         OUT/base.ipynb, OUT/local.ipynb, OUT/remote.ipynb: local
                  and remote each carry --edit-frac of edits on disjoint
                  cells (a clean merge), plus --conflicts cells that both
                  sides change differently.
                  --rerun: both sides also re-execute every code cell
                  (new execution counts and outputs everywhere).
  --single        only OUT/a.ipynb.

Sizes:
  --cells N       number of cells (default 1000).
  --image-mb M    make an image-heavy notebook of about M MB instead:
                  --image-cells (default 200) code cells, each with a PNG of
                  about M/image-cells MB (noise pixels, so it doesn't
                  compress), plus --cells is ignored.

Examples:
  python3 bench/gen.py --cells 10000 --edit-frac 0.01 -o bench/out/c10k
  python3 bench/gen.py --cells 1000 --shuffle --edit-frac 0 -o bench/out/s1k
  python3 bench/gen.py --image-mb 100 -o bench/out/img100
  python3 bench/gen.py --cells 1000 --merge --conflicts 3 -o bench/out/m1k
"""

import argparse
import base64
import json
import os
import random
import struct
import sys
import zlib

GEN_VERSION = 3  # bump when the output for given flags changes (bench/run caches on it)

# --------------------------------------------------------------------------
# PNG

def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def make_png(rng, width, height, noise=1.0):
    """A valid 8-bit RGB PNG. `noise` in [0,1]: fraction of rows that are random
    bytes (incompressible); the other rows are a smooth gradient ("plot background")."""
    rows = []
    base_r, base_g, base_b = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    grad = bytes(((base_r + x) & 255, (base_g + 2 * x) & 255, base_b)[i % 3]
                 for x in range(width) for i in range(3))
    rowbytes = width * 3
    for y in range(height):
        if rng.random() < noise:
            rows.append(b"\x00" + rng.randbytes(rowbytes))
        else:
            rows.append(b"\x00" + grad)
    raw = b"".join(rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
            + _chunk(b"IDAT", zlib.compress(raw, 1)) + _chunk(b"IEND", b""))


def png_b64_for_bytes(rng, target_bytes, noise=1.0):
    """base64 PNG whose base64 text is about target_bytes long."""
    raw_target = max(64, int(target_bytes * 3 / 4))
    px = max(1, raw_target // 3)
    width = max(8, min(2000, int(px ** 0.5 * 1.5)))
    height = max(8, px // width)
    return base64.b64encode(make_png(rng, width, height, noise)).decode("ascii") + "\n"

# --------------------------------------------------------------------------
# text helpers

WORDS = ("data model train loss value result frame index batch layer weight "
         "input output config token score mean std sample label feature "
         "matrix vector epoch step rate plot figure axis column row group "
         "filter query cache buffer node graph edge path file stream").split()
FUNCS = ("np.mean np.sum np.std pd.read_csv len sorted max min torch.tensor "
         "model.fit model.predict plt.plot plt.imshow df.groupby json.loads "
         "os.path.join re.sub math.sqrt range enumerate zip print").split()
EXC = [("ValueError", "operands could not be broadcast together with shapes (3,) (4,)"),
       ("KeyError", "'column_{}'"), ("ZeroDivisionError", "division by zero"),
       ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'"),
       ("IndexError", "list index out of range"),
       ("ModuleNotFoundError", "No module named 'package_{}'")]


def ident(rng):
    return "%s_%s%d" % (rng.choice(WORDS), rng.choice(WORDS), rng.randrange(100))


def code_line(rng):
    k = rng.randrange(8)
    if k == 0:
        return "%s = %s(%s)" % (ident(rng), rng.choice(FUNCS), ident(rng))
    if k == 1:
        return "%s = %s[%d:%d] * %.3f" % (ident(rng), ident(rng), rng.randrange(50),
                                          rng.randrange(50, 500), rng.random())
    if k == 2:
        return "for %s in range(%d):" % (rng.choice("ijkn"), rng.randrange(2, 1000))
    if k == 3:
        return "    %s += %s(%s, axis=%d)" % (ident(rng), rng.choice(FUNCS), ident(rng), rng.randrange(3))
    if k == 4:
        return "# %s" % sentence(rng, 4, 10)
    if k == 5:
        return "print(f\"%s: {%s:.4f}\")" % (rng.choice(WORDS), ident(rng))
    if k == 6:
        return "def %s(%s, %s=%d):" % (ident(rng), ident(rng), ident(rng), rng.randrange(10))
    return "    return %s(%s) + %d" % (rng.choice(FUNCS), ident(rng), rng.randrange(1000))


def sentence(rng, lo=6, hi=18):
    s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))
    return s[0].upper() + s[1:]


def md_line(rng):
    k = rng.randrange(6)
    if k == 0:
        return "#" * rng.randint(1, 3) + " " + sentence(rng, 2, 6)
    if k == 1:
        return "- %s `%s`" % (sentence(rng, 3, 8), ident(rng))
    if k == 2:
        return ""
    if k == 3:
        return "$$ %s = \\sum_{i=1}^{%d} %s_i $$" % (rng.choice("xyzw"), rng.randrange(99), rng.choice("abc"))
    return sentence(rng, 8, 25) + "."


def to_lines(lines):
    """Jupyter's multiline-string list form: every line but the last ends with \\n."""
    return "\n".join(lines).splitlines(True)


def to_lines_nl(lines):
    """Like to_lines but the last line also ends with \\n (stream text usually does)."""
    return [l + "\n" for l in lines]

# --------------------------------------------------------------------------
# cells


class Gen:
    def __init__(self, rng, ids=True, png_bytes=3000, png_prob=0.05):
        self.rng = rng
        self.ids = ids
        self.png_bytes = png_bytes
        self.png_prob = png_prob
        self.count = 0
        self.used_ids = set()

    def new_id(self):
        while True:
            i = "%08x" % self.rng.getrandbits(32)
            if i not in self.used_ids:
                self.used_ids.add(i)
                return i

    def _ids(self, cell):
        if self.ids:
            cell["id"] = self.new_id()
        return cell

    def markdown(self):
        rng = self.rng
        return self._ids({"cell_type": "markdown", "metadata": {},
                          "source": to_lines([md_line(rng) for _ in range(rng.randint(1, 8))])})

    def outputs(self, count, force_png=None):
        rng = self.rng
        outs = []
        if rng.random() < 0.35:
            outs.append({"name": "stdout", "output_type": "stream",
                         "text": to_lines_nl(["%s: %.6f" % (rng.choice(WORDS), rng.random() * 100)
                                              for _ in range(rng.randint(1, 12))])})
        if rng.random() < 0.05:
            outs.append({"name": "stderr", "output_type": "stream",
                         "text": to_lines_nl(["WARNING: %s" % sentence(rng, 4, 10)])})
        png = force_png if force_png is not None else (rng.random() < self.png_prob)
        if png:
            outs.append({"data": {"image/png": png_b64_for_bytes(rng, self.png_bytes * rng.uniform(0.7, 1.3)),
                                  "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
                         "metadata": {"needs_background": "light"} if rng.random() < 0.3 else {},
                         "output_type": "display_data"})
        r = rng.random()
        if r < 0.05:
            ename, evalue = rng.choice(EXC)
            evalue = evalue.format(rng.randrange(100))
            tb = ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
                  "\x1b[0;31m%s\x1b[0m                                Traceback (most recent call last)" % ename,
                  "Cell \x1b[0;32mIn[%d], line %d\x1b[0m\n\x1b[0;32m----> 1\x1b[0m %s\n" % (count, rng.randint(1, 9), code_line(rng))]
            for _ in range(rng.randint(0, 3)):
                tb.append("File \x1b[0;32m/usr/lib/python3/site-packages/%s.py:%d\x1b[0m, in \x1b[0;36m%s\x1b[0;34m(%s)\x1b[0m\n"
                          % (rng.choice(WORDS), rng.randrange(2000), ident(rng), ident(rng)))
            tb.append("\x1b[0;31m%s\x1b[0m: %s" % (ename, evalue))
            outs.append({"ename": ename, "evalue": evalue, "output_type": "error", "traceback": tb})
        elif r < 0.45:
            rows = rng.randint(1, 6)
            data = {"text/plain": to_lines(["%d    %.4f    %s" % (i, rng.random(), rng.choice(WORDS)) for i in range(rows)])}
            if rng.random() < 0.4:
                html = ["<div>", "<table border=\"1\" class=\"dataframe\">", "  <thead>",
                        "    <tr><th></th><th>value</th><th>label</th></tr>", "  </thead>", "  <tbody>"]
                for i in range(rows):
                    html.append("    <tr><th>%d</th><td>%.4f</td><td>%s</td></tr>" % (i, rng.random(), rng.choice(WORDS)))
                html += ["  </tbody>", "</table>", "</div>"]
                data["text/html"] = to_lines(html)
            outs.append({"data": data, "execution_count": count, "metadata": {}, "output_type": "execute_result"})
        return outs

    def code(self, force_png=None, executed=True):
        rng = self.rng
        self.count += 1
        cnt = self.count if executed else None
        cell = {"cell_type": "code", "execution_count": cnt, "metadata": {},
                "outputs": self.outputs(self.count, force_png) if executed else [],
                "source": to_lines([code_line(rng) for _ in range(rng.randint(1, 15))])}
        if rng.random() < 0.1:
            cell["metadata"] = {"tags": [rng.choice(["parameters", "hide-input", "slow"])]}
        return self._ids(cell)

    def cell(self):
        return self.markdown() if self.rng.random() < 0.3 else self.code()

    # ---- edits ----
    def edit_source(self, cell):
        rng = self.rng
        c = dict(cell)
        lines = "".join(c["source"]).split("\n")
        mk = (lambda: md_line(rng)) if c["cell_type"] == "markdown" else (lambda: code_line(rng))
        for _ in range(rng.randint(1, 3)):
            op = rng.randrange(3)
            i = rng.randrange(len(lines))
            if op == 0:
                lines[i] = mk()
            elif op == 1:
                lines.insert(i, mk())
            elif len(lines) > 1:
                del lines[i]
            else:
                lines[i] = mk()
        c["source"] = to_lines(lines)
        return c

    def reexecute(self, cell):
        """New execution count and regenerated outputs (keeps the cell's output kinds roughly)."""
        c = dict(cell)
        self.count += 1
        had_png = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        c["execution_count"] = self.count
        c["outputs"] = self.outputs(self.count, force_png=had_png or None)
        return c


def notebook(cells, ids=True):
    return {"cells": cells,
            "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                         "language_info": {"codemirror_mode": {"name": "ipython", "version": 3},
                                           "file_extension": ".py", "mimetype": "text/x-python", "name": "python",
                                           "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
                                           "version": "3.11.7"}},
            "nbformat": 4, "nbformat_minor": 5 if ids else 4}


def write_nb(path, nb):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def base_cells(g, args):
    rng = g.rng
    if args.image_mb:
        n = args.image_cells
        g.png_bytes = args.image_mb * 1e6 / n
        cells = []
        for i in range(n):
            if i % 4 == 0:
                cells.append(g.markdown())
            cells.append(g.code(force_png=True))
        g.png_bytes = args.png_bytes  # inserted cells / re-executions of non-image cells stay small
        g.png_bytes_big = args.image_mb * 1e6 / n
        return cells
    return [g.cell() for _ in range(args.cells)]


def apply_edits(g, cells, n_edits, allowed=None, moves=True):
    """Returns a new list of cells with n_edits edit operations applied.
    allowed: set of positions (in `cells`) that may be touched (for disjoint merge sides)."""
    rng = g.rng
    positions = sorted(allowed) if allowed is not None else list(range(len(cells)))
    n_edits = min(n_edits, len(positions))
    touched = rng.sample(positions, n_edits)
    # Mix: 45% source edits, 20% re-executions, 12% inserts, 12% deletes, 11% moves.
    kinds = []
    for k in range(n_edits):
        r = (k * 0.618034 + rng.random() * 0.1) % 1.0 if n_edits > 8 else rng.random()
        kinds.append("src" if r < 0.45 else "exec" if r < 0.65 else "ins" if r < 0.77
                     else "del" if r < 0.89 else ("move" if moves else "src"))
    new = list(cells)
    inserts, deletes, move_out = {}, set(), []
    for pos, kind in zip(touched, kinds):
        c = cells[pos]
        if kind == "src":
            new[pos] = g.edit_source(c)
        elif kind == "exec":
            if c["cell_type"] == "code":
                big = getattr(g, "png_bytes_big", None)
                old_png = g.png_bytes
                if big and any("image/png" in o.get("data", {}) for o in c["outputs"]):
                    g.png_bytes = big
                new[pos] = g.reexecute(c)
                g.png_bytes = old_png
            else:
                new[pos] = g.edit_source(c)
        elif kind == "ins":
            inserts.setdefault(pos, []).append(g.cell())
        elif kind == "del":
            deletes.add(pos)
        else:
            move_out.append(pos)
    out = []
    moved = [new[p] for p in move_out]
    for p, c in enumerate(new):
        out.extend(inserts.get(p, []))
        if p in deletes or p in move_out:
            continue
        out.append(c)
    for c in moved:  # re-insert moved cells at random positions
        out.insert(rng.randrange(len(out) + 1), c)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", required=True, help="output directory")
    ap.add_argument("--cells", type=int, default=1000)
    ap.add_argument("--image-mb", type=float, default=0, help="image-dominated notebook of about this many MB")
    ap.add_argument("--image-cells", type=int, default=200, help="code cells with images in --image-mb mode")
    ap.add_argument("--png-bytes", type=int, default=3000, help="typical PNG size (base64) in normal mode")
    ap.add_argument("--png-prob", type=float, default=0.05, help="chance a code cell has a PNG in normal mode")
    ap.add_argument("--edit-frac", type=float, default=0.01, help="fraction of cells edited (min 1 edit if > 0)")
    ap.add_argument("--no-ids", action="store_true", help="no cell ids (writes nbformat 4.4)")
    ap.add_argument("--seed", type=int, default=1)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--shuffle", action="store_true", help="new = shuffled cell order (after edits)")
    mode.add_argument("--merge", action="store_true", help="write base/local/remote triplet")
    mode.add_argument("--single", action="store_true", help="write only a.ipynb")
    ap.add_argument("--conflicts", type=int, default=0, help="--merge: cells both sides edit differently")
    ap.add_argument("--rerun", action="store_true",
                    help="--merge: both sides re-execute every code cell (new counts and outputs), "
                         "after their edits")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    g = Gen(rng, ids=not args.no_ids, png_bytes=args.png_bytes, png_prob=args.png_prob)
    os.makedirs(args.out, exist_ok=True)
    cells = base_cells(g, args)
    n = len(cells)
    n_edits = max(1, round(args.edit_frac * n)) if args.edit_frac > 0 else 0

    if args.single:
        write_nb(os.path.join(args.out, "a.ipynb"), notebook(cells, g.ids))
    elif args.merge:
        idx = list(range(n))
        rng.shuffle(idx)
        nc = min(args.conflicts, n // 3)
        conflict = set(idx[:nc])
        rest = idx[nc:]
        half = len(rest) // 2
        local_ok, remote_ok = set(rest[:half]), set(rest[half:])
        # Conflicts: same cell, different source edits on each side (positions unchanged since
        # conflicting edits are applied first, in place).
        lc, rc = list(cells), list(cells)
        for p in conflict:
            lc[p] = g.edit_source(cells[p])
            rc[p] = g.edit_source(cells[p])
        # Disjoint clean edits; moves only on the local side to keep the merge clean.
        local = apply_edits(g, lc, n_edits, allowed=local_ok, moves=True)
        remote = apply_edits(g, rc, n_edits, allowed=remote_ok, moves=False)
        if args.rerun:
            local = [g.reexecute(c) if c["cell_type"] == "code" else c for c in local]
            remote = [g.reexecute(c) if c["cell_type"] == "code" else c for c in remote]
        write_nb(os.path.join(args.out, "base.ipynb"), notebook(cells, g.ids))
        write_nb(os.path.join(args.out, "local.ipynb"), notebook(local, g.ids))
        write_nb(os.path.join(args.out, "remote.ipynb"), notebook(remote, g.ids))
    else:
        new = apply_edits(g, cells, n_edits)
        if args.shuffle:
            new = list(new)
            rng.shuffle(new)
        write_nb(os.path.join(args.out, "a.ipynb"), notebook(cells, g.ids))
        write_nb(os.path.join(args.out, "b.ipynb"), notebook(new, g.ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
