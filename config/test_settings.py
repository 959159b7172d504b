"""Settings for the test suite: the same as production but quick and self-contained."""

import os

# The suite runs with DEBUG off, as production does, so it needs its own key.
os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret-" + "x" * 40)

from config.settings import *  # noqa: E402, F403

# The test client speaks plain HTTP; the redirect to HTTPS has its own test.
SECURE_SSL_REDIRECT = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Most tests sign in with force_login or client.login (which passes no request, which axes needs);
# the throttling tests turn axes on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False

# A second alias that mirrors the default database, for the read-replica router's tests
# (tests/production/test_replica.py turns the router on with override_settings).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
