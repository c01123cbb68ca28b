"""Routes of the accounts area: login, logout, passwords, start page."""

from app.web.accounts.home import home
from app.web.accounts.login import login, login_form, logout
from app.web.accounts.passwords import forgot, forgot_form, reset_form, reset_password, set_form, set_password

handlers: list = [login_form, login, logout, forgot_form, forgot, set_form, set_password, reset_form, reset_password, home]
