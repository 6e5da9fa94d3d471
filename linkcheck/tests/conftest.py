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
