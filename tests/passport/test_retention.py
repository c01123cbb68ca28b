"""The retention rule: an account with no valid consent and no login for 15
months gets reminders at 13 and 14 months and is closed at 15; a second run
sends nothing again; a login or a consent in force resets the count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.domain.jobs.worker import run_due_jobs
from app.domain.mail import outbox
from app.domain.passport import retention
from app.i18n import TIMEZONE
from app.storage.passport import Consent
from app.storage.rights import AccountEnd, RetentionNotice
from app.storage.tables import Job, User
from tests.support.factories import make_user
from tests.support.passport import agency, consent_to, worker

TODAY = retention.brussels_today()


@pytest.fixture(autouse=True)
def _handlers(app):
    """The command handlers are registered with the app."""


def months_ago(months: int, days: int = 0, today: date = TODAY) -> datetime:
    day = retention.add_months(today, -months) - timedelta(days=days)
    return datetime.combine(day, time(12, 0), TIMEZONE).astimezone(UTC)


async def _mails() -> list[dict]:
    import msgspec

    rows = await Job.select(Job.payload).where(Job.kind == "mail.send").order_by(Job.id)
    return [msgspec.json.decode(row["payload"]) for row in rows]


async def test_reminders_at_13_and_14_months_then_closure_at_15(monkeypatch):
    login = months_ago(13)
    wout = await worker("wout@example.be", org=await agency(), last_login_at=login, created_at=login)
    recent = await worker("recent@example.be", last_login_at=months_ago(10), created_at=months_ago(10))

    assert await retention.run(TODAY - timedelta(days=1)) == {
        "reminded1": [],
        "reminded2": [],
        "closed": [],
        "erased": [],
    }
    assert await retention.run(TODAY) == {"reminded1": [wout], "reminded2": [], "closed": [], "erased": []}
    # A second run, or the same day again: nothing.
    assert await retention.run(TODAY) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    mails = await _mails()
    assert len(mails) == 1 and mails[0]["to"] == "wout@example.be" and mails[0]["template"] == "retention_reminder"
    assert mails[0]["context"]["stage"] == 1

    # The second a month later (14 months), then the closure (15 months).
    second_day = retention.add_months(TODAY, 1)
    assert await retention.run(second_day - timedelta(days=1)) == {
        "reminded1": [],
        "reminded2": [],
        "closed": [],
        "erased": [],
    }
    await _age_notices(wout, days=31)
    assert await retention.run(second_day) == {"reminded1": [], "reminded2": [wout], "closed": [], "erased": []}
    assert await retention.run(second_day) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    assert len(await _mails()) == 2

    close_day = retention.add_months(TODAY, 2)
    await _age_notices(wout, days=31, stage=2)
    monkeypatch.setattr(retention, "brussels_today", lambda: close_day)
    assert await retention.run(close_day) == {"reminded1": [], "reminded2": [], "closed": [wout], "erased": []}
    assert await retention.run(close_day) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    user = await User.select().where(User.id == wout).first()
    assert not user["is_active"] and user["email"] == "wout@example.be"  # closed, not erased
    assert (await AccountEnd.select().where(AccountEnd.user == wout).first())["closed_by"] == "retention"
    assert len(await _mails()) == 2
    assert (await User.select(User.is_active).where(User.id == recent).first())["is_active"]


async def _age_notices(user_id: int, days: int, stage: int | None = None) -> None:
    """As if the reminders went out `days` earlier (the run days above are
    in the future, the clock of the test is not)."""
    rows = await RetentionNotice.select().where(RetentionNotice.user == user_id)
    for row in rows:
        if stage is None or row["stage"] == stage:
            await RetentionNotice.update({RetentionNotice.sent_at: row["sent_at"] - timedelta(days=days)}).where(
                RetentionNotice.id == row["id"]
            )


async def test_the_mail_is_rendered_in_the_workers_language(settings):
    login = months_ago(13, 2)
    await worker("wout@example.be", last_login_at=login, created_at=login, language="fr")
    await retention.run(TODAY)
    assert await run_due_jobs() >= 1
    [message] = outbox(settings)
    assert message["To"] == "wout@example.be" and message["Content-Language"] == "fr"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "http://testserver.local/login" in text


async def test_a_late_job_still_leaves_a_month_between_the_steps():
    """An account far past 15 months (the rule is new, or the job did not
    run): first reminder now, the second a month later, closure a month
    after that; never everything on one day."""
    login = months_ago(30)
    wout = await worker("wout@example.be", last_login_at=login, created_at=login)
    assert await retention.run(TODAY) == {"reminded1": [wout], "reminded2": [], "closed": [], "erased": []}
    assert await retention.run(TODAY + timedelta(days=20)) == {
        "reminded1": [],
        "reminded2": [],
        "closed": [],
        "erased": [],
    }


async def test_a_login_starts_the_count_again():
    login = months_ago(13, 3)
    wout = await worker("wout@example.be", last_login_at=login, created_at=login)
    assert await retention.run(TODAY) == {"reminded1": [wout], "reminded2": [], "closed": [], "erased": []}
    await User.update({User.last_login_at: datetime.now(UTC)}).where(User.id == wout)
    assert await retention.run(retention.add_months(TODAY, 1)) == {
        "reminded1": [],
        "reminded2": [],
        "closed": [],
        "erased": [],
    }
    # 13 months after the new login the count starts from stage 1 again.
    await User.update({User.last_login_at: months_ago(13, 1)}).where(User.id == wout)
    assert await retention.run(TODAY) == {"reminded1": [wout], "reminded2": [], "closed": [], "erased": []}


async def test_a_consent_in_force_keeps_the_account_and_its_end_counts_as_activity():
    flexa = await agency()
    login = months_ago(20)
    wout = await worker("wout@example.be", org=flexa, last_login_at=login, created_at=login)
    await consent_to(wout, flexa, ["identity"])
    assert await retention.run(TODAY) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    # Expired 13 months ago (the consent itself; its receipt is older).
    from app.storage.passport import ConsentRecord

    await Consent.update({Consent.expires_at: months_ago(13, 1)}).where(Consent.user == wout)
    await ConsentRecord.update({ConsentRecord.at: months_ago(25)}).where(ConsentRecord.subject_id == wout)
    assert await retention.run(TODAY) == {"reminded1": [wout], "reminded2": [], "closed": [], "erased": []}


async def test_staff_accounts_follow_their_own_rule():
    login = months_ago(20)
    await make_user("hr@example.be", role="hr", org=await agency(), last_login_at=login, created_at=login)
    assert await retention.run(TODAY) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}


async def test_an_account_without_e_mail_is_reminded_on_paper_only_and_closed_on_the_same_days(monkeypatch):
    login = months_ago(13)
    wout = await worker(None, last_login_at=login, created_at=login)
    assert await retention.run(TODAY) == {"reminded1": [wout], "reminded2": [], "closed": [], "erased": []}
    assert await _mails() == []
    assert (await RetentionNotice.select().first())["mailed"] is False


async def test_the_closure_command_checks_the_rule_itself():
    from tests.support.passport import do

    wout = await worker("wout@example.be")
    outcome = await do("passport.close_inactive", {"user_id": wout}, None, channel="job")
    assert outcome.code() == "still_active"
    outcome = await do("passport.close_inactive", {"user_id": wout}, wout)
    assert outcome.code() == "not_allowed"
    assert (await User.select(User.is_active).where(User.id == wout).first())["is_active"]


def test_the_job_is_periodic():
    from app.domain.jobs.queue import periodic_jobs

    assert retention.KIND in {job.kind for job in periodic_jobs()}


async def test_a_closed_account_is_erased_12_months_after_its_closure(monkeypatch):
    from app.storage.passport import PassportField
    from tests.support.passport import IDENTITY, do

    wout = await worker("wout@example.be", org=await agency())
    assert (await do("passport.save_identity", IDENTITY, wout)).applied
    eva = await worker("eva@example.be")
    for user_id, closed in ((wout, months_ago(12)), (eva, months_ago(11))):
        await User.update({User.is_active: False}).where(User.id == user_id)
        await AccountEnd.insert(AccountEnd(user=user_id, closed_at=closed, closed_by="self"))
    assert await retention.run(TODAY) == {"reminded1": [], "reminded2": [], "closed": [], "erased": [wout]}
    assert await retention.run(TODAY) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    assert await PassportField.count().where(PassportField.user == wout) == 0
    assert (await User.select(User.email).where(User.id == wout).first())["email"] is None
    assert (await User.select(User.email).where(User.id == eva).first())["email"] == "eva@example.be"


async def test_a_reactivated_account_is_not_erased():
    wout = await worker("wout@example.be")
    await AccountEnd.insert(AccountEnd(user=wout, closed_at=months_ago(14), closed_by="self"))
    assert await retention.run(TODAY) == {"reminded1": [], "reminded2": [], "closed": [], "erased": []}
    assert (await User.select(User.email).where(User.id == wout).first())["email"] == "wout@example.be"
