"""Consent expires after 12 months: the check stops it at once, the daily job
removes it with an `expire` receipt, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.core.commands import utcnow
from app.domain.passport.consent import expiry_from, in_force
from app.domain.passport.expiry import expire_due
from app.storage.passport import Consent, ConsentRecord
from tests.support.factories import grant
from tests.support.passport import agency, consent_to, do, worker


def test_a_consent_lasts_twelve_months_to_the_day():
    assert expiry_from(datetime(2026, 12, 2, 9, 0, tzinfo=UTC)) == datetime(2027, 12, 2, 9, 0, tzinfo=UTC)
    # The 29th of February does not come back: the last day of February.
    assert expiry_from(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2029, 2, 28, tzinfo=UTC)
    assert expiry_from(datetime(2026, 1, 31, tzinfo=UTC), months=1) == datetime(2026, 2, 28, tzinfo=UTC)


async def test_the_job_removes_expired_consent_once_with_a_receipt():
    flexa, other = await agency(), await agency("Other Interim")
    wout = await worker(org=flexa)
    await grant(wout, "worker", other)
    await consent_to(wout, flexa, ["identity", "contact"])
    await consent_to(wout, other, ["identity"])
    await Consent.update({Consent.expires_at: utcnow() - timedelta(minutes=1)}).where(Consent.organisation == flexa)
    assert await in_force(wout, flexa) == {}  # the check itself, before the job

    assert await expire_due(job_id=1) == [(wout, flexa)]
    assert await expire_due(job_id=1) == []  # the same job again: nothing twice
    assert await expire_due(job_id=2) == []
    assert {row["organisation"] for row in await Consent.select()} == {other}
    expired = await ConsentRecord.select().where(ConsentRecord.action == "expire")
    assert len(expired) == 1 and expired[0]["categories"] == "identity,contact"


async def test_only_the_system_expires_consent():
    flexa = await agency()
    wout = await worker(org=flexa)
    await consent_to(wout, flexa, ["identity"])
    outcome = await do("passport.expire_consent", {"user_id": wout, "organisation_id": flexa}, wout)
    assert outcome.code() == "not_allowed"
    outcome = await do("passport.expire_consent", {"user_id": wout, "organisation_id": flexa}, None, channel="job")
    assert outcome.code() == "not_due" and await Consent.count() == 1
