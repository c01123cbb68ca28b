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
