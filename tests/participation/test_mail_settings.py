"""Mail settings per kind, and the one-click unsubscribe (RFC 8058): a
signed URL that works without login or CSRF token, a forged one is 404."""

from __future__ import annotations

from app.domain.participation.mail_settings import signature, unsubscribe_headers, unsubscribe_path, unsubscribe_url
from app.domain.participation.notify import frequencies
from app.storage.participation import MailSetting
from tests.support.factories import login
from tests.support.participation import do, person, world
from tests.support.registration import english, post

PASSWORD = "correct horse battery staple"


def test_headers_carry_a_signed_url_for_the_user_and_kind():
    headers = unsubscribe_headers(7, "digest")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"] == f"<{unsubscribe_url(7, 'digest')}>"
    assert unsubscribe_url(7, "digest").startswith("http://testserver.local/participation/unsubscribe/7/digest/")
    assert signature(7, "digest") != signature(8, "digest") != signature(7, "reminder")


async def test_the_page_saves_choices_and_refuses_unknown_values(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    english(client)
    await login(client, "ann@example.be", PASSWORD)
    page = await client.get("/participation/mail")
    assert page.status_code == 200 and "Meeting invitations" in page.text
    response = await post(client, "/participation/mail", {"digest": "daily", "announcement": "instant"})
    assert response.status_code == 303
    assert (await frequencies(ann))["digest"] == "daily" and (await frequencies(ann))["announcement"] == "instant"
    response = await post(client, "/participation/mail", {"digest": "hourly", "reminder": "off"})
    assert response.status_code == 422 and "Choose right away, once a day, once a week or never." in response.text
    assert (await frequencies(ann))["reminder"] == "weekly"  # nothing changed


async def test_one_click_post_without_login_or_csrf_switches_the_kind_off(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    path = unsubscribe_path(ann, "digest")
    page = await client.get(path, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Unsubscribe" in page.text
    # What a mail program sends: no cookie, no token, the RFC 8058 body.
    client.cookies.clear()
    response = await client.post(
        path, content="List-Unsubscribe=One-Click", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 200
    assert (await frequencies(ann))["digest"] == "off"
    assert (await frequencies(ann))["invitation"] == "instant"  # only that kind


async def test_a_forged_or_foreign_signature_is_404_and_changes_nothing(client):
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    bert = await person("bert@example.be", w.org, w.early)
    bad = [
        f"/participation/unsubscribe/{ann}/digest/{'0' * 40}",
        f"/participation/unsubscribe/{bert}/digest/{signature(ann, 'digest')}",  # Ann's signature for Bert
        f"/participation/unsubscribe/{ann}/reminder/{signature(ann, 'digest')}",  # another kind
        f"/participation/unsubscribe/{ann}/nokind/{signature(ann, 'digest')}",
        f"/participation/unsubscribe/{ann}/digest/%C3%A9{'a' * 300}",
    ]
    for path in bad:
        assert (await client.get(path)).status_code == 404, path
        assert (await client.post(path, content="List-Unsubscribe=One-Click")).status_code == 404, path
    assert await MailSetting.count() == 0


async def test_the_command_checks_the_signature_itself():
    w = await world()
    ann = await person("ann@example.be", w.org, w.early)
    outcome = await do("participation.unsubscribe", {"user_id": ann, "kind": "digest", "signature": "x" * 40}, None)
    assert outcome.code() == "not_found"
    outcome = await do(
        "participation.unsubscribe", {"user_id": ann, "kind": "digest", "signature": signature(ann, "digest")}, None
    )
    assert outcome.applied and (await frequencies(ann))["digest"] == "off"
