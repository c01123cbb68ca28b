"""The passport's list categories: add, change and remove one entry of
education, training, certificates and licences, skills or languages. An
entry id of another worker answers 404 (the command says not_found)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.passport import lists
from app.domain.passport.categories import BY_CODE
from app.domain.passport.mine import contents, item
from app.domain.passport.store import Item
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, path_id
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.passport.views import ADD_LABELS, INTRODUCTIONS, day, item_title

PERMISSION = "passport.view"
FIELDS = ("kind", "name", "level", "issued_on", "expires_on", "document_id")
ADDED = lazy("Added to %(category)s.")
CHANGED = lazy("Changed in %(category)s.")
REMOVED = lazy("Removed from %(category)s.")
CHANGE_LABELS = {
    "education": lazy("Change a diploma"),
    "training": lazy("Change a course"),
    "certificates": lazy("Change a certificate or licence"),
    "skills": lazy("Change a skill"),
    "languages": lazy("Change a language"),
}


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, _(label)) for code, label in labels.items()]


async def _form(
    request: Request,
    category: str,
    values: dict,
    errors: dict[str, str],
    *,
    entry: Item | None = None,
    status_code: int = 200,
) -> Response:
    found = await contents(signed_in_user(request).id)
    context = {
        "category": category,
        "category_label": _(BY_CODE[category].label),
        "title": _(CHANGE_LABELS[category] if entry else ADD_LABELS[category]),
        "intro": _(INTRODUCTIONS[category]),
        "action": f"/passport/items/{entry.id}/edit" if entry else f"/passport/{category}/new",
        "entry": entry,
        "verified_by": entry.source.verified_by if entry and not entry.source.is_self else None,
        "values": values,
        "errors": errors,
        "education_levels": _choices(lists.EDUCATION_LEVELS),
        "certificate_kinds": _choices(lists.CERTIFICATE_KINDS),
        "skill_levels": _choices(lists.SKILL_LEVELS),
        "language_choices": _choices(lists.LANGUAGES),
        "language_levels": _choices(lists.LANGUAGE_LEVELS),
        "documents": [(str(document.id), document.name) for document in found.documents],
    }
    return page(request, "passport/item_form.html", context, status_code=status_code)


def _category(category: str) -> str:
    if category not in lists.ITEM_CATEGORIES:
        raise NotFoundException()
    return category


def _payload(data: dict[str, str]) -> dict:
    payload: dict = {name: data.get(name, "") for name in FIELDS}
    payload["document_id"] = data.get("document_id") or None
    return payload


async def _own(request: Request, item_id: int) -> tuple[str, Item]:
    found = await item(signed_in_user(request).id, path_id(item_id))
    if found is None:
        raise NotFoundException()
    return found


@get("/passport/{category:str}/new", opt=permission(PERMISSION), include_in_schema=False)
async def new_item(request: Request, category: FromPath[str]) -> Response:
    return await _form(request, _category(category), {}, {})


@post("/passport/{category:str}/new", opt=permission(PERMISSION), include_in_schema=False)
async def add_item(request: Request, category: FromPath[str]) -> Response:
    category = _category(category)
    data = await form_data(request)
    outcome = await run(request, "passport.add_item", {"category": category, **_payload(data)}, data)
    if not outcome.applied:
        return await _form(request, category, data, messages(outcome), status_code=422)
    flash(request, _(ADDED, category=_(BY_CODE[category].label)), "success")
    return redirect(request, f"/passport#{category}")


def _values(entry: Item) -> dict[str, str]:
    return {
        "kind": entry.kind,
        "name": entry.name,
        "level": entry.level,
        "issued_on": day(entry.issued_on),
        "expires_on": day(entry.expires_on),
        "document_id": str(entry.document_id or ""),
    }


@get("/passport/items/{item_id:int}/edit", opt=permission(PERMISSION), include_in_schema=False)
async def edit_item(request: Request, item_id: FromPath[int]) -> Response:
    category, entry = await _own(request, item_id)
    return await _form(request, category, _values(entry), {}, entry=entry)


@post("/passport/items/{item_id:int}/edit", opt=permission(PERMISSION), include_in_schema=False)
async def change_item(request: Request, item_id: FromPath[int]) -> Response:
    category, entry = await _own(request, item_id)
    data = await form_data(request)
    outcome = await run(request, "passport.change_item", {"item_id": entry.id, **_payload(data)}, data)
    if not outcome.applied:
        return await _form(request, category, data, messages(outcome), entry=entry, status_code=422)
    flash(request, _(CHANGED, category=_(BY_CODE[category].label)), "success")
    return redirect(request, f"/passport#{category}")


@get("/passport/items/{item_id:int}/remove", opt=permission(PERMISSION), include_in_schema=False)
async def confirm_remove_item(request: Request, item_id: FromPath[int]) -> Response:
    """Removing asks first: this page is the question, its button the answer."""
    category, entry = await _own(request, item_id)
    context = {
        "what": item_title(category, entry),
        "category_label": _(BY_CODE[category].label),
        "action": f"/passport/items/{entry.id}/remove",
        "errors": {},
    }
    return page(request, "passport/remove.html", context)


@post("/passport/items/{item_id:int}/remove", opt=permission(PERMISSION), include_in_schema=False)
async def remove_item(request: Request, item_id: FromPath[int]) -> Response:
    category, entry = await _own(request, item_id)
    data = await form_data(request)
    outcome = await run(request, "passport.remove_item", {"item_id": entry.id}, data)
    if not outcome.applied:
        context = {
            "what": item_title(category, entry),
            "category_label": _(BY_CODE[category].label),
            "action": f"/passport/items/{entry.id}/remove",
            "errors": messages(outcome),
        }
        return page(request, "passport/remove.html", context, status_code=422)
    flash(request, _(REMOVED, category=_(BY_CODE[category].label)), "success")
    return redirect(request, f"/passport#{category}")


handlers: list = [new_item, add_item, edit_item, change_item, confirm_remove_item, remove_item]
