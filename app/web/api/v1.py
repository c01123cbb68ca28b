"""The API for organisations' own systems: `/api/v1/...`, JSON, read-only.

Every request carries an API key (`Authorization: Bearer <key>` or
`X-API-Key: <key>`); the guard finds it, refuses a missing, unknown or
revoked key with 401 (JSON and WWW-Authenticate), counts the request against
the key's rate limit and hands the key's caller to the route. No session and
no CSRF cookie: the API is excluded from both (app/web/app.py, csrf.py).
Workers' data is read through the passport's one read path, so each read is
checked against consent at that moment and access-logged with the key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import MediaType, Request, Response, get
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, Parameter

from app.domain import api
from app.domain.core.ids import MAX_ID, is_number
from app.i18n import _
from app.web.api import schemas
from app.web.api.shape import summary, worker_of
from app.web.core.context import client_address
from app.web.core.guards import PUBLIC

CALLER = "werkpas.api_caller"
REALM = 'Bearer realm="werkpas-api"'
SECURITY_SCHEMES = ("bearer", "apiKey")


class ApiProblem(HTTPException):
    """A refusal of the API, answered as schemas.ApiError."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code


def _message(status: int) -> str:
    return {
        400: _("The request could not be read. Check the parameters."),
        401: _("A valid API key is needed: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."),
        404: _("There is no such worker, or the worker shares nothing with your organisation."),
        405: _("This method is not possible here."),
        429: _("Too many requests with this key. Wait a moment and try again."),
    }.get(status, _("The request could not be handled."))


