import shutil

import pytest


@pytest.fixture(autouse=True)
def empty_outbox(settings):
    """Mails are .eml files in the session's data dir: start each test
    with an empty outbox. (Rate-limit counters are the rate_limit table,
    which clean_db empties for every test.)"""
    shutil.rmtree(settings.mail_dir, ignore_errors=True)
