"""Settings for the test suite: the real settings, with a development key and fast hashing."""

import os

os.environ.setdefault("DJANGO_INSECURE_DEV_KEY", "1")

from registry.settings import *  # noqa: E402,F403

# Hashing cost is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render templates without DEBUG and without `collectstatic`: no manifest to look static
# names up in, so plain storage (production keeps whitenoise's manifest storage).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A random pruning statement would make pinned query counts flaky; its test turns it on.
REGISTRY_THROTTLE_PRUNE_ONE_IN = 0
