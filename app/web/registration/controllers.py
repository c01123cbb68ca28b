"""Routes of worker registration (public: the link or code is the secret)
and of the PIN reset code."""

from app.web.registration.badge import handlers as badge_handlers
from app.web.registration.entry import code_form, code_submit, open_link
from app.web.registration.pin import issue, issue_form, reset, reset_form
from app.web.registration.steps import (
    account_form,
    account_submit,
    identity_form,
    identity_submit,
    language_form,
    language_submit,
    privacy_form,
    privacy_submit,
)

handlers: list = [
    open_link,
    code_form,
    code_submit,
    identity_form,
    identity_submit,
    language_form,
    language_submit,
    privacy_form,
    privacy_submit,
    account_form,
    account_submit,
    issue_form,
    issue,
    reset_form,
    reset,
    *badge_handlers,
]
