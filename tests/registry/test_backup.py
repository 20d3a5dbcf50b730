"""`make backup` / `make restore` round trip: every row of every table comes back, exactly.

The database is filled with factory data (and the history rows those saves write), backed up with
``backup_db`` and restored with ``restore_db`` in a separate process into a database created
EMPTY for the test: a fresh PostgreSQL database (pg_dump / pg_restore) or a new SQLite file.
Every table of the source is then compared with the restored one, row by row.

The data includes published reports (``reports.services.publish``, by department staff: a first
publication and its correction). Their rows guard themselves in the database: CHECK constraints
(the cut-off is the period's, which on SQLite calls Django's ``django_date_extract``), one
current publication per period, and a trigger refusing any UPDATE. The SQLite backup's
``PRAGMA integrity_check`` re-evaluates those CHECK constraints on the copy, so it must have
Django's SQL functions (registry/backup.py); the restored database must still enforce all three.
"""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, connections

from clusters.choices import InspectionResult
from clusters.models import IndustrialCluster, WastewaterInspection
from markets.models import Market, MarketProject
from registry.backup import BackupError, backup
from registry.models import Target
from registry.tokens import ApiToken
from reports.models import PublishedReport
from reports.services import publish
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    TargetFactory,
    UserFactory,
    district,
)

pytestmark = pytest.mark.django_db(transaction=True)


def fill_registry():
    """Records of every kind, including updates and a deletion so history has all three types,
    and a period published by department staff then corrected (two reports, one superseded)."""
    dong_anh, ung_hoa = district("017"), district("281")
    staff = UserFactory(username="backup-staff", districts=[dong_anh, ung_hoa])
    ApiToken.issue(staff)
    clusters = [
        ClusterFactory(district=dong_anh),
        ClusterFactory(district=ung_hoa, name="Cụm công nghiệp Hòa Xá — “mở rộng”"),
        ClusterFactory(district=ung_hoa, area_ha=Decimal("12.35")),
    ]
    for n, cluster in enumerate(clusters):
        InspectionFactory(cluster=cluster, inspected_on=datetime.date(2022, 3, 1 + n))
    InspectionFactory(
        cluster=clusters[0],
        inspected_on=datetime.date(2023, 5, 2),
        result=InspectionResult.FAILS,
    )
    markets = [MarketFactory(), MarketFactory(district=dong_anh, business_points=420)]
    MarketProjectFactory(market=markets[0])
    MarketProjectFactory(market=markets[1], budget_vnd=Decimal("987654321"))
    TargetFactory(year=2024, percent=Decimal("97.50"), note="Kế hoạch")
    publisher = department_staff()
    publish("year", 2025, publisher)

    clusters[1].name = "Cụm công nghiệp Hòa Xá (đổi tên)"
    clusters[1].save()
    WastewaterInspection.objects.filter(cluster=clusters[2]).delete()
    # A correction: supersedes the first publication, with the renamed cluster in its figures.
    publish("year", 2025, publisher, note="Đính chính: tên cụm công nghiệp Hòa Xá")


def department_staff():
    """Department staff, through the group the migrations give the publish permission."""
    user = UserFactory(username="backup-department")
    user.groups.add(Group.objects.get(name="Department staff"))
    return user


