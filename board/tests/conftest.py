"""The register's personas and settings fixtures (claims/tests/conftest.py), for this app's tests too."""

from claims.tests.conftest import *  # noqa: F403
