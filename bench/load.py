"""Load test: ``python -m bench.load`` (``make load`` calls it). Issue 7, item 6.

1. Creates the PostgreSQL database if missing (default ``registry_load`` on loopback), migrates
   it and loads the demo dataset (``load_demo``) plus a small synthetic one (``seed_scale``).
2. Serves the app with gunicorn and the project's ``gunicorn.conf.py`` on a free loopback port,
   with the production settings (``DJANGO_DEBUG=0``) and the API throttle raised through
   ``REGISTRY_API_RATE`` so that the run is not answered 429.
3. Sends a fixed number of requests (default 10,000) at a fixed concurrency (default 16) from a
   thread pool over ``http.client``, with API tokens of a superuser and of a district staff
   member: reads (cluster list with ``as_of`` and filters, detail, KPI, overdue, markets,
   market statistics, inspections, a CSV export) and writes (POST inspections, PATCH clusters
   with ``If-Match`` after a GET of the ETag). Each thread patches only its own clusters, so a
   412 would be a bug, not a race of the test.
4. Counts errors — any 5xx, any status other than the one expected, any connection failure —
   and records p50/p95/p99 latency overall and per kind of request.
5. Writes ``bench/results/load-<date>-<host>.json`` and updates the "## Load test" section of
   ``BENCHMARKS.md``. Exits 1 if any request failed.

Loopback only; bounded in count (``--requests``) and time (``--max-seconds``). Needs nothing
beyond the project's requirements (no locust or wrk). Do not run it while ``make bench`` runs:
both would distort each other's figures.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import secrets
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import ensure_database, free_port, machine, percentile, postgres_version

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
BENCHMARKS = BASE_DIR / "BENCHMARKS.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/registry_load"
HOME_DISTRICT = "017"  # Đông Anh: the district staff account's district
AS_OF = "2024-12-14"  # a year-end report cut-off

#: Kinds of request and their weight in the mix. A PATCH is preceded by its GET of the ETag
#: (counted as "cluster_etag_get"), so it costs two of the run's requests.
MIX = {
    "cluster_list": 20,
    "cluster_detail": 10,
    "kpi": 10,
    "overdue": 6,
    "market_list": 8,
    "market_detail": 4,
    "market_stats": 5,
    "inspection_list": 5,
    "cluster_csv": 4,
    "inspection_post": 10,
    "cluster_patch": 10,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers.")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="Abort after this.")
    parser.add_argument("--clusters", type=int, default=1_000, help="seed_scale size.")
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--markets", type=int, default=2_000)
    parser.add_argument("--no-seed", action="store_true", help="Reuse the loaded database.")
    parser.add_argument("--seed", type=int, default=2026, help="Random seed of the mix.")
    parser.add_argument("--no-markdown", action="store_true", help="Leave BENCHMARKS.md alone.")
    parser.add_argument(
        "--report-only",
        metavar="JSON",
        help="Only rewrite BENCHMARKS.md's section from a result file of an earlier run.",
    )
    return parser.parse_args()


# --- setup ---------------------------------------------------------------------------------


def configure_environment(args) -> dict:
    env = {
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "DJANGO_CONN_MAX_AGE": os.environ.get("DJANGO_CONN_MAX_AGE", "600"),
        "DJANGO_LOG_LEVEL": "ERROR",
        # The throttle stays on (its cost is part of each request) but far above the run.
        "REGISTRY_API_RATE": "100000000/hour",
        "REGISTRY_API_ANON_RATE": "100000000/hour",
    }
    os.environ.update(env)
    return env


def load_data(args) -> dict:
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if not args.no_seed:
        call_command("load_demo", verbosity=0)
        call_command(
            "seed_scale",
            clusters=args.clusters,
            inspections=args.inspections,
            markets=args.markets,
            replace=True,
            verbosity=0,
        )
    return {"setup_s": round(time.monotonic() - started, 1)}


def accounts() -> dict:
    """Tokens of a superuser and of a district staff member of Đông Anh."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from registry.models import District, DistrictAssignment
    from registry.tokens import ApiToken

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="load-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    staff, _ = User.objects.get_or_create(username="load-dong-anh", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name="District staff"))
    DistrictAssignment.objects.get_or_create(
        user=staff, district=District.objects.get(code=HOME_DISTRICT)
    )
    return {
        "admin": ApiToken.issue(admin, name="load")[1],
        "staff": ApiToken.issue(staff, name="load")[1],
    }


