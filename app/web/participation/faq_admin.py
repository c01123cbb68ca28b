"""/admin/participation/faq: an organisation's own FAQ per language (add,
edit, remove, reorder, start from the default set)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from app.domain.participation.faq import defaults, own_entries
from app.domain.participation.setup import settings_of
from app.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
from app.web.core.commands import messages, run
from app.web.core.context import flash
from app.web.core.forms import form_data, path_id
from app.web.core.pages import page, redirect
from app.web.participation.manage import chosen_organisation
from app.web.participation.setup import GUARD


def _language(text: str | None) -> str:
    return text if text in LANGUAGES else current_language()


def _back(organisation_id: int, language: str) -> str:
    return f"/admin/participation/faq?organisation={organisation_id}&language={language}"


async def _page(
    request: Request,
    organisation_id: int | None = None,
    language: str | None = None,
    *,
    form: str = "",
    errors: dict | None = None,
    values: dict | None = None,
    status_code: int = 200,
) -> Response:
    organisation, organisations = await chosen_organisation(request, organisation_id)
    language = _language(language or request.query_params.get("language"))
    entries = await own_entries(organisation["id"], language)
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "faq_language": language,
        "faq_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "entries": entries,
        "defaults": [] if entries else defaults(language, await settings_of(organisation["id"])),
        "form": form,
        "errors": errors or {},
        "values": values or {},
    }
    return page(request, "participation/help/faq_admin.html", context, status_code=status_code)


@get("/admin/participation/faq", opt=GUARD, include_in_schema=False)
async def faq_admin(request: Request) -> Response:
    return await _page(request)


async def _send(
    request: Request, organisation_id: int, language: str, form: str, command: str, payload: dict, data: dict, done: str
):
    await chosen_organisation(request, organisation_id)
    outcome = await run(request, command, payload, data)
    if not outcome.applied:
        return await _page(
            request, organisation_id, language, form=form, errors=messages(outcome), values=data, status_code=422
        )
    flash(request, done, "success")
    return redirect(request, _back(organisation_id, language))


@post("/admin/participation/faq/{organisation_id:int}/add", opt=GUARD, include_in_schema=False)
async def add_entry(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    language = data.get("language", "")
    payload = {
        "organisation_id": organisation_id,
        "language": language,
        "question": data.get("question", ""),
        "answer": data.get("answer", ""),
    }
    return await _send(
        request,
        organisation_id,
        _language(language),
        "faq-new",
        "participation.add_faq",
        payload,
        data,
        _("Question added."),
    )


@post("/admin/participation/faq/{organisation_id:int}/copy", opt=GUARD, include_in_schema=False)
async def copy_defaults(request: Request, organisation_id: FromPath[int]) -> Response:
    organisation_id = path_id(organisation_id)
    data = await form_data(request)
    language = data.get("language", "")
    payload = {"organisation_id": organisation_id, "language": language}
    return await _send(
        request,
        organisation_id,
        _language(language),
        "faq-copy",
        "participation.copy_default_faq",
        payload,
        data,
        _("The default questions are now your own: edit them as you like."),
    )


@post("/admin/participation/faq/{organisation_id:int}/entries/{entry_id:int}", opt=GUARD, include_in_schema=False)
async def change_entry(request: Request, organisation_id: FromPath[int], entry_id: FromPath[int]) -> Response:
    organisation_id, entry_id = path_id(organisation_id), path_id(entry_id)
    data = await form_data(request)
    action = data.get("action", "save")
    if action in ("up", "down"):
        command, payload, done = (
            "participation.move_faq",
            {"entry_id": entry_id, "direction": action},
            _("Question moved."),
        )
    elif action == "remove":
        command, payload, done = "participation.remove_faq", {"entry_id": entry_id}, _("Question removed.")
    else:
        command = "participation.update_faq"
        payload = {"entry_id": entry_id, "question": data.get("question", ""), "answer": data.get("answer", "")}
        done = _("Question saved.")
    return await _send(
        request, organisation_id, _language(data.get("language")), f"faq-{entry_id}", command, payload, data, done
    )


handlers = [faq_admin, add_entry, copy_defaults, change_entry]
