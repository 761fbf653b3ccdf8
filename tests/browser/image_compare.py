#!/usr/bin/env python3
"""The HTML report's image comparison in headless Chromium with JavaScript
disabled (DevTools: Emulation.setScriptExecutionDisabled), driven like a
reader: clicks on the tabs, a drag on the slider's handle, the pointer over
the flip view. Asserts from screenshots and boxes that each mode does what
it says, and saves the screenshots.

    python3 tests/browser/image_compare.py REPORT.html OUT_DIR

REPORT is `nbdiff --html` of fixtures/diff/image-pixels-changed (a 6x3
patch of a 40x24 PNG changed). Screenshots: OUT_DIR/image-diff-{side,
difference,slider,flip}.png. Plain standard library: DevTools over a pipe
(--remote-debugging-pipe), PNG decoded here. Exit 0 when every check holds.
"""

import base64
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

SCALE = 4  # device pixels per CSS pixel: the 40x24 image is 160x96


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="nbdiff-cdp-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads DevTools commands on fd 3 and writes on fd 4.
        def fds():
            # dup2 onto itself keeps close-on-exec: clear it explicitly.
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
             f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name):
        for i, e in enumerate(self.events):
            if e.get("method") == name:
                return self.events.pop(i)
        while True:
            m = self._read_message()
            if m.get("method") == name:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=30)


def decode_png(data):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (n,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            bpp = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def main(report, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    failures = []
    br = Browser()
    try:
        target = br.call("Target.createTarget", url="about:blank")["targetId"]
        s = br.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        br.call("Emulation.setScriptExecutionDisabled", s, value=True)
        br.call("Emulation.setDeviceMetricsOverride", s, width=900, height=1200,
                deviceScaleFactor=SCALE, mobile=False)
        br.call("Page.enable", s)
        br.call("DOM.enable", s)
        br.call("Page.navigate", s, url="file://" + os.path.abspath(report))
        br.wait_event("Page.loadEventFired")
        def box(selector):
            doc = br.call("DOM.getDocument", s, depth=0)["root"]["nodeId"]
            node = br.call("DOM.querySelector", s, nodeId=doc, selector=selector)["nodeId"]
            if not node:
                raise RuntimeError(f"no {selector}")
            quad = br.call("DOM.getBoxModel", s, nodeId=node)["model"]["border"]
            xs, ys = quad[0::2], quad[1::2]
            return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)

        def mouse(kind, x, y, buttons=0, button="none"):
            br.call("Input.dispatchMouseEvent", s, type=kind, x=x, y=y,
                    button=button, buttons=buttons, clickCount=1)

        def click(selector):
            x, y, w, h = box(selector)
            mouse("mouseMoved", x + w / 2, y + h / 2)
            mouse("mousePressed", x + w / 2, y + h / 2, 1, "left")
            mouse("mouseReleased", x + w / 2, y + h / 2, 0, "left")

        def shot(name, selector=".imgcmp"):
            x, y, w, h = box(selector)
            w = min(w, 420)  # the tabs and the image, not the whole line
            data = base64.b64decode(br.call(
                "Page.captureScreenshot", s, format="png", captureBeyondViewport=True,
                clip={"x": x, "y": y, "width": w, "height": h, "scale": 1})["data"])
            with open(os.path.join(out_dir, f"image-diff-{name}.png"), "wb") as f:
                f.write(data)
            return data

        def stage_pixels():
            x, y, w, h = box(".imgcmp .stage .new img")
            data = base64.b64decode(br.call(
                "Page.captureScreenshot", s, format="png",
                clip={"x": x, "y": y, "width": w, "height": h, "scale": 1})["data"])
            return decode_png(data)

        # The report is short: the comparison is inside the viewport, whose
        # coordinates are the page's (no scrolling).
        shot("side")
        side_old = box(".imgcmp .stage .old img")
        side_new = box(".imgcmp .stage .new img")
        if not side_new[0] > side_old[0] + side_old[2]:
            failures.append(f"side by side: the images overlap ({side_old}, {side_new})")

        click(".imgcmp .l-diff")
        shot("difference")
        old_box, new_box = box(".imgcmp .stage .old img"), box(".imgcmp .stage .new img")
        if abs(old_box[0] - new_box[0]) > 0.5 or abs(old_box[1] - new_box[1]) > 0.5:
            failures.append(f"difference: the images are not stacked ({old_box}, {new_box})")
        w, h, rows = stage_pixels()
        black = sum(1 for r in rows for p in r if max(p) <= 8)
        bright = sum(1 for r in rows for p in r if max(p) >= 40)
        # 6x3 of 40x24 pixels changed: about 1.9% bright, the rest black.
        total = w * h
        if not (black > 0.9 * total and 0.005 * total < bright < 0.05 * total):
            failures.append(f"difference: {black} black and {bright} bright of {total} pixels")

        click(".imgcmp .l-slide")
        cx, cy, cw, ch = box(".imgcmp .stage .clip")
        ix, iy, iw, ih = box(".imgcmp .stage .old img")
        if not abs(cw - iw / 2) <= 2:
            failures.append(f"slider: starts at {cw} of {iw}, not half")
        # Drag the resize handle (bottom right corner) to the right.
        # Inside the 2px border: the handle is in the padding box.
        hx, hy = cx + cw - 5, cy + ch - 4
        mouse("mouseMoved", hx, hy)
        mouse("mousePressed", hx, hy, 1, "left")
        for step in range(1, 11):
            mouse("mouseMoved", hx + iw / 4 * step / 10, hy, 1, "left")
        mouse("mouseReleased", hx + iw / 4, hy, 0, "left")
        shot("slider")
        dragged = box(".imgcmp .stage .clip")[2]
        if not dragged > cw + iw / 8:
            failures.append(f"slider: the handle did not widen the after image ({cw} → {dragged})")

        click(".imgcmp .l-flip")
        mouse("mouseMoved", 1, 1)
        after = stage_pixels()
        ox, oy, ow, oh = box(".imgcmp .stage .old img")
        mouse("mouseMoved", ox + ow / 2, oy + oh / 2)
        shot("flip")
        before = stage_pixels()
        if after[2] == before[2]:
            failures.append("flip: pointing at the image did not show the before image")
    finally:
        br.close()
    for f in failures:
        print("FAILED:", f)
    print(f"image comparison: {4 - len(failures)} of 4 modes checked with JavaScript disabled; "
          f"screenshots in {out_dir}/image-diff-*.png")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
