"""The evaluation page: the form after a held meeting, saved once, shown
again with values kept on a mistake (422), a second answer refused with the
offer to change it, and 404 for another organisation's table."""

from __future__ import annotations

from datetime import timedelta

from app.storage.participation import Evaluation
from tests.conftest import PASSWORD
from tests.support.evaluations import held_table, now
from tests.support.factories import login
from tests.support.participation import person, world
from tests.support.registration import english, post

FORM = {
    "process": "70",
    "process_typed": "",
    "satisfaction": "4",
    "sentence": "Goed gesprek",
    "heard": "yes",
    "opinion": "yes",
    "expected": "no",
    "drifted": "no",
    "duration": "50",
    "duration_typed": "",
    "other": "",
    "mode": "submit",
}


async def _signed_in(client, email: str, org: int, unit: int) -> int:
    user = await person(email, org, unit)
    english(client)
    assert (await login(client, email, PASSWORD)).status_code == 303
    return user


async def _form(client, path: str) -> dict:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    import re

    command = re.search(r'name="command_id" value="([^"]+)"', page.text)
    return {"command_id": command.group(1)} if command else {}


async def test_fill_in_and_change_the_evaluation(client):
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    ann = await _signed_in(client, "ann@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener, [ann], unit=w.early)
    path = f"/participation/tables/{table}/evaluation"
    page = await client.get(path)
    assert page.status_code == 200
    for text in ('type="range"', 'name="process_typed"', "Very unhappy", "Very happy", "for 7 days", "Not smoothly"):
        assert text in page.text, text
    response = await post(client, path, {**FORM, **await _form(client, path)})
    assert response.status_code == 303
    [row] = await Evaluation.select()
    assert (row["user"], row["process"], row["satisfaction"], row["expected"]) == (ann, 70, 4, False)
    done = await client.get(path)
    assert "You answered this evaluation" in done.text and "Change my answer" in done.text
    assert 'type="range"' not in done.text

    change = await client.get(path + "?change=1")
    assert 'value="update"' in change.text and 'value="Goed gesprek"' in change.text
    data = {
        **FORM,
        "mode": "update",
        "satisfaction": "2",
        "duration_typed": "85",
        **await _form(client, path + "?change=1"),
    }
    assert (await post(client, path, data)).status_code == 303
    [row] = await Evaluation.select()
    assert (row["satisfaction"], row["duration"]) == (2, 85)


async def test_a_mistake_shows_the_form_again_with_values_kept(client):
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    ann = await _signed_in(client, "ann@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener, [ann])
    path = f"/participation/tables/{table}/evaluation"
    data = {**FORM, "satisfaction": "", "drifted": "yes", "sentence": "Zin \x00 met NUL", "other": "x" * 5000}
    response = await post(client, path, data)
    assert response.status_code == 422
    text = response.text
    assert "Choose the face that fits best." in text
    assert "Say whether drifting from the topic helped the meeting." in text
    assert "Use at most 2000 characters." in text
    assert 'value="Zin  met NUL"' in text  # kept, without the NUL
    assert 'href="#evaluation-satisfaction"' in text and 'id="evaluation-satisfaction"' in text
    assert await Evaluation.count() == 0
    bad_slider = await post(client, path, {**FORM, "process_typed": "150"})
    assert bad_slider.status_code == 422 and "Give a number from 0 to 100." in bad_slider.text
    assert await Evaluation.count() == 0


async def test_a_second_evaluation_is_refused_and_offers_to_change(client):
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    ann = await _signed_in(client, "ann@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener, [ann])
    path = f"/participation/tables/{table}/evaluation"
    assert (await post(client, path, FORM)).status_code == 303
    again = await post(client, path, {**FORM, "process": "5"})
    assert again.status_code == 422
    assert "You already answered the evaluation of this meeting: you can change your answer." in again.text
    assert "Change my answer" in again.text
    [row] = await Evaluation.select()
    assert row["process"] == 70
    # After 7 days the answer stays as it is.
    await Evaluation.update({Evaluation.created_at: now() - timedelta(days=8)}, force=True)
    late = await post(client, path, {**FORM, "mode": "update", "process": "5"})
    assert late.status_code == 422 and "You can no longer change your answer" in late.text
    assert "Change my answer" not in (await client.get(path)).text
    assert (await Evaluation.select(Evaluation.process).first())["process"] == 70


async def test_before_the_meeting_and_for_people_not_at_the_table(client):
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    ann = await _signed_in(client, "ann@example.be", w.org, w.early)
    planned = await held_table(w.org, w.room, opener, [ann], phase="planned")
    page = await client.get(f"/participation/tables/{planned}/evaluation")
    assert "once the meeting has been held" in page.text and 'type="range"' not in page.text
    refused = await post(client, f"/participation/tables/{planned}/evaluation", FORM)
    assert refused.status_code == 422 and "once the meeting has been held" in refused.text
    other_table = await held_table(w.org, w.room, opener)
    page = await client.get(f"/participation/tables/{other_table}/evaluation")
    assert "Only the people at this table" in page.text and 'type="range"' not in page.text
    assert (await post(client, f"/participation/tables/{other_table}/evaluation", FORM)).status_code == 422
    assert await Evaluation.count() == 0


async def test_another_organisations_table_is_404(client):
    w = await world()
    other = await world("andere")
    stranger = await person("stranger@example.be", other.org, other.early)
    table = await held_table(other.org, other.room, stranger)
    await _signed_in(client, "ann@example.be", w.org, w.early)
    for path in (f"/participation/tables/{table}/evaluation", "/participation/tables/99999999999/evaluation"):
        assert (await client.get(path)).status_code == 404, path
        assert (await post(client, path, FORM)).status_code == 404, path
    assert await Evaluation.count() == 0


async def test_htmx_gets_a_fragment_and_dutch_is_the_default(client):
    w = await world()
    opener = await person("opener@example.be", w.org, w.early)
    ann = await person("ann@example.be", w.org, w.early)
    table = await held_table(w.org, w.room, opener, [ann])
    assert (await login(client, "ann@example.be", PASSWORD)).status_code == 303
    page = await client.get(f"/participation/tables/{table}/evaluation", headers={"HX-Request": "true"})
    assert page.status_code == 200 and 'type="range"' in page.text
    assert "<html" not in page.text and 'id="evaluation-page"' in page.text
    full = await client.get(f"/participation/tables/{table}/evaluation")
    assert "<html" in full.text and 'lang="nl"' in full.text
