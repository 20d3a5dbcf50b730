"""gunicorn.conf.py's worker hook: the garbage collector's thresholds, from the environment.

Run in a subprocess each time, so that this test process keeps its own collector settings."""

import os
import subprocess
import sys

from django.conf import settings

# The configuration read as gunicorn reads it (`gunicorn -c gunicorn.conf.py`), and the hook
# gunicorn then holds called as a worker calls it once the application is loaded.
PROBE = """
import gc, sys
sys.argv = ["gunicorn", "-c", "gunicorn.conf.py"]
from gunicorn.app.wsgiapp import WSGIApplication
hook = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg.post_worker_init
before = gc.get_freeze_count()
hook(None)
print(*gc.get_threshold(), before == 0 and gc.get_freeze_count() > 0)
"""


def probe(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_worker_freezes_what_it_loaded_and_collects_less_often():
    result = probe()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["50000", "10", "10", "True"]


def test_the_thresholds_can_be_set():
    result = probe(GUNICORN_GC_THRESHOLD=" 700,10,10 ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["700", "10", "10", "True"]


def test_a_malformed_threshold_refuses_to_start():
    for value in ("50000", "50000,10", "a,b,c", "0,10,10"):
        result = probe(GUNICORN_GC_THRESHOLD=value)
        assert result.returncode != 0, value
        assert "GUNICORN_GC_THRESHOLD must be three positive whole numbers" in result.stderr
