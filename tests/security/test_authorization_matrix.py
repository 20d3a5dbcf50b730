"""The authorization matrix: every role × every API endpoint and admin page × own/other district.

Roles (README: admin and API): anonymous; an API token whose account has no permission;
another department's read-only account (every district, view permissions only); district staff
of A (Đông Anh, 017); district staff of B (Ứng Hòa, 281); commune staff of A's commune (Xã Đông
Anh, 00454: every record of A lies in it, B's in Xã Ứng Hòa, 10402); department staff; a
superuser.

Every record of district A carries the marker ``ZONEA`` (code, name or reference) and every
record of B ``ZONEB``. For each role one test walks the whole matrix, compares each cell's
status with the expected one, and checks that no response shows a marker the role may not see;
the failures are reported as one table.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from markets.models import Market
from registry.models import AdministrativeUnit, ThrottleWindow, UnitAssignment
from registry.tokens import ApiToken
from reports.models import PublishedReport
from reports.services import publish
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    ScheduleExtensionFactory,
    UserFactory,
    district,
)

ROLES = [
    "anonymous",
    "token_without_permissions",
    "other_department_read_only",
    "district_staff_a",
    "district_staff_b",
    "commune_staff_a",
    "department_staff",
    "superuser",
]
DISTRICT_CODE = {"A": "017", "B": "281"}
COMMUNE_CODE = {"A": "00454", "B": "10402"}
OK = {"list": 200, "retrieve": 200, "create": 201, "patch": 200, "delete": 204}
SEES_ALL = {"other_department_read_only", "department_staff", "superuser"}
READ_ONLY_VIEW_PERMS = [
    "registry.access_all_districts",
    "registry.view_district",
    "clusters.view_industrialcluster",
    "clusters.view_wastewaterinspection",
    "clusters.view_scheduleextension",
    "markets.view_market",
    "markets.view_marketproject",
]


def home_of(role: str) -> str | None:
    return {"district_staff_a": "A", "district_staff_b": "B", "commune_staff_a": "A"}.get(role)


def visible_markers(role: str) -> set[str]:
    if role in SEES_ALL:
        return {"ZONEA", "ZONEB"}
    home = home_of(role)
    return {f"ZONE{home}"} if home else set()


# -- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    records: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.records[key]


def build_world() -> World:
    world = World()
    for x in "AB":
        d = district(DISTRICT_CODE[x])
        c = AdministrativeUnit.objects.get(code=COMMUNE_CODE[x])
        cluster = ClusterFactory(code=f"CCN-ZONE{x}", name=f"Cụm ZONE{x}", district=d, commune=c)
        world.records["cluster", x] = cluster
        world.records["cluster-del", x] = ClusterFactory(
            code=f"CCN-ZONE{x}-DEL", name=f"Cụm ZONE{x} bỏ", district=d, commune=c
        )
        world.records["inspection", x] = InspectionFactory(
            cluster=cluster, reference=f"REF-ZONE{x}", inspected_on=datetime.date(2022, 5, 1)
        )
        world.records["inspection-del", x] = InspectionFactory(
            cluster=cluster, reference=f"REF-ZONE{x}-DEL", inspected_on=datetime.date(2020, 5, 1)
        )
        world.records["extension", x] = ScheduleExtensionFactory(
            cluster=cluster, decision_no=f"QD-ZONE{x}", decided_on=datetime.date(2022, 5, 1)
        )
        world.records["extension-del", x] = ScheduleExtensionFactory(
            cluster=cluster, decision_no=f"QD-ZONE{x}-DEL", decided_on=datetime.date(2023, 5, 1)
        )
        market = MarketFactory(code=f"CHO-ZONE{x}", name=f"Chợ ZONE{x}", district=d, commune=c)
        world.records["market", x] = market
        world.records["market-del", x] = MarketFactory(
            code=f"CHO-ZONE{x}-DEL", name=f"Chợ ZONE{x} bỏ", district=d, commune=c
        )
        world.records["marketproject", x] = MarketProjectFactory(
            market=market, budget_vnd=Decimal("1000000")
        )
    return world


def make_account(role: str):
    if role == "anonymous":
        return None
    if role == "token_without_permissions":
        return UserFactory(username="api-robot", is_staff=False)
    if role == "superuser":
        return UserFactory(username="root", is_superuser=True)
    if role == "department_staff":
        user = UserFactory(username="department")
        user.groups.add(Group.objects.get(name="Department staff"))
        return user
    if role == "other_department_read_only":
        user = UserFactory(username="tnmt-reader")
        for perm in READ_ONLY_VIEW_PERMS:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return user
    home = home_of(role)
    if role == "commune_staff_a":
        user = UserFactory(username="commune-staff-a")
        UnitAssignment.objects.create(
            user=user, unit=AdministrativeUnit.objects.get(code=COMMUNE_CODE[home])
        )
        user.groups.add(Group.objects.get(name="District staff"))
        return user
    user = UserFactory(username=f"staff-{home.lower()}", districts=[district(DISTRICT_CODE[home])])
    user.groups.add(Group.objects.get(name="District staff"))
    return user


# -- the matrix --------------------------------------------------------------------------------


class Matrix:
    def __init__(self, role: str):
        self.role = role
        self.failures: list[str] = []
        self.cells = 0

    def check(self, surface, cell, response, expected: set[int], extra_ok: bool = True, sent=()):
        """``sent``: values the request itself carried (an answer may echo them back, as
        "there is no record with the code …" does; that shows nothing of another's data)."""
        self.cells += 1
        body = response.content.decode("utf-8", "replace") if not response.streaming else ""
        for value in sent:
            body = body.replace(str(value), "")
        status = response.status_code
        if status not in expected:
            self.failures.append(
                f"{surface:5} {cell:40} got {status}, expected {sorted(expected)}: {body[:120]!r}"
            )
        if not extra_ok:
            self.failures.append(f"{surface:5} {cell:40} the refused write changed data")
        for marker in {"ZONEA", "ZONEB"} - visible_markers(self.role):
            if marker in body:
                self.failures.append(f"{surface:5} {cell:40} shows {marker}, another's data")
        if status == 302 and self.role in ("anonymous", "token_without_permissions"):
            assert response["Location"].startswith("/admin/login/"), response["Location"]

    def report(self):
        assert not self.failures, (
            f"{self.role}: {len(self.failures)} of {self.cells} cells wrong\n"
            + "\n".join(self.failures)
        )


def api_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, key = ApiToken.issue(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def api_expected(role: str, op: str, x: str | None) -> set[int]:
    if role == "anonymous":
        return {401}
    if role == "token_without_permissions":
        return {403}
    if role in ("department_staff", "superuser"):
        return {OK[op]}
    if role == "other_department_read_only":
        return {OK[op]} if op in ("list", "retrieve") else {403}
    if x is None or x == home_of(role):
        return {OK[op]}
    return {"retrieve": {404}, "create": {400, 403}, "patch": {404}, "delete": {404}}[op]


@dataclass
class Resource:
    name: str
    url: str
    key: str  # the lookup in the detail URL
    model: type
    create_key: str  # the field that identifies a created record
    patch: dict

    def detail(self, obj) -> str:
        return f"{self.url}{getattr(obj, self.key)}/"


RESOURCES = [
    Resource(
        "cluster", "/api/v1/clusters/", "code", IndustrialCluster, "code", {"name": "Cụm đổi"}
    ),
    Resource(
        "inspection",
        "/api/v1/inspections/",
        "pk",
        WastewaterInspection,
        "reference",
        {"note": "đã xem"},
    ),
    Resource(
        "extension",
        "/api/v1/schedule-extensions/",
        "pk",
        ScheduleExtension,
        "decision_no",
        {"note": "đã xem"},
    ),
    Resource("market", "/api/v1/markets/", "code", Market, "code", {"name": "Chợ đổi"}),
]


def create_payload(resource: str, x: str, world: World) -> dict:
    code = DISTRICT_CODE[x]
    if resource == "cluster":
        return {
            "code": f"CCN-NEW-{x}",
            "name": f"Cụm mới {x}",
            "district": code,
            "commune": COMMUNE_CODE[x],
            "area_ha": "20.00",
            "established_on": "2019-03-01",
            "wwtp_standard": "qcvn40_2011_b",
        }
    if resource == "inspection":
        return {
            "cluster": world["cluster", x].code,
            "inspected_on": "2023-11-20",
            "result": "meets",
            "standard": "qcvn40_2011_b",
            "agency": "Sở Tài nguyên và Môi trường Hà Nội",
            "reference": f"REF-NEW-{x}",
        }
    if resource == "extension":
        return {
            "cluster": world["cluster", x].code,
            "decision_no": f"QD-NEW-{x}",
            "decided_on": "2024-02-01",
            "new_completion_deadline": "2026-12-31",
        }
    return {
        "code": f"CHO-NEW-{x}",
        "name": f"Chợ mới {x}",
        "district": code,
        "commune": COMMUNE_CODE[x],
        "kind": "peoples",
        "construction": "permanent",
        "capital": "state_budget",
        "management": "enterprise",
        "business_points": 120,
        "area_m2": "1500.00",
        "status": "operating",
    }


def created_value(resource: str, x: str) -> str:
    return {
        "cluster": f"CCN-NEW-{x}",
        "inspection": f"REF-NEW-{x}",
        "extension": f"QD-NEW-{x}",
        "market": f"CHO-NEW-{x}",
    }[resource]


def publish_expected(role: str) -> set[int]:
    """Publishing a period: department staff (and superusers) only."""
    if role == "anonymous":
        return {401}
    return {201} if role in ("department_staff", "superuser") else {403}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(role):
    ThrottleWindow.objects.all().delete()  # throttle counters
    world = build_world()
    # Deleted before the walk: the deletions feed has each district's.
    for x in "AB":
        ClusterFactory(code=f"CCN-ZONE{x}-GONE", district=district(DISTRICT_CODE[x])).delete()
    report = publish("half_year", 2025, UserFactory(username="publisher", is_superuser=True))
    kpi_at_cut_off = "/api/v1/stats/wastewater-compliance/?as_of=2025-06-14"
    user = make_account(role)
    client = api_client(user)
    matrix = Matrix(role)

    for r in RESOURCES:
        matrix.check("api", f"GET {r.url}", client.get(r.url), api_expected(role, "list", None))
        for x in "AB":
            obj = world[r.name, x]
            matrix.check(
                "api",
                f"GET {r.name} {x}",
                client.get(r.detail(obj)),
                api_expected(role, "retrieve", x),
            )
            before = obj.__class__.objects.get(pk=obj.pk).version
            response = client.patch(r.detail(obj), r.patch, format="json")
            changed = obj.__class__.objects.get(pk=obj.pk).version != before
            matrix.check(
                "api",
                f"PATCH {r.name} {x}",
                response,
                api_expected(role, "patch", x),
                extra_ok=changed == (response.status_code == 200),
            )
            payload = create_payload(r.name, x, world)
            response = client.post(r.url, payload, format="json")
            exists = r.model.objects.filter(**{r.create_key: created_value(r.name, x)}).exists()
            matrix.check(
                "api",
                f"POST {r.name} in {x}",
                response,
                api_expected(role, "create", x),
                extra_ok=exists == (response.status_code == 201),
                sent=payload.values(),
            )
            doomed = world[f"{r.name}-del", x]
            response = client.delete(r.detail(doomed))
            gone = not r.model.objects.filter(pk=doomed.pk).exists()
            matrix.check(
                "api",
                f"DELETE {r.name} {x}",
                response,
                api_expected(role, "delete", x),
                extra_ok=gone == (response.status_code == 204),
            )

    read = api_expected(role, "list", None)
    response = client.get("/api/v1/districts/")
    matrix.check("api", "GET /api/v1/districts/", response, read)
    stats = [
        "/api/v1/stats/wastewater-compliance/",
        "/api/v1/stats/wastewater-compliance/?by=district",
        "/api/v1/stats/construction-overdue/?as_of=2030-01-01",
        "/api/v1/stats/construction-overdue/?as_of=2030-01-01&by=district",
        "/api/v1/stats/markets/?by=district",
        "/api/v1/stats/markets/",
    ]
    for url in stats:
        matrix.check("api", f"GET {url}", client.get(url), read)
        csv_url = f"{url}{'&' if '?' in url else '?'}format=csv"
        matrix.check("api", f"GET {csv_url}", client.get(csv_url), read)
    # The deletions feed: scoped like the lists (the markers check it).
    for url in ("/api/v1/deletions/", "/api/v1/deletions/?format=csv"):
        matrix.check("api", f"GET {url}", client.get(url), read)

    # Published reports: read like the stats (the cluster rows scoped: the markers check
    # it); publishing is for department staff only.
    matrix.check("api", "GET /api/v1/reports/", client.get("/api/v1/reports/"), read)
    url = f"/api/v1/reports/{report.pk}/"
    matrix.check("api", "GET report", client.get(url), read)
    matrix.check("api", "GET KPI at the report's cut-off", client.get(kpi_at_cut_off), read)
    before = PublishedReport.objects.count()
    response = client.post("/api/v1/reports/", {"period": "year", "year": 2025}, format="json")
    published = PublishedReport.objects.count() != before
    matrix.check(
        "api",
        "POST /api/v1/reports/",
        response,
        publish_expected(role),
        extra_ok=published == (response.status_code == 201),
    )
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url, {"note": "x"}, format="json")
        matrix.check(
            "api",
            f"{method.upper()} report",
            response,
            {401} if role == "anonymous" else {403, 405},
        )

    matrix.report()

    # District codes in the scoped answers: another district never appears.
    if response.status_code == 200:
        codes = {row["code"] for row in response.json()["results"]}
        allowed = {DISTRICT_CODE[m[-1]] for m in visible_markers(role)}
        if role in SEES_ALL:
            assert len(codes) == 30
        else:
            assert codes == allowed, codes
        kpi = client.get("/api/v1/stats/wastewater-compliance/?by=district").json()
        kpi_codes = {row["district"] for row in kpi["districts"]}
        assert kpi_codes <= (codes if role in SEES_ALL else allowed), kpi_codes
        # Grouped by commune: only communes the account sees (126 for those who see all).
        kpi = client.get("/api/v1/stats/wastewater-compliance/?by=commune").json()
        commune_codes = {row["unit"] for row in kpi["units"]}
        units = client.get("/api/v1/units/?level=commune&page_size=500").json()["results"]
        seen = {row["code"] for row in units}
        assert commune_codes <= seen, commune_codes - seen
        if role in SEES_ALL:
            assert len(commune_codes) == 126


# -- the admin ---------------------------------------------------------------------------------

ADMIN_MODELS = {
    "cluster": "clusters_industrialcluster",
    "inspection": "clusters_wastewaterinspection",
    "extension": "clusters_scheduleextension",
    "market": "markets_market",
    "marketproject": "markets_marketproject",
}


def admin_expected(role: str, page: str, x: str | None) -> set[int]:
    if role in ("anonymous", "token_without_permissions"):
        return {302}  # to the login page
    if role in ("department_staff", "superuser"):
        return {200}
    if role == "other_department_read_only":
        return {200} if page in ("changelist", "change", "history") else {403}
    if x is None or x == home_of(role):
        return {200}
    return {404}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(role, settings):
    world = build_world()
    user = make_account(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    matrix = Matrix(role)

    for name, prefix in ADMIN_MODELS.items():
        for page in ("changelist", "add"):
            url = reverse(f"admin:{prefix}_{page}")
            matrix.check(
                "admin", f"{name} {page}", client.get(url), admin_expected(role, page, None)
            )
        for x in "AB":
            obj = world[name, x]
            for page in ("change", "delete", "history"):
                url = reverse(f"admin:{prefix}_{page}", args=[obj.pk])
                matrix.check(
                    "admin", f"{name} {page} {x}", client.get(url), admin_expected(role, page, x)
                )
        # Deleting B's record by posting the confirmation: done only by those who may, and a
        # record with dependents (a cluster's inspections, a market's projects) is never deleted.
        doomed = world[name, "B"]
        url = reverse(f"admin:{prefix}_delete", args=[doomed.pk])
        response = client.post(url, {"post": "yes"})
        kept = doomed.__class__.objects.filter(pk=doomed.pk).exists()
        may_delete = admin_expected(role, "delete", "B") == {200}
        has_dependents = name in ("cluster", "market")
        if may_delete:
            expected, right = ({200}, kept) if has_dependents else ({302}, not kept)
        else:
            expected, right = admin_expected(role, "delete", "B"), kept
        matrix.check("admin", f"{name} delete B (POST)", response, expected, extra_ok=right)

    # Department-only and superuser-only pages.
    department_only = {
        "anonymous": {302},
        "token_without_permissions": {302},
        "department_staff": {200},
        "superuser": {200},
    }
    matrix.check(
        "admin",
        "target changelist",
        client.get(reverse("admin:registry_target_changelist")),
        department_only.get(role, {403}),
    )
    for page in ("changelist", "new_account"):
        matrix.check(
            "admin",
            f"API token {page}",
            client.get(reverse(f"admin:registry_apitoken_{page}")),
            department_only.get(role, {403}),
        )
    matrix.check(
        "admin",
        "published report changelist",
        client.get(reverse("admin:reports_publishedreport_changelist")),
        department_only.get(role, {403}),
    )
    accounts = {"anonymous": {302}, "token_without_permissions": {302}, "superuser": {200}}
    matrix.check(
        "admin",
        "user changelist",
        client.get(reverse("admin:auth_user_changelist")),
        accounts.get(role, {403}),
    )
    matrix.report()


# -- the dashboard -----------------------------------------------------------------------------

DASHBOARD_TABLES = ["districts", "trend", "overdue", "not-compliant", "markets", "projects"]


def dashboard_expected(role: str) -> set[int]:
    if role == "anonymous":
        return {302}  # to the login page
    if role == "token_without_permissions":
        return {403}  # signed in, but no view permission (nor any district)
    return {200}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_dashboard_matrix(role):
    """The page and every CSV pass the API's gate: view permission and districts."""
    build_world()
    user = make_account(role)
    client = Client()
    if user is not None:
        client.force_login(user)
    matrix = Matrix(role)
    expected = dashboard_expected(role)
    matrix.check("dash", "GET /", client.get("/", {"as_of": "2023-06-14"}), expected)
    for table in DASHBOARD_TABLES:
        url = reverse("dashboard:csv", args=[table])
        matrix.check("dash", f"GET {table}.csv", client.get(url), expected)
    # The report workbook of a period: the dashboard's gate, over the units the account keeps
    # at the period's grouping (the 2024 year is grouped by district: a commune-staff account
    # keeps none of them, and is refused rather than given an empty report).
    response = client.get(reverse("dashboard:report-xlsx"), {"period": "year", "year": "2024"})
    matrix.check(
        "dash",
        "GET report.xlsx (2024, by district)",
        response,
        {403} if role.startswith("commune_staff") else expected,
    )
    # Publishing from the dashboard: department staff only (then a redirect to the cut-off).
    may_publish = role in ("department_staff", "superuser")
    response = client.post(reverse("dashboard:publish"), {"period": "year", "year": "2025"})
    published = PublishedReport.objects.exists()
    matrix.check(
        "dash",
        "POST publish",
        response,
        {302} if may_publish or role == "anonymous" else {403},
        extra_ok=published == may_publish,
    )
    matrix.report()
