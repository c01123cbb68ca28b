"""Names of roles as people read them (message ids, translated on use)."""

from app.i18n import _, lazy

ROLE_LABELS = {
    "platform_admin": lazy("Platform administrator"),
    "org_admin": lazy("Organisation administrator"),
    "consultant": lazy("Consultant"),
    "hr": lazy("HR"),
    "team_lead": lazy("Team lead"),
    "planner": lazy("Planner"),
    "ambassador": lazy("Ambassador"),
    "worker": lazy("Worker"),
}


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role
