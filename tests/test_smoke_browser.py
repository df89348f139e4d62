"""The test harness itself works: a real Chromium reaches the mock portal over HTTP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from automation.mock_portal.server import MockPortal


@pytest.mark.browser
def test_chromium_reaches_the_mock_portal(page: Page, mock_portal: MockPortal) -> None:
    response = page.goto(mock_portal.base_url + "/does-not-exist")
    assert response is not None and response.status == 404
