"""factcheck/settings.py, run afresh with a given environment: a bad value stops start-up with
ImproperlyConfigured naming the variable, and good values give the configuration DESIGN.md describes."""

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = django_settings.BASE_DIR / "factcheck" / "settings.py"
VARIABLES = ["DATABASE_URL", "DATABASE_POOL", "DATABASE_POOL_SIZE", "DATABASE_POOL_TIMEOUT", "SECRET_KEY", "DEBUG",
             "ALLOWED_HOSTS", "SITE_URL", "ORGANIZATION_NAME", "REQUIRED_APPROVALS", "REDIS_URL",
             "TRUSTED_PROXY_COUNT", "CACHE_DIR", "MAX_EVIDENCE_PER_CLAIM", "LOGIN_FAILURES_PER_ADDRESS"]


@pytest.fixture
def load(monkeypatch):
    """Run settings.py with only the given variables set (SECRET_KEY defaults to a value), return its globals."""

    def load(**env):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        env.setdefault("SECRET_KEY", "test-secret")
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


@pytest.mark.parametrize("variable, value", [
    ("REQUIRED_APPROVALS", "two"),
    ("REQUIRED_APPROVALS", "0"),
    ("REQUIRED_APPROVALS", "-1"),
    ("REQUIRED_APPROVALS", "1.5"),
    ("DATABASE_URL", "not-a-url"),
    ("DATABASE_URL", "mysql://user@db.example/factcheck"),
    ("DATABASE_URL", "postgres://"),
    ("DATABASE_URL", "postgres://user@db.example:port/factcheck"),
    ("DATABASE_POOL_SIZE", "many"),
    ("DATABASE_POOL_TIMEOUT", "0"),
    ("DEBUG", "maybe"),
    ("SITE_URL", "ftp://x"),
    ("SITE_URL", "example.org"),
    ("SITE_URL", ""),
    ("REDIS_URL", "http://x"),
])
def test_a_bad_value_names_its_variable(load, variable, value):
    env = {variable: value}
    if variable.startswith("DATABASE_POOL_"):
        env["DATABASE_URL"] = "postgres://user@db.example:5432/factcheck"
    with pytest.raises(ImproperlyConfigured) as info:
        load(**env)
    assert variable in str(info.value)


@pytest.mark.parametrize("secret_key", [None, ""])
def test_secret_key_is_required_when_debug_is_off(load, secret_key):
    with pytest.raises(ImproperlyConfigured) as info:
        load(SECRET_KEY=secret_key)
    assert "SECRET_KEY" in str(info.value)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load(SECRET_KEY=secret_key, DEBUG="false")


def test_secret_key_may_be_omitted_with_debug_on(load):
    config = load(SECRET_KEY=None, DEBUG="true")
    assert config["DEBUG"] is True
    assert config["SECRET_KEY"]


def test_a_postgres_url_gives_psycopg_with_the_connection_pool(load):
    config = load(DATABASE_URL="postgres://news:s3cret@db.example:5433/factcheck")
    database = config["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("factcheck", "news", "s3cret")
    assert (database["HOST"], database["PORT"]) == ("db.example", 5433)
    assert database["OPTIONS"]["pool"]["max_size"] == 10
    # Django refuses persistent connections together with its pool.
    assert database["CONN_MAX_AGE"] == 0


def test_the_pool_size_and_switch(load):
    url = "postgresql://db.example/factcheck"
    assert load(DATABASE_URL=url, DATABASE_POOL_SIZE="3")["DATABASES"]["default"]["OPTIONS"]["pool"]["max_size"] == 3
    assert "pool" not in load(DATABASE_URL=url, DATABASE_POOL="off")["DATABASES"]["default"]["OPTIONS"]
    assert load(DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]["pool"]["timeout"] == 1
    assert load(DATABASE_URL=url, DATABASE_POOL_TIMEOUT="9")["DATABASES"]["default"]["OPTIONS"]["pool"]["timeout"] == 9


def test_without_database_url_sqlite_runs_in_wal_mode_with_immediate_transactions(load):
    database = load()["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_defaults(load):
    config = load()
    assert config["DEBUG"] is False
    assert config["REQUIRED_APPROVALS"] == 1
    assert config["SITE_URL"] == "http://127.0.0.1:8000"
    assert config["ALLOWED_HOSTS"] == []
    assert config["CACHES"]["default"]["BACKEND"].endswith("FileBasedCache")


def test_good_values_are_read(load):
    config = load(REQUIRED_APPROVALS="2", DEBUG="yes", SITE_URL="https://factcheck.example/",
                  ALLOWED_HOSTS="factcheck.example, www.factcheck.example", REDIS_URL="redis://cache:6379/0")
    assert config["REQUIRED_APPROVALS"] == 2
    assert config["DEBUG"] is True
    assert config["SITE_URL"] == "https://factcheck.example"
    assert config["ALLOWED_HOSTS"] == ["factcheck.example", "www.factcheck.example"]
    assert config["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/0"


def test_start_up_stops_on_a_bad_value(tmp_path):
    # The real thing: manage.py refuses to start, and says which variable is wrong.
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(SECRET_KEY="x", REQUIRED_APPROVALS="two", DJANGO_SETTINGS_MODULE="factcheck.settings")
    result = subprocess.run(
        [sys.executable, str(django_settings.BASE_DIR / "manage.py"), "check"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REQUIRED_APPROVALS" in result.stderr


def test_the_client_address_and_cache_folder_settings(load, tmp_path):
    assert load()["TRUSTED_PROXY_COUNT"] == 0
    assert load(TRUSTED_PROXY_COUNT="2")["TRUSTED_PROXY_COUNT"] == 2
    assert load(TRUSTED_PROXY_COUNT="2")["REST_FRAMEWORK"]["NUM_PROXIES"] == 2
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        load(TRUSTED_PROXY_COUNT="-1")
    assert load(CACHE_DIR=str(tmp_path))["CACHES"]["default"]["LOCATION"] == str(tmp_path)
    # One folder per checkout and database: two apps on one machine never share pages.
    assert load()["CACHE_DIR"] != load(DATABASE_URL="postgresql://db.example/other")["CACHE_DIR"]
