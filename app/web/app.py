"""The Litestar application: plugins, middleware, stores, error pages."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.template.config import TemplateConfig

from app.config import Settings, get_settings
from app.domain.registry import load_handlers
from app.logging import configure_logging
from app.storage import db
from app.templating import make_environment
from app.web import routes
from app.web.body_limit import MAX_BODY, body_limit_middleware, request_size_middleware
from app.web.core.guards import authorize
from app.web.csrf import csrf_protection
from app.web.errors import http_exception_handler, internal_error_handler
from app.web.ids import impossible_ids
from app.web.middleware import identity_middleware, request_log_middleware, security_headers
from app.web.sessions import SESSION_COOKIE, QuietSessionConfig
from app.web.static import static_files_router

STATIC = Path(__file__).resolve().parents[2] / "static"
# How the API (app/web/api, /api/v1) is called: an organisation's key.
API_SECURITY_SCHEMES: dict = {
    "bearer": SecurityScheme(type="http", scheme="bearer", description="Authorization: Bearer <API key>"),
    "apiKey": SecurityScheme(type="apiKey", name="X-API-Key", security_scheme_in="header"),
}


def make_store(settings: Settings, namespace: str) -> Store:
    """Sessions: Redis when configured (several machines), otherwise files in
    the data dir (shared by the processes of one machine). Rate limits have
    their own counters (app/domain/limits.py)."""
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        return RedisStore.with_client(url=settings.redis_url, namespace=f"werkpas:{namespace}")
    return FileStore(path=settings.data_dir / namespace, create_directories=True)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    configure_logging()
    load_handlers()
    db.configure(settings)

    async def on_startup(app: Litestar) -> None:
        db.configure(settings)
        await db.connect()
        if settings.run_jobs_in_server and app.state.get("run_jobs", True):
            from app.domain.jobs.worker import start_background_worker

            app.state.job_worker = start_background_worker()

    async def on_shutdown(app: Litestar) -> None:
        worker = app.state.get("job_worker")
        if worker is not None:
            await worker.stop()
        await db.disconnect()

    session = QuietSessionConfig(
        key=SESSION_COOKIE,
        max_age=12 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        # Litestar's OpenAPI pages need no session; our catalogue does. The
        # API authenticates each request by its key: no session, no cookie.
        exclude=["^/static/", "^/healthz$", r"^/schema(?!/commands\.json$)", "^/api/"],
    )
    return Litestar(
        route_handlers=[*routes.handlers(), static_files_router(STATIC)],
        guards=[authorize],
        # Outermost first. The body limit and the CSRF check come after the
        # user and the language are known (their refusals are translated) and
        # before anything reads the body; the CSRF check replaces Litestar's.
        middleware=[
            request_log_middleware,
            request_size_middleware,
            session.middleware,
            identity_middleware,
            body_limit_middleware,
            csrf_protection(settings.secret_key, settings.secure_cookies),
        ],
        before_send=[security_headers],
        before_request=impossible_ids,
        stores={"sessions": make_store(settings, "sessions")},
        plugins=[HTMXPlugin()],
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(make_environment())),
        exception_handlers={HTTPException: http_exception_handler, Exception: internal_error_handler},
        openapi_config=OpenAPIConfig(
            title="Werkpas",
            version="0.1.0",
            path="/schema",
            components=Components(security_schemes=API_SECURITY_SCHEMES),
        ),
        request_max_body_size=MAX_BODY,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        debug=False,
    )
