"""Routes of the accounts area: login, logout, passwords, start page, the
own account (password change, log out everywhere), e-mail confirmation."""

from app.web.accounts import account, email
from app.web.accounts.home import home
from app.web.accounts.login import login, login_form, logout
from app.web.accounts.passwords import forgot, forgot_form, reset_form, reset_password, set_form, set_password

handlers: list = [
    login_form,
    login,
    logout,
    forgot_form,
    forgot,
    set_form,
    set_password,
    reset_form,
    reset_password,
    home,
    *account.handlers,
    *email.handlers,
]
