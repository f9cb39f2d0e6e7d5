"""The HTML report as an editor sees it: opened in headless Chromium, looked at, clicked.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``):
no driver binary, no client package, no port.  Without ``/usr/bin/chromium`` these tests
skip on a developer's machine and fail in CI (``CI`` set), so CI cannot pass by skipping.

Set ``CLAIMCHECK_SCREENSHOT=reports/seeds-report.png`` to keep the full-page screenshot of
the seeds report somewhere other than the test's temporary folder.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from claimcheck.models import Article

from .conftest import REPO

CHROMIUM = os.environ.get("CLAIMCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--hide-scrollbars",
    "--disable-extensions", "--mute-audio", "--remote-debugging-pipe",
)
VIEWPORT = (1366, 900)  # a laptop
TIMEOUT = 30.0

SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = '"><img src=x onerror=alert(1)>'


class BrowserError(RuntimeError):
    pass


class Chromium:
    """A headless Chromium and one page, spoken to in DevTools protocol messages.

    Messages are JSON objects ending in a NUL byte: commands go to the browser's fd 3,
    replies and events come back on its fd 4.  Events are kept in ``events`` so a test can
    ask afterwards what the page logged, threw or tried to open.
    """

    def __init__(self, user_data_dir: Path, viewport: tuple[int, int] = VIEWPORT) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # in the child, before exec: its fd 3 reads, fd 4 writes
            # Out of the way first: a pipe end may itself be fd 3 or 4.
            read_end = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        # close_fds=False because it would close fds 3 and 4 after wire_fds; every other
        # descriptor Python opened is close-on-exec anyway.
        self.process = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={user_data_dir}",
             f"--window-size={viewport[0]},{viewport[1]}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds, close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self._event_seen = threading.Condition()
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": viewport[0], "height": viewport[1], "deviceScaleFactor": 1, "mobile": False})

    # ------------------------------------------------------------------ protocol

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiting = self._replies.get(message["id"])
                    if waiting is not None:
                        waiting.put(message)
                else:
                    self._on_event(message)
        with self._event_seen:
            self._event_seen.notify_all()

    def _on_event(self, message: dict[str, Any]) -> None:
        if message.get("method") == "Page.javascriptDialogOpening":
            # Record it, then close it: an open alert would block the page for good.
            threading.Thread(target=self.call, args=("Page.handleJavaScriptDialog", {"accept": False}),
                             daemon=True).start()
        with self._event_seen:
            self.events.append(message)
            self._event_seen.notify_all()

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            reply: queue.Queue = queue.Queue()
            self._replies[ident] = reply
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        try:
            answer = reply.get(timeout=TIMEOUT)
        except queue.Empty:
            raise BrowserError(f"{method}: no answer from Chromium in {TIMEOUT:.0f} s") from None
        finally:
            with self._lock:
                self._replies.pop(ident, None)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to the page (its session), not to the browser."""
        return self.send(method, params, session=self.session)

    def wait_for_event(self, method: str, after: int = 0, timeout: float = TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._event_seen:
            while True:
                for event in self.events[after:]:
                    if event.get("method") == method:
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise BrowserError(f"no {method} within {timeout:.0f} s")
                self._event_seen.wait(left)

    # ------------------------------------------------------------------ what a person does

    def open(self, url: str) -> None:
        mark = len(self.events)
        self.call("Page.navigate", {"url": url})
        self.wait_for_event("Page.loadEventFired", after=mark)

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element, scrolled into view first."""
        box = self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " if (!el) return null; el.scrollIntoView({block: 'center'});"
            " const r = el.getBoundingClientRect();"
            " return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}; })()"
        )
        if not box or not box["w"] or not box["h"]:
            raise BrowserError(f"{selector}: not on the page or not visible")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                                   "button": "left", "clickCount": 1})

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        self.js("window.scrollTo(0, 0)")
        data = self.call("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    # ------------------------------------------------------------------ what the page did

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, dialogs and error log entries, as text."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(f"log: {params['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('type')} {params.get('message')!r}")
        return found

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass


# --------------------------------------------------------------------------- fixtures


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is not installed (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: CI must run the browser tests, not skip them")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _need_chromium()
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture()
def page(browser):
    """The shared browser, with the events of earlier tests forgotten."""
    browser.events.clear()
    return browser


@pytest.fixture(scope="module")
def seeds_report_html(tmp_path_factory) -> Path:
    _need_chromium()  # no need to run the pipeline for tests that will skip
    import claimcheck
    from claimcheck.report import write_report

    report = claimcheck.check(REPO / "seeds")
    assert len(report.discrepancies) >= 2, "the seeds should give discrepancies of more than one kind"
    out = tmp_path_factory.mktemp("seeds-report")
    return write_report(report, out, formats=("html",))["html"]


def _visible_cards(page: Chromium) -> list[str]:
    return page.js("Array.from(document.querySelectorAll('article.card'))"
                   ".filter(c => c.offsetParent !== null).map(c => c.id)")


# --------------------------------------------------------------------------- the seeds report


def test_seeds_report_opens_without_console_errors_and_fetches_nothing(page, seeds_report_html):
    page.open(seeds_report_html.as_uri())
    assert page.problems() == []
    assert page.requested_urls() == [seeds_report_html.as_uri()]  # self-contained: nothing else loads


def test_seeds_report_shows_every_card_and_the_coverage_figure(page, seeds_report_html, tmp_path):
    page.open(seeds_report_html.as_uri())
    cards = page.js("Array.from(document.querySelectorAll('article.card')).map(c => c.id)")
    assert cards and _visible_cards(page) == cards
    figure = page.js("(() => { const r = document.querySelector('svg.coverage').getBoundingClientRect();"
                     " const rows = document.querySelectorAll('svg.coverage text.group').length;"
                     " return {w: r.width, h: r.height, rows: rows}; })()")
    assert figure["w"] > 300 and figure["h"] > 100 and figure["rows"] > 0
    assert page.js("document.getElementById('filters').offsetParent !== null")  # the script showed the filters
    assert page.js("document.querySelector('table.descriptors') !== null")
    shot = page.screenshot(Path(os.environ.get("CLAIMCHECK_SCREENSHOT") or tmp_path / "seeds-report.png"))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert page.problems() == []


def test_each_side_shows_its_whole_sentence_with_the_differing_words_marked(page, seeds_report_html):
    page.open(seeds_report_html.as_uri())
    sides = page.js("Array.from(document.querySelectorAll('article.card figure.side blockquote'))"
                    ".map(q => ({text: q.textContent, marks: q.querySelectorAll('mark').length}))")
    assert sides and all(s["marks"] >= 1 for s in sides)
    # A side whose evidence is a name or a title still reads as a sentence.
    assert all(len(s["text"].split()) >= 5 for s in sides)


def test_unticking_a_kind_hides_exactly_the_cards_of_that_kind(page, seeds_report_html):
    page.open(seeds_report_html.as_uri())
    kinds = page.js("Object.fromEntries(Array.from(document.querySelectorAll('article.card'))"
                    ".map(c => [c.id, c.dataset.kind]))")
    kind = next(iter(kinds.values()))
    page.click(f'#filters input[name="kind"][value="{kind}"]')
    assert set(_visible_cards(page)) == {cid for cid, k in kinds.items() if k != kind}
    assert page.js("document.getElementById('filter-count').textContent") == \
        f"{sum(k != kind for k in kinds.values())} of {len(kinds)} shown"
    page.click(f'#filters input[name="kind"][value="{kind}"]')
    assert set(_visible_cards(page)) == set(kinds)
    assert page.problems() == []


def test_unticking_a_severity_and_choosing_a_source_filter_the_cards(page, seeds_report_html):
    page.open(seeds_report_html.as_uri())
    cards = page.js("Array.from(document.querySelectorAll('article.card')).map(c => "
                    "({id: c.id, severity: c.dataset.severity, sources: JSON.parse(c.dataset.sources)}))")
    severity = cards[0]["severity"]
    page.click(f'#filters input[name="severity"][value="{severity}"]')
    assert _visible_cards(page) == [c["id"] for c in cards if c["severity"] != severity]
    page.click("#filter-reset")
    assert _visible_cards(page) == [c["id"] for c in cards]
    # The source cited by the fewest cards, so choosing it hides some.
    counts: dict[str, int] = {}
    for c in cards:
        for s in c["sources"]:
            counts[s] = counts.get(s, 0) + 1
    source = min(counts, key=lambda s: (counts[s], s))
    page.click(f'#filters input[name="source"][value="{source}"]')
    assert _visible_cards(page) == [c["id"] for c in cards if source in c["sources"]]
    page.click('#filters input[name="source"][value=""]')
    assert _visible_cards(page) == [c["id"] for c in cards]
    assert page.problems() == []


def test_without_scripts_every_card_shows_and_the_filters_stay_hidden(page, seeds_report_html):
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})  # the page's; ours still evaluate
    try:
        page.open(seeds_report_html.as_uri())
        cards = page.js("document.querySelectorAll('article.card').length")
        shown = len(_visible_cards(page))
        filters_shown = page.js("document.getElementById('filters').offsetParent !== null")
        figure_height = page.js("document.querySelector('svg.coverage').getBoundingClientRect().height")
    finally:
        page.call("Emulation.setScriptExecutionDisabled", {"value": False})
    assert cards > 0 and shown == cards
    assert filters_shown is False and figure_height > 100


# --------------------------------------------------------------------------- hostile input


def test_hostile_article_text_is_shown_literally_and_nothing_runs(page, tmp_path):
    import claimcheck
    from claimcheck.report import write_report

    hostile = Article(
        id="harbour_post.txt", source="Harbour Post", date="2026-05-02",
        text=(f"Mayor Lena Ostrova said 40 boats were damaged in the storm. "
              f"Protesters carried signs reading {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} outside the town hall.\n"),
    )
    other = Article(
        id="bay_courier.txt", source=f'Bay Courier {IMG_PAYLOAD}', date="2026-05-03",
        text=(f"Governor Lena Ostrova said about 90 boats were damaged in the storm. "
              f"The harbour office posted {SCRIPT_PAYLOAD} on its notice board.\n"),
    )
    report = claimcheck.check([hostile, other])
    html_path = write_report(report, tmp_path, formats=("html",))["html"]
    page.open(html_path.as_uri())
    text = page.js("document.body.textContent")  # collapsed <details> included
    assert SCRIPT_PAYLOAD in text and IMG_PAYLOAD in text
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("document.querySelectorAll('script').length") == 1  # the report's own filter script
    assert page.js("Array.from(document.querySelectorAll('*')).some(el => Array.from(el.attributes)"
                   ".some(a => a.name.startsWith('on')))") is False
    assert page.problems() == []
    assert not [e for e in page.events if e.get("method") == "Page.javascriptDialogOpening"]
    assert page.requested_urls() == [html_path.as_uri()]


def test_the_content_security_policy_stops_a_script_that_slipped_into_the_page(page, seeds_report_html, tmp_path):
    """Defence in depth: were escaping ever to fail, the page's CSP still runs nothing."""
    injected = tmp_path / "injected.html"
    injected.write_text(seeds_report_html.read_text(encoding="utf-8").replace(
        "<footer>", "<script>console.error('RAN')</script>"
                    "<div id=\"probe\" onclick=\"console.error('RAN')\">x</div><footer>"), encoding="utf-8")
    page.open(injected.as_uri())
    page.click("#probe")
    problems = page.problems()
    assert not [p for p in problems if "RAN" in p and "console" in p]
    assert any("Content Security Policy" in p for p in problems)
    assert page.js("document.querySelectorAll('article.card').length") > 0  # and the report still works
    assert page.js("document.getElementById('filters').offsetParent !== null")


def test_chromium_is_there_in_ci():
    """CI installs Chromium (.ci/run); a CI run without it must fail, not skip."""
    if os.environ.get("CI"):
        assert Path(CHROMIUM).exists() and shutil.which(CHROMIUM), f"{CHROMIUM} missing in CI"
    else:
        _need_chromium()
