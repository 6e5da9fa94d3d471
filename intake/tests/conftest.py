"""Intake's tests use the register's personas (claims/tests/conftest.py) and a fresh matching index each."""

import pytest

from claims.tests.conftest import *  # noqa: F403 - the personas and the shared autouse fixtures
from intake import matching


@pytest.fixture(autouse=True)
def fresh_matching_index(monkeypatch):
    # The index is a per-process cache of the database; tests roll their rows back, so each starts anew.
    monkeypatch.setattr(matching, "index", matching.Index())
