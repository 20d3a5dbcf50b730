"""The benchmark harness: ``python -m bench.run`` (``make bench`` calls it).

1. Creates the PostgreSQL database if missing (default ``registry_bench`` on loopback),
   migrates it and loads the national-scale dataset with ``seed_scale`` (timed).
2. Serves the app with gunicorn (``gunicorn.conf.py``, ``DJANGO_SETTINGS_MODULE=bench.settings``)
   in a separate process on a loopback port.
3. From this process, over real HTTP: each endpoint at concurrency 1 and 8 (p50 / p95 latency,
   requests per second), with an API token, and the admin changelist with a session signed in
   through the login form. Each request's SQL query count comes from the server
   (bench.middleware), streamed CSV included.
4. Times the hand-written KPI SQL over psycopg (bench/floor.py), checks it gives the same
   figures as the endpoint, and reports each KPI endpoint's p50 as a ratio to it.
5. Times a 10,000-row cluster spreadsheet import through ``clusters.resources`` (validation and
   history included, rolled back afterwards), and the CSV export's worker memory.
6. Writes ``bench/results/<date>-<host>.json`` and a Markdown summary next to it.

Loads stay on loopback and are bounded in count and time.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.common import ensure_database, free_port, machine, percentile, postgres_version

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/registry_bench"
PAST = datetime.date(2024, 12, 14)  # a year-end report cut-off (Circular 14/2024/TT-BCT)
DISTRICT = "017"  # Đông Anh
BUDGETS = {
    "kpi_ratio_p50": 1.5,
    "clusters_list_50_p50_ms": 30.0,
    "import_10000_s": 60.0,
    "csv_export_s": 5.0,
    "seed_s": 120.0,
}


# --- setup ---------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--inspections", type=int, default=200_000)
    parser.add_argument("--markets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--no-seed", action="store_true", help="Keep the loaded synthetic dataset as it is."
    )
    parser.add_argument("--port", type=int, default=0, help="Loopback port (default: a free one).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    parser.add_argument("--requests", type=int, default=40, help="Requests per phase (max).")
    parser.add_argument("--phase-seconds", type=float, default=8.0, help="Time cap per phase.")
    parser.add_argument("--import-rows", type=int, default=10_000, help="0 skips the import.")
    parser.add_argument(
        "--import-dry-run", action="store_true", help="Also time the admin's preview pass."
    )
    return parser.parse_args()


def configure_environment(args) -> dict:
    """The environment of both this process and the server: production settings (DEBUG off)
    plus the bench's query counter, persistent connections, loopback only."""
    env = {
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CONN_MAX_AGE": os.environ.get("DJANGO_CONN_MAX_AGE", "600"),
        "DJANGO_LOG_LEVEL": "WARNING",
        # The throttle stays on (its one statement is part of every API request, as in
        # production) but far above the run's request rate.
        "REGISTRY_API_RATE": "100000000/hour",
        "REGISTRY_API_ANON_RATE": "100000000/hour",
        # No random pruning statement in the measured requests (its query counts are pinned
        # by the tests; it runs once in 1,000 requests in production).
        "REGISTRY_THROTTLE_PRUNE_ONE_IN": "0",
    }
    os.environ.update(env)
    return env


def code_version() -> str | None:
    """The code measured: ``BENCH_CODE`` if set (e.g. for an export of another branch),
    else the checkout's commit."""
    if os.environ.get("BENCH_CODE"):
        return os.environ["BENCH_CODE"]
    try:
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def setup_django():
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def migrate_and_seed(args) -> dict:
    from django.core.management import call_command

    from clusters.models import IndustrialCluster

    call_command("migrate", "--noinput", verbosity=0)
    loaded = IndustrialCluster.objects.filter(code__startswith="SCALE-").count()
    if args.no_seed and loaded:
        return {"seeded": False, "clusters_present": loaded}
    started = time.monotonic()
    call_command(
        "seed_scale",
        clusters=args.clusters,
        inspections=args.inspections,
        markets=args.markets,
        seed=args.seed,
        replace=True,
    )
    seconds = time.monotonic() - started
    return {
        "seeded": True,
        "seconds": round(seconds, 1),
        "clusters": args.clusters,
        "inspections": args.inspections,
        "markets": args.markets,
        "seed": args.seed,
    }


