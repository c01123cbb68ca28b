"""Browsing the audit log: filters, scope, Brussels dates, pagination,
and no way to change it."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from app.domain.admin.audit import brussels_midnight
from app.storage.tables import AuditEvent
from tests.admin import helpers as h

APP = Path(__file__).resolve().parents[2] / "app"


async def _event(type="admin.update_unit", actor=None, organisation=None, at=None, outcome="applied"):
    await AuditEvent.insert(
        AuditEvent(
            at=at or datetime.now(UTC),
            actor_id=actor,
            organisation_id=organisation,
            type=type,
            target_type="unit",
            target_id="1",
            outcome=outcome,
            channel="web",
        )
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return body.count("<tr>")


async def test_brussels_dates_become_utc_across_daylight_saving():
    assert brussels_midnight(date(2026, 1, 15)) == datetime(2026, 1, 14, 23, 0, tzinfo=UTC)
    assert brussels_midnight(date(2026, 7, 15)) == datetime(2026, 7, 14, 22, 0, tzinfo=UTC)


async def test_filters_by_actor_organisation_type_and_dates(client):
    mine, other = await h.org("Mine", "mine"), await h.org("Other", "other")
    await h.as_role(client, "platform_admin", email="boss@example.be")
    actor = await h.user(organisation=mine, email="actor@example.be", name="Actor Person")
    # 2026-03-10 23:30 UTC is already 11 March in Brussels.
    await _event("admin.create_unit", actor, mine, datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    await _event("admin.update_unit", actor, other, datetime(2026, 3, 12, 10, 0, tzinfo=UTC))
    await _event("admin.grant_role", None, mine, datetime(2026, 3, 20, 10, 0, tzinfo=UTC), outcome="rejected")

    everything = await client.get("/admin/audit")
    assert everything.status_code == 200 and _rows(everything.text) >= 3
    assert "Actor Person added the unit" in _text(everything.text)
    assert "Someone was refused: Grant a role" in _text(everything.text)

    assert _rows((await client.get("/admin/audit?actor=ACTOR@example.be")).text) == 2
    assert _rows((await client.get(f"/admin/audit?actor={actor}")).text) == 2
    assert _rows((await client.get("/admin/audit?actor=nobody@example.be")).text) == 0
    assert _rows((await client.get(f"/admin/audit?organisation={other}")).text) == 1
    assert _rows((await client.get("/admin/audit?type=admin.grant_role")).text) == 1
    day = await client.get("/admin/audit?date_from=2026-03-11&date_to=2026-03-11")
    assert _rows(day.text) == 1 and "added the unit" in day.text.split("<tbody>")[1]
    assert _rows((await client.get("/admin/audit?date_from=2026-03-12&date_to=2026-03-31")).text) == 2
    assert _rows((await client.get("/admin/audit?date_to=2026-03-10")).text) == 0
    # The type filter offers every known command type.
    assert '<option value="admin.retry_job"' in everything.text


async def test_bad_filters_get_messages_and_keep_the_typed_values(client):
    await h.as_role(client, "platform_admin")
    response = await client.get("/admin/audit?actor=not%20an%20address&date_from=2026-13-40&date_to=")
    assert response.status_code == 422
    assert "Enter an e-mail address or a user number." in response.text
    assert "Enter a date like 2025-03-31." in response.text
    assert 'value="not an address"' in response.text and 'value="2026-13-40"' in response.text
    backwards = await client.get("/admin/audit?date_from=2026-03-12&date_to=2026-03-01")
    assert backwards.status_code == 422 and "The end date is before the start date." in backwards.text
    huge = await client.get("/admin/audit?actor=99999999999999999999&organisation=99999999999999")
    assert huge.status_code == 422 and "Choose an organisation from the list." in huge.text


async def test_a_filter_sent_with_htmx_says_its_problem_in_the_part_it_replaces(client):
    await h.as_role(client, "platform_admin")
    response = await client.get("/admin/audit?date_from=2026-03-12&date_to=2026-03-01", headers={"HX-Request": "true"})
    assert response.status_code == 422 and "<html" not in response.text
    summary = response.text.split("data-error-summary", 1)[1]
    assert "The end date is before the start date." in summary and 'href="#audit-date_to"' in summary
    # The whole page shows it once.
    page = await client.get("/admin/audit?date_from=2026-03-12&date_to=2026-03-01")
    assert page.text.count("data-error-summary") == 1


async def test_newest_first_and_pagination_of_50(client):
    await h.as_role(client, "platform_admin")
    for minute in range(55):
        await _event("admin.update_unit", at=datetime(2026, 5, 1, 10, minute, tzinfo=UTC))
    first = await client.get("/admin/audit?type=admin.update_unit")
    assert _rows(first.text) == 50 and "Page 1 of 2" in first.text
    times = re.findall(r'data-label="When">([^<]+)<', first.text)
    assert times[0] != times[-1]
    second = await client.get("/admin/audit?type=admin.update_unit&page=2", headers={"HX-Request": "true"})
    assert _rows(second.text) == 5 and "<html" not in second.text
    # Pagination links keep the filters.
    assert "type=admin.update_unit" in re.search(r'href="(/admin/audit\?[^"]*page=2[^"]*)"', first.text).group(1)


async def test_org_admin_sees_only_their_organisations_events(client):
    mine, other = await h.org("Mine", "mine"), await h.org("Other", "other")
    await h.as_role(client, "org_admin", mine)
    await _event("admin.create_unit", None, mine)
    await _event("admin.delete_unit", None, other)
    await _event("admin.create_organisation", None, None)
    page = await client.get("/admin/audit")
    body = page.text.split("<tbody>")[1]
    assert "added the unit" in body and "deleted the unit" not in body and "created the organisation" not in body
    # Asking for the other organisation explicitly shows nothing.
    assert _rows((await client.get(f"/admin/audit?organisation={other}")).text) == 0


def test_no_code_path_updates_or_deletes_audit_events():
    pattern = re.compile(r"AuditEvent\.(update|delete)\b|(UPDATE|DELETE\s+FROM)\s+\"?audit_event", re.I)
    offenders = [str(path) for path in APP.rglob("*.py") if pattern.search(path.read_text())]
    assert offenders == []
