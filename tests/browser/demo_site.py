"""A live server with the demo data (`werkpas demo`: the logins every reviewer
tries), and the pages each demo role can reach on it, built from the app's
own GET routes so a new page is visited without touching this file.

The other browser tests use tests/browser/seed.py's small data set; the
screenshot harness and the layout measurements use this one, because what a
person sees (menus with many entries, lists with rows, detail pages) depends
on the data behind it. Import the fixture into a test module:
`from tests.browser.demo_site import demo_server  # noqa: F401`.
"""

from __future__ import annotations

import html
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.demo import DEMO_PASSWORD
from app.domain.core.access import CurrentUser, Grant
from bench import login as http_login
from bench import server as live
from tests.browser.conftest import _environment

# Screen sizes of the harness (issue 9): phone, laptop, kiosk terminal.
SIZES = {"375": (375, 812), "1366": (1366, 900), "1920": (1920, 1080)}
# role key (file names) -> demo login; None is the anonymous visitor.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "admin": "admin@werkpas.example",
    "orgadmin-deklok": "orgadmin@deklok.example",
    "orgadmin-flexa": "orgadmin@flexa.example",
    "consultant": "consultant@flexa.example",
    "hr": "hr@deklok.example",
    "teamlead": "teamlead@deklok.example",
    "planner": "planner@deklok.example",
    "ambassador": "ambassador@deklok.example",
    "worker": "worker@deklok.example",
}
# Not pages: files, machine endpoints. Links with a secret in them (set or
# reset a password, confirm an e-mail) cannot be built from the database,
# which keeps only hashes of the secrets: they have no value below and are
# left out; the invitation's personal link is read from HR's page.
NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|json|txt)$|/json$|/file$|^/healthz$|^/_bench/|^/api/")
PARAMETER = re.compile(r"\{(\w+):\w+\}")
# Pages outside the route list: the 404 page everybody can land on.
EXTRA = ["/does-not-exist"]
# The invitation's personal link, as HR sees it on the invitation's page.
PERSONAL_LINK = re.compile(r'href="(?:https?://[^/"]+)?(/i/[^"]+)"')


