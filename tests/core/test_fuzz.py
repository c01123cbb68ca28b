"""Random requests never get a 5xx. Every route is taken from the application
itself, so a new route is covered without touching this file: the routes are
dealt over twelve parts, and each example sends one random request (body,
headers, query string, path values) to every route of its part: the public
ones anonymously, all of them as a signed-in platform administrator (who
holds every permission). Runs on both databases."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.routes import HTTPRoute

from app.storage.tables import Organisation
from app.web.core.guards import PUBLIC_PREFIXES
from tests.admin import helpers as h
from tests.conftest import csrf

# Bounded for make test (each example sends one request to each route of its
# part); WERKPAS_FUZZ_EXAMPLES=200 for a longer hunt.
EXAMPLES = int(os.environ.get("WERKPAS_FUZZ_EXAMPLES", "20"))
PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
FIELD_NAMES = [
    "email", "password", "password_confirm", "code", "ids", "person_ids", "run_id", "language", "next", "name",
    "slug", "kind", "organisation_id", "unit_id", "parent_id", "role", "invitation_days", "default_language", "pin",
    "pin_confirm", "badge", "day", "month", "year", "birth_date", "first_name", "last_name", "postcode", "phone",
    "delivery", "command_id", "renew", "mode", "action", "file_sha256", "status", "consent", "accept", "display_name",
    "q", "page", "actor", "type", "step",
]  # fmt: skip
ODD_TEXT = [
    "",
    "1",
    "²",
    "٣",
    "¹²",
    "0",
    "-1",
    "2147483648",
    "99999999999999999999",
    "\x00",
    "a\x00b",
    "../..",
    "%",
    "1,2,²",
    "😀",
    "<script>",
    "' OR 1=1 --",
    "nl",
    "fr",
    "en",
    "2025-02-30",
    "31/12/1990",
    "1e5",
    " 7 ",
    "ﬁ",
    "İ",
    "\u202e",
]
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=40)


def app_routes(app) -> list[tuple[str, str, bool]]:
    """(method, path template, public) for every HTTP route of the app."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            public = bool(handler.opt.get("public")) or route.path.startswith(PUBLIC_PREFIXES)
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                found.append((method, route.path, public))
    return found


text_values = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=30))
field_names = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(["_csrf_token", ""]), st.text(max_size=12))


@st.composite
def path_value(draw, kind: str) -> str:
    if kind == "int":
        return str(draw(st.one_of(st.integers(1, 6), st.sampled_from([0, -1, 2**31, 10**20]))))
    return quote(
        draw(st.one_of(text_values, st.sampled_from(["werkpas.css", "vendor/htmx-2.0.11.min.js", "openapi.json"]))),
        safe="/" if kind == "path" else "",
    )


@st.composite
def query_string(draw) -> str:
    pairs = draw(st.lists(st.tuples(field_names, text_values), max_size=5))
    raw = draw(st.sampled_from(["", "", "&%ff%fe=%00", "&page=%C2%B2", "&ids=%D9%A3", "&=&&=="]))
    encoded = urlencode(pairs) + raw
    return f"?{encoded}" if encoded else ""


def multipart_body(draw, token: str | None) -> tuple[bytes, str]:
    boundary = draw(st.sampled_from(["b0und4ry", "x", "----WebKitFormBoundary7MA4YWxkTrZu0gW"]))
    parts = [(b"_csrf_token", token.encode(), None, None)] if token else []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.one_of(field_names.map(str.encode), st.binary(max_size=8)))
        value = draw(st.one_of(text_values.map(str.encode), st.binary(max_size=40)))
        charset = draw(st.sampled_from([None, None, "utf-8", "latin-1", "x-klingon", "base64", "utf-16"]))
        filename = draw(st.sampled_from([None, None, "list.csv", "", "a\x00.xlsx"]))
        parts.append((name, value, charset, filename))
    chunks = []
    for name, value, charset, filename in parts:
        disposition = (
            b'form-data; name="'
            + name.replace(b'"', b"")
            + b'"'
            + (f'; filename="{filename}"'.encode() if filename is not None else b"")
        )
        kind = f"Content-Type: text/plain; charset={charset}\r\n".encode() if charset else b""
        chunks.append(
            f"--{boundary}\r\n".encode()
            + b"Content-Disposition: "
            + disposition
            + b"\r\n"
            + kind
            + b"\r\n"
            + value
            + b"\r\n"
        )
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    if draw(st.booleans()) and draw(st.booleans()):
        body = body[: draw(st.integers(0, len(body)))]  # cut off mid-stream
    return body, f"multipart/form-data; boundary={boundary}"