def api_error_handler(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ApiProblem):
        status, code, message = exc.status_code, exc.code, exc.detail
    elif isinstance(exc, HTTPException) and exc.status_code < 500:
        status = exc.status_code
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(status, "refused")
        message = _message(status)
        if status == 400 and exc.detail and getattr(exc, "extra", None):
            message = f"{message} ({_('invalid parameter')}: {_names(exc.extra)})"
    else:
        import structlog

        structlog.get_logger("werkpas.errors").exception("unhandled", path=request.url.path, error=type(exc).__name__)
        status, code, message = 500, "error", _("An unexpected error occurred. It has been logged.")
    headers = dict(getattr(exc, "headers", None) or {})
    headers["cache-control"] = "no-store"
    return Response(
        schemas.ApiError(status=status, code=code, message=message),
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def _names(extra: Any) -> str:
    """The names of the parameters Litestar refused (never their values)."""
    names = [str(item.get("key", "")) for item in extra if isinstance(item, dict)] if isinstance(extra, list) else []
    return ", ".join(name for name in names if name.isidentifier()) or "?"


def _key_of(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization")
    if header is not None:
        scheme, _sep, value = header.strip().partition(" ")
        return value.strip() if scheme.lower() == "bearer" else ""
    return connection.headers.get("x-api-key")


async def require_key(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    found = await api.authenticate(_key_of(connection))
    if isinstance(found, api.Refusal):
        if found.reason != "missing":
            attempt = await api.claim_bad_key(client_address(connection))  # type: ignore[arg-type]
            if attempt.refused:
                raise ApiProblem(429, "rate_limited", _message(429), {"retry-after": str(attempt.wait)})
        message = _("This API key was revoked.") if found.reason == "revoked" else _message(401)
        code = {"missing": "key_missing", "invalid": "key_invalid", "revoked": "key_revoked"}[found.reason]
        raise ApiProblem(401, code, message, {"www-authenticate": REALM})
    attempt = await api.claim_for_key(found.id)
    if attempt.refused:
        raise ApiProblem(429, "rate_limited", _message(429), {"retry-after": str(attempt.wait)})
    connection.scope[CALLER] = found  # type: ignore[literal-required]


def _caller(request: Request) -> api.Caller:
    return request.scope[CALLER]  # type: ignore[literal-required]


def _after(raw: str) -> int:
    """A cursor: the digits the API handed out (a larger one is past the end)."""
    if raw == "":
        return 0
    if not is_number(raw) or len(raw) > 10:
        raise ApiProblem(400, "cursor_invalid", _("This cursor is not one the API gave out."))
    return min(int(raw), MAX_ID)


def _since(request: Request, raw: str) -> datetime | None:
    """An ISO 8601 moment (a number is no moment, though msgspec would read
    one as Unix seconds); without an offset, UTC. Absent: no filter."""
    if "updated_since" not in request.query_params:
        return None
    try:
        if not raw.isascii() or "T" not in raw.upper():
            raise ValueError(raw)
        value = datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiProblem(
            400, "updated_since_invalid", _("Give the moment as an ISO 8601 date and time, like 2026-12-01T08:00:00Z.")
        ) from None


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=schemas.ApiError, description=description)


ERRORS = {
    400: _error("The parameters could not be read"),
    401: _error("No API key, or an unknown or revoked one"),
    429: _error("Too many requests with this key (see Retry-After)"),
}
COMMON: dict[str, Any] = {
    "opt": {**PUBLIC, "api": True},
    "guards": [require_key],
    "exception_handlers": {HTTPException: api_error_handler, Exception: api_error_handler},
    "include_in_schema": True,
    "tags": ["API v1"],
    "security": [{name: []} for name in SECURITY_SCHEMES],
    "cache_control": CacheControlHeader(no_store=True),
}
Limit = Annotated[
    int,
    Parameter(ge=1, le=api.MAX_LIMIT, description=f"Rows per page (at most {api.MAX_LIMIT})."),
]
After = Annotated[
    str,
    Parameter(
        pattern=r"^[0-9]{0,10}$",
        description="The cursor of the previous page (`next` or `cursor`); none for the first page.",
    ),
]


@get(
    "/api/v1/workers",
    summary="The workers who share something with your organisation",
    description=(
        "Workers with at least one consent in force to the key's organisation, by id, with the names of "
        "the categories they share. Every row is read and access-logged as a read by this API key."
    ),
    responses=ERRORS,
    **COMMON,
)
async def list_workers(
    request: Request,
    updated_since: Annotated[
        str,
        Parameter(
            description=(
                "Only workers whose passport changed at or after this moment: an ISO 8601 date and time, "
                "such as 2026-12-01T08:00:00Z (without an offset: UTC)."
            ),
            max_length=64,
            schema_extra={"format": "date-time"},
        ),
    ] = "",
    after: After = "",
    limit: Limit = api.DEFAULT_LIMIT,
) -> schemas.ApiWorkerList:
    page = await api.workers(_caller(request), _since(request, updated_since), _after(after), limit)
    return schemas.ApiWorkerList(
        data=[summary(row) for row in page.rows], next=str(page.next) if page.next is not None else None
    )


@get(
    "/api/v1/workers/{worker_id:int}",
    summary="What one worker shares with your organisation",
    description=(
        "Only the categories the worker consented to share with the key's organisation right now, each as "
        "its own object; a category without consent is absent. Access-logged as a read by this API key."
    ),
    responses={**ERRORS, 404: _error("No such worker, or the worker shares nothing with your organisation")},
    **COMMON,
)
async def show_worker(request: Request, worker_id: FromPath[int]) -> schemas.ApiWorker:
    if not 0 < worker_id <= MAX_ID:
        raise ApiProblem(404, "not_found", _message(404))
    shared = await api.worker(_caller(request), worker_id)
    if shared is None:
        raise ApiProblem(404, "not_found", _message(404))
    return worker_of(shared)


@get(
    "/api/v1/consent-events",
    summary="Consent given, changed, withdrawn or expired",
    description=(
        "The consent receipts of the key's organisation, oldest first: grants, changes, withdrawals and "
        "expiries. Keep the `cursor` and ask again with `after=<cursor>`; after a withdrawal or an expiry, "
        "delete your copy of the categories that stopped."
    ),
    responses=ERRORS,
    **COMMON,
)
async def consent_events(
    request: Request, after: After = "", limit: Limit = api.DEFAULT_LIMIT
) -> schemas.ApiConsentEventList:
    page = await api.consent_events(_caller(request), _after(after), limit)
    return schemas.ApiConsentEventList(
        data=[
            schemas.ApiConsentEvent(
                receipt=event.receipt,
                worker_id=event.worker_id,
                action=event.action,  # type: ignore[arg-type]
                categories=event.categories,  # type: ignore[arg-type]
                purpose=event.purpose,
                at=event.at,
                expires_at=event.expires_at,
            )
            for event in page.events
        ],
        cursor=str(page.cursor),
        has_more=page.has_more,
    )


handlers = [list_workers, show_worker, consent_events]
