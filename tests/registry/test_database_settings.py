"""The PostgreSQL connection's settings (registry/settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_queries_are_not_jit_compiled():
    """PostgreSQL's JIT compiled the overdue lists (their estimated cost passes
    jit_above_cost) and spent 29 ms of a 37 ms query doing it: the registry turns it off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(("value", "options"), [(None, "-c jit=off"), ("1", None)])
def test_jit_is_off_unless_asked_for(value, options):
    env = {**os.environ, "DATABASE_URL": "postgres://registry@db.invalid:5432/registry"}
    env.pop("DJANGO_DB_JIT", None)
    if value is not None:
        env["DJANGO_DB_JIT"] = value
    code = (
        "from registry import settings; "
        "print(settings.DATABASES['default']['OPTIONS'].get('options'))"
    )
    out = subprocess.run(  # noqa: S603 (the test's own interpreter and code)
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(options)
