"""Settings for the test suite: the environment's database, fast hashing, no HTTPS redirects."""

import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# A cache per test process, emptied by the tests that count requests (throttles).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-axes refuses `authenticate()` calls without a request, which `Client.login()` makes; the lockout tests
# turn it on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
AXES_VERBOSE = False
# Uploaded originals go to a scratch folder, never into the work tree (tests that check files override it).
MEDIA_ROOT = Path(tempfile.gettempdir()) / "sco-claims-test-media"
# The deterministic stand-in encoder: ordinary tests never load the model (its own test is separate).
SUGGEST_ENCODER = "hashing"
SUGGEST_IN_BACKGROUND = False
