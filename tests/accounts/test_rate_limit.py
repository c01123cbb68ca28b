from dataclasses import replace
from ipaddress import ip_network

import pytest

from app.config import set_settings
from app.domain.accounts.limits import ACCOUNT, ACCOUNT_LIMIT, ADDRESS, ADDRESS_LIMIT
from app.domain.core.limits import WINDOW_SECONDS, Limiter, minutes
from app.storage.rate_limits import DatabaseCounters
from app.storage.tables import AuditEvent
from tests.conftest import PASSWORD
from tests.support.accounts import audit_types, user_row
from tests.support.factories import login, make_org, make_user

EN = {"accept-language": "en"}
WRONG = "not the password 1"


async def staff(email: str) -> int:
    org = await make_org(slug=email.split("@")[0].replace(".", "-"))
    return await make_user(email, role="hr", org=org)


async def test_account_is_limited_after_five_failures_even_with_the_right_password(client):
    user_id = await staff("an@example.be")
    for _ in range(ACCOUNT_LIMIT):
        assert (await login(client, "an@example.be", WRONG, headers=EN)).status_code == 422
    response = await login(client, "an@example.be", PASSWORD, headers=EN)
    assert response.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes." in response.text
    assert (await user_row(user_id))["last_login_at"] is None
    # The limited attempt did not even check the password: no new audit event.
    assert len(await audit_types(type="accounts.login_failed")) == ACCOUNT_LIMIT


async def test_limit_message_is_translated(client):
    await staff("an@example.be")
    for _ in range(ACCOUNT_LIMIT):
        await login(client, "an@example.be", WRONG)
    response = await login(client, "an@example.be", WRONG, headers={"accept-language": "fr"})
    assert response.status_code == 429
    assert 'lang="fr"' in response.text


async def test_the_account_limit_does_not_block_other_accounts(client):
    await staff("an@example.be")
    await staff("bart@example.be")
    for _ in range(ACCOUNT_LIMIT):
        await login(client, "an@example.be", WRONG)
    assert (await login(client, "bart@example.be")).status_code == 303


async def test_unknown_addresses_are_limited_like_known_ones(client):
    for _ in range(ACCOUNT_LIMIT):
        await login(client, "ghost@example.be", WRONG)
    assert (await login(client, "ghost@example.be", WRONG)).status_code == 429


async def test_a_successful_login_resets_the_account_counter(client):
    await staff("an@example.be")
    for _ in range(ACCOUNT_LIMIT - 1):
        await login(client, "an@example.be", WRONG)
    assert (await login(client, "an@example.be")).status_code == 303
    client.cookies.clear()
    for _ in range(ACCOUNT_LIMIT - 1):
        assert (await login(client, "an@example.be", WRONG)).status_code == 422
    assert (await login(client, "an@example.be")).status_code == 303


async def _fail_from_many_accounts(client, headers=None):
    for index in range(ADDRESS_LIMIT):
        response = await login(client, f"guess{index}@example.be", WRONG, headers=headers)
        assert response.status_code == 422


async def test_client_address_is_limited_after_twenty_failures(client):
    await staff("an@example.be")
    await _fail_from_many_accounts(client)
    response = await login(client, "an@example.be", headers=EN)
    assert response.status_code == 429
    assert "Try again in 15 minutes." in response.text


async def test_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    await staff("an@example.be")
    for index in range(ADDRESS_LIMIT):
        await login(client, f"guess{index}@example.be", WRONG, headers={"x-forwarded-for": f"198.51.100.{index}"})
    response = await login(client, "an@example.be", headers={"x-forwarded-for": "203.0.113.77"})
    assert response.status_code == 429


@pytest.fixture
def behind_proxy(settings):
    set_settings(replace(settings, trusted_proxies=(ip_network("127.0.0.1/32"),)))
    yield
    set_settings(settings)


async def test_forwarded_for_is_honoured_behind_a_trusted_proxy(client, behind_proxy):
    await staff("an@example.be")
    attacker = {"x-forwarded-for": "198.51.100.9"}
    await _fail_from_many_accounts(client, headers=attacker)
    assert (await login(client, "an@example.be", headers=attacker)).status_code == 429
    assert (await login(client, "an@example.be", headers={"x-forwarded-for": "203.0.113.77"})).status_code == 303


class FakeClock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_limit_ends_with_the_window_opened_by_the_first_failure():
    clock = FakeClock()
    limiter = Limiter(DatabaseCounters(), clock)
    for _ in range(ACCOUNT_LIMIT):
        assert not (await limiter.claim((ADDRESS, "192.0.2.1"), (ACCOUNT, "user:1"))).refused
        clock.now += 60
    # Failures at t=0..4 min; now t=5 min: wait until t=15 min.
    refused = await limiter.claim((ADDRESS, "192.0.2.2"), (ACCOUNT, "user:1"))
    assert refused.wait == WINDOW_SECONDS - 5 * 60
    assert minutes(refused.wait) == 10
    clock.now = 1_000_000.0 + WINDOW_SECONDS
    # A new window: five more tries, then a full window's wait.
    for _ in range(ACCOUNT_LIMIT):
        assert not (await limiter.claim((ACCOUNT, "user:1"))).refused
    assert (await limiter.claim((ACCOUNT, "user:1"))).wait == WINDOW_SECONDS


def test_minutes_are_rounded_up_and_never_zero():
    assert minutes(1) == 1
    assert minutes(60) == 1
    assert minutes(61) == 2
    assert minutes(0) == 1


async def test_audit_log_holds_no_e_mail_addresses(client):
    await login(client, "ghost@example.be", WRONG)
    rows = await AuditEvent.select()
    assert rows and all("ghost" not in str(row) for row in rows)
