"""The page's two middlewares on a small Starlette app: the Dutch page and the login limit."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.web.middleware import DutchPage, LoginLimit

PAGE = '<!doctype html>\n<html\n\tlang="en"\n\tstyle="margin: 0"\n>\n\t<head>\n\t\t<meta charset="utf-8" />'


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def login(request):
    form = await request.form()
    if form["password"] == "goed":
        return JSONResponse({"success": True})
    return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)


def _client(clock: Clock) -> TestClient:
    routes = [Route("/", lambda r: HTMLResponse(PAGE + "</head><body></body></html>")),
              Route("/login", login, methods=["POST"])]
    app = Starlette(routes=routes, middleware=[Middleware(DutchPage), Middleware(LoginLimit, clock=clock)])
    return TestClient(app)


def test_page_is_served_as_dutch_with_title_and_script():
    page = _client(Clock()).get("/")
    assert page.text.startswith('<!doctype html>\n<html\n\tlang="nl"\n')
    assert "<head><title>Vragen over jeugdbescherming</title><script>" in page.text.replace("\n\t", "")
    assert int(page.headers["content-length"]) == len(page.content)


def test_failed_logins_are_limited_until_the_window_has_passed():
    clock = Clock()
    client = _client(clock)
    wrong = [client.post("/login", data={"username": "a", "password": "fout"}).status_code for _ in range(5)]
    assert wrong == [400] * 5
    refused = client.post("/login", data={"username": "a", "password": "goed"})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert refused.json()["detail"] == "Te veel inlogpogingen vanaf dit adres. Probeer het over 60 seconden opnieuw."
    clock.now += 45
    assert "over 15 seconden" in client.post("/login", data={"username": "a", "password": "goed"}).json()["detail"]
    clock.now += 15
    assert client.post("/login", data={"username": "a", "password": "goed"}).status_code == 200


def test_successful_logins_do_not_count():
    client = _client(Clock())
    for _ in range(10):
        assert client.post("/login", data={"username": "a", "password": "goed"}).status_code == 200
    assert client.post("/login", data={"username": "a", "password": "fout"}).status_code == 400
