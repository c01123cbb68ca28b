"""The consultant's view: only workers with consent in force to the
consultant's organisation, only the consented categories ("not shared"
elsewhere), filters that never reveal an unconsented value, one access-log
entry per worker shown per page view, another agency's ids answer 404,
withdrawal and expiry count at the very next request; asking for more."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import UTC, datetime, timedelta

from app.domain.core.commands import utcnow
from app.domain.passport.requests import open_requests
from app.storage.passport import AccessLogEntry, Consent, ConsentRequest, PassportField, PassportItem
from tests.admin import helpers as h
from tests.conftest import csrf
from tests.support.accounts import another_client
from tests.support.passport import IDENTITY, agency, consent_to, do, worker

LOTTE = {"first_name": "Lotte", "last_name": "Vermeulen", "birth_date": "12/03/1994", "national_number": ""}
ADDRESS = {"street": "Veldstraat", "house_number": "1", "postcode": "9000", "town": "Gent"}


def _now() -> datetime:
    return datetime.now(UTC)


async def _field(user: int, category: str, name: str, value: str, verified_by: int | None = None) -> None:
    await PassportField.insert(
        PassportField(
            user=user,
            category=category,
            name=name,
            value=value,
            updated_at=_now(),
            verified_by=verified_by,
            verified_at=_now() if verified_by else None,
        )
    )


async def _item(user: int, category: str, kind: str, name: str = "", level: str = "") -> None:
    await PassportItem.insert(
        PassportItem(
            user=user, category=category, kind=kind, name=name, level=level, created_at=_now(), updated_at=_now()
        )
    )


async def _full_passport(user: int, identity: dict, town: str, certificate: str, language: str) -> None:
    assert (await do("passport.save_identity", identity, user)).applied
    assert (await do("passport.save_address", {**ADDRESS, "town": town}, user)).applied
    await _item(user, "certificates", certificate)
    await _item(user, "skills", "welding", "Welding")
    await _item(user, "languages", language, level="B2")
    await _field(user, "mobility", "own_car", "1")
    await _field(user, "availability", "days", "mon,sat")


class World:
    flexa: int
    jobwerk: int
    wout: int
    lotte: int
    piet: int


async def _world() -> World:
    """Wout shares identity and certificates with Flexa; Lotte shares address
    and languages with Flexa and identity with Jobwerk; Piet joined Flexa and
    shares nothing. All three have the same kind of full passport."""
    w = World()
    w.flexa, w.jobwerk = await agency("Flexa Interim", "flexa"), await agency("Jobwerk Uitzendbureau", "jobwerk")
    w.wout = await worker("wout@example.be", org=w.flexa, display_name="Wout De Smet")
    w.lotte = await worker("lotte@example.be", org=w.flexa, display_name="Lotte Vermeulen")
    await h.grant(w.lotte, "worker", w.jobwerk)
    w.piet = await worker("piet@example.be", org=w.flexa, display_name="Piet Peeters")
    await _full_passport(w.wout, IDENTITY, "Gent", "forklift", "fr")
    await _full_passport(w.lotte, LOTTE, "Antwerpen", "vca_basic", "nl")
    await _full_passport(w.piet, {**LOTTE, "first_name": "Piet", "last_name": "Peeters"}, "Gent", "forklift", "nl")
    await consent_to(w.wout, w.flexa, ["identity", "certificates"])
    await consent_to(w.lotte, w.flexa, ["address", "languages"])
    await consent_to(w.lotte, w.jobwerk, ["identity"])
    return w


async def _consultant(client, org: int, role: str = "consultant") -> int:
    return await h.as_role(client, role, org, name="Karim El Amrani")


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_the_list_shows_only_consented_workers_and_only_consented_categories(client):
    w = await _world()
    await _consultant(client, w.flexa)
    page = await client.get("/consultant/workers", headers={"accept-language": "en"})
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) == 2  # Piet shares nothing: not listed
    wout, lotte = (_text(row) for row in rows)
    assert "Wout De Smet" in wout and "Forklift" in wout
    assert "Gent" not in wout and "Welding" not in wout and "French" not in wout
    assert wout.count("Not shared") == 5  # town, skills, languages, availability, mobility
    assert "Name not shared" in lotte and "Lotte" not in lotte and "Vermeulen" not in lotte
    assert "Antwerpen" in lotte and "Dutch (B2)" in lotte
    assert "VCA" not in lotte and "Welding" not in lotte
    assert "Piet" not in page.text and f"/consultant/workers/{w.piet}" not in page.text
    # Nothing of what was not shared anywhere on the page.
    for hidden in ("Vermeulen", "Veldstraat", "VCA basic", "Welding", "Saturday", "Own car</td>"):
        assert hidden not in page.text.split("<tbody>", 1)[1]


async def test_each_page_view_logs_once_per_worker_shown_with_what_was_read(client):
    w = await _world()
    consultant = await _consultant(client, w.flexa)
    assert (await client.get("/consultant/workers")).status_code == 200
    entries = await AccessLogEntry.select().order_by(AccessLogEntry.subject_id)
    assert sorted(entry["subject_id"] for entry in entries) == sorted([w.wout, w.lotte])
    by_subject = {entry["subject_id"]: entry for entry in entries}
    assert by_subject[w.wout]["categories"] == "identity,certificates"
    assert by_subject[w.lotte]["categories"] == "address,languages"
    for entry in entries:
        assert entry["purpose"] == "staffing" and entry["legal_basis"] == "consent"
        assert entry["viewer_id"] == consultant and entry["organisation_id"] == w.flexa
    await client.get("/consultant/workers")
    assert await AccessLogEntry.count() == 4
    await client.get(f"/consultant/workers/{w.wout}")
    assert await AccessLogEntry.count().where(AccessLogEntry.subject_id == w.wout) == 3
    assert await AccessLogEntry.count().where(AccessLogEntry.subject_id == w.piet) == 0


async def test_pages_of_25_and_only_the_page_shown_is_read(client):
    org = await agency()
    for number in range(30):
        user = await worker(f"w{number}@example.be", org=org)
        assert (await do("passport.save_identity", {**LOTTE, "first_name": f"Worker{number:02d}"}, user)).applied
        await consent_to(user, org, ["identity"])
    await _consultant(client, org)
    first = await client.get("/consultant/workers", headers={"accept-language": "en"})
    assert len(_rows(first.text)) == 25 and "30 workers" in first.text and "Page 1 of 2" in first.text
    assert await AccessLogEntry.count() == 25
    second = await client.get(f"/consultant/workers?page=2&organisation={org}")
    assert len(_rows(second.text)) == 5
    assert await AccessLogEntry.count() == 30
    # Past the end: the last page; nonsense: the first.
    assert len(_rows((await client.get("/consultant/workers?page=99")).text)) == 5
    assert len(_rows((await client.get("/consultant/workers?page=-3")).text)) == 25


async def test_filters_match_only_consented_values_and_never_reveal_the_others(client):
    w = await _world()
    await _consultant(client, w.flexa)

    async def found(query: str) -> list[int]:
        page = await client.get(f"/consultant/workers?{query}")
        assert page.status_code == 200, query
        return sorted(int(n) for n in re.findall(r'href="/consultant/workers/(\d+)\?', page.text))

    # Consented values match.
    assert await found("certificate=forklift") == [w.wout]
    assert await found("name=wout") == [w.wout]
    assert await found("name=de+smet") == [w.wout]
    assert await found("town=antw") == [w.lotte]
    assert await found("language=nl") == [w.lotte]
    # Values that exist but were not shared with Flexa match nobody: Wout lives
    # in Gent, has a car, works on Saturdays, speaks French and welds (not
    # shared); Lotte holds VCA (not shared) and her name is shared with Jobwerk only.
    assert await found("town=gent") == []
    assert await found("own_car=yes") == []
    assert await found("driving_licence=yes") == []
    assert await found("weekday=sat") == []
    assert await found("skill=weld") == []
    assert await found("language=fr") == []
    assert await found("certificate=vca_basic") == []
    assert await found("name=lotte") == []
    # Piet has every value but shares nothing: never found.
    assert w.piet not in await found("certificate=forklift&town=gent")
    # Combined filters need every category consented (selective ones drive
    # the search; short texts and yes/no filters are matched as lists).
    assert await found("certificate=forklift&language=nl") == []
    assert await found("name=de&own_car=yes") == []
    assert await found("name=de&certificate=forklift") == [w.wout]
    # Odd input: no error, no effect.
    assert await found("certificate=%27%3B--&weekday=xyz&language=zz") == sorted([w.wout, w.lotte])
    assert await found("name=%25") == []
    assert await found("name=" + "x" * 5000) == []
    assert (await client.get("/consultant/workers?name=a%00b")).status_code in (200, 400)


async def test_once_consented_the_filters_find_the_worker(client):
    w = await _world()
    await consent_to(w.wout, w.flexa, ["identity", "address", "mobility", "availability", "skills", "languages"])
    await _consultant(client, w.flexa)
    page = await client.get(
        "/consultant/workers?town=gent&own_car=yes&weekday=sat&skill=weld&language=fr",
        headers={"accept-language": "en"},
    )
    [row] = _rows(page.text)
    assert "Gent" in row and "Own car" in row and "Saturday" in row and "Welding" in row and "French (B2)" in row
    assert "Not shared" in row  # certificates: the new consent replaced the old one
    for query in ("name=de&own_car=yes&weekday=mon", "town=ge&weekday=sat", "skill=we&name=w"):
        assert len(_rows((await client.get(f"/consultant/workers?{query}")).text)) == 1, query
    assert _rows((await client.get("/consultant/workers?name=de&weekday=tue")).text) == []


async def test_the_detail_shows_the_consented_categories_with_their_source_and_the_rest_as_not_shared(client):
    w = await _world()
    await PassportItem.update({PassportItem.verified_by: w.flexa, PassportItem.verified_at: _now()}).where(
        (PassportItem.user == w.wout) & (PassportItem.category == "certificates")
    )
    await _consultant(client, w.flexa)
    page = await client.get(f"/consultant/workers/{w.wout}", headers={"accept-language": "en"})
    assert page.status_code == 200
    text = _text(page.text)
    assert "Wout" in text and "De Smet" in text and "14/02/1990" in text
    assert "Given by the worker" in text and "Verified by Flexa Interim" in text
    # Masked under the staffing purpose.
    assert "90021400326" not in page.text and "90.02.14-003.26" not in page.text
    assert "Gent" not in text and "Veldstraat" not in text and "Welding" not in text
    not_shared = page.text.split('id="not-shared-title"', 1)[1].split("</section>", 1)[0]
    assert not_shared.count('<span class="not-shared">Not shared</span>') == 11  # 13 categories, 2 shared
    assert "Address: " in _text(not_shared) and "Certificates and licences" not in not_shared


async def test_another_agency_never_sees_the_worker(client, app):
    w = await _world()
    await _consultant(client, w.jobwerk)
    page = await client.get("/consultant/workers")
    assert f"/consultant/workers/{w.lotte}?" in page.text and f"/consultant/workers/{w.wout}?" not in page.text
    assert (await client.get(f"/consultant/workers/{w.wout}")).status_code == 404
    assert (await client.get(f"/consultant/workers/{w.piet}")).status_code == 404
    assert (await client.get("/consultant/workers/999999")).status_code == 404
    assert (await client.get("/consultant/workers/99999999999")).status_code == 404
    # Naming the other organisation does not help.
    assert (await client.get(f"/consultant/workers?organisation={w.flexa}")).status_code == 404
    assert (await client.get(f"/consultant/workers/{w.wout}?organisation={w.flexa}")).status_code == 404
    assert (await client.get("/consultant/workers?organisation=abc")).status_code == 404
    assert await AccessLogEntry.count().where(AccessLogEntry.subject_id == w.wout) == 0


async def test_a_consultant_of_two_organisations_chooses_one(client):
    w = await _world()
    consultant = await _consultant(client, w.flexa)
    await h.grant(consultant, "consultant", w.jobwerk)
    await h.sign_in(client, consultant)  # the new grant counts from a new session
    default = await client.get("/consultant/workers")
    assert 'name="organisation"' in default.text and "Flexa Interim" in default.text
    assert f"/consultant/workers/{w.wout}?" in default.text  # Flexa comes first by name
    other = await client.get(f"/consultant/workers?organisation={w.jobwerk}")
    assert f"/consultant/workers/{w.wout}?" not in other.text and "Lotte Vermeulen" in other.text
    # Lotte's name is Jobwerk's to see, not Flexa's.
    assert (await client.get(f"/consultant/workers/{w.lotte}?organisation={w.jobwerk}")).status_code == 200
    flexa_view = await client.get(f"/consultant/workers/{w.lotte}?organisation={w.flexa}")
    assert "Vermeulen" not in flexa_view.text


async def test_withdrawal_and_expiry_count_at_the_very_next_request(client):
    w = await _world()
    await _consultant(client, w.flexa)
    assert (await client.get(f"/consultant/workers/{w.wout}")).status_code == 200
    assert (await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)).applied
    assert (await client.get(f"/consultant/workers/{w.wout}")).status_code == 404
    assert f"/consultant/workers/{w.wout}?" not in (await client.get("/consultant/workers")).text

    assert (await client.get(f"/consultant/workers/{w.lotte}")).status_code == 200
    await Consent.update({Consent.expires_at: utcnow() - timedelta(seconds=1)}).where(
        (Consent.user == w.lotte) & (Consent.organisation == w.flexa)
    )
    assert (await client.get(f"/consultant/workers/{w.lotte}")).status_code == 404
    page = await client.get("/consultant/workers", headers={"accept-language": "en"})
    assert _rows(page.text) == [] and "No worker shares their passport" in page.text


async def test_who_may_open_the_consultant_view(client, app):
    w = await _world()
    for role, status in (("consultant", 200), ("hr", 200), ("org_admin", 200), ("team_lead", 403), ("planner", 403)):
        async with another_client(app) as other:
            await h.as_role(other, role, w.flexa)
            assert (await other.get("/consultant/workers")).status_code == status, role
    async with another_client(app) as other:
        await h.sign_in(other, w.wout)
        assert (await other.get("/consultant/workers")).status_code == 403
        assert (await other.get(f"/consultant/workers/{w.lotte}")).status_code == 403
    # The platform admin works for no organisation: no workers' passports.
    async with another_client(app) as other:
        await h.as_role(other, "platform_admin")
        assert (await other.get("/consultant/workers")).status_code == 404
    assert (await client.get("/consultant/workers", follow_redirects=False)).status_code in (302, 303, 401)


async def _ask(client, worker_id: int, categories: list[str], purpose: str = "staffing", org: int | None = None):
    data: list[tuple[str, str]] = [("categories", code) for code in categories]
    data += [("purpose", purpose), ("command_id", str(uuid.uuid4())), ("_csrf_token", csrf(client))]
    if org is not None:
        data.append(("organisation_id", str(org)))
    return await client.post(
        f"/consultant/workers/{worker_id}/requests",
        content="&".join(f"{k}={v}" for k, v in data),
        headers={"content-type": "application/x-www-form-urlencoded", "accept-language": "en"},
        follow_redirects=False,
    )


async def test_asking_for_more_makes_one_open_request_that_a_second_ask_replaces(client):
    w = await _world()
    consultant = await _consultant(client, w.flexa)
    detail = await client.get(f"/consultant/workers/{w.wout}", headers={"accept-language": "en"})
    assert "Ask for more" in detail.text and 'name="categories"' in detail.text
    response = await _ask(client, w.wout, ["address", "mobility"], org=w.flexa)
    assert response.status_code == 303
    assert response.headers["location"] == f"/consultant/workers/{w.wout}?organisation={w.flexa}"
    [row] = await ConsentRequest.select()
    assert row["status"] == "open" and row["categories"] == "address,mobility" and row["requested_by"] == consultant
    page = await client.get(response.headers["location"], headers={"accept-language": "en"})
    assert "The worker has not answered yet" in page.text
    # A second ask replaces the open one; identity for payroll is new (it is shared for staffing).
    assert (await _ask(client, w.wout, ["bank", "identity"], "payroll")).status_code == 303
    [row] = await ConsentRequest.select()
    assert row["categories"] == "identity,bank" and row["purpose"] == "payroll"
    [asked] = await open_requests(w.wout)
    assert asked.organisation_id == w.flexa and asked.organisation_name == "Flexa Interim"
    assert asked.categories == ["identity", "bank"] and asked.purpose == "payroll" and asked.id == row["id"]
    assert await open_requests(w.lotte) == []
    events = await h.events("passport.request_consent")
    assert [(e["outcome"], e["detail"], e["target_id"]) for e in events] == [
        ("applied", "asked", str(w.wout)),
        ("applied", "replaced", str(w.wout)),
    ]


async def test_asking_is_refused_clearly_or_answers_404(client):
    w = await _world()
    await _consultant(client, w.flexa)
    await client.get("/consultant/workers")
    # Only what is already shared, for that purpose.
    refused = await _ask(client, w.wout, ["identity"])
    assert refused.status_code == 422 and "already shares all of this" in refused.text
    assert (await _ask(client, w.wout, [])).status_code == 422
    assert (await _ask(client, w.wout, ["salary"])).status_code == 422
    assert (await _ask(client, w.wout, ["address"], "marketing")).status_code == 422
    assert (await _ask(client, w.wout, ["Address%00"])).status_code == 422
    # Not visible to Flexa (no consent in force) or unknown: 404, nothing stored.
    assert (await _ask(client, w.piet, ["identity"])).status_code == 404
    outsider = await worker("sam@example.be", org=w.jobwerk)
    await consent_to(outsider, w.jobwerk, ["identity"])
    assert (await _ask(client, outsider, ["address"])).status_code == 404
    assert (await _ask(client, w.wout, ["address"], org=w.jobwerk)).status_code == 404
    assert (await _ask(client, 999999, ["address"])).status_code == 404
    assert await ConsentRequest.count() == 0


async def test_a_worker_who_left_the_organisation_cannot_be_asked():
    w = await _world()
    consultant = await h.user("consultant", w.flexa)
    from app.storage.tables import RoleGrant

    await RoleGrant.delete().where((RoleGrant.user == w.wout) & (RoleGrant.organisation == w.flexa))
    outcome = await h.run(
        "passport.request_consent",
        {"user_id": w.wout, "organisation_id": w.flexa, "categories": ["address"], "purpose": "staffing"},
        consultant,
    )
    assert outcome.code() == "not_found"
    # A platform admin works for no organisation.
    admin = await h.user("platform_admin")
    outcome = await h.run(
        "passport.request_consent",
        {"user_id": w.lotte, "organisation_id": w.flexa, "categories": ["identity"], "purpose": "staffing"},
        admin,
    )
    assert outcome.code() == "not_found"
    assert await ConsentRequest.count() == 0


async def test_thirty_parallel_asks_leave_exactly_one_open_request(client):
    w = await _world()
    await _consultant(client, w.flexa)
    await client.get("/consultant/workers")
    choices = (["address"], ["mobility"], ["skills", "address"])
    responses = await asyncio.gather(*(_ask(client, w.wout, choices[n % 3]) for n in range(30)))
    assert sorted({response.status_code for response in responses}) == [303]
    rows = await ConsentRequest.select()
    assert len(rows) == 1 and rows[0]["status"] == "open"
    assert rows[0]["categories"] in {"address", "mobility", "address,skills"}


async def test_a_shared_document_is_downloaded_through_the_read_path_and_only_while_shared(client):
    from app.domain.passport import files
    from app.storage.passport import AccessLogEntry, Document
    from tests.passport.test_documents import pdf

    w = await _world()
    data = pdf()
    payload = {"digest": files.put(data), "media_type": "application/pdf", "size": len(data), "name": "vca.pdf"}
    assert (await do("passport.add_document", payload, w.wout)).applied
    document_id = (await Document.select(Document.id).first())["id"]
    path = f"/consultant/workers/{w.wout}/documents/{document_id}"
    await _consultant(client, w.flexa)
    assert (await client.get(path)).status_code == 404  # documents not shared yet
    await consent_to(w.wout, w.flexa, ["identity", "certificates", "documents"])
    response = await client.get(path)
    assert response.status_code == 200 and response.content == data
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in response.headers["content-disposition"]
    entries = await AccessLogEntry.select().where(AccessLogEntry.subject_id == w.wout)
    assert any(entry["categories"] == "documents" for entry in entries)
    # Another worker's document under this worker's id, and another agency: 404.
    assert (await client.get(f"/consultant/workers/{w.lotte}/documents/{document_id}")).status_code == 404
    await do("passport.withdraw_consent", {"organisation_id": w.flexa}, w.wout)
    assert (await client.get(path)).status_code == 404