@dataclass
class DemoServer:
    base_url: str
    database: Path
    # One sign-in per login for the whole run (the login rate limit counts
    # attempts per address): contexts share the session cookies.
    sessions: dict[str, list[dict]] = field(default_factory=dict)

    def rows(self, sql: str, args: tuple = ()) -> list[dict]:
        conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql, args)]
        finally:
            conn.close()

    def cookies(self, email: str) -> list[dict]:
        if email not in self.sessions:
            values = http_login.login(self.base_url, email, DEMO_PASSWORD)
            self.sessions[email] = [{"name": k, "value": v, "url": self.base_url} for k, v in values.items()]
        return self.sessions[email]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo-server")
    port = live.free_port()
    env = _environment(data_dir, port)
    for step in ("migrate", "demo"):
        subprocess.run([*live.werkpas_command(), step], env=env, cwd=live.ROOT, check=True, timeout=120,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    server = live.start(
        [*live.werkpas_command(), "serve", "--workers", "1"], env, data_dir / "server.log", port, data_dir=data_dir
    )
    yield DemoServer(server.base_url, data_dir / "browser.db")
    server.stop()


def get_routes() -> list[tuple[str, str | None]]:
    """(path template, permission or None when public) of every GET page."""
    from app.web.routes import handlers

    found = []
    for handler in handlers():
        if "GET" not in (handler.http_methods or ()):
            continue
        for path in sorted(handler.paths):
            if not NOT_PAGES.search(path):
                found.append((path, None if handler.opt.get("public") else handler.opt.get("permission")))
    return found


def _as_user(server: DemoServer, email: str) -> tuple[CurrentUser, int | None, int]:
    me = server.rows("SELECT id, organisation FROM app_user WHERE email = ?", (email,))[0]
    grants = server.rows("SELECT role, organisation, unit FROM role_grant WHERE user = ?", (me["id"],))
    user = CurrentUser(
        id=me["id"],
        email=email,
        display_name="",
        language="nl",
        organisation_id=me["organisation"],
        grants=tuple(Grant(g["role"], g["organisation"], g["unit"], None) for g in grants),
    )
    return user, me["organisation"], me["id"]


def _values(server: DemoServer, organisation: int, me: int) -> dict[str, int | None]:
    """An object of each kind in the role's own organisation, for detail pages."""

    def first(sql: str, *args) -> int | None:
        found = server.rows(sql, args)
        return next(iter(found[0].values())) if found else None

    return {
        "organisation_id": organisation,
        "invitation_id": first("SELECT id FROM invitation WHERE organisation = ? ORDER BY id", organisation),
        "user_id": first(
            "SELECT u.id FROM app_user u JOIN role_grant g ON g.user = u.id "
            "WHERE u.organisation = ? AND u.id != ? AND g.role != 'worker' ORDER BY u.id",
            organisation,
            me,
        ),
        "unit_id": first("SELECT id FROM unit WHERE organisation = ? ORDER BY id", organisation),
        "run_id": first("SELECT id FROM import_run WHERE organisation = ? ORDER BY id", organisation),
        "person_id": first(
            "SELECT person FROM invitation WHERE organisation = ? AND status = 'registered' ORDER BY id", organisation
        ),
    }


def personal_link(server: DemoServer) -> str | None:
    """The path of a paper invitation's personal link (/i/...), read from its
    page as HR sees it: the database keeps only a hash of the secret. Opening
    it starts the registration, so the anonymous visitor's registration steps
    after it are real pages, not redirects to /register."""
    found = server.rows(
        "SELECT i.id FROM invitation i JOIN organisation o ON o.id = i.organisation "
        "WHERE o.slug = 'brouwerij-de-klok' AND i.status IN ('created', 'opened') ORDER BY i.id"
    )
    if not found:
        return None
    cookies = {cookie["name"]: cookie["value"] for cookie in server.cookies("hr@deklok.example")}
    status, body = http_login.get(server.base_url, f"/invitations/{found[0]['id']}", cookies)
    match = PERSONAL_LINK.search(body) if status == 200 else None
    return html.unescape(match.group(1)) if match else None


def pages_for(server: DemoServer, role: str) -> dict[str, str]:
    """Page name (for file names) -> path, for every page `role` may open.
    A detail page whose kind of object the role's organisation lacks is left
    out (there is nothing to show)."""
    email = ROLES[role]
    if email is None:
        user, organisation, me = None, None, 0
    else:
        user, organisation, me = _as_user(server, email)
    if organisation is None:  # the platform admin (and the anonymous visitor): the demo employer
        organisation = server.rows("SELECT id FROM organisation WHERE slug = 'brouwerij-de-klok'")[0]["id"]
    values: dict[str, int | str | None] = dict(_values(server, organisation, me))
    if user is None:
        link = personal_link(server)
        values["token"] = link.removeprefix("/i/") if link else None
    pages = {}
    for path, permission in get_routes():
        if permission is not None and (user is None or not user.has_permission(permission)):
            continue
        if permission is None and user is not None and not _shared_public(path):
            continue
        names = PARAMETER.findall(path)
        if any(values.get(name) is None for name in names):
            continue
        target = PARAMETER.sub(lambda match: str(values[match.group(1)]), path)
        pages[page_name(path)] = target
    if user is None:
        pages.update({page_name(path): path for path in EXTRA})
    return pages


def _shared_public(path: str) -> bool:
    """Public pages a signed-in person also sees as themselves: home and the
    privacy notice. The rest (login, registration, badge) is the anonymous
    visitor's."""
    return path in ("/", "/privacy")


def page_name(path: str) -> str:
    """'/admin/users/{user_id:int}' -> 'admin-users-user'."""
    path = PARAMETER.sub(lambda match: match.group(1).removesuffix("_id"), path)
    return path.strip("/").replace("/", "-").replace(".", "-") or "start"


if __name__ == "__main__":  # list the pages: python -m tests.browser.demo_site BASE_URL DATABASE
    demo = DemoServer(sys.argv[1], Path(sys.argv[2]))
    for key in ROLES:
        print(key, pages_for(demo, key))
