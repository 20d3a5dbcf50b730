"""docs/registry_client.py, run as another department would run it (a subprocess, standard
library only) against a live server: the KPI at 14/12/2025 as CSV, then a sync of the
clusters — changes, additions and deletions since the run before."""

import csv
import datetime
import io
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from clusters.models import IndustrialCluster
from tests.factories import ClusterFactory, InspectionFactory, district

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "registry_client.py"


def run(live_server, token, *args, page_size=2):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "REGISTRY_API": f"{live_server.url}/api/v1",
        "REGISTRY_TOKEN": token,
        "REGISTRY_PAGE_SIZE": str(page_size),
    }
    result = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, "-I", str(SCRIPT), *args],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


@pytest.fixture
def token():
    out = StringIO()
    call_command("create_api_account", "so-khac", "--read", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_the_kpi_as_csv(live_server, token, tmp_path):
    cluster = ClusterFactory(
        code="CCN-OK",
        district=district("017"),
        established_on=datetime.date(2015, 1, 1),
        operating_since=datetime.date(2018, 1, 1),
        wwtp_operating_since=datetime.date(2019, 1, 1),
    )
    InspectionFactory(cluster=cluster, inspected_on=datetime.date(2025, 6, 1), result="meets")
    out = tmp_path / "kpi.csv"
    run(live_server, token, "kpi", "14/12/2025", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # 14/12/2025 is after the reform: a total row and one row a commune.
    assert len(rows) == 127
    assert rows[0]["as_of"] == "2025-12-14" and rows[0]["unit"] == ""
    assert (rows[0]["operating"], rows[0]["compliant"]) == ("1", "1")
    assert next(r for r in rows if r["unit"] == cluster.commune.code)["share_percent"] == "100.00"


def test_sync_clusters_with_changes_and_deletions(live_server, token, tmp_path):
    codes = ["CCN-A", "CCN-B", "CCN-C", "CCN-D", "CCN-E"]
    for code in codes:
        ClusterFactory(code=code, district=district("017"))
    # Three at one moment: a full page (page_size 2) that shares one updated_at.
    moment = datetime.datetime(2025, 12, 1, 1, 0, tzinfo=datetime.UTC)
    IndustrialCluster.objects.filter(code__in=codes[:3]).update(updated_at=moment)
    copy = tmp_path / "clusters.json"

    run(live_server, token, "sync", str(copy))
    first = json.loads(copy.read_text(encoding="utf-8"))
    assert sorted(first["clusters"]) == codes
    assert first["since"]

    changed = IndustrialCluster.objects.get(code="CCN-B")
    changed.name = "Cụm công nghiệp đổi tên"
    changed.save()
    IndustrialCluster.objects.get(code="CCN-C").delete()
    ClusterFactory(code="CCN-F", district=district("017"))

    summary = run(live_server, token, "sync", str(copy))
    second = json.loads(copy.read_text(encoding="utf-8"))
    assert sorted(second["clusters"]) == ["CCN-A", "CCN-B", "CCN-D", "CCN-E", "CCN-F"]
    assert second["clusters"]["CCN-B"]["name"] == "Cụm công nghiệp đổi tên"
    assert second["last_run"]["deleted"] == 1
    assert "1 deleted" in summary
    # Nothing new: a third run changes nothing.
    run(live_server, token, "sync", str(copy))
    third = json.loads(copy.read_text(encoding="utf-8"))
    assert third["clusters"] == second["clusters"]
    assert third["last_run"]["deleted"] == 0
