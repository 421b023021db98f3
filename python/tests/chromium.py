"""Opens a page in headless Chromium (Debian's `chromium`) over the DevTools protocol on a pipe
(--remote-debugging-pipe: no port, no extra package) and returns what a user's browser console
would show -- console.error/warning calls, uncaught exceptions, the browser's own log entries such
as failed resource loads, a failed navigation -- with a full-page screenshot, the page box of every
top-level <svg> and the boxes of its data (elements whose id starts with "neurevo-data", which the
report gives each plot's curves, maps, bars and points)."""
import base64
import fcntl
import io
import json
import os
import select
import shutil
import signal
import subprocess
import time

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT = 60.0  # seconds for the whole page: a hung page fails the test instead of hanging it


def _above(fd: int, lowest: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
    os.close(fd)
    return high


class _Pipe:
    def __init__(self, width: int):
        self.deadline = time.monotonic() + TIMEOUT
        fds = []
        try:
            to_r, self._to = os.pipe()  # fd 3 of chromium: what it reads
            fds += [to_r, self._to]
            self._from, from_w = os.pipe()  # fd 4: what it writes
            fds += [self._from, from_w]
            # Above fd 4 before the redirections, which would otherwise clobber one another (bash:
            # dash takes single-digit fds only).
            to_r, from_w = (_above(fd, 10) for fd in (to_r, from_w))
            fds = [to_r, self._to, self._from, from_w]
            self.proc = subprocess.Popen(
                ["bash", "-c", f'exec "$0" --headless --no-sandbox --disable-gpu --remote-debugging-pipe '
                               f'--window-size={width},800 --hide-scrollbars about:blank 3<&{to_r} 4>&{from_w}',
                 CHROMIUM],
                pass_fds=(to_r, from_w), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)  # its own process group: killed whole if it hangs
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events = []

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"chromium did not answer within {TIMEOUT:.0f} s")
        return left

    def _recv(self):
        while b"\0" not in self._buf:
            if not select.select([self._from], [], [], self._left())[0]:
                raise TimeoutError(f"chromium did not answer within {TIMEOUT:.0f} s")
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
        data = json.dumps(msg).encode() + b"\0"
        while data:
            if not select.select([], [self._to], [], self._left())[1]:
                raise TimeoutError(f"chromium did not read within {TIMEOUT:.0f} s")
            data = data[os.write(self._to, data):]
        while True:
            m = self._recv()
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def close(self):
        try:
            self.deadline = time.monotonic() + 5
            self.call("Browser.close")
        except (RuntimeError, OSError):  # already gone, or hung: the error that ended the session is raised
            pass
        os.close(self._to)
        os.close(self._from)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


_BOXES = """JSON.stringify([...document.querySelectorAll('svg')].filter(e => !e.parentElement.closest('svg'))
  .map(e => { const box = r => [r.x + scrollX, r.y + scrollY, r.width, r.height];
              return {box: box(e.getBoundingClientRect()),
                      data: [...e.querySelectorAll('[id^="neurevo-data"]')].map(d => box(d.getBoundingClientRect()))
                              .filter(b => b[2] + b[3] > 0)}; }))"""


def open_page(url: str, width: int = 1100):
    """Returns (problems, png bytes of the whole page, [{"box": [x, y, w, h], "data": [[x, y, w, h], ...]}]
    for each top-level <svg>, in page pixels)."""
    pipe = _Pipe(width)
    problems = []
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            pipe.call(domain, session=session)
        nav = pipe.call("Page.navigate", {"url": url}, session=session)
        if nav.get("errorText"):
            problems.append(f"navigation: {nav['errorText']} {url}")
        # Loaded: the page's own document complete (not about:blank's).
        while not nav.get("errorText") and pipe.call("Runtime.evaluate", {"expression": "document.URL + ' ' + document.readyState",
                                             "returnByValue": True}, session=session)["result"]["value"] \
                != f"{url} complete":
            pipe._left()
            time.sleep(0.05)
        size = pipe.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
        height = int(size["height"]) + 1
        pipe.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        boxes = json.loads(pipe.call("Runtime.evaluate", {"expression": _BOXES, "returnByValue": True},
                                     session=session)["result"]["value"])
        shot = pipe.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                                             "scale": 1}}, session=session)
    finally:
        pipe.close()
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


def drawn_fraction(png: bytes, box, margin: int = 0) -> tuple[float, int]:
    """Within `box` of the screenshot (grown by `margin` pixels): the fraction of pixels that are not
    white, and the number of distinct colours."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    x, y, w, h = (int(round(v)) for v in box)
    crop = image[max(y - margin, 0):y + h + margin, max(x - margin, 0):x + w + margin].reshape(-1, 3)
    if crop.size == 0:
        return 0.0, 0
    not_white = (crop < 245).any(axis=1).mean()
    colours = len(np.unique(crop[:: max(1, len(crop) // 20000)], axis=0))
    return float(not_white), colours
