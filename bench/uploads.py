"""Spreadsheet uploads through the admin's import preview: ``python -m bench.uploads``.

Serves the app with gunicorn (one worker, ``bench.settings``, production settings otherwise),
signs in through the login form, and POSTs each file below to the cluster import page over
real HTTP, as a browser does. For each: the wall time of the answer, its status, whether the
file was refused and with which message, and the worker's peak resident memory (VmHWM; the
server is restarted for each file so that the peak is that file's).

The files are made here, about 20 MB each (the upload limit) unless the shape is the point:

- ``csv-over-limit``: a valid-looking cluster CSV of ~170,000 rows (refused: row limit);
- ``csv-at-limit``: as many rows as ``REGISTRY_IMPORT_MAX_ROWS`` allows, padded to ~20 MB with
  long addresses (every row invalid: the address is too long);
- ``csv-separators``: a header and one line of 20 million commas;
- ``csv-open-quote``: a quote opened on line 2 and never closed (a 20 MB field);
- ``xlsx-over-limit``: an XLSX of ~20 MB of hard-to-compress rows (refused: bounds);
- ``xlsx-at-limit``: ``REGISTRY_IMPORT_MAX_ROWS`` valid rows, typed cells (previewed,
  confirmable);
- ``xlsx-far-cell``: 1.5 KB, cells at A1 and XFD1048576, the dimension claiming the grid;
- ``xlsx-million-rows``: a million one-cell rows (a few MB);
- ``xlsx-shared-string``: one 100 MB shared string in a ~100 KB file;
- ``xlsx-empty-cells``: 20 MB holding millions of formatted empty cells.

The row limit is the one the app enforces (``REGISTRY_IMPORT_MAX_ROWS``, read from the
settings). Writes ``bench/results/uploads-<date>-<host>.json`` and ``.md``.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import platform
import random
import re
import secrets
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from bench import run
from bench.run import (
    RESULTS_DIR,
    Server,
    bench_account,
    cookie_header,
    cookie_jar,
    ensure_database,
    free_port,
    login_session,
    request,
    setup_django,
)

GOAL_SECONDS = 5.0
GOAL_RSS_MB = 300
MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ["Mã", "Tên", "Mã quận/huyện", "Địa chỉ / xã", "Diện tích quy hoạch (ha)"]


def csv_rows(count: int, address_chars: int) -> bytes:
    lines = [",".join(HEADER)]
    for n in range(count):
        address = f"Xa Lien Ha {n} " + "thon " * (address_chars // 5)
        lines.append(f"BENCH-UP-{n:06d},Cụm {n},017,{address[:address_chars]},{10 + n % 50}.5")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def workbook(sheet_xml: bytes, shared: bytes | None = None, extra=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="r1" Type="{OFFICE}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets><sheet name="S" sheetId="1" '
            'r:id="r1"/></sheets></workbook>',
        )
        rels = f'<Relationship Id="r1" Type="{OFFICE}/worksheet" Target="worksheets/s.xml"/>'
        if shared is not None:
            rels += f'<Relationship Id="r2" Type="{OFFICE}/sharedStrings" Target="ss.xml"/>'
            archive.writestr("xl/ss.xml", shared)
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{RELS}">{rels}</Relationships>'
        )
        archive.writestr("xl/worksheets/s.xml", sheet_xml)
        for name, content in (extra or {}).items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def sheet(rows, dimension="") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<worksheet xmlns="{MAIN}">{dim}<sheetData>' + "".join(rows) + "</sheetData></worksheet>"
    ).encode()


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_at_limit(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet()
    ws.append(HEADER)
    for n in range(rows):
        ws.append([f"BENCH-UP-{n:06d}", f"Cụm {n}", "017", f"Xã Liên Hà {n}", 10 + n % 50 + 0.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_over_limit(target: int) -> bytes:
    rng = random.Random(2021)
    rows, size, n = [], 0, 1
    rows.append(
        '<row r="1">'
        + "".join(inline(f"{c}1", h) for c, h in zip("ABCDE", HEADER, strict=False))
        + "</row>"
    )
    while size < target * 2.2:  # random hex compresses about 2:1
        text = f"{rng.getrandbits(128):032x}"
        row = (
            f'<row r="{n + 1}">'
            + inline(f"A{n + 1}", f"BENCH-{n}")
            + inline(f"B{n + 1}", text)
            + "</row>"
        )
        rows.append(row)
        size += len(row)
        n += 1
    return workbook(sheet(rows))


def files(max_rows: int) -> dict:
    # the file's bytes, leaving room for the multipart envelope under the 20 MB request limit
    target = 20 * MB - 100_000
    far = workbook(
        sheet(
            [
                '<row r="1">' + inline("A1", "Mã") + "</row>",
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            ],
            dimension="A1:XFD1048576",
        )
    )
    million = workbook(
        sheet(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))
    )
    shared = workbook(
        sheet(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']),
        shared=(f'<sst xmlns="{MAIN}"><si><t>'.encode() + b"A" * (100 * MB) + b"</t></si></sst>"),
    )
    empty = workbook(
        sheet(['<row r="1">' + inline("A1", "Mã") + '<c s="1"/>' * 3_000_000 + "</row>"]),
        extra={"xl/media/pad.bin": os.urandom(max(0, target - 200_000))},
    )
    return {
        "csv-over-limit": ("csv", csv_rows(target // 125, 80)),
        "csv-at-limit": ("csv", csv_rows(max_rows, target // max_rows - 45)),
        "csv-separators": ("csv", b"a,b\r\n" + b"," * target),
        "csv-open-quote": ("csv", b'a,b\r\n"' + b"x" * target),
        "xlsx-over-limit": ("xlsx", xlsx_over_limit(target)),
        "xlsx-at-limit": ("xlsx", xlsx_at_limit(max_rows)),
        "xlsx-far-cell": ("xlsx", far),
        "xlsx-million-rows": ("xlsx", million),
        "xlsx-shared-string": ("xlsx", shared),
        "xlsx-empty-cells": ("xlsx", empty),
    }


def multipart(fields: dict, name: str, content: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def upload(port: int, cookies: str, kind: str, name: str, content: bytes, timeout: int) -> dict:
    path = "/admin/clusters/industrialcluster/import/"
    status, headers, body = request("GET", port, path, headers={"Cookie": cookies})
    jar = dict(item.split("=", 1) for item in cookies.split("; "))
    jar.update(cookie_jar(headers))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    content_type, payload = multipart(
        {"csrfmiddlewaretoken": token, "format": {"csv": "0", "xlsx": "1"}[kind], "resource": "0"},
        f"{name}.{kind}",
        content,
    )
    # a connection that waits as long as the worker may take (bench.run's waits 60 s)
    run._local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout + 30)
    started = time.monotonic()
    try:
        status, _headers, body = request(
            "POST",
            port,
            path,
            headers={
                "Cookie": cookie_header(jar),
                "Content-Type": content_type,
                "Referer": f"http://127.0.0.1:{port}{path}",
            },
            body=payload,
        )
    except (OSError, http.client.HTTPException) as error:  # the worker was killed
        return {
            "status": f"no answer ({type(error).__name__})",
            "seconds": round(time.monotonic() - started, 2),
            "previewed": False,
            "message": None,
        }
    seconds = time.monotonic() - started
    html = body.decode("utf-8", "replace")
    message = re.search(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', html, re.S)
    return {
        "status": status,
        "seconds": round(seconds, 2),
        "previewed": 'name="import_file_name"' in html,
        "message": message.group(1).strip() if message else None,
        "rows_with_errors": _with_errors(html),
        "rows_shown": html.count('<td class="row-number">'),
    }


def _with_errors(html: str) -> int:
    """How many rows the preview says have errors (those shown and the "… and N more")."""
    if '<ul class="cell-errors">' not in html:
        return 0
    more = re.search(r'<p class="import-more">.*?\((?:tất cả )?(\d+)', html, re.S)
    return int(more.group(1)) if more else html.count('<td class="row-number">')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/registry_uploads_bench"
    )
    parser.add_argument("--timeout", type=int, default=180, help="gunicorn worker timeout (s).")
    parser.add_argument("--only", nargs="*", help="upload only these files (names above).")
    args = parser.parse_args()
    env = {
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_TIMEOUT": str(args.timeout),
    }
    os.environ.update(env)
    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from django.conf import settings

    max_rows = settings.REGISTRY["IMPORT_MAX_ROWS"]
    username, password, _token = bench_account()
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "gunicorn": {"workers": 1, "timeout_s": args.timeout},
        "goal": {"seconds": GOAL_SECONDS, "worker_rss_mb": GOAL_RSS_MB},
        "import_max_rows": max_rows,
        "files": {},
    }
    made = files(max_rows)
    if args.only:
        made = {name: made[name] for name in args.only}
    with tempfile.TemporaryDirectory() as scratch:
        for name, (kind, content) in made.items():
            port = free_port()
            print("uploading", name, flush=True)
            server = Server(env, port, 1, "", Path(scratch) / f"{name}.log")
            server.start()
            try:
                cookies = login_session(port, username, password)
                baseline = server.worker_peak_rss_kb()
                outcome = upload(port, cookies, kind, name, content, args.timeout)
                outcome["bytes"] = len(content)
                outcome["worker_rss_mb_before"] = round(baseline / 1024, 1)
                outcome["worker_peak_rss_mb"] = round(server.worker_peak_rss_kb() / 1024, 1)
                outcome["within_goal"] = (
                    outcome["status"] == 200
                    and outcome["seconds"] <= GOAL_SECONDS
                    and outcome["worker_peak_rss_mb"] <= GOAL_RSS_MB
                )
            finally:
                server.stop()
                if os.environ.get("BENCH_UPLOADS_LOG"):
                    print((Path(scratch) / f"{name}.log").read_text()[-3000:])
            results["files"][name] = outcome
            print(name, json.dumps(outcome, ensure_ascii=False))
    stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M")
    RESULTS_DIR.mkdir(exist_ok=True)
    base = RESULTS_DIR / f"uploads-{stamp}-{platform.node() or 'host'}"
    base.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# Uploads through the import preview ({results['when']})",
        "",
        f"One gunicorn worker, {results['cpus']} CPUs, load average {results['load_average']}, "
        f"row limit {max_rows}.",
        "",
        "| file | size | answer | time (s) | worker peak RSS (MB) | outcome |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, o in results["files"].items():
        outcome = "previewed" if o["previewed"] else (o["message"] or "")[:90]
        if not o["previewed"] and not o["message"] and o.get("rows_with_errors"):
            outcome = f"{o['rows_with_errors']} rows with errors ({o['rows_shown']} shown)"
        elif o["previewed"]:
            outcome = f"previewed ({o['rows_shown']} rows shown), confirmable"
        lines.append(
            f"| {name} | {o['bytes'] / MB:.2f} MB | {o['status']} | {o['seconds']} | "
            f"{o['worker_peak_rss_mb']} | {outcome} |"
        )
    base.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"wrote {base}.json and .md")


if __name__ == "__main__":
    main()
