#!/usr/bin/env python3
"""A client of the registry's REST API for another department: Python 3.10+, standard library
only. Copy this file, then:

    export REGISTRY_API=https://registry.example.gov.vn/api/v1 REGISTRY_TOKEN=<your key>

    # The wastewater KPI at 14/12/2025 as CSV (a total row, then one row a district):
    python3 registry_client.py kpi 14/12/2025 --out kpi-2025-12-14.csv

    # Keep a copy of the clusters in sync (a JSON file: code → cluster, plus the moment to
    # start from next time). The first run takes every cluster; later runs only what was
    # added, changed or deleted since the run before:
    python3 registry_client.py sync clusters.json
    python3 registry_client.py sync clusters.json --since 2025-12-01T00:00:00+07:00

How the sync works (the recipe the API documents):

1. Changes: ``GET /clusters/?ordering=updated_at&updated_since=<T>&page_size=500``. Store
   every row (by code), then ask again with ``T`` = the ``updated_at`` of the page's last row;
   stop when the answer has no ``next`` page. ``updated_since`` includes ``T`` itself, so the
   rows at ``T`` come again (storing them twice is harmless) and a change made while you page
   is never skipped. (If a whole page shares one ``updated_at``, follow ``next`` instead.)
2. Deletions: ``GET /deletions/?model=cluster&since=<T0>`` (``T0`` = where this run started),
   paged with ``next``: remove each ``key`` from your copy.
3. Keep the largest ``updated_at`` / ``deleted_at`` seen as the start of the next run.

A 429 answer (too many requests) says in ``Retry-After`` how many seconds to wait; every
answer says in ``RateLimit-Remaining`` how many requests are left in the window.
"""

import argparse
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PAGE_SIZE = int(os.environ.get("REGISTRY_PAGE_SIZE", "500"))


class ApiError(Exception):
    pass


class Client:
    def __init__(self, api: str, token: str, timeout: float = 60):
        self.api = api.rstrip("/") + "/"
        self.token = token
        self.timeout = timeout

    def get(self, path_or_url: str, params=None, accept="application/json") -> bytes:
        url = path_or_url if "://" in path_or_url else self.api + path_or_url
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params, doseq=True)
        request = urllib.request.Request(  # noqa: S310 (the API's own address)
            url, headers={"Authorization": f"Token {self.token}", "Accept": accept}
        )
        for _attempt in range(5):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.read()
            except urllib.error.HTTPError as error:
                body = error.read()
                if error.code == 429:
                    time.sleep(float(error.headers.get("Retry-After", "1")))
                    continue
                try:
                    detail = json.loads(body)
                except ValueError:
                    detail = body.decode("utf-8", "replace")
                raise ApiError(f"{error.code} {url}: {detail}") from None
        raise ApiError(f"still refused (429) after 5 attempts: {url}")

    def get_json(self, path_or_url: str, params=None) -> dict:
        return json.loads(self.get(path_or_url, params))


def parse_day(text: str) -> datetime.date:
    """DD/MM/YYYY (as written in Vietnam) or YYYY-MM-DD."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"not a date (DD/MM/YYYY): {text}")


def fetch_kpi_csv(client: Client, as_of: datetime.date) -> bytes:
    return client.get(
        "stats/wastewater-compliance/", {"as_of": as_of.isoformat()}, accept="text/csv"
    )


def sync_clusters(client: Client, copy: dict, since: str | None) -> dict:
    """Bring ``copy`` (``{"clusters": {code: row}, "since": moment}``) up to date."""
    clusters = copy.setdefault("clusters", {})
    start = since or copy.get("since")
    newest = start
    changed = deleted = 0
    # 1. Changes, by keyset on updated_at.
    cursor = start
    while True:
        params = {"ordering": "updated_at", "page_size": PAGE_SIZE}
        if cursor:
            params["updated_since"] = cursor
        page = client.get_json("clusters/", params)
        for row in page["results"]:
            clusters[row["code"]] = row
            changed += 1
        if not page["results"]:
            break
        newest = page["results"][-1]["updated_at"]
        if not page["next"]:
            break
        while newest == cursor and page["next"]:
            # A whole page at the cursor's moment: page on within that moment.
            page = client.get_json(page["next"])
            for row in page["results"]:
                clusters[row["code"]] = row
                changed += 1
            newest = page["results"][-1]["updated_at"]
        if newest == cursor:  # no further page
            break
        cursor = newest
    # 2. Deletions since the start of this run's window.
    params = {"model": "cluster"}
    if start:
        params["since"] = start
    url, latest_deletion = "deletions/", None
    while url:
        page = client.get_json(url, params if url == "deletions/" else None)
        for row in page["results"]:
            if clusters.pop(row["key"], None) is not None:
                deleted += 1
            latest_deletion = row["deleted_at"]
        url = page["next"]
    # 3. Start the next run at the newest moment seen.
    moments = [m for m in (newest, latest_deletion) if m]
    if moments:
        copy["since"] = max(moments, key=lambda m: datetime.datetime.fromisoformat(m))
    copy["last_run"] = {"changed": changed, "deleted": deleted}
    return copy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default=os.environ.get("REGISTRY_API"), help="…/api/v1")
    parser.add_argument("--token", default=os.environ.get("REGISTRY_TOKEN"))
    sub = parser.add_subparsers(dest="command", required=True)
    kpi = sub.add_parser("kpi", help="the wastewater KPI at a date, as CSV")
    kpi.add_argument("as_of", type=parse_day, help="DD/MM/YYYY, e.g. 14/12/2025")
    kpi.add_argument("--out", help="file to write (default: standard output)")
    sync = sub.add_parser("sync", help="keep a JSON copy of the clusters up to date")
    sync.add_argument("file", help="the copy (created if missing)")
    sync.add_argument("--since", help="start from this moment (ISO 8601) instead of the file's")
    args = parser.parse_args(argv)
    if not args.api or not args.token:
        parser.error("give --api and --token (or REGISTRY_API and REGISTRY_TOKEN)")
    client = Client(args.api, args.token)
    try:
        if args.command == "kpi":
            data = fetch_kpi_csv(client, args.as_of)
            if args.out:
                with open(args.out, "wb") as out:
                    out.write(data)
            else:
                sys.stdout.buffer.write(data)
        else:
            copy = {}
            if os.path.exists(args.file):
                with open(args.file, encoding="utf-8") as f:
                    copy = json.load(f)
            copy = sync_clusters(client, copy, args.since)
            with open(args.file, "w", encoding="utf-8") as f:
                json.dump(copy, f, ensure_ascii=False, indent=1)
            run = copy["last_run"]
            print(
                f"{len(copy['clusters'])} clusters; {run['changed']} received, "
                f"{run['deleted']} deleted; next run since {copy.get('since')}"
            )
    except ApiError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
