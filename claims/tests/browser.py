"""Real-browser helpers: Playwright driving Debian's Chromium (``playwright install`` cannot download browsers
here). conftest.py makes the ``browser`` and ``people`` fixtures available everywhere; mark browser tests ``slow``.

    from .browser import new_context, screenshot

A missing Chromium fails the tests rather than skipping them, so CI cannot pass without running them.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENS = Path(tempfile.gettempdir()) / "desk-screens"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Not per session: only one sync Playwright can run in a thread at a time,
    so a session-wide one would block any module that starts its own. Playwright's sync API runs an event
    loop in this thread, so Django must be told that calling the ORM from the test body is fine while it does."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def people(roles_and_ratings):
    """The browser tests' personas, who log in to a live server: two editors (Erin, Otto) and a reviewer (Rita).
    Modules of live-server tests also ask for ``roles_and_ratings`` first (``pytest.mark.usefixtures``)."""
    from .factories import EditorFactory, ReviewerFactory

    return {
        "erin": EditorFactory(username="erin", first_name="Erin", last_name="Editor"),
        "otto": EditorFactory(username="otto", first_name="Otto", last_name="Other"),
        "rita": ReviewerFactory(username="rita", first_name="Rita", last_name="Reviewer"),
    }


def new_context(browser, base_url, *, width=WIDTHS[0], height=900):
    """A fresh browser profile (its own cookies, so its own log-in) that resolves paths against ``base_url``."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context


def screenshot(page, name, *, widths=WIDTHS):
    """Save a full-page screenshot of ``page`` at each width to SCREENS/<name>-<width>.png, then restore the
    viewport. Returns the paths."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")
    paths = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": original["height"]})
        path = SCREENS / f"{safe}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths

