"""The privacy notice states the passport's rules as the code applies them:
consent expiry, the retention rule and what erasure keeps."""

from __future__ import annotations

from app.domain.passport import consent, retention
from app.web.system.privacy import RETENTION


def test_the_periods_of_the_notice_are_the_ones_applied():
    assert RETENTION.consent_months == consent.DEFAULT_MONTHS
    assert RETENTION.unused_months == retention.CLOSE_MONTHS
    assert RETENTION.first_reminder_months == retention.FIRST_REMINDER_MONTHS
    assert RETENTION.second_reminder_months == retention.SECOND_REMINDER_MONTHS
    assert RETENTION.closed_keep_months == retention.KEEP_CLOSED_MONTHS


async def test_the_notice_explains_consent_copy_closing_and_erasing(client):
    client.cookies.set("werkpas_lang", "en")
    page = (await client.get("/privacy")).text
    section = page.split('<section id="passport-rights"', 1)[1].split("</section>", 1)[0]
    for words in (
        "A consent lasts 12 months",
        "no login for 15 months",
        "after 13 and 14 months",
        "receipts of your consents",
        "cannot be undone",
        "12 more months",
    ):
        assert words in section, words
    assert 'href="#passport-rights"' in page