@st.composite
def request_parts(draw, token: str) -> tuple[dict[str, str], bytes]:
    """Headers and a body; the CSRF token (which an attacker's page cannot
    know) is sent most of the time, so the random body reaches the handler."""
    where = draw(st.sampled_from(["field", "field", "header", "none", "forged"]))
    field_token = token if where == "field" else ("a" * 128 if where == "forged" else None)
    kind = draw(st.sampled_from(["form", "form", "multipart", "multipart", "bytes", "json", "empty"]))
    if kind == "form":
        pairs = draw(st.lists(st.tuples(field_names, text_values), max_size=6))
        body = urlencode(([("_csrf_token", field_token)] if field_token else []) + pairs).encode()
        body += draw(st.sampled_from([b"", b"", b"&email=%ff%fe", b"&%C0=1", b"&x=\xff", b"&&&="]))
        content_type = "application/x-www-form-urlencoded" + draw(
            st.sampled_from(["", "", "; charset=UTF-8", "; charset=x-klingon"])
        )
    elif kind == "multipart":
        body, content_type = multipart_body(draw, field_token)
    elif kind == "bytes":
        body = draw(st.binary(max_size=200))
        content_type = draw(
            st.sampled_from(
                [
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                    "multipart/form-data; boundary=",
                    "text/plain",
                ]
            )
        )
    elif kind == "json":
        body = json.dumps(draw(st.dictionaries(field_names, text_values, max_size=4))).encode()
        content_type = "application/json"
    else:
        body, content_type = b"", draw(st.sampled_from(["", "application/x-www-form-urlencoded"]))
    headers = {
        "accept-language": draw(
            st.one_of(st.sampled_from(["nl", "fr-BE,fr;q=0.9", "en", "*", "xx;q=abc", ""]), HEADER_TEXT)
        )
    }
    if content_type:
        headers["content-type"] = content_type
    if where == "header":
        headers["x-csrftoken"] = token
    elif where == "forged":
        headers["x-csrftoken"] = draw(st.sampled_from(["a" * 128, "", token[:-1] + "0"]))
    for name, values in (
        ("hx-request", st.sampled_from(["true", "false"])),
        ("accept", st.sampled_from(["application/json", "text/html", "*/*", "text/html;q=abc"])),
        ("x-request-id", HEADER_TEXT),
        ("hx-boosted", st.just("true")),
    ):
        if draw(st.booleans()):
            headers[name] = draw(values)
    return headers, body


async def _world() -> None:
    """A few rows, so small ids in paths and forms name real ones."""
    organisation = await h.org()
    unit = await h.unit(organisation, "Gent")
    other = await h.user("hr", organisation, unit_id=unit)
    await h.grant(other, "consultant", organisation)


async def _signed_in(client) -> None:
    """Sign in again when an example ended the session (log out, deactivation)."""
    if client.cookies.get("werkpas_session") and (await client.get("/home", follow_redirects=False)).status_code == 200:
        return
    client.cookies.clear()
    await h.as_role(client, "platform_admin")


async def _send_everywhere(client, data, routes, signed_in: bool) -> None:
    if signed_in:
        await _signed_in(client)
    else:
        client.cookies.delete("werkpas_session")
    if not client.cookies.get("werkpas_csrf"):
        await client.get("/login")
    token = csrf(client)
    for method, template, _public in routes:
        path = PARAMETER.sub(lambda match: data.draw(path_value(match.group(2)), label=match.group(1)), template)
        url = path + data.draw(query_string(), label="query")
        headers, body = data.draw(request_parts(token), label=f"{method} {template}")
        raw_headers = {name: value.encode("latin-1") for name, value in headers.items()}  # httpx would insist on ASCII
        response = await client.request(method, url, headers=raw_headers, content=body, follow_redirects=False)
        assert response.status_code < 500, (
            f"{method} {url} -> {response.status_code}\nheaders={headers}\nbody={body[:300]!r}"
        )


# The routes are dealt over PARTS test cases: one example drawing requests for
# all 100 routes overran Hypothesis's data budget, so nearly every example was
# thrown away as invalid (559 of 560, nine minutes for three examples).
PARTS = 16
MAX_ROUTES_PER_PART = 16
# Too-large or mostly-invalid examples fail the test instead of slowing it down.
QUIET_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.differing_executors]


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("audience", ["anonymous", "signed_in"])
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=QUIET_CHECKS, print_blob=True)
@given(data=st.data())
async def test_random_requests_never_get_a_server_error(app, client, audience, part, data):
    if not await Organisation.count():  # the first example of this test
        await _world()
    routes = [route for route in app_routes(app) if route[2] or audience == "signed_in"]
    # Logging out mid-example would sign the administrator out for the rest of it.
    routes = [route for route in routes if audience == "anonymous" or route[1] != "/logout"]
    assert len(routes) > (20 if audience == "anonymous" else 60), routes
    mine = routes[part::PARTS]
    assert len(mine) <= MAX_ROUTES_PER_PART, "more routes: raise PARTS"
    await _send_everywhere(client, data, mine, audience == "signed_in")
