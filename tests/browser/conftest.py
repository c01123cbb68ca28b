"""Browser tests: Debian's Chromium driven by pytest-playwright against a
live `werkpas serve` on a free loopback port, with its own data dir and
SQLite database (migrated and seeded by tests/browser/seed.py).

Tests are plain sync functions: Playwright's sync API cannot start inside a
running asyncio loop, and while it lives it marks its own loop as running,
which makes pytest-asyncio refuse to run async tests. So Playwright and the
browser live for this package only (the fixtures below narrow pytest-
playwright's session scope), and the async tests of other folders run before
or after, never in between. Browser tests never touch the test database of
tests/conftest.py, so its `clean_db` is replaced by a no-op here.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from app.web.middleware import LANGUAGE_COOKIE
from bench import login as http_login
from bench import server as live
from tests.browser import seed
from tests.browser.viewports import VIEWPORTS, screen

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def clean_db():
    """The live server has its own database; the test database is not used."""
    yield


def _environment(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WERKPAS_", "DATABASE_URL", "REDIS_URL", "SMTP_URL"))
    }
    env.update(
        WERKPAS_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'browser.db'}",
        WERKPAS_SECRET_KEY="browser-test-secret-key-0123456789abcdefghij",
        WERKPAS_BASE_URL=f"http://{live.HOST}:{port}",
        WERKPAS_RUN_JOBS="0",
        WERKPAS_ARGON2_PROFILE="test",
        HOST=live.HOST,
        PORT=str(port),
    )
    return env


def _require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (make test installs Debian's chromium)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`werkpas serve` (Granian, as in production) with seeded users."""
    data_dir = tmp_path_factory.mktemp("browser-server")
    port = live.free_port()
    env = _environment(data_dir, port)
    subprocess.run([sys.executable, "-m", "tests.browser.seed"], env=env, cwd=live.ROOT, check=True, timeout=120)
    server = live.start(
        [*live.werkpas_command(), "serve", "--workers", "1"], env, data_dir / "server.log", port, data_dir=data_dir
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    # pytest-base-url's fixture: Playwright resolves page.goto("/login") against it.
    return live_server.base_url


@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright):
    return playwright.chromium


@pytest.fixture(scope="package")
def browser(browser_type, browser_type_launch_args):
    _require_chromium()
    browser = browser_type.launch(**browser_type_launch_args, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(playwright, base_url):
    # A Belgian Dutch-speaking visitor; the screen size is set per context.
    return {"base_url": base_url, "locale": "nl-BE", "timezone_id": "Europe/Brussels"}


@pytest.fixture
def context(new_context):
    """pytest-playwright's `page` uses this: a desktop screen."""
    return new_context(**screen())


@pytest.fixture(scope="session")
def sessions(live_server) -> dict[str, list[dict]]:
    """One sign-in per seeded user for the whole run, as browser cookies, so
    tests that are not about logging in neither repeat it nor trip the login
    rate limit."""
    cookies = {}
    for key, user in seed.USERS.items():
        values = http_login.login(live_server.base_url, user.email, seed.PASSWORD)
        cookies[key] = [{"name": name, "value": value, "url": live_server.base_url} for name, value in values.items()]
    return cookies


@pytest.fixture(scope="session")
def hr_cookies(live_server) -> list[dict]:
    """The hr user's sign-in (kept out of `sessions`, see seed.HR), in English."""
    base = live_server.base_url
    values = http_login.login(base, seed.HR.email, seed.PASSWORD)
    return [{"name": n, "value": v, "url": base} for n, v in values.items()] + [language_cookie(base, "en")]


def language_cookie(base_url: str, language: str) -> dict:
    return {"name": LANGUAGE_COOKIE, "value": language, "url": base_url}


@pytest.fixture
def signed_in(new_context, sessions, base_url):
    """`signed_in("admin")` -> a fresh page signed in as that seeded user, in
    English unless `language` says otherwise (the switch's cookie), so tests
    can find buttons by their English names."""

    def open_page(user: str = "admin", language: str | None = "en", **context_args):
        context = new_context(**{**screen(), **context_args})
        context.add_cookies(sessions[user] + ([language_cookie(base_url, language)] if language else []))
        return context.new_page()

    return open_page


@pytest.fixture
def english(new_context, base_url):
    """An anonymous page with the language switch set to English."""
    context = new_context(**screen())
    context.add_cookies([language_cookie(base_url, "en")])
    return context.new_page()


@pytest.fixture
def live_db(live_server):
    """Read the live server's database: `live_db("SELECT ...", args)` -> rows as dicts."""

    def query(sql: str, args: tuple = ()) -> list[dict]:
        conn = sqlite3.connect(f"file:{live_server.data_dir / 'browser.db'}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql, args)]
        finally:
            conn.close()

    return query


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """PNGs go to $WERKPAS_SCREENSHOTS when set (to look at them), else a temp dir."""
    target = os.environ.get("WERKPAS_SCREENSHOTS")
    if target:
        path = Path(target)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def shoot(screenshot_dir):
    """`shoot(page, "login")` -> saves login-<viewport>.png, full page."""

    def take(page, name: str) -> Path:
        size = page.viewport_size or {"width": 0, "height": 0}
        label = next(
            (key for key, (w, h) in VIEWPORTS.items() if (w, h) == (size["width"], size["height"])),
            f"{size['width']}x{size['height']}",
        )
        path = screenshot_dir / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
