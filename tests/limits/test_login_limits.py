"""Login limits under parallel requests: the attempt is claimed before the
password is checked, so 30 tries at once check at most the limit, and the
right password is refused while the limit holds."""

from __future__ import annotations

import pytest

from app.domain.accounts import login as login_module
from app.domain.accounts.limits import ACCOUNT_LIMIT, ADDRESS_LIMIT
from app.storage.tables import RateLimit
from tests.conftest import PASSWORD
from tests.limits.helpers import TRIES, count_calls, one_ipv6_network, post_all, post_from_addresses
from tests.support.accounts import user_row
from tests.support.factories import login, make_org, make_user

EN = {"accept-language": "en"}
PHONE = "+32470123456"
PHONE_FORMS = ("0470123456", "+32470123456", "0032 470 12 34 56", "0470 12 34 56", "+32 (0)470-12.34.56")


@pytest.fixture
def checks(monkeypatch):
    """Every password verification of a login (known or unknown account)."""
    return count_calls(monkeypatch, login_module, "verify_secret")


async def staff(email: str = "an@example.be", **columns) -> int:
    org = await make_org()
    return await make_user(email, role="hr", org=org, **columns)


async def wrong_tries(client, identifiers) -> dict:
    await client.get("/login")
    forms = [{"email": identifiers[n % len(identifiers)], "password": f"wrong guess {n}"} for n in range(TRIES)]
    return await post_all(client, "/login", forms, headers=EN)


async def test_parallel_wrong_passwords_check_at_most_the_account_limit(client, checks):
    user_id = await staff()
    statuses = await wrong_tries(client, ["an@example.be"])
    assert checks.count == ACCOUNT_LIMIT
    assert statuses == {422: ACCOUNT_LIMIT, 429: TRIES - ACCOUNT_LIMIT}
    response = await login(client, "an@example.be", PASSWORD, headers=EN)
    assert response.status_code == 429 and "Try again in 15 minutes." in response.text
    assert checks.count == ACCOUNT_LIMIT
    assert (await user_row(user_id))["last_login_at"] is None


async def test_every_way_of_typing_the_phone_number_counts_for_one_account(client, checks):
    user_id = await staff("worker@example.be", phone=PHONE)
    statuses = await wrong_tries(client, list(PHONE_FORMS))
    assert checks.count == ACCOUNT_LIMIT and statuses[429] == TRIES - ACCOUNT_LIMIT
    # The same account reached by its e-mail address shares the counter.
    for identifier in ("worker@example.be", " WORKER@Example.be ", PHONE_FORMS[2]):
        assert (await login(client, identifier, PASSWORD, headers=EN)).status_code == 429
    assert checks.count == ACCOUNT_LIMIT
    assert (await user_row(user_id))["last_login_at"] is None


async def test_e_mail_case_and_spaces_count_for_one_account(client, checks):
    await staff()
    statuses = await wrong_tries(client, ["an@example.be", "AN@EXAMPLE.BE", "  An@Example.be "])
    assert checks.count == ACCOUNT_LIMIT and statuses[429] == TRIES - ACCOUNT_LIMIT


@pytest.mark.parametrize("identifiers", [["ghost@example.be", "GHOST@example.be "], ["0470999888", "+32 470 99 98 88"]])
async def test_unknown_accounts_are_limited_exactly_like_known_ones(client, checks, identifiers):
    statuses = await wrong_tries(client, identifiers)
    # Each checked try hashed a password, as for a known account.
    assert checks.count == ACCOUNT_LIMIT
    assert statuses == {422: ACCOUNT_LIMIT, 429: TRIES - ACCOUNT_LIMIT}


async def test_parallel_wrong_tries_from_one_address_check_at_most_the_address_limit(client, checks):
    await staff()
    statuses = await wrong_tries(client, [f"guess{n}@example.be" for n in range(TRIES)])
    assert checks.count == ADDRESS_LIMIT
    assert statuses == {422: ADDRESS_LIMIT, 429: TRIES - ADDRESS_LIMIT}
    response = await login(client, "an@example.be", PASSWORD, headers=EN)
    assert response.status_code == 429 and "Too many failed attempts. Try again in 15 minutes." in response.text
    assert checks.count == ADDRESS_LIMIT


async def test_the_addresses_of_one_ipv6_network_share_the_address_limit(app, client, checks):
    """An IPv6 client holds a whole /64 and can use a new address for every
    try: the per-address limit counts the network, not the address."""
    await staff()
    forms = [{"email": f"guess{n}@example.be", "password": "wrong guess"} for n in range(TRIES)]
    statuses = await post_from_addresses(app, one_ipv6_network(), "/login", forms, headers=EN)
    assert checks.count == ADDRESS_LIMIT
    assert statuses == {422: ADDRESS_LIMIT, 429: TRIES - ADDRESS_LIMIT}
    # Another network, and IPv4 clients, keep their own counters.
    for address in ("2001:db8:1:3::1", "127.0.0.1"):
        other = await post_from_addresses(app, [address], "/login", [forms[0]], headers=EN)
        assert other == {422: 1}


def test_address_subjects():
    from app.domain.core.limits import address_subject

    assert address_subject("2001:db8:1:2:aaaa::1") == address_subject("2001:DB8:1:2::ffff") == "2001:db8:1:2::/64"
    assert address_subject("::ffff:192.0.2.7") == address_subject("192.0.2.7") == "192.0.2.7"
    assert address_subject("unknown") == "unknown"
    assert address_subject("x" * 100) == "x" * 64


async def test_successful_logins_do_not_use_up_the_address(client, checks):
    # A busy office: many people log in from one address, one after another.
    for n in range(ADDRESS_LIMIT + 5):
        await staff(f"staff{n}@example.be")
        assert (await login(client, f"staff{n}@example.be", PASSWORD)).status_code == 303
        client.cookies.clear()
    assert (await login(client, "staff0@example.be", "wrong guess")).status_code == 422


async def test_a_refused_account_does_not_use_up_the_address(client, checks):
    await staff()
    await staff("bart@example.be")
    await wrong_tries(client, ["an@example.be"])
    # 25 tries were refused by the account limit: they checked nothing and
    # do not count for the address, which still has room for Bart.
    assert (await login(client, "bart@example.be", PASSWORD)).status_code == 303


@pytest.fixture
async def over_redis(settings, monkeypatch):
    """REDIS_URL set: the limits of every request go to Redis (under a random
    prefix, so parallel test runs on one Redis never share a key)."""
    from dataclasses import replace

    from app.config import set_settings
    from app.domain.core import limits
    from tests.limits.test_counters import REDIS_URL, redis_counters

    counters = await redis_counters()
    monkeypatch.setitem(limits._counters, REDIS_URL, counters)
    set_settings(replace(settings, redis_url=REDIS_URL))
    yield counters
    set_settings(settings)
    await counters.forget_all()
    await counters.close()


async def test_with_redis_parallel_wrong_passwords_check_at_most_the_limit(client, checks, over_redis):
    from app.domain.core.limits import limiter

    assert limiter().counters is over_redis
    await staff()
    statuses = await wrong_tries(client, ["an@example.be"])
    assert checks.count == ACCOUNT_LIMIT and statuses == {422: ACCOUNT_LIMIT, 429: TRIES - ACCOUNT_LIMIT}
    assert (await login(client, "an@example.be", PASSWORD)).status_code == 429
    assert await RateLimit.count() == 0  # nothing went to the database
