"""The passport's single-valued forms: identity, contact, address, bank
account, work preferences, mobility and availability. GET shows the current
values (the worker's own national number and IBAN in full, formatted); POST
runs the category's command: 303 back to /passport with a message, or the
form again with inline errors (422) and nothing saved."""

from __future__ import annotations

from litestar import Request, Response, get, post

from app.domain.passport import identifiers, lists
from app.domain.passport.categories import BY_CODE
from app.domain.passport.mine import contents
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, read_fields
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.passport.views import FIELD_LABELS, INTRODUCTIONS, day

PERMISSION = "passport.view"
FORMS = ("identity", "contact", "address", "bank", "preferences", "mobility", "availability")
# Fields with several values (checkboxes), sent as lists.
LISTS = {"preferences": ("sectors", "regimes"), "availability": ("days",)}
SAVED = lazy("Saved: %(category)s.")


def _shown(category: str, name: str, value: str) -> str | list[str]:
    """A stored value as the form shows it."""
    if name == "national_number" and value:
        return identifiers.shown_national_number(value)
    if name == "iban" and value:
        return identifiers.shown_iban(value)
    if name in ("birth_date", "from_date"):
        return day(value)
    if name in LISTS.get(category, ()):
        return lists.split(value)
    return value


def _context(category: str, values: dict, errors: dict[str, str]) -> dict:
    return {
        "category": category,
        "title": _(BY_CODE[category].label),
        "intro": _(INTRODUCTIONS[category]),
        "values": values,
        "errors": errors,
        "labels": {name: _(label) for name, label in FIELD_LABELS[category].items()},
        "sectors": [(code, _(label)) for code, label in lists.SECTORS.items()],
        "regimes": [(code, _(label)) for code, label in lists.REGIMES.items()],
        "days": [(code, _(label)) for code, label in lists.DAYS.items()],
    }


async def _show(request: Request, category: str) -> Response:
    found = await contents(signed_in_user(request).id)
    stored = found.fields.get(category, {})
    values = {
        name: _shown(category, name, stored[name].value if name in stored else "") for name in BY_CODE[category].fields
    }
    return page(request, "passport/form.html", _context(category, values, {}))


async def _save(request: Request, category: str) -> Response:
    data = await form_data(request)
    names = BY_CODE[category].fields
    chosen = await read_fields(request, *LISTS.get(category, ()))
    payload: dict = {name: data.get(name, "") for name in names if name not in chosen}
    payload.update({name: [value[:40] for value in values[:20]] for name, values in chosen.items()})
    if category == "mobility":
        payload = {name: bool(data.get(name)) for name in names}
    outcome = await run(request, f"passport.save_{category}", payload, data)
    if not outcome.applied:
        values = {**data, **chosen}
        if category == "mobility":
            values = {name: "1" if data.get(name) else "" for name in names}
        return page(request, "passport/form.html", _context(category, values, messages(outcome)), status_code=422)
    flash(request, _(SAVED, category=_(BY_CODE[category].label)), "success")
    return redirect(request, "/passport")


def _routes(category: str) -> list:
    async def show(request: Request) -> Response:
        return await _show(request, category)

    async def save(request: Request) -> Response:
        return await _save(request, category)

    show.__name__ = f"show_{category}"
    save.__name__ = f"save_{category}"
    path = f"/passport/{category}"
    return [
        get(path, opt=permission(PERMISSION), include_in_schema=False, name=f"passport-{category}")(show),
        post(path, opt=permission(PERMISSION), include_in_schema=False, name=f"passport-{category}-save")(save),
    ]


handlers: list = [route for category in FORMS for route in _routes(category)]