def sample_codes() -> dict:
    from clusters.models import IndustrialCluster
    from markets.models import Market

    clusters = IndustrialCluster.objects.order_by("code")
    home = list(clusters.filter(district__code=HOME_DISTRICT).values_list("code", flat=True))
    return {
        "clusters": list(clusters.values_list("code", flat=True)[:400]),
        "home_clusters": home,
        "markets": list(Market.objects.order_by("code").values_list("code", flat=True)[:200]),
    }


class Server:
    """gunicorn with the project's gunicorn.conf.py, on loopback."""

    def __init__(self, env: dict, port: int, workers: int | None, log_path: Path):
        self.port = port
        server_env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        if workers:
            server_env["GUNICORN_WORKERS"] = str(workers)
        self.workers = int(server_env.get("GUNICORN_WORKERS") or (os.cpu_count() or 1) * 2 + 1)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
            cwd=BASE_DIR,
            env=server_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {log_path}")
            try:
                if request(port, "GET", "/healthz", {})[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# --- the load ----------------------------------------------------------------------------------


def request(port, method, path, headers, body=None, connection=None):
    """(status, headers, body, seconds). Reuses ``connection`` when given."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    if connection is None:
        conn.close()
    return response.status, dict(response.getheaders()), data, elapsed


class Load:
    def __init__(self, port: int, tokens: dict, codes: dict, args):
        self.port = port
        self.tokens = tokens
        self.codes = codes
        self.args = args
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.statuses: dict[str, dict[int, int]] = {}
        self.errors: list[str] = []
        self.sent = 0
        self.deadline = time.monotonic() + args.max_seconds
        self.local = threading.local()
        self.next_slot = 0
        kinds = list(MIX)
        rng = random.Random(args.seed)
        self.plan = []
        total = 0
        while total < args.requests:
            kind = rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]
            if kind == "cluster_patch" and total + 2 > args.requests:
                kind = "cluster_list"
            self.plan.append(kind)
            total += 2 if kind == "cluster_patch" else 1
        self.home = codes["home_clusters"]

    def connection(self):
        if not hasattr(self.local, "conn"):
            self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            with self.lock:
                self.local.slot = self.next_slot
                self.next_slot += 1
        return self.local.conn

    def record(self, kind, status, elapsed, expected, body):
        with self.lock:
            self.sent += 1
            self.samples.setdefault(kind, []).append(elapsed)
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1
            if status not in expected:
                self.errors.append(f"{kind}: {status} {body[:200]!r}")

    def call(self, kind, method, path, token, expected=(200,), body=None, extra=None):
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        headers.update(extra or {})
        conn = self.connection()
        try:
            status, response_headers, data, elapsed = request(
                self.port, method, path, headers, body, conn
            )
        except (OSError, http.client.HTTPException) as exc:
            conn.close()  # reconnects on the next request
            try:
                status, response_headers, data, elapsed = request(
                    self.port, method, path, headers, body, conn
                )
            except (OSError, http.client.HTTPException) as again:
                with self.lock:
                    self.sent += 1
                    self.errors.append(f"{kind}: connection failed: {exc!r} / {again!r}")
                return None, {}, b""
        self.record(kind, status, elapsed, expected, data)
        return status, response_headers, data

    def one(self, index: int):
        if time.monotonic() > self.deadline:
            return
        kind = self.plan[index]
        rng = random.Random(self.args.seed * 100_003 + index)
        admin, staff = self.tokens["admin"], self.tokens["staff"]
        token = staff if rng.random() < 0.3 else admin
        cluster = rng.choice(self.codes["clusters"] if token == admin else self.home)
        market = rng.choice(self.codes["markets"])
        as_of = rng.choice([AS_OF, "2021-12-31", ""])
        q = f"as_of={as_of}&" if as_of else ""
        if kind == "cluster_list":
            filters = rng.choice(
                [
                    "",
                    f"district={HOME_DISTRICT}&",
                    "status=operating&",
                    "wastewater_state=compliant&",
                    "wastewater_state=no_evidence&district=017&",
                    "search=SCALE&ordering=-established_on&",
                ]
            )
            self.call(kind, "GET", f"/api/v1/clusters/?{q}{filters}page_size=50", token)
        elif kind == "cluster_detail":
            self.call(kind, "GET", f"/api/v1/clusters/{cluster}/?{q}", token)
        elif kind == "kpi":
            district = rng.choice(["", f"district={HOME_DISTRICT}"])
            self.call(kind, "GET", f"/api/v1/stats/wastewater-compliance/?{q}{district}", token)
        elif kind == "overdue":
            self.call(kind, "GET", f"/api/v1/stats/construction-overdue/?{q}months=24", token)
        elif kind == "market_list":
            filters = rng.choice(["", "status=operating&", "market_class=1&", "kind=peoples&"])
            self.call(kind, "GET", f"/api/v1/markets/?{filters}page_size=50", token)
        elif kind == "market_detail":
            self.call(kind, "GET", f"/api/v1/markets/{market}/", admin)
        elif kind == "market_stats":
            self.call(kind, "GET", "/api/v1/stats/markets/", token)
        elif kind == "inspection_list":
            self.call(kind, "GET", "/api/v1/inspections/?result=fails&page_size=50", token)
        elif kind == "cluster_csv":
            self.call(
                kind, "GET", f"/api/v1/clusters/?{q}district={HOME_DISTRICT}&format=csv", token
            )
        elif kind == "inspection_post":
            day = datetime.date.today() - datetime.timedelta(days=1 + rng.randrange(300))
            self.call(
                kind,
                "POST",
                "/api/v1/inspections/",
                staff,
                expected=(201,),
                body={
                    "cluster": rng.choice(self.home),
                    "inspected_on": day.isoformat(),
                    "result": rng.choice(["meets", "fails"]),
                    "standard": "qcvn40_2011_b",
                    "agency": "Sở Tài nguyên và Môi trường Hà Nội",
                    "reference": f"LOAD-{index}",
                },
            )
        elif kind == "cluster_patch":
            self.patch(index, admin)

    def patch(self, index: int, token: str):
        # Each client thread owns its slice of the clusters, so no two threads race on one
        # record and a 412 would be the server's error. The superuser's token: the district
        # staff account keeps too few clusters for 16 slices.
        self.connection()
        owned = self.codes["clusters"][self.local.slot :: self.args.concurrency]
        code = owned[index % len(owned)]
        status, headers, _ = self.call(
            "cluster_etag_get", "GET", f"/api/v1/clusters/{code}/", token
        )
        if status != 200:
            return
        self.call(
            "cluster_patch",
            "PATCH",
            f"/api/v1/clusters/{code}/",
            token,
            body={"developer": f"Nhà đầu tư tải {index}"},
            extra={"If-Match": headers.get("ETag", "")},
        )

    def run(self) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=self.args.concurrency) as pool:
            for _ in pool.map(self.one, range(len(self.plan))):
                pass
        return time.perf_counter() - started


def figures(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1) if values else 0.0,
    }


# --- report ------------------------------------------------------------------------------------


def markdown(results: dict) -> str:
    m = results["machine"]
    overall = results["overall"]
    lines = [
        "## Load test",
        "",
        f"`make load` (bench/load.py), {results['date']}: {results['sent']:,} requests at "
        f"concurrency {results['concurrency']} over loopback HTTP against gunicorn "
        f"({results['workers']} sync workers, gunicorn.conf.py, production settings, "
        f"persistent database connections) on PostgreSQL {results['postgres']}; data: the demo "
        f"dataset plus seed_scale ({results['dataset']}). Machine: {m.get('cpu', '?')}, "
        f"{m['cpus']} CPUs, {m.get('memory_gb', '?')} GB; client and server on the same machine; "
        "load average (1, 5, 15 min) before the run "
        + ", ".join(f"{x:.2f}" for x in results["load_average_before"])
        + ".",
        "",
        f"**Errors: {results['error_count']}** (5xx, unexpected status or failed connection). "
        f"Throughput {results['requests_per_s']} requests/s over {results['elapsed_s']} s. "
        f"Latency p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, "
        f"**p99 {overall['p99_ms']} ms** (max {overall['max_ms']} ms).",
        "",
        f"At this concurrency the server is saturated: {results['concurrency']} clients share "
        f"{results['workers']} workers and {m['cpus']} cores with the client itself, so the "
        "latencies are mostly time spent queueing (Little's law: concurrency / throughput "
        f"= {results['concurrency'] / results['requests_per_s'] * 1000:.0f} ms); each "
        "endpoint's own service time at concurrency 1 is in the Results section above.",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms | statuses |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for kind, stats in results["by_kind"].items():
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(results["statuses"][kind].items()))
        lines.append(
            f"| {kind} | {stats['count']} | {stats['p50_ms']} | {stats['p95_ms']} | "
            f"{stats['p99_ms']} | {statuses} |"
        )
    lines += [
        "",
        "Reads: cluster list (as_of, district/status/state filters, search, 50 per page), "
        "cluster detail, wastewater KPI, construction overdue, markets list and detail, market "
        "statistics, inspections list, the district's clusters as CSV. Writes: POST an "
        "inspection (district staff token); PATCH a cluster with the If-Match of a GET just "
        "before (superuser token; each client thread owns its clusters, so a 412 counts as an "
        "error). Of the reads, 30 % use a district staff token (Đông Anh), the rest a "
        "superuser's. The API throttle is raised "
        "for the run with REGISTRY_API_RATE. Result file: "
        f"`{results['result_file']}`.",
        "",
    ]
    # Paragraphs wrapped like the rest of BENCHMARKS.md; table rows kept whole.
    return "\n".join(
        line if line.startswith("|") else textwrap.fill(line, width=100, break_on_hyphens=False)
        for line in lines
    )


def update_benchmarks(section: str):
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Load test\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    BENCHMARKS.write_text(text.rstrip("\n") + "\n")


def main():
    args = parse_args()
    if args.report_only:
        results = json.loads(Path(args.report_only).read_text())
        update_benchmarks(markdown(results))
        print(markdown(results))
        return
    if not args.database_url.startswith("postgres"):
        sys.exit("The load test runs against PostgreSQL (--database-url postgres://...).")
    env = configure_environment(args)
    ensure_database(args.database_url)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    setup = load_data(args)
    tokens = accounts()
    codes = sample_codes()
    if not codes["home_clusters"]:
        sys.exit("No cluster in the district staff's district: load the demo data.")
    from django.db import connections

    pg_version = postgres_version()
    connections.close_all()

    with tempfile.TemporaryDirectory(prefix="load-") as scratch:
        log_path = Path(scratch) / "gunicorn.log"
        server = Server(env, free_port(), args.workers, log_path)
        try:
            load_before = os.getloadavg()
            load = Load(server.port, tokens, codes, args)
            elapsed = load.run()
        finally:
            server.stop()
        server_errors = [line for line in log_path.read_text().splitlines() if "Traceback" in line]

    everything = [value for values in load.samples.values() for value in values]
    now = datetime.datetime.now(datetime.UTC)
    name = f"load-{now:%Y-%m-%dT%H%M}-{platform.node() or 'host'}.json"
    results = {
        "date": f"{now:%Y-%m-%d %H:%M} UTC",
        "machine": machine(),
        "postgres": pg_version,
        "workers": server.workers,
        "concurrency": args.concurrency,
        "planned": args.requests,
        "sent": load.sent,
        "elapsed_s": round(elapsed, 1),
        "requests_per_s": round(load.sent / elapsed, 1) if elapsed else 0,
        "dataset": (
            f"{args.clusters:,} clusters, {args.inspections:,} inspections, "
            f"{args.markets:,} markets" + (" (reused)" if args.no_seed else "")
        ),
        "setup": setup,
        "load_average_before": [round(x, 2) for x in load_before],
        "overall": figures(everything),
        "by_kind": {kind: figures(values) for kind, values in sorted(load.samples.items())},
        "statuses": {k: dict(sorted(v.items())) for k, v in sorted(load.statuses.items())},
        "error_count": len(load.errors) + len(server_errors),
        "errors": (load.errors + server_errors)[:50],
        "result_file": f"bench/results/{name}",
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / name).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if not args.no_markdown:
        update_benchmarks(markdown(results))
    print(markdown(results))
    if results["error_count"]:
        print("\n".join(results["errors"]), file=sys.stderr)
    if load.sent < args.requests:
        print(
            f"stopped after {args.max_seconds} s: {load.sent} of {args.requests}", file=sys.stderr
        )
        sys.exit(1)
    sys.exit(1 if results["error_count"] else 0)


if __name__ == "__main__":
    main()
