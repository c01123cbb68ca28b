"""/home: the start page of a signed-in staff member: what waits for them,
the figures of their roles, their roles and where they can go. Workers
start on their passport."""

from __future__ import annotations

from litestar import Request, Response, get

from app.domain.accounts.home import home_figures
from app.domain.accounts.queries import roles_overview
from app.web.accounts.labels import role_label
from app.web.core.context import signed_in_user
from app.web.core.guards import permission
from app.web.core.navigation import navigation
from app.web.core.pages import page, redirect

# Where each figure of the start page leads (a figure without a page has none).
LINKS = {
    "organisations": "/admin/organisations",
    "failed_jobs": "/admin/jobs?status=failed",
    "open_invitations": "/invitations",
    "expiring_invitations": "/invitations",
    "registered_this_week": "/invitations?status=registered",
    "imports_with_problems": "/invitations/imports",
    "staff_without_role": "/admin/users",
}


@get("/home", opt=permission("account.home"), include_in_schema=False)
async def home(request: Request) -> Response:
    user = signed_in_user(request)
    if user.is_worker_only:
        return redirect(request, "/passport")
    groups = await roles_overview(user.id)
    for group in groups:
        for grant in group["roles"]:
            grant["label"] = role_label(grant["role"])
    links = [item for item in navigation(user, request.url.path) if item["href"] != "/home"]
    context = {
        "groups": groups,
        "links": links,
        "figures": await home_figures(user),
        "figure_links": LINKS,
        "has_passport": user.has_permission("passport.view") and not user.is_platform_admin,
    }
    return page(request, "accounts/home.html", context)
