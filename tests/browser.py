"""Headless Chromium for browser tests: Debian's binary, never a downloaded one."""

from __future__ import annotations

import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def launch(playwright):
    """Launch Debian's Chromium with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_until(page, predicate: str, timeout: float = 10.0) -> None:
    """Poll ``predicate`` (page.wait_for_function would need 'unsafe-eval', which the console's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        page.wait_for_timeout(100)


def open_ticket_in_console(page, desk_url: str, email: str, password: str, number: str) -> None:
    """Sign in to the agent console on ``page`` and open ticket ``number``."""
    page.goto(f"{desk_url}/console")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.click("#login-submit")
    page.locator(f'.queue-item[data-number="{number}"]').click()
    page.wait_for_selector(f"#ticket-number:has-text('{number}')")
