"""First run: `make run` prints the real address; with DEBUG on (the demo) a 404 is the
project's own page, not Django's English technical page with the URL list."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import ClusterFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def test_demo_login_prints_the_address_it_is_given(capsys):
    call_command("demo_login", password="a-demo-password", base_url="http://0.0.0.0:8123/")
    out = capsys.readouterr().out
    assert "http://0.0.0.0:8123/admin/" in out
    assert "8000" not in out


def test_make_run_passes_host_and_port_to_demo_login():
    makefile = Path(settings.BASE_DIR) / "Makefile"
    make = shutil.which("make")
    assert make, "make is part of the two-command contract"
    dry_run = subprocess.run(  # noqa: S603 - fixed arguments
        [make, "-n", "-f", str(makefile), "demo", "HOST=0.0.0.0", "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [line] = [line for line in dry_run.splitlines() if "demo_login" in line]
    assert "http://0.0.0.0:8123/" in line


@pytest.fixture
def district_staff_client(client):
    user = UserFactory(username="dong-anh-demo", districts=[district("017")])
    user.is_superuser = False
    user.save()
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="District staff"))
    client.force_login(user)
    return client


@override_settings(DEBUG=True)
def test_another_districts_record_is_the_project_404_page_with_debug_on(district_staff_client):
    other = ClusterFactory(code="CCN-XA-CAU", district=district("281"))
    url = reverse("admin:clusters_industrialcluster_change", args=[other.pk])
    response = district_staff_client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Using the URLconf" not in html and "technical_404" not in html
    assert "CCN-XA-CAU" not in html


@override_settings(DEBUG=True)
def test_an_unknown_address_is_the_project_404_page_with_debug_on(district_staff_client):
    response = district_staff_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html and "Using the URLconf" not in html
    # Addresses without their slash are still redirected.
    assert district_staff_client.get("/admin").status_code == 301
    # Under /api/ it stays JSON.
    assert district_staff_client.get("/api/v1/nothing-here/").json()["detail"]
