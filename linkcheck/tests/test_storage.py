"""Archived copies go through Django's storage API: the file system by default, an S3-compatible bucket when
MEDIA_S3_BUCKET is set (django-storages). No network here: the bucket's client is built, never called."""

import runpy

from django.conf import settings as django_settings
from django.core.files.storage import storages

SETTINGS_FILE = django_settings.BASE_DIR / "factcheck" / "settings.py"


def load(monkeypatch, **env):
    for name in ("MEDIA_S3_BUCKET", "MEDIA_S3_ENDPOINT_URL", "MEDIA_S3_REGION", "MEDIA_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_copies_are_files_by_default(monkeypatch):
    assert load(monkeypatch)["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_makes_copies_private_s3_objects(monkeypatch, settings):
    loaded = load(monkeypatch, MEDIA_S3_BUCKET="factcheck-archive", MEDIA_S3_ENDPOINT_URL="http://minio.internal:9000",
                  MEDIA_S3_REGION="eu-west-1")
    default = loaded["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": default}
    storages._storages.pop("default", None)  # the handler caches backends by alias
    try:
        storage = storages["default"]
        assert type(storage).__name__ == "S3Storage"
        assert (storage.bucket_name, storage.endpoint_url, storage.region_name) == (
            "factcheck-archive", "http://minio.internal:9000", "eu-west-1")
        assert storage.default_acl == "private" and storage.querystring_auth and not storage.file_overwrite
    finally:
        storages._storages.pop("default", None)
