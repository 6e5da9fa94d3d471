from claims.tests.conftest import *  # noqa: F403 - the same personas everywhere
