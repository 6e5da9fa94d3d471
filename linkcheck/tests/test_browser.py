"""Link health and archived copies in a real browser (Debian's Chromium): a broken link on the public page,
the archived copy, and the desk's broken-links queue and inbox, at phone and desktop widths, with axe-core's
serious and critical rules. Screenshots go to ``<tempdir>/linkcheck-screens/``."""

import tempfile
from pathlib import Path

import pytest

from claims.tests.factories import published_claim
from claims.tests.test_browser_public import axe_problems
from linkcheck.models import Link
from notifications import notifying
from notifications.models import Kind

from .conftest import make_capture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SCREENS = Path(tempfile.gettempdir()) / "linkcheck-screens"


@pytest.fixture(autouse=True)
def _seeded(roles_and_ratings):
    """A live-server test flushes every table when it ends; seed the roles and ratings again."""


def test_broken_link_archived_copy_and_desk_pages(live_server, browser, editor, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    claim = published_claim(actor=editor, approver=reviewer, evidence=2)
    capture = make_capture("https://evidence.example/0", health="broken", failures=3,
                           body="<h1>Euroclear results</h1><p>Assets stood at €194bn.</p><p>مرحبا</p>".encode())
    Link.objects.create(url="https://evidence.example/1", health="failing", consecutive_failures=1, status=503)
    notifying.notify(recipient=editor, kind=Kind.LINK_BROKEN, key="x", title=f"A link on claim {claim.pk} is broken",
                     body="It failed 3 checks in a row.", url=claim.get_desk_url())
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        pages = {"factcheck": claim.get_absolute_url(), "archived-copy": f"/archive/{capture.pk}/"}
        for name, path in pages.items():
            assert page.goto(live_server.url + path).status == 200
            page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
            problems[f"{name}@{width}"] = axe_problems(page)
        page.goto(live_server.url + claim.get_absolute_url())
        assert page.get_by_text("Link broken").count() == 1
        page.goto(live_server.url + "/desk/")
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="The desk").wait_for()
        for name, path in {"broken-links": "/desk/links/", "inbox": "/desk/inbox/",
                           "desk-claim": claim.get_desk_url()}.items():
            assert page.goto(live_server.url + path).status == 200
            page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
            problems[f"{name}@{width}"] = axe_problems(page)
        context.close()
    assert not {k: v for k, v in problems.items() if v}, problems
