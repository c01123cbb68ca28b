"""The Jinja environment: autoescaping, gettext bound to the request's
language, and formatting helpers in the user's locale.

Neutral ground between the layers: app.web renders pages with
`make_environment()`, the domain renders mail with `mail_environment()`
(the domain never imports app.web)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app import i18n

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.translations(i18n.current_language()).gettext(message),
        ngettext=lambda s, p, n: i18n.translations(i18n.current_language()).ngettext(s, p, n),
        newstyle=True,
    )
    env.globals.update(
        format_datetime=i18n.format_datetime,
        format_date=i18n.format_date,
        format_number=i18n.format_number,
    )
    return env


_mail_env: Environment | None = None


def mail_environment() -> Environment:
    """Mail templates: .txt without autoescaping, .html with it."""
    global _mail_env
    if _mail_env is None:
        env = make_environment()
        env.autoescape = select_autoescape(["html"], default_for_string=False, default=False)
        _mail_env = env
    return _mail_env
