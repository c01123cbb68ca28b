"""/password/forgot is limited per client address and per target account,
in front of the command (which also caps the mails per hour), with the same
answer for known and unknown accounts."""

from __future__ import annotations

import pytest

from app.domain.accounts.limits import FORGOT_ACCOUNT_LIMIT, FORGOT_ADDRESS_LIMIT
from app.storage.tables import CommandRecord
from tests.conftest import csrf
from tests.limits.helpers import TRIES, one_ipv6_network, post_all, post_from_addresses
from tests.support.factories import make_org, make_user

EN = {"accept-language": "en"}
SENT = "If an account exists for this address, we have sent it a link"
LIMITED = "Too many requests. Try again in 15 minutes."


async def requests_run() -> int:
    return await CommandRecord.count().where(CommandRecord.type == "accounts.request_password_reset")


async def forgot(client, email: str):
    await client.get("/password/forgot")
    return await client.post("/password/forgot", data={"email": email, "_csrf_token": csrf(client)}, headers=EN)


@pytest.mark.parametrize("known", [True, False])
async def test_parallel_requests_for_one_account_run_at_most_the_account_limit(client, known):
    if known:
        await make_user("an@example.be", role="hr", org=await make_org())
    await client.get("/password/forgot")
    forms = [{"email": ("an@example.be", " AN@example.be")[n % 2]} for n in range(TRIES)]
    statuses = await post_all(client, "/password/forgot", forms, headers=EN)
    assert await requests_run() == FORGOT_ACCOUNT_LIMIT
    assert statuses == {200: FORGOT_ACCOUNT_LIMIT, 429: TRIES - FORGOT_ACCOUNT_LIMIT}
    refused = await forgot(client, "an@example.be")
    assert refused.status_code == 429 and LIMITED in refused.text and SENT not in refused.text
    assert await requests_run() == FORGOT_ACCOUNT_LIMIT
    # Another account from the same address is not held up.
    assert (await forgot(client, "bart@example.be")).status_code == 200


async def test_parallel_requests_from_one_address_run_at_most_the_address_limit(client):
    await make_user("an@example.be", role="hr", org=await make_org())
    await client.get("/password/forgot")
    statuses = await post_all(
        client, "/password/forgot", [{"email": f"guess{n}@example.be"} for n in range(TRIES)], headers=EN
    )
    assert await requests_run() == FORGOT_ADDRESS_LIMIT
    assert statuses == {200: FORGOT_ADDRESS_LIMIT, 429: TRIES - FORGOT_ADDRESS_LIMIT}
    assert (await forgot(client, "an@example.be")).status_code == 429
    assert await requests_run() == FORGOT_ADDRESS_LIMIT


async def test_requests_from_one_ipv6_network_share_the_address_limit(app):
    forms = [{"email": f"guess{n}@example.be"} for n in range(TRIES)]
    statuses = await post_from_addresses(app, one_ipv6_network(), "/password/forgot", forms, headers=EN)
    assert await requests_run() == FORGOT_ADDRESS_LIMIT
    assert statuses == {200: FORGOT_ADDRESS_LIMIT, 429: TRIES - FORGOT_ADDRESS_LIMIT}


async def test_an_address_that_is_not_an_e_mail_address_is_not_counted(client):
    for _ in range(FORGOT_ADDRESS_LIMIT + 1):
        assert (await forgot(client, "not-an-address")).status_code == 422
    assert (await forgot(client, "an@example.be")).status_code == 200


async def test_parallel_reset_requests_send_at_most_three_links_an_hour():
    """Behind the request limit, the command's own cap holds under parallel
    commands too (on PostgreSQL they run on several connections)."""
    import asyncio
    import uuid

    from app.domain.accounts import tokens
    from app.domain.accounts.commands import RESET_LINKS_PER_HOUR
    from app.domain.core.commands import Command, execute
    from app.domain.registry import load_handlers
    from app.storage.tables import SecretToken
    from tests.support.factories import make_org, make_user

    load_handlers()
    await make_user("staff@example.be", role="hr", org=await make_org())
    outcomes = await asyncio.gather(
        *(
            execute(
                Command(
                    type="accounts.request_password_reset",
                    payload={"email": "staff@example.be"},
                    actor_id=None,
                    id=uuid.uuid4(),
                )
            )
            for _ in range(30)
        )
    )
    assert all(outcome.applied for outcome in outcomes)
    assert await SecretToken.count().where(SecretToken.purpose == tokens.RESET_PASSWORD) == RESET_LINKS_PER_HOUR
