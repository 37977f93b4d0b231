"""A headless Chromium shared by the browser tests of this folder."""

from __future__ import annotations

import pytest

from browser import launch


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, launched once per test module.

    Not per session: Playwright's sync API keeps an event loop running while it is
    open, and other modules run their own asyncio loops.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        running = launch(playwright)
        yield running
        running.close()
