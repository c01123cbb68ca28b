"""Every route of the invitations area, collected from its sections."""

from app.web.invitations import single

handlers: list = [*single.handlers]
