"""Piccolo's configuration module (found through PICCOLO_CONF).

The engine comes from DATABASE_URL via app.storage.db; `configure()` replaces
DB whenever the application or a test picks a database.
"""

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["app.storage.piccolo_app"])


def __getattr__(name):
    if name == "DB":
        from app.config import get_settings
        from app.storage.db import configure

        return configure(get_settings())
    raise AttributeError(name)