def report_rows(conn) -> list[dict]:
    """The published reports read from ``conn`` by plain SQL, figures decoded."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT id, period, year, cut_off, grouping, published_by_id, supersedes_id, note, "
            "figures FROM reports_publishedreport ORDER BY id"
        )
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["figures"], str):
            row["figures"] = json.loads(row["figures"])
        if isinstance(row["cut_off"], str):
            row["cut_off"] = datetime.date.fromisoformat(row["cut_off"])
    return rows


def assert_reports_guard_themselves(conn, correction_id: int, publisher_id: int):
    """The database behind ``conn`` refuses what a published report may not be or become."""

    def insert(cut_off: datetime.date, supersedes_id, note: str):
        with conn.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reports_publishedreport (period, year, cut_off, grouping, "
                "published_at, published_by_id, supersedes_id, note, figures) "
                "VALUES ('year', 2025, %s, 'commune', %s, %s, %s, %s, '{}')",
                [
                    cut_off,
                    datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
                    publisher_id,
                    supersedes_id,
                    note,
                ],
            )

    # The cut-off check (django_date_extract on SQLite): 31/12 is no cut-off of the year.
    with pytest.raises(IntegrityError, match="report_cut_off_of_period"):
        insert(datetime.date(2025, 12, 31), correction_id, "sai ngày chốt")
    # One first publication per period and year.
    with pytest.raises(IntegrityError, match="report_one_first_publication|UNIQUE"):
        insert(datetime.date(2025, 12, 14), None, "")
    # The trigger: a published report never changes.
    with pytest.raises(DatabaseError, match="never changes"), conn.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_publishedreport SET figures = '{}' WHERE id = %s", [correction_id]
        )


def table_rows(conn) -> dict[str, list[tuple]]:
    rows = {}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def other_database(name: str):
    """A Django connection to another database with the same settings (not registered)."""
    settings_dict = {**connection.settings_dict, "NAME": name}
    return type(connections["default"])(settings_dict, alias="restored")


def database_url(name: str) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def manage(*args, database: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_INSECURE_DEV_KEY": "1",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The name of a database that exists and holds nothing; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_every_row_into_an_empty_database(tmp_path, empty_database):
    fill_registry()
    assert IndustrialCluster.history.filter(history_type="~").exists()
    assert WastewaterInspection.history.filter(history_type="-").exists()
    source = table_rows(connection)

    backup_file = tmp_path / "registry.backup"
    call_command("backup_db", output=str(backup_file), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup_file.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))

    restored = other_database(empty_database)
    try:
        assert table_rows(restored) == {}, "the target database must start empty"
        result = manage("restore_db", str(backup_file), database=empty_database)
        assert result.returncode == 0, result.stderr

        copy = table_rows(restored)
        assert sorted(copy) == sorted(source)
        for table, rows in source.items():
            assert copy[table] == rows, f"table {table} differs after the restore"
        # Not vacuous: the registry's own tables and their history came back with data.
        for model in (IndustrialCluster, WastewaterInspection, Market, MarketProject, Target):
            assert copy[model._meta.db_table], model
            assert copy[model.history.model._meta.db_table], model
        assert len(copy["clusters_industrialcluster"]) == 3

        # The published reports: the same rows, the frozen figures, the correction's link.
        reports = report_rows(connection)
        assert report_rows(restored) == reports
        first, correction = reports
        assert (first["supersedes_id"], correction["supersedes_id"]) == (None, first["id"])
        assert correction["note"] == "Đính chính: tên cụm công nghiệp Hòa Xá"
        assert [r["figures"] for r in reports] == [
            PublishedReport.objects.get(pk=r["id"]).figures for r in reports
        ]
        names = [{row["name"] for row in r["figures"]["clusters"]} for r in reports]
        assert len(names[0]) == len(names[1]) == 3
        assert "Cụm công nghiệp Hòa Xá (đổi tên)" in names[1] - names[0]
        assert copy[PublishedReport.history.model._meta.db_table]
        # ... and the restored database still guards them as the source does.
        assert_reports_guard_themselves(restored, correction["id"], correction["published_by_id"])
        assert report_rows(restored) == reports

        # Sequences came back too: a new row does not collide with a restored id.
        with restored.cursor() as cursor:
            cursor.execute(
                "INSERT INTO registry_target (year, percent, note) VALUES (2099, 50, '')"
            )
    finally:
        restored.close()


def test_the_sqlite_backup_check_reads_the_reports_cut_off_check(tmp_path):
    """The integrity check of a SQLite copy evaluates the report's cut-off CHECK (a Django SQL
    function) on its rows: a row that breaks it, slipped in with CHECKs off, fails the backup
    with the reason, and no file is left."""
    if connection.vendor != "sqlite":
        pytest.skip("PRAGMA integrity_check is SQLite's; pg_restore --list checks a dump")
    publisher = department_staff()
    report = publish("year", 2025, publisher)
    assert backup(tmp_path / "good.sqlite3").is_file()  # a clean report passes the check

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute(
                "INSERT INTO reports_publishedreport (period, year, cut_off, grouping, "
                "published_at, published_by_id, supersedes_id, note, figures) VALUES "
                "('year', 2025, '2025-12-31', 'commune', '2026-01-05 00:00:00', %s, %s, "
                "'hỏng', '{}')",
                [publisher.pk, report.pk],
            )
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    with pytest.raises(BackupError, match="CHECK constraint failed in reports_publishedreport"):
        backup(tmp_path / "bad.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.sqlite3"]


def test_a_sqlite_copy_that_cannot_be_checked_is_a_backup_error(tmp_path, monkeypatch):
    """Without the SQL functions its CHECKs use, the copy cannot be checked: a BackupError
    with the reason (the command prints it), not a traceback, and no file is left."""
    if connection.vendor != "sqlite":
        pytest.skip("PRAGMA integrity_check is SQLite's")
    publish("year", 2025, department_staff())
    monkeypatch.setattr("registry.backup.register_sqlite_functions", lambda target: None)
    with pytest.raises(BackupError, match="could not be checked: unknown function"):
        backup(tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_non_empty_database_and_changes_nothing(tmp_path, empty_database):
    TargetFactory(year=2030, percent=Decimal("99.00"))
    backup_file = tmp_path / "registry.backup"
    call_command("backup_db", output=str(backup_file), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert manage("restore_db", str(backup_file), database=empty_database).returncode == 0

    restored = other_database(empty_database)
    try:
        with restored.cursor() as cursor:
            cursor.execute("UPDATE registry_target SET note = 'changed after restore'")
        before = table_rows(restored)
        result = manage("restore_db", str(backup_file), database=empty_database)
        assert result.returncode != 0
        assert "already holds" in result.stderr and "--replace" in result.stderr
        assert table_rows(restored) == before
    finally:
        restored.close()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_database):
    junk = Path(tmp_path / "notes.txt")
    junk.write_text("not a backup")
    result = manage("restore_db", str(junk), database=empty_database)
    assert result.returncode != 0
    assert "is not a backup made by `make backup`" in result.stderr
