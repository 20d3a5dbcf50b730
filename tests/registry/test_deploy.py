"""Production settings, checked the way they are used: subprocesses with a production environment.

- ``check --deploy --fail-level WARNING`` is clean with DJANGO_DEBUG=0 and DJANGO_HTTPS=1;
- without DJANGO_SECRET_KEY and with debug off the settings refuse to start;
- gunicorn (gunicorn.conf.py) with the production settings serves plain HTTP on loopback when
  DJANGO_HTTPS is unset, redirects to HTTPS and sends HSTS / secure cookies when it is set,
  serves the admin's CSS through whitenoise after ``collectstatic``, and answers /healthz 503
  when the database cannot be reached.
"""

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_", "REGISTRY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="registry.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="registry.example.gov.vn,127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_deploy_check_is_clean_over_https(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(tmp_path, DJANGO_HTTPS="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_flags_plain_http(tmp_path):
    """The HTTPS settings are what makes the check clean: without them it warns."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr, warning


def test_serving_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    # gunicorn loads registry/wsgi.py: it must not start with a key anyone could read here.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import registry.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    for command in ("runserver", "runserver 127.0.0.1:0 --noreload"):
        result = manage(*command.split(), env=env)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_commands_run_without_the_key_but_the_deploy_check_flags_it(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    assert manage("check", env=env).returncode == 0
    assert manage("makemigrations", "--check", "--dry-run", env=env).returncode == 0
    deploy = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert deploy.returncode != 0
    assert "security.W009" in deploy.stderr + deploy.stdout


def test_settings_refuse_a_malformed_number(tmp_path):
    env = production_env(tmp_path, DJANGO_HTTPS="1", DJANGO_HSTS_SECONDS="a year")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_HSTS_SECONDS must be an integer" in result.stderr


class Server:
    """gunicorn with gunicorn.conf.py on a free loopback port; stopped by ``stop()``."""

    def __init__(self, env: dict[str, str], log: Path):
        env = {**env, "GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_WORKERS": "1"}
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log.read_text())
            if match and "Booting worker" in self.log.read_text():
                return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError("gunicorn did not start:\n" + self.log.read_text())

    def get(self, path: str, headers: dict[str, str] | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A folder of production settings with collectstatic run once (a few seconds)."""
    tmp_path = tmp_path_factory.mktemp("deploy")
    result = manage("collectstatic", "--noinput", "-v0", env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    return tmp_path


def serve(tmp_path: Path, **extra: str) -> Server:
    return Server(production_env(tmp_path, **extra), tmp_path / f"gunicorn-{len(extra)}.log")


def test_plain_http_on_loopback_without_https(collected):
    server = serve(collected)
    try:
        status, headers, body = server.get("/healthz")
        assert status == 200
        assert body == b'{"status": "ok", "database": "ok"}'

        status, headers, body = server.get("/admin/login/")
        assert status == 200, body[:500]
        assert "Strict-Transport-Security" not in headers
        cookies = headers.get_all("Set-Cookie") or []
        assert cookies and not any("Secure" in cookie for cookie in cookies)

        # The admin's stylesheet, under its hashed name, served by whitenoise with DEBUG off.
        css = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', body)
        assert css, body[:2000]
        status, headers, stylesheet = server.get(css.group(1).decode())
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "immutable" in headers["Cache-Control"]
        assert b"body" in stylesheet
    finally:
        server.stop()
    # Access log lines on stdout: one per request.
    log = server.log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert '"GET /admin/login/ HTTP/1.1" 200' in log


def test_https_redirects_and_sends_hsts_and_secure_cookies(collected):
    server = serve(collected, DJANGO_HTTPS="1")
    try:
        status, headers, _ = server.get("/admin/login/")
        assert status == 301
        assert headers["Location"] == "https://127.0.0.1/admin/login/"

        # Behind the TLS proxy, which says the original request was HTTPS.
        status, headers, _ = server.get("/admin/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        cookies = headers.get_all("Set-Cookie") or []
        assert cookies and all("Secure" in cookie for cookie in cookies)

        # The load balancer's probe over plain HTTP is not redirected.
        status, _, _ = server.get("/healthz")
        assert status == 200
    finally:
        server.stop()


def test_healthz_is_503_when_the_database_cannot_be_reached(collected):
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    server = serve(collected, DATABASE_URL="postgres://registry@127.0.0.1:9/registry")
    try:
        status, headers, body = server.get("/healthz")
        assert status == 503
        assert body == b'{"status": "unavailable", "database": "unreachable"}'
    finally:
        server.stop()
