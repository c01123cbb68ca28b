"""axe-core on every page the seeded users can reach: no serious or critical
violation, at desktop and phone width."""

from __future__ import annotations

import pytest

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/privacy", "/login", "/password/forgot", "/does-not-exist"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_violations(page, path):
    page.goto(path)
    assert_accessible(page, path)
