import pytest

from claims.tests.conftest import *  # noqa: F403 - the personas
from factcheck.tests.webserver import web_server


@pytest.fixture
def server(settings, tmp_path):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASK_RETRY_BASE_SECONDS = 0
    with web_server() as server:
        yield server


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fetched(url, body=b"<html><title>T</title><body><p>Archived words.</p><script>evil()</script></body></html>",
            status=200, content_type="text/html"):
    import hashlib

    from factcheck.fetch import Fetched

    return Fetched(url=url, final_url=url, status=status, headers={"content-type": content_type},
                   content_type=content_type, body=body, elapsed=0.01, sha256=hashlib.sha256(body).hexdigest(),
                   redirects=[])


def make_capture(url, *, evidence=None, health="ok", failures=0, **page):
    """A Link in ``health`` with a captured copy of a made-up page (no network)."""
    from linkcheck.archiving import store_capture
    from linkcheck.models import Capture, Link

    link, _ = Link.objects.update_or_create(url=url, defaults={"health": health, "consecutive_failures": failures,
                                                               "status": 404 if health == "broken" else 200})
    capture = Capture(link=link, evidence=evidence)
    store_capture(capture, fetched(url, **page))
    capture.save()
    return capture
