"""Helpers of the limit tests: counting the secret checks a limit lets
through, and sending many requests at once through the test client."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from tests.conftest import csrf

TRIES = 30


@dataclass
class Calls:
    """How often a patched function ran (with arguments `where` accepts)."""

    count: int = 0
    arguments: list = field(default_factory=list)


def count_calls(monkeypatch, owner, name: str, where=lambda *args, **kwargs: True) -> Calls:
    calls = Calls()
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        if where(*args, **kwargs):
            calls.count += 1
            calls.arguments.append(args)
        return real(*args, **kwargs)

    async def counted_async(*args, **kwargs):
        if where(*args, **kwargs):
            calls.count += 1
            calls.arguments.append(args)
        return await real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted_async if asyncio.iscoroutinefunction(real) else counted)
    return calls


async def post_all(client, path: str, forms: list[dict], headers: dict | None = None) -> Counter:
    """POST every form at once (one task each); the count of each status."""
    token = csrf(client)
    responses = await asyncio.gather(
        *(
            client.post(path, data={**form, "_csrf_token": token}, headers=headers, follow_redirects=False)
            for form in forms
        )
    )
    return Counter(response.status_code for response in responses)


async def post_from_addresses(app, addresses: list[str], path: str, forms: list[dict], headers: dict | None = None):
    """POST form n from address n, all at once (one client each, one CSRF
    cookie shared); the count of each status."""
    import httpx

    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(address, 50000)), base_url="http://testserver.local"
        )
        for address in addresses
    ]
    try:
        await clients[0].get(path)
        token = csrf(clients[0])
        for other in clients[1:]:
            other.cookies.set("werkpas_csrf", token)
        responses = await asyncio.gather(
            *(
                c.post(path, data={**form, "_csrf_token": token}, headers=headers, follow_redirects=False)
                for c, form in zip(clients, forms, strict=True)
            )
        )
    finally:
        for c in clients:
            await c.aclose()
    return Counter(response.status_code for response in responses)


def one_ipv6_network(count: int = TRIES) -> list[str]:
    """Addresses of one /64: what a single IPv6 client can use at will."""
    return [f"2001:db8:1:2:{n:x}::{n + 1:x}" for n in range(count)]
