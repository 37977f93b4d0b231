"""A headless Chromium shared by the browser tests of this folder."""

from __future__ import annotations

import pytest

from browser import launch


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        running = launch(playwright)
        yield running
        running.close()
