"""Settings for the test suite: the real settings, with a development key and fast hashing."""

import os

os.environ.setdefault("DJANGO_INSECURE_DEV_KEY", "1")

from registry.settings import *  # noqa: E402,F403

# Hashing cost is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
