"""Start page, privacy notice, language switch, security.txt, health check,
static files, and the command catalogue for platform admins."""

from app.web.core.areas import WebArea

AREA = WebArea(
    "system",
    routes=("app.web.system.controllers", "app.web.system.catalogue"),
    public=frozenset(
        {
            ("GET", "/"),
            ("GET", "/privacy"),
            ("POST", "/language"),
            ("GET", "/healthz"),
            ("GET", "/.well-known/security.txt"),
            # Mounted by app.web.app (static_files_router).
            ("GET", "/static/{file_path:path}"),
            ("HEAD", "/static/{file_path:path}"),
        }
    ),
)
