import os
import shutil

import pytest
from litestar.stores.file import FileStore


@pytest.fixture(autouse=True)
def empty_outbox(settings):
    """Mails are .eml files in the session's data dir: start each test
    with an empty outbox."""
    shutil.rmtree(settings.mail_dir, ignore_errors=True)


@pytest.fixture(autouse=True)
async def empty_login_limits(app):
    """Rate-limit counters live in the data dir for the whole session; every
    accounts test starts without earlier failures."""
    store = app.stores.get("limits")
    if not isinstance(store, FileStore) or os.path.isdir(str(store.path)):
        await store.delete_all()
    yield
