"""Opens a page in headless Chromium (Debian's `chromium`) over the DevTools protocol on a pipe
(--remote-debugging-pipe: no port, no extra package) and returns what a user's browser console
would show -- console.error/warning calls, uncaught exceptions, the browser's own log entries such
as failed resource loads -- with a full-page screenshot and the page box of every <svg>."""
import base64
import fcntl
import io
import json
import os
import shutil
import subprocess

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _above(fd: int, lowest: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
    os.close(fd)
    return high


class _Pipe:
    def __init__(self, width: int):
        to_r, self._to = os.pipe()  # fd 3 of chromium: what it reads
        self._from, from_w = os.pipe()  # fd 4: what it writes
        # Above fd 4 before the redirections, which would otherwise clobber one another (bash: dash
        # takes single-digit fds only).
        to_r, from_w = (_above(fd, 10) for fd in (to_r, from_w))
        self.proc = subprocess.Popen(
            ["bash", "-c", f'exec "$0" --headless --no-sandbox --disable-gpu --remote-debugging-pipe '
                         f'--window-size={width},800 --hide-scrollbars about:blank 3<&{to_r} 4>&{from_w}', CHROMIUM],
            pass_fds=(to_r, from_w), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events = []

    def _recv(self):
        while b"\0" not in self._buf:
            chunk = os.read(self._from, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._recv()
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_for(self, method):
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._recv())

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):  # already gone: the error that ended the session is raised
            pass
        os.close(self._to)
        os.close(self._from)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def open_page(url: str, width: int = 1100):
    """Returns (problems, png bytes of the whole page, [(x, y, w, h) of each <svg>] in page pixels)."""
    pipe = _Pipe(width)
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            pipe.call(domain, session=session)
        pipe.call("Page.navigate", {"url": url}, session=session)
        pipe.wait_for("Page.loadEventFired")
        size = pipe.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
        height = int(size["height"]) + 1
        pipe.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        boxes = json.loads(pipe.call("Runtime.evaluate", {"expression": (
            "JSON.stringify([...document.querySelectorAll('svg')].filter(e => !e.parentElement.closest('svg'))"
            ".map(e => { const r = e.getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }))"),
            "returnByValue": True}, session=session)["result"]["value"])
        shot = pipe.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                                             "scale": 1}}, session=session)
    finally:
        pipe.close()
    problems = []
    for e in pipe.events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning", "assert"):
            problems.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            problems.append("exception: " + d.get("exception", {}).get("description", d.get("text", "")))
        elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            problems.append(f"log: {p['entry']['text']} {p['entry'].get('url', '')}")
    return problems, base64.b64decode(shot["data"]), boxes


def drawn_fraction(png: bytes, box) -> tuple[float, int]:
    """Within `box` of the screenshot: the fraction of pixels that are not white, and the number of
    distinct colours (a drawn plot has axes, text and data in several colours; a blank box has one)."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    x, y, w, h = (int(round(v)) for v in box)
    crop = image[max(y, 0):y + h, max(x, 0):x + w].reshape(-1, 3)
    if crop.size == 0:
        return 0.0, 0
    not_white = (crop < 245).any(axis=1).mean()
    colours = len(np.unique(crop[:: max(1, len(crop) // 20000)], axis=0))
    return float(not_white), colours
