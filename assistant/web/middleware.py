"""Small ASGI middlewares on the FastAPI app Gradio builds (passed in through `app_kwargs`):
every HTML page is served as Dutch, each browser gets an id, and login attempts are limited
per client."""
from __future__ import annotations

import html
import json
import math
import re
import time
import uuid
from collections import defaultdict, deque
from pathlib import Path

from starlette.datastructures import Headers, MutableHeaders

from ..export import TITLE

PAGE_SCRIPT = (Path(__file__).parent / "page.js").read_text(encoding="utf-8")
_HTML_LANG = re.compile(rb"(<html\b[^>]*?\blang=)\"en\"", re.IGNORECASE)
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
BROWSER_COOKIE = "jeugdbescherming-browser"
BROWSER_ID = re.compile(r"^[0-9a-f]{32}$")
BROWSER_COOKIE_SECONDS = 2 * 365 * 24 * 3600


class BrowserId:
    """A random id for each browser, in a cookie set with the first page it loads: without a
    password, saved conversations belong to it. A cookie rather than browser storage, so the id
    is there before the page's first event and outlives a restart of the server; HttpOnly, so
    no script reads it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or browser_id(Headers(scope=scope).get("cookie", "")):
            await self.app(scope, receive, send)
            return
        cookie = (f"{BROWSER_COOKIE}={uuid.uuid4().hex}; Path=/; Max-Age={BROWSER_COOKIE_SECONDS}; HttpOnly; "
                  "SameSite=Lax")

        async def send_cookie(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if headers.get("content-type", "").startswith("text/html"):  # the page, not each of its files
                    headers.append("set-cookie", cookie)
                    message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, send_cookie)


def browser_id(cookie_header: str) -> str | None:
    """The browser's id from a Cookie header, when it is one we made."""
    found = re.search(rf"(?:^|;)\s*{BROWSER_COOKIE}=([^;]*)", cookie_header)
    return found.group(1).strip() if found and BROWSER_ID.match(found.group(1).strip()) else None


class DutchPage:
    """`<html lang="nl">` in the page as sent, so a screen reader speaks Dutch from the first
    byte (Gradio's template says "en"), the page script first in `<head>`, and a `<title>`
    (Gradio sets one by script, but not on its login page)."""

    def __init__(self, app, title: str = TITLE, script: str = PAGE_SCRIPT):
        self.app = app
        self.head = f"<title>{html.escape(title)}</title><script>{script}</script>".encode("utf-8")

    def rewrite(self, body: bytes) -> bytes:
        body = _HTML_LANG.sub(rb'\1"nl"', body, count=1)
        return _HEAD.sub(lambda m: m.group(0) + self.head, body, count=1)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start, chunks = None, []

        async def send_page(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
                    start = message  # held back until the whole page is read
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = self.rewrite(b"".join(chunks))
                headers = MutableHeaders(raw=list(start["headers"]))
                headers["content-length"] = str(len(body))
                await send({**start, "headers": headers.raw})
                message = {"type": "http.response.body", "body": body}
            await send(message)

        await self.app(scope, receive, send_page)


class LoginLimit:
    """At most `attempts` failed logins per client address within `window` seconds; after that
    429 with a Dutch message until the oldest attempt is out of the window. An attempt counts
    from its start, so a burst in parallel is held too; a successful login does not count."""

    MAX_CLIENTS = 10_000  # addresses remembered before stale ones are dropped

    def __init__(self, app, attempts: int = 5, window: float = 60.0, clock=time.monotonic):
        self.app, self.attempts, self.window, self.clock = app, attempts, window, clock
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str, now: float) -> deque[float]:
        if len(self.seen) > self.MAX_CLIENTS:
            for key in [k for k, times in self.seen.items() if not times or now - times[-1] >= self.window]:
                del self.seen[key]
        times = self.seen[client]
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != "/login":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("onbekend", 0))[0]
        now = self.clock()
        times = self._recent(client, now)
        if len(times) >= self.attempts:
            wait = max(1, math.ceil(self.window - (now - times[0])))
            await _refuse(send, wait)
            return
        times.append(now)

        async def send_counted(message):
            if message["type"] == "http.response.start" and message["status"] == 200 and now in times:
                times.remove(now)
            await send(message)

        await self.app(scope, receive, send_counted)


async def _refuse(send, wait: int) -> None:
    detail = f"Te veel inlogpogingen vanaf dit adres. Probeer het over {wait} seconden opnieuw."
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"retry-after", str(wait).encode())]})
    await send({"type": "http.response.body", "body": body})
