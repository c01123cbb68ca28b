"""Calling the application at the ASGI level, to see what it does with the
request body: how often it asked for a piece of it (receive()), and what it
answered. httpx always sends the whole body first, which hides whether the
server read it before refusing."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    body_reads: int  # receive() calls that handed out a piece of the body
    messages: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


async def call(
    app,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    chunks: list[bytes] | None = None,
    query: bytes = b"",
) -> Answer:
    pending = list(chunks or [])
    reads = 0

    async def receive():
        nonlocal reads
        if pending:
            reads += 1
            piece = pending.pop(0)
            return {"type": "http.request", "body": piece, "more_body": bool(pending)}
        return {"type": "http.disconnect"}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    raw_headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver.local"), *raw_headers],
        "client": ("127.0.0.1", 50001),
        "server": ("testserver.local", 80),
        "state": {},
    }
    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    answer_headers: dict[str, str] = {}
    for name, value in start.get("headers", []):
        key = name.decode("latin-1").lower()
        answer_headers[key] = (
            f"{answer_headers[key]}, {value.decode('latin-1')}" if key in answer_headers else value.decode("latin-1")
        )
    return Answer(status=start["status"], headers=answer_headers, body=body, body_reads=reads, messages=sent)


def cookie_header(client) -> str:
    """The cookies an httpx client holds, as one Cookie header."""
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())
