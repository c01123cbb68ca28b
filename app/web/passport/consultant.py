"""The consultant's view: /consultant/workers (the workers who consented to
the consultant's organisation, searched and filtered) and
/consultant/workers/{id} (one worker's passport as consented, with a form to
ask for more). Everything shown is read through the one read path (logged);
a worker without consent in force to the organisation answers 404, like an
id that does not exist.

The organisation is one the user holds `passport.consult` in (several: a
choice, `?organisation=ID`; the first by name otherwise)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.core.ids import parse_id
from app.domain.core.pagination import page_number
from app.domain.passport import Viewer
from app.domain.passport import consultant as queries
from app.domain.passport.categories import CATEGORIES
from app.domain.passport.consent import PURPOSES
from app.domain.passport.requests import open_request
from app.i18n import _, lazy
from app.web.core.commands import messages, run
from app.web.core.context import flash, signed_in_user
from app.web.core.forms import form_data, path_id, read_fields
from app.web.core.guards import permission
from app.web.core.pages import page, redirect
from app.web.passport.documents import disposition

PERMISSION = queries.PERMISSION
REQUEST_FIELDS = ("categories", "purpose")

# How the detail page names the fields of the field categories (message ids).
FIELD_LABELS = {
    "first_name": lazy("First name"),
    "last_name": lazy("Last name"),
    "birth_date": lazy("Birth date"),
    "national_number": lazy("National number"),
    "email": lazy("E-mail"),
    "mobile": lazy("Mobile number"),
    "street": lazy("Street"),
    "house_number": lazy("House number"),
    "postcode": lazy("Postcode"),
    "town": lazy("Town"),
    "iban": lazy("Bank account (IBAN)"),
    "jobs": lazy("Jobs"),
    "sectors": lazy("Sectors"),
    "regimes": lazy("Working hours"),
    "max_distance_km": lazy("Maximum distance (km)"),
    "own_car": lazy("Own car"),
    "driving_licence": lazy("Driving licence"),
    "bicycle": lazy("Bicycle"),
    "public_transport": lazy("Public transport"),
    "sector_bus": lazy("Sector bus"),
    "days": lazy("Days"),
    "from_date": lazy("Available from"),
    "note": lazy("Note"),
}
YES_NO_FIELDS = ("own_car", "driving_licence", "bicycle", "public_transport", "sector_bus")
DATE_FIELDS = ("birth_date", "from_date")


async def _organisation(request: Request, chosen: str | None) -> tuple[dict, list[dict]]:
    """(the organisation acted for, all the user's organisations); 404 when
    the user works for none or names one that is not theirs."""
    user = signed_in_user(request)
    organisations = await queries.organisations(user.organisations_with(PERMISSION))
    if not organisations:
        raise NotFoundException()
    if chosen is None or chosen == "":
        return organisations[0], organisations
    wanted = parse_id(chosen)
    found = next((org for org in organisations if org["id"] == wanted), None)
    if found is None:
        raise NotFoundException()
    return found, organisations


def _viewer(request: Request, organisation: dict) -> Viewer:
    user = signed_in_user(request)
    return Viewer(
        organisation_id=organisation["id"],
        organisation_name=organisation["name"],
        user_id=user.id,
        name=user.display_name,
        channel="web",
    )


def _labels() -> dict:
    return {
        "categories": {category.code: _(category.label) for category in CATEGORIES},
        "certificates": {code: _(label) for code, label in queries.CERTIFICATE_KINDS.items()},
        "languages": {code: _(label) for code, label in queries.LANGUAGE_CODES.items()},
        "weekdays": {code: _(label) for code, label in queries.WEEKDAYS.items()},
        "mobility": {code: _(label) for code, label in queries.MOBILITY.items()},
        "fields": {name: _(label) for name, label in FIELD_LABELS.items()},
        "purposes": {code: _(label) for code, label in PURPOSES.items()},
    }


@get("/consultant/workers", opt=permission(PERMISSION), include_in_schema=False)
async def list_workers(request: Request) -> Response:
    params = request.query_params
    organisation, organisations = await _organisation(request, params.get("organisation"))
    filters = queries.Filters.parse({key: params.get(key, "") for key in queries.Filters.__dataclass_fields__})
    found = await queries.workers(_viewer(request, organisation), filters, page_number(params.get("page")))
    query = {**filters.query(), "organisation": str(organisation["id"])}
    context = {
        "page": found,
        "filters": filters,
        "query": query,
        "organisation": organisation,
        "organisations": organisations,
        "labels": _labels(),
    }
    return page(request, "passport/consultant/list.html", context, partial="passport/consultant/_results.html")


async def _detail(
    request: Request,
    user_id: int,
    organisation: dict,
    organisations: list[dict],
    values: dict,
    errors: dict,
    status_code: int = 200,
) -> Response:
    shared = await queries.passport_of(_viewer(request, organisation), user_id)
    if shared is None:
        raise NotFoundException()
    labels = _labels()
    asked = await open_request(user_id, organisation["id"])
    context = {
        "shared": shared,
        "worker_name": queries.full_name(shared),
        "worker_id": user_id,
        "organisation": organisation,
        "organisations": organisations,
        "categories": CATEGORIES,
        "labels": labels,
        "open_request": asked,
        "asked_labels": [labels["categories"][code] for code in asked.categories] if asked else [],
        "yes_no_fields": YES_NO_FIELDS,
        "date_fields": DATE_FIELDS,
        "days_of": queries.days_of,
        "values": values,
        "errors": errors,
        "purpose_options": [(code, _(label)) for code, label in PURPOSES.items()],
    }
    return page(request, "passport/consultant/detail.html", context, status_code=status_code)


@get("/consultant/workers/{user_id:int}", opt=permission(PERMISSION), include_in_schema=False)
async def show_worker(request: Request, user_id: FromPath[int]) -> Response:
    organisation, organisations = await _organisation(request, request.query_params.get("organisation"))
    values = {"purpose": "staffing", "categories": []}
    return await _detail(request, path_id(user_id), organisation, organisations, values, {})


@post("/consultant/workers/{user_id:int}/requests", opt=permission(PERMISSION), include_in_schema=False)
async def ask_for_more(request: Request, user_id: FromPath[int]) -> Response:
    worker_id = path_id(user_id)
    data = await form_data(request)
    organisation, organisations = await _organisation(request, data.get("organisation_id", ""))
    categories = (await read_fields(request, "categories"))["categories"][:40]
    payload = {
        "user_id": worker_id,
        "organisation_id": organisation["id"],
        "categories": categories,
        "purpose": data.get("purpose", ""),
    }
    outcome = await run(request, "passport.request_consent", payload, data)
    if not outcome.applied:
        values = {"purpose": data.get("purpose", ""), "categories": categories}
        return await _detail(request, worker_id, organisation, organisations, values, messages(outcome), 422)
    flash(request, _("Your request was sent. The worker decides what to share."), "success")
    return redirect(request, f"/consultant/workers/{worker_id}?organisation={organisation['id']}")


@get(
    "/consultant/workers/{user_id:int}/documents/{document_id:int}",
    opt=permission(PERMISSION),
    include_in_schema=False,
)
async def download_document(request: Request, user_id: FromPath[int], document_id: FromPath[int]) -> Response:
    organisation, _organisations = await _organisation(request, request.query_params.get("organisation"))
    found = await queries.shared_document(_viewer(request, organisation), path_id(user_id), path_id(document_id))
    if found is None:
        raise NotFoundException()
    info, content = found
    return Response(
        content=content,
        media_type=info.media_type,
        headers={
            "Content-Disposition": disposition(info.name, info.media_type),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


handlers: list = [list_workers, show_worker, ask_for_more, download_document]