def bench_account() -> tuple[str, str, str]:
    """A superuser for the API token and the admin session (username, password, token)."""
    from django.contrib.auth import get_user_model

    from registry.tokens import ApiToken

    user_model = get_user_model()
    password = secrets.token_urlsafe(16)
    user, _ = user_model.objects.get_or_create(
        username="bench-superuser", defaults={"email": "bench@example.invalid"}
    )
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    token = ApiToken.objects.active().filter(user=user, name="bench").first()
    if token is not None:
        token.revoke()
    _token, key = ApiToken.issue(user, name="bench")
    return user.username, password, key


# --- the server ----------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict, port: int, workers: int, query_log: str, log_path: Path):
        self.port = port
        self.env = {
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_MAX_REQUESTS": "0",  # no recycling in the middle of a measurement
            "GUNICORN_LOG_LEVEL": "warning",
            "BENCH_QUERY_LOG": query_log,
        }
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = None

    def start(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603
            [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start; see its log")
            try:
                status, _, _ = request("GET", self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def worker_peak_rss_kb(self) -> int:
        """The largest peak resident memory (VmHWM) among the workers."""
        peak = 0
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            if found:
                peak = max(peak, int(found.group(1)))
        return peak

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- the client ----------------------------------------------------------------------------

_local = threading.local()


def request(method, port, path, headers=None, body=None):
    """One request on this thread's keep-alive connection (reopened when the server closes
    it): (status, headers, body)."""
    conn = getattr(_local, "conn", None)
    reused = conn is not None and conn.port == port
    if not reused:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
    except (http.client.HTTPException, OSError):
        conn.close()
        _local.conn = None
        if reused:  # a kept-alive connection the server had closed meanwhile: once more
            return request(method, port, path, headers, body)
        raise
    if response.will_close:
        conn.close()
    return response.status, response.headers, data


def login_session(port: int, username: str, password: str) -> str:
    """Sign in through the admin login form, as a person would; return the Cookie header."""
    status, headers, body = request("GET", port, "/admin/login/")
    cookies = cookie_jar(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"}
    )
    status, headers, body = request(
        "POST",
        port,
        "/admin/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Referer": f"http://127.0.0.1:{port}/admin/login/",
        },
        body=form,
    )
    cookies.update(cookie_jar(headers))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"admin login failed (HTTP {status})")
    return cookie_header(cookies)


def cookie_jar(headers) -> dict:
    jar = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class Runner:
    def __init__(self, port: int, args, query_log: str):
        self.port = port
        self.args = args
        self.query_log = query_log
        self.sequence = 0
        self.lock = threading.Lock()

    def next_id(self, name: str) -> str:
        with self.lock:
            self.sequence += 1
            return f"{name}:{self.sequence}"

    def one(self, name, path, headers) -> tuple[float, int, int]:
        bench_headers = {**headers, "X-Bench-Id": self.next_id(name)}
        started = time.perf_counter()
        status, _, body = request("GET", self.port, path, headers=bench_headers)
        elapsed = time.perf_counter() - started
        return elapsed, status, len(body)

    def phase(self, name, path, headers, concurrency, count) -> dict:
        latencies, statuses, sizes = [], [], []
        deadline = time.monotonic() + self.args.phase_seconds
        per_thread = max(1, count // concurrency)

        def work():
            for _ in range(per_thread):
                if time.monotonic() > deadline:
                    return
                elapsed, status, size = self.one(name, path, headers)
                with self.lock:
                    latencies.append(elapsed)
                    statuses.append(status)
                    sizes.append(size)

        started = time.perf_counter()
        threads = [threading.Thread(target=work) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        return {
            "concurrency": concurrency,
            "requests": len(latencies),
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "requests_per_s": round(len(latencies) / wall, 1) if wall else None,
            "statuses": sorted(set(statuses)),
            "bytes": max(sizes) if sizes else 0,
        }

    def endpoint(self, name, path, headers, count=None, warmup=3, unavailable=None) -> dict:
        """``unavailable(status, parsed JSON)`` says why the answer is not the one measured
        (a parameter the server predates), or None."""
        count = count or self.args.requests
        for _ in range(warmup):
            status, _, body = request("GET", self.port, path, headers=headers)
            if unavailable is not None:
                try:
                    why = unavailable(status, json.loads(body))
                except ValueError:
                    why = f"HTTP {status}, not JSON"
                if why:
                    print(f"  {name:28s} unavailable: {why}", flush=True)
                    return {"path": path, "unavailable": why}
            if status != 200:
                return {"path": path, "error": f"HTTP {status}", "body": body[:300].decode()}
        result = {"path": path}
        result["c1"] = self.phase(name, path, headers, 1, count)
        result["c8"] = self.phase(name, path, headers, 8, max(count * 2, 8))
        print(
            f"  {name:28s} p50 {result['c1']['p50_ms']:8.1f} ms  p95 {result['c1']['p95_ms']:8.1f}"
            f" ms  c8 {result['c8']['requests_per_s']:7.1f} req/s",
            flush=True,
        )
        return result

    def query_counts(self) -> dict[str, list[int]]:
        counts: dict[str, set[int]] = {}
        # Streamed responses log on close: give the last ones a moment.
        time.sleep(0.5)
        for line in Path(self.query_log).read_text().splitlines():
            bench_id, _, count = line.partition("\t")
            counts.setdefault(bench_id.rsplit(":", 1)[0], set()).add(int(count))
        return {name: sorted(values) for name, values in counts.items()}


def endpoints(token: str, session_cookie: str, sample_code: str, commune: str) -> list[tuple]:
    api = {"Authorization": f"Token {token}", "Accept": "application/json"}
    csv = {"Authorization": f"Token {token}"}
    admin = {"Cookie": session_cookie}
    return [
        ("clusters_list_50", "/api/v1/clusters/?page_size=50", api, None),
        (
            "clusters_list_50_past_state",
            f"/api/v1/clusters/?page_size=50&as_of={PAST}&wastewater_state=compliant",
            api,
            None,
        ),
        (
            "clusters_list_50_failed",
            "/api/v1/clusters/?page_size=50&wastewater_state=failed",
            api,
            None,
        ),
        ("clusters_list_500", f"/api/v1/clusters/?page_size=500&as_of={PAST}", api, 20),
        ("cluster_detail", f"/api/v1/clusters/{sample_code}/", api, None),
        *(
            (name, variant.path, api, None, variant.unavailable)
            for name, variant in kpi_variants(commune).items()
        ),
        ("construction_overdue", "/api/v1/stats/construction-overdue/", api, 20),
        ("markets_list_50", "/api/v1/markets/?page_size=50", api, None),
        ("admin_cluster_changelist", "/admin/clusters/industrialcluster/", admin, None),
        ("clusters_csv_all", "/api/v1/clusters/?format=csv", csv, 3),
    ]


#: Floor queries (each alternated with one endpoint request) per KPI variant, at least.
FLOOR_RUNS = 100
#: The cheapest authenticated API request, measured beside the floor for reference.
MINIMAL_PATH = f"/api/v1/districts/{DISTRICT}/"

KPI_PATH = "/api/v1/stats/wastewater-compliance/"


@dataclass(frozen=True)
class KpiVariant:
    """One KPI request: its query string, and what the floor computes for it (grouped by
    ``grouping``'s units, over one ``unit`` or all of them, at ``as_of`` or today)."""

    params: dict
    grouping: str
    unit: str | None = None
    as_of: datetime.date | None = None

    @property
    def path(self) -> str:
        return f"{KPI_PATH}?{urllib.parse.urlencode(self.params)}"

    def unavailable(self, status: int, body) -> str | None:
        """Why the server's answer is not this variant's KPI (None when it is): issue 15's
        ``by=`` and ``unit=`` are ignored or refused by a server that predates them."""
        if status != 200 or not isinstance(body, dict):
            return f"HTTP {status}"
        if self.params.get("by") == "commune" and body.get("grouping") != "commune":
            return "by=commune not supported (no commune grouping in the response)"
        if "unit" in self.params:
            codes = [row.get("unit") for row in body.get("units") or []]
            if codes != [self.unit]:
                return "unit= not supported (the response is not that one unit)"
        return None

    def rows(self, body: dict) -> list[dict]:
        """The response's per-unit rows, each with its code under ``code``."""
        if body.get("units") is not None:
            return [{**row, "code": row["unit"]} for row in body["units"]]
        return [{**row, "code": row["district"]} for row in body.get("districts", [])]


def kpi_variants(commune: str) -> dict[str, KpiVariant]:
    """The KPI requests measured against the floor. Those by district name their grouping
    (the default is communes since 1 July 2025); ``by=district`` is ignored, harmlessly, by a
    server that predates issue 15."""
    return {
        "kpi_city_today": KpiVariant({"by": "district"}, "district"),
        "kpi_city_past": KpiVariant({"by": "district", "as_of": PAST}, "district", as_of=PAST),
        "kpi_district_today": KpiVariant(
            {"by": "district", "district": DISTRICT}, "district", DISTRICT
        ),
        "kpi_district_past": KpiVariant(
            {"by": "district", "district": DISTRICT, "as_of": PAST}, "district", DISTRICT, PAST
        ),
        "kpi_city_commune_today": KpiVariant({"by": "commune"}, "commune"),
        "kpi_city_commune_past": KpiVariant(
            {"by": "commune", "as_of": PAST}, "commune", as_of=PAST
        ),
        "kpi_commune_today": KpiVariant({"unit": commune}, "commune", commune),
        "kpi_commune_past": KpiVariant({"unit": commune, "as_of": PAST}, "commune", commune, PAST),
    }


def busiest_commune() -> str:
    """The commune of the one-commune KPI: the one with the most synthetic clusters."""
    from django.db.models import Count

    from clusters.models import IndustrialCluster

    row = (
        IndustrialCluster.objects.filter(code__startswith="SCALE-C-", commune__isnull=False)
        .values("commune__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__code")
        .first()
    )
    return row["commune__code"] if row else "00000"


# --- the floor, the selector, EXPLAIN ------------------------------------------------------


def measure_floor(url: str, runner: Runner, token: str, count: int, commune: str) -> dict:
    import psycopg
    from django.conf import settings

    from bench.floor import kpi_figures, kpi_with_units_rows
    from registry.dates import today

    window = settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    results = {}
    # The floor runs with the server settings the application's connections have (JIT off
    # unless DJANGO_DB_JIT, registry/settings.py), so that both are measured alike.
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options")
    with psycopg.connect(url, autocommit=True, **({"options": options} if options else {})) as conn:
        codes = {
            "district": dict(conn.execute("SELECT id, code FROM registry_district").fetchall()),
            "commune": dict(
                conn.execute(
                    "SELECT id, code FROM registry_administrativeunit WHERE level = 'commune'"
                ).fetchall()
            ),
        }
        for name, variant in kpi_variants(commune).items():
            day = variant.as_of or today()

            def floor(variant=variant, day=day):
                return kpi_figures(conn, day, window, variant.unit, variant.grouping)

            def floor_with_units(variant=variant, day=day):
                return kpi_with_units_rows(conn, day, window, variant.grouping)

            for _ in range(3):
                figures = floor()
            status, _, body = runner_request_json(runner, variant.path, token)
            unavailable = variant.unavailable(status, body)
            # Alternate one endpoint request, one floor query and one minimal request, so
            # that all three see the same machine (other work on a shared machine comes and
            # goes). Without the endpoint (a server that predates the variant), the floor
            # and the minimal request alone.
            timings, endpoint_timings, minimal_timings, with_units = [], [], [], []
            for _ in range(max(count, FLOOR_RUNS)):
                if not unavailable:
                    elapsed, _status, _size = runner.one(name, variant.path, headers)
                    endpoint_timings.append(elapsed)
                started = time.perf_counter()
                floor()
                timings.append(time.perf_counter() - started)
                if variant.unit is None:
                    # For information: the floor that also reads the unit list.
                    started = time.perf_counter()
                    floor_with_units()
                    with_units.append(time.perf_counter() - started)
                # The cheapest authenticated API request (one district by its code): what
                # any request costs before it does any work of its own.
                elapsed, _status, _size = runner.one("minimal_request", MINIMAL_PATH, headers)
                minimal_timings.append(elapsed)
            result = {
                "path": variant.path,
                "grouping": variant.grouping,
                "unit": variant.unit,
                "p50_ms": round(percentile(timings, 0.5) * 1000, 2),
                "p95_ms": round(percentile(timings, 0.95) * 1000, 2),
                "runs": len(timings),
                "minimal_request_interleaved_p50_ms": round(
                    percentile(minimal_timings, 0.5) * 1000, 2
                ),
                "figures": {**figures, "by_unit": len(figures["by_unit"])},
            }
            if with_units:
                result["with_units_p50_ms"] = round(percentile(with_units, 0.5) * 1000, 2)
            if unavailable:
                result["unavailable"] = unavailable
            else:
                result["endpoint_interleaved_p50_ms"] = round(
                    percentile(endpoint_timings, 0.5) * 1000, 2
                )
                # The endpoint must say the same thing, or the comparison means nothing.
                status, _, body = runner_request_json(runner, variant.path, token)
                result["endpoint_agrees"] = status == 200 and agrees(
                    variant, body, figures, codes[variant.grouping]
                )
            results[name] = result
    return results


def agrees(variant: KpiVariant, body: dict, figures: dict, codes: dict) -> bool:
    """Whether the endpoint's figures are the floor's: the total (or the one unit's), and
    each unit's operating clusters."""
    rows = variant.rows(body)
    api = rows[0] if variant.unit else body
    if variant.unit and len(rows) != 1:
        return False
    same_total = (
        api["operating"] == figures["operating"]
        and api["compliant"] == figures["compliant"]
        and {k: v for k, v in api["by_state"].items() if v} == figures["by_state"]
    )
    floor_units = {codes.get(pk): n for pk, n in figures["by_unit"].items() if n}
    api_units = {row["code"]: row["operating"] for row in rows if row["operating"]}
    return same_total and floor_units == api_units


def runner_request_json(runner: Runner, path: str, token: str):
    status, _, body = request(
        "GET",
        runner.port,
        path,
        headers={"Authorization": f"Token {token}", "Accept": "application/json"},
    )
    try:
        return status, None, json.loads(body)
    except ValueError:
        return status, None, None


def selector_parameters() -> set[str]:
    """The keyword parameters of ``wastewater_compliance`` (issue 15 adds ``grouping`` and
    ``units``)."""
    import inspect

    from clusters.selectors import wastewater_compliance

    return set(inspect.signature(wastewater_compliance).parameters)


def selector_groupings() -> bool:
    """Whether ``wastewater_compliance`` takes a ``grouping`` (issue 15)."""
    return "grouping" in selector_parameters()


def measure_selector(count: int, commune: str) -> dict:
    """The KPI selector in this process (no HTTP), for reference: every unit of a level or
    one (``districts=`` for a district, ``units=`` for a commune where the selector has it)."""
    from clusters.selectors import wastewater_compliance
    from registry.dates import today
    from registry.models import AdministrativeUnit, District

    parameters = selector_parameters()
    results = {}
    for name, variant in kpi_variants(commune).items():
        kwargs = {"as_of": variant.as_of or today()}
        if "grouping" in parameters:
            kwargs["grouping"] = variant.grouping
        elif variant.grouping != "district":
            results[name] = {"unavailable": "wastewater_compliance has no grouping"}
            continue
        if variant.unit and variant.grouping == "district":
            kwargs["districts"] = District.objects.filter(code=variant.unit)
        elif variant.unit and "units" in parameters:
            kwargs["units"] = list(
                AdministrativeUnit.objects.filter(level="commune", code=variant.unit)
            )
        elif variant.unit:
            results[name] = {"unavailable": "wastewater_compliance has no units"}
            continue
        wastewater_compliance(**kwargs)
        timings = []
        for _ in range(count):
            started = time.perf_counter()
            wastewater_compliance(**kwargs)
            timings.append(time.perf_counter() - started)
        results[name] = {"p50_ms": round(percentile(timings, 0.5) * 1000, 2)}
    return results


def explain_kpi(url: str) -> dict:
    """EXPLAIN ANALYZE of the selector's grouped query (as Django sends it) and of the floor,
    city-wide, by district and (when the selector groups by commune) by commune."""
    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.floor import kpi_params, kpi_sql
    from clusters.selectors import wastewater_compliance
    from registry.dates import today

    groupings = ["district", "commune"] if selector_groupings() else [None]
    plans = {}
    for grouping in groupings:
        kwargs = {"grouping": grouping} if grouping else {}
        with CaptureQueriesContext(connection) as captured:
            wastewater_compliance(as_of=today(), **kwargs)
        grouped = max(captured.captured_queries, key=lambda q: len(q["sql"]))["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + grouped)
            key = "selector" if grouping in (None, "district") else f"selector_{grouping}"
            plans[key] = "\n".join(row[0] for row in cursor.fetchall())
    window = settings.REGISTRY["EVIDENCE_WINDOW_DAYS"]
    with psycopg.connect(url, autocommit=True) as conn:
        for grouping in ("district", "commune"):
            rows = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS) " + kpi_sql(None, grouping),
                kpi_params(today(), window, None),
            ).fetchall()
            key = "floor" if grouping == "district" else f"floor_{grouping}"
            plans[key] = "\n".join(row[0] for row in rows)
    return plans


# --- import --------------------------------------------------------------------------------


def measure_import(rows: int, username: str, with_dry_run: bool) -> dict:
    """Export ``rows`` synthetic clusters through the admin's resource, give them new codes,
    and import the file back as new clusters (validation, history, all-or-none), timed;
    everything is rolled back afterwards."""
    try:
        from clusters.resources import ClusterResource
    except ImportError:
        return {"skipped": "clusters.resources.ClusterResource does not exist yet"}
    import tablib
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from clusters.models import IndustrialCluster

    user = get_user_model().objects.get(username=username)
    source = IndustrialCluster.objects.filter(code__startswith="SCALE-C-").order_by("code")
    resource = ClusterResource(user=user)
    started = time.monotonic()
    dataset = resource.export(queryset=source[:rows])
    export_seconds = time.monotonic() - started
    code_column = resource.fields["code"].column_name
    position = dataset.headers.index(code_column)
    data = []
    for index, row in enumerate(dataset, start=1):
        row = list(row)
        row[position] = f"SCALE-I-{index:06d}"
        data.append(row)
    dataset = tablib.Dataset(*data, headers=dataset.headers)

    class Rollback(Exception):
        pass

    result = {"rows": len(data), "export_seconds": round(export_seconds, 2)}
    try:
        with transaction.atomic():
            if with_dry_run:
                # The admin's preview step: the same validation, rolled back.
                started = time.monotonic()
                dry = ClusterResource(user=user).import_data(dataset, dry_run=True)
                result["dry_run_seconds"] = round(time.monotonic() - started, 2)
                result["dry_run_errors"] = dry.has_errors() or dry.has_validation_errors()
            started = time.monotonic()
            outcome = ClusterResource(user=user).import_data(dataset, dry_run=False)
            result["import_seconds"] = round(time.monotonic() - started, 2)
            result["import_errors"] = outcome.has_errors() or outcome.has_validation_errors()
            result["created"] = IndustrialCluster.objects.filter(
                code__startswith="SCALE-I-"
            ).count()
            result["history_rows"] = IndustrialCluster.history.filter(
                code__startswith="SCALE-I-"
            ).count()
            raise Rollback
    except Rollback:
        pass
    return result


# --- report --------------------------------------------------------------------------------


def kpi_ratios(data: dict) -> dict:
    """A KPI variant's ratios to its floor: ``ratio`` (the endpoint's p50 ÷ the floor's, the
    budget of issue 6) and ``net_ratio`` ((the endpoint's p50 − the minimal request's) ÷
    the floor's: what the endpoint costs beyond what every request costs, issue 15's budget
    for one unit); None where a figure is missing."""
    endpoint = data.get("endpoint_interleaved_p50_ms")
    base = data.get("p50_ms")
    minimal = data.get("minimal_request_interleaved_p50_ms")
    with_units = data.get("with_units_p50_ms")
    if not endpoint or not base:
        return {"ratio": None, "net_ratio": None, "with_units_ratio": None}
    return {
        "ratio": round(endpoint / base, 2),
        "net_ratio": round((endpoint - minimal) / base, 2) if minimal else None,
        # For information: the endpoint ÷ the floor that also reads the unit list.
        "with_units_ratio": round(endpoint / with_units, 2) if with_units else None,
    }


def kpi_verdicts(name: str, data: dict) -> dict:
    """The budget of one KPI variant: city-wide (any grouping) the endpoint's p50 within
    1.5 × the floor's; for one unit, the endpoint's p50 less the minimal request's within
    1.5 × the unit's floor. A variant the server does not have is reported, not failed."""
    if data.get("unavailable"):
        key = f"{name}_net_ratio" if data.get("unit") else f"{name}_ratio"
        return {key: {"value": "unavailable", "ok": None, "why": data["unavailable"]}}
    ratios = kpi_ratios(data)
    if data.get("unit"):
        value = ratios["net_ratio"]
        verdict = {"value": value, "ok": value is not None and value <= BUDGETS["kpi_ratio_p50"]}
        verdict["whole_request_ratio"] = ratios["ratio"]
        return {f"{name}_net_ratio": verdict}
    value = ratios["ratio"]
    verdict = {"value": value, "ok": value is not None and value <= BUDGETS["kpi_ratio_p50"]}
    if ratios["with_units_ratio"] is not None:
        verdict["with_units_ratio"] = ratios["with_units_ratio"]
    return {f"{name}_ratio": verdict}


def verdicts(results: dict) -> dict:
    out = {}
    endpoints_ = results.get("endpoints", {})
    floor = results.get("floor", {})
    for name, data in floor.items():
        out.update(kpi_verdicts(name, data))
    p50 = endpoints_.get("clusters_list_50", {}).get("c1", {}).get("p50_ms")
    if p50:
        out["clusters_list_50_p50_ms"] = {
            "value": p50,
            "ok": p50 < BUDGETS["clusters_list_50_p50_ms"],
        }
    csv = endpoints_.get("clusters_csv_all", {}).get("c1", {}).get("p50_ms")
    if csv:
        seconds = round(csv / 1000, 2)
        out["csv_export_s"] = {"value": seconds, "ok": seconds < BUDGETS["csv_export_s"]}
    rss = results.get("csv_worker_peak_rss_kb", {})
    if rss.get("before") and rss.get("after"):
        growth = rss["after"] - rss["before"]
        out["csv_worker_peak_rss_growth_kb"] = {"value": growth, "ok": growth < 50 * 1024}
    seconds = results.get("import", {}).get("import_seconds")
    if seconds is not None:
        out["import_10000_s"] = {"value": seconds, "ok": seconds < BUDGETS["import_10000_s"]}
    seed = results.get("seed", {}).get("seconds")
    if seed is not None:
        out["seed_s"] = {"value": seed, "ok": seed < BUDGETS["seed_s"]}
    counts = results.get("query_counts", {})
    out["fixed_query_counts"] = {
        "value": dict(counts),
        "ok": all(len(values) == 1 for values in counts.values()),
    }
    return out


def markdown(results: dict) -> str:
    lines = [
        f"Run {results['date']} on {results['machine']['host']} "
        f"({results['machine']['cpus']} CPUs, {results['machine']['cpu']}, "
        f"{results['machine']['memory_gb']} GiB), PostgreSQL {results['postgres']}, "
        f"{results['server']['workers']} gunicorn workers, code {results.get('code') or '?'}; "
        "load average (1, 5, 15 min) "
        f"{results['machine']['load_average_at_start']} at start, "
        f"{results['machine']['load_average_at_end']} at end.",
        "",
        "| endpoint | queries | p50 ms (c=1) | p95 ms (c=1) | req/s (c=1) | p50 ms (c=8) "
        "| p95 ms (c=8) | req/s (c=8) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    counts = results.get("query_counts", {})
    for name, data in results.get("endpoints", {}).items():
        if "error" in data or "unavailable" in data:
            why = data.get("error") or f"unavailable: {data['unavailable']}"
            lines.append(f"| `{name}` | — | {why} | | | | | |")
            continue
        c1, c8 = data["c1"], data["c8"]
        queries = "/".join(str(n) for n in counts.get(name, [])) or "?"
        lines.append(
            f"| `{name}` | {queries} | {c1['p50_ms']} | {c1['p95_ms']} | {c1['requests_per_s']} "
            f"| {c8['p50_ms']} | {c8['p95_ms']} | {c8['requests_per_s']} |"
        )
    lines += [
        "",
        "KPI endpoint (over HTTP), SQL floor (psycopg) and minimal API request measured "
        "alternately; ratio = endpoint ÷ floor, net ratio = (endpoint − minimal) ÷ floor:",
        "",
        "| KPI | grouping | unit | SQL floor p50 ms | endpoint p50 ms | minimal API request p50 ms "
        "| ratio | net ratio | floor with the unit list p50 ms | selector in-process p50 ms "
        "| agrees |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, floor in results.get("floor", {}).items():
        selector = results.get("selector", {}).get(name, {})
        ratios = kpi_ratios(floor)
        endpoint = floor.get("endpoint_interleaved_p50_ms") or (
            "unavailable" if floor.get("unavailable") else "—"
        )
        agrees = {True: "yes", False: "**no**", None: "—"}[floor.get("endpoint_agrees")]
        lines.append(
            f"| `{name}` | {floor.get('grouping', '—')} | {floor.get('unit') or 'all'} "
            f"| {floor.get('p50_ms', '—')} | {endpoint} "
            f"| {floor.get('minimal_request_interleaved_p50_ms', '—')} "
            f"| {ratios['ratio'] or '—'} | {ratios['net_ratio'] or '—'} "
            f"| {floor.get('with_units_p50_ms', '—')} "
            f"| {selector.get('p50_ms', '—')} | {agrees} |"
        )
    lines += ["", "| budget | measured | met |", "| --- | --- | --- |"]
    for name, verdict in results.get("verdicts", {}).items():
        value = verdict["value"]
        if isinstance(value, dict):
            value = "all fixed" if verdict["ok"] else json.dumps(value)
        met = {True: "yes", False: "**no**", None: "n/a"}[verdict["ok"]]
        if verdict.get("why"):
            met += f" ({verdict['why']})"
        if verdict.get("whole_request_ratio") is not None:
            met += f" (whole request {verdict['whole_request_ratio']} × the floor)"
        if verdict.get("with_units_ratio") is not None:
            met += f" ({verdict['with_units_ratio']} × the floor with the unit list)"
        lines.append(f"| {name} | {value} | {met} |")
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    # Stopped from outside: still stop the server it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = configure_environment(args)
    ensure_database(args.database_url)
    setup_django()
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "postgres": postgres_version(),
        "code": code_version(),
    }
    print("migrating and seeding …", flush=True)
    results["seed"] = migrate_and_seed(args)
    print(f"  seed: {results['seed']}", flush=True)
    username, password, token = bench_account()

    from clusters.models import IndustrialCluster

    sample_code = (
        IndustrialCluster.objects.filter(code__startswith="SCALE-C-")
        .order_by("code")
        .values_list("code", flat=True)[123]
    )
    commune = busiest_commune()
    results["kpi_commune"] = commune
    # Other work on the machine skews every figure: record how busy it was.
    results["machine"]["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        query_log = str(Path(scratch) / "queries.tsv")
        Path(query_log).touch()
        server = Server(env, port, args.workers, query_log, Path(scratch) / "gunicorn.log")
        results["server"] = {"workers": args.workers, "conn_max_age": env["DJANGO_CONN_MAX_AGE"]}
        server.start()
        try:
            session = login_session(port, username, password)
            runner = Runner(port, args, query_log)
            print("measuring endpoints …", flush=True)
            results["endpoints"] = {}
            rss_before = None
            for name, path, headers, count, *check in endpoints(
                token, session, sample_code, commune
            ):
                if name == "clusters_csv_all":
                    rss_before = server.worker_peak_rss_kb()
                results["endpoints"][name] = runner.endpoint(
                    name, path, headers, count, unavailable=check[0] if check else None
                )
            results["csv_worker_peak_rss_kb"] = {
                "before": rss_before,
                "after": server.worker_peak_rss_kb(),
            }
            results["query_counts"] = runner.query_counts()
            print("measuring the SQL floor …", flush=True)
            results["floor"] = measure_floor(
                args.database_url, runner, token, args.requests, commune
            )
        finally:
            server.stop()
    results["selector"] = measure_selector(args.requests, commune)
    results["explain"] = explain_kpi(args.database_url)
    print("measuring the import …", flush=True)
    if args.import_rows:
        results["import"] = measure_import(args.import_rows, username, args.import_dry_run)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["verdicts"] = verdicts(results)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M%S")
    host = re.sub(r"[^A-Za-z0-9-]", "-", platform.node())[:40] or "host"
    json_path = RESULTS_DIR / f"{stamp}-{host}.json"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    summary = markdown(results)
    (RESULTS_DIR / f"{stamp}-{host}.md").write_text(summary)
    print(summary)
    print(f"results: {json_path.relative_to(BASE_DIR)}")
    # A budget that could not be measured (ok None) is reported, not failed.
    return 0 if all(v["ok"] is not False for v in results["verdicts"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
