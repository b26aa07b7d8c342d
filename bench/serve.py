"""How fast ``followup serve`` answers, against a static file served on the same machine.

Builds a calendar of interviews that plans into --followups follow-ups (1,000
by default), starts ``followup serve`` on it as a user would (a subprocess on
a free loopback port), and measures requests per second with a load
generator in another process (wrk when installed, else a Python client):

- followup: 200 (plain), 200 (gzip), and 304 (If-None-Match with its ETag);
- the floor: the same bytes as a static file from nginx (one worker) and
  from Python's own http.server (HTTP/1.1, threads), 200 and 304; for the
  gzip column, the same gzip bytes as a static ``calendar.ics.gz`` from nginx
  (Python's server answers a small file at a few hundred requests a second,
  stalled by delayed ACKs, which is no floor);
- a peer, when granian is installed: the same WSGI app under granian (one
  worker), to show what the server itself costs.

Every request goes to 127.0.0.1 and every run stops after --seconds. The
rounds interleave the servers; every round's figure is printed, and the
median with its spread (lowest-highest). A floor or load generator that is
not installed is named in the output as skipped. The goal is 304s within 2x
of the static floor (ratio >= 0.5).

    apt-get install wrk nginx   # the load generator and the nginx floor (Debian)
    python bench/serve.py [--followups 1000] [--seconds 5] [--connections 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
PER_INTERVIEW = 5
"""The shipped rules plan five follow-ups for an interview with a known timeline."""

COMPANIES = ["Acme", "Globex", "Initech", "Hooli", "Umbrella", "Soylent", "Stark", "Wayne"]


def interviews_ics(count: int) -> bytes:
    """``count`` interviews, each with a recruiter and a timeline, spread over the window."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//followup bench//EN"]
    first = NOW - timedelta(days=20)
    for n in range(count):
        start = (first + timedelta(hours=9 * n)).astimezone(ZoneInfo("UTC"))
        company = f"{COMPANIES[n % len(COMPANIES)]} {n}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{n}@example.com",
            "DTSTAMP:20261120T120000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Interview with {company}",
            f"DESCRIPTION:Company: {company}\\nRecruiter: Dana Smith <dana{n}@example.com>"
            "\\nTimeline: 2 weeks",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def shipped_rules_in_berlin() -> str:
    shipped = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    return re.sub(r"(?m)^timezone:.*$", "timezone: Europe/Berlin", shipped)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@contextmanager
def process(
    command: list[str], *, port: int, cwd: Path, logs: Path
) -> Iterator[subprocess.Popen[bytes]]:
    # Output goes to a file: a pipe nobody reads would fill and stall the server.
    log = logs / f"server-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
    try:
        if not listening(port, time.monotonic() + 30):
            raise SystemExit(f"{command[0]} did not start:\n{log.read_text(errors='replace')}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def head(url: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def make_app() -> object:
    """The feed's WSGI app for a server that imports it by name (granian, as a peer).

    Reads the source and rules from FOLLOWUP_BENCH_SOURCE and FOLLOWUP_BENCH_RULES.
    """
    from followup.engine.feed.build import DEFAULT_PROFILE, render_options
    from followup.engine.feed.cache import FeedCache, PipelineInputs
    from followup.engine.feed.server import FeedApp, FeedSite

    refresh = timedelta(hours=1)
    inputs = PipelineInputs(
        os.environ["FOLLOWUP_BENCH_SOURCE"],
        Path(os.environ["FOLLOWUP_BENCH_RULES"]),
        render_options(DEFAULT_PROFILE, calendar_name="Interview follow-ups", refresh=refresh),
    )
    cache = FeedCache(inputs, clock=lambda: NOW)
    cache.refresh()
    site = FeedSite(calendar_name="Interview follow-ups", profile=DEFAULT_PROFILE, refresh=refresh)
    return FeedApp(cache, site, clock=lambda: NOW)


# ------------------------------------------------------------------- load ----


@dataclass(frozen=True)
class Load:
    seconds: float
    connections: int


def rate(url: str, headers: dict[str, str], load: Load, expect: int) -> float:
    """Requests per second at ``url``; every response must have status ``expect``."""
    status = head(url, headers).status
    if status != expect:
        raise SystemExit(f"{url} answered {status}, not {expect}, with {headers}")
    if shutil.which("wrk"):
        return _wrk(url, headers, load)
    return _python_client(url, headers, load)


def _wrk(url: str, headers: dict[str, str], load: Load) -> float:
    command = ["wrk", "-t1", f"-c{load.connections}", f"-d{load.seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=load.seconds + 60, check=True
    )
    if "Non-2xx or 3xx responses" in done.stdout or "Socket errors" in done.stdout:
        raise SystemExit(f"wrk saw errors:\n{done.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if match is None:
        raise SystemExit(f"wrk printed no rate:\n{done.stdout}")
    return float(match.group(1))


def _client(url: str, headers: dict[str, str], seconds: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    count = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
        count += 1
    connection.close()
    out.put(count)


def _python_client(url: str, headers: dict[str, str], load: Load) -> float:
    """Keep-alive clients in separate processes (the GIL would cap threads)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    workers = [
        multiprocessing.Process(target=_client, args=(url, headers, load.seconds, queue))
        for _ in range(min(load.connections, 4))
    ]
    for worker in workers:
        worker.start()
    total: int = sum(int(queue.get(timeout=load.seconds + 60)) for _ in workers)
    for worker in workers:
        worker.join(timeout=10)
    return total / load.seconds


# ---------------------------------------------------------------- servers ----


NGINX_CONF = """\
worker_processes 1;
error_log {dir}/error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log off;
    types {{ text/calendar ics; }}
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
    }}
}}
"""

PYTHON_STATIC = textwrap.dedent(
    """
    import functools, http.server, sys
    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args):
            pass
    handler = functools.partial(Handler, directory=sys.argv[2])
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
    """
)


@dataclass(frozen=True)
class Scenario:
    server: str
    column: str
    url: str
    headers: dict[str, str]
    expect: int


def start_followup(stack: ExitStack, source: Path, rules: Path, expected: int) -> str:
    """Start ``followup serve`` as a user would; return the feed's URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "followup.cli.main", "serve", "--from", str(source), "--rules", str(rules),
        "--now", NOW.isoformat(), "--port", str(port),
    ]  # fmt: skip
    stack.enter_context(process(command, port=port, cwd=ROOT, logs=source.parent))
    url = f"http://127.0.0.1:{port}/calendar.ics"
    count = body_of(url).count(b"BEGIN:VEVENT")
    if count != expected:
        raise SystemExit(f"the feed holds {count} follow-ups, not {expected}")
    return url


def body_of(url: str) -> bytes:
    host, port = url.split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/calendar.ics")
    data = connection.getresponse().read()
    connection.close()
    return data


def start_nginx(stack: ExitStack, www: Path, work: Path) -> str | None:
    nginx = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )
    if nginx is None:
        return None
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=work, port=port))
    # nginx's workers run as nobody: they must be able to read the file.
    for path in (work, www, www / "calendar.ics"):
        path.chmod(0o755)
    command = [nginx, "-c", str(conf), "-p", str(work), "-g", "daemon off;"]
    stack.enter_context(process(command, port=port, cwd=work, logs=work))
    return f"http://127.0.0.1:{port}/calendar.ics"


def start_granian(stack: ExitStack, source: Path, rules: Path) -> str | None:
    """The same feed app under granian, a server with a Rust core, when it is installed."""
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which(
        "granian"
    )
    if granian is None:
        return None
    port = free_port()
    os.environ["FOLLOWUP_BENCH_SOURCE"] = str(source)
    os.environ["FOLLOWUP_BENCH_RULES"] = str(rules)
    command = [
        granian, "--interface", "wsgi", "--factory", "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--no-ws", "--log-level", "warning", "bench.serve:make_app",
    ]  # fmt: skip
    stack.enter_context(process(command, port=port, cwd=ROOT, logs=source.parent))
    return f"http://127.0.0.1:{port}/calendar.ics"


def start_python_static(stack: ExitStack, www: Path) -> str:
    port = free_port()
    command = [sys.executable, "-c", PYTHON_STATIC, str(port), str(www)]
    stack.enter_context(process(command, port=port, cwd=www, logs=www.parent))
    return f"http://127.0.0.1:{port}/calendar.ics"


FOLLOWUP = "followup serve (waitress)"
GRANIAN = "same app on granian (peer)"
NGINX = "nginx static file (1 worker)"
PYTHON = "python http.server static file"
COLUMNS = ("200", "gzip 200", "304")


def scenarios(followup: str, nginx: str | None, python: str, granian: str | None) -> list[Scenario]:
    etag = head(followup).getheader("ETag") or ""
    found = []
    for name, url in ((FOLLOWUP, followup), (GRANIAN, granian)):
        if url is not None:
            found += [
                Scenario(name, "200", url, {}, 200),
                Scenario(name, "gzip 200", url, {"Accept-Encoding": "gzip"}, 200),
                Scenario(name, "304", url, {"If-None-Match": etag}, 304),
            ]
    if nginx is not None:
        nginx_etag = head(nginx).getheader("ETag") or ""
        found += [
            Scenario(NGINX, "200", nginx, {}, 200),
            Scenario(
                NGINX, "gzip 200", nginx.replace("/calendar.ics", "/calendar.ics.gz"), {}, 200
            ),
            Scenario(NGINX, "304", nginx, {"If-None-Match": nginx_etag}, 304),
        ]
    modified = head(python).getheader("Last-Modified") or ""
    found += [
        Scenario(PYTHON, "200", python, {}, 200),
        Scenario(PYTHON, "304", python, {"If-Modified-Since": modified}, 304),
    ]
    return found


# ------------------------------------------------------------------ main ----


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followups", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds over every server; the median is shown"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    load = Load(args.seconds, args.connections)
    interviews = -(-args.followups // PER_INTERVIEW)
    expected = interviews * PER_INTERVIEW

    with tempfile.TemporaryDirectory(prefix="followup-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        source = work / "interviews.ics"
        source.write_bytes(interviews_ics(interviews))
        rules = work / "rules.yaml"
        rules.write_text(shipped_rules_in_berlin(), encoding="utf-8")
        os.environ["FOLLOWUP_DATA_DIR"] = str(work / "data")  # none of the user's own marks

        followup = start_followup(stack, source, rules, expected)
        body = body_of(followup)
        www = work / "www"
        www.mkdir()
        (www / "calendar.ics").write_bytes(body)
        (www / "calendar.ics.gz").write_bytes(gzip.compress(body, 6))
        nginx = start_nginx(stack, www, work)
        granian = start_granian(stack, source, rules)
        runs = scenarios(followup, nginx, start_python_static(stack, www), granian)
        skipped = []
        if not shutil.which("wrk"):
            skipped.append("wrk not found: a Python client measures instead (apt-get install wrk)")
        if nginx is None:
            skipped.append("nginx not found: its floor is skipped (apt-get install nginx)")
        if granian is None:
            skipped.append("granian not installed: no peer row (pip install granian)")
        # Rounds interleave the servers, so a busy moment on the machine hits them all alike.
        seen: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for run in runs:
                rate_now = rate(run.url, run.headers, load, run.expect)
                seen.setdefault((run.server, run.column), []).append(rate_now)
    report(seen, body, expected, load, args.repeat, skipped, as_json=args.json)


def report(
    seen: dict[tuple[str, str], list[float]],
    body: bytes,
    followups: int,
    load: Load,
    repeat: int,
    skipped: list[str],
    *,
    as_json: bool,
) -> None:
    figures = {key: statistics.median(values) for key, values in seen.items()}
    order = (FOLLOWUP, GRANIAN, NGINX, PYTHON)
    servers = sorted(dict.fromkeys(server for server, _ in figures), key=order.index)
    if as_json:
        table = {s: {c: seen.get((s, c)) for c in COLUMNS} for s in servers}
        print(
            json.dumps(
                {"followups": followups, "bytes": len(body), "runs": table, "skipped": skipped}
            )
        )
        return
    generator = "wrk, 1 thread" if shutil.which("wrk") else "Python client, 4 processes"
    print(
        f"Feed: {followups} follow-ups, {len(body) / 1024:.0f} KiB "
        f"({len(gzip.compress(body, 6)) / 1024:.0f} KiB gzip)"
    )
    print(
        f"Load: {generator}, {load.connections} connections, {load.seconds:g} s a run, "
        f"median of {repeat}, 127.0.0.1, {os.cpu_count()} cores\n"
    )
    for note in skipped:
        print(f"skipped: {note}")
    print("requests per second, median (lowest-highest)")
    print(f"{'':34}" + "".join(f"{c:>24}" for c in COLUMNS))
    for server in servers:
        print(f"{server:34}" + "".join(f"{_cell(seen.get((server, c))):>24}" for c in COLUMNS))
    print("\nevery round, in order:")
    for (server, column), values in seen.items():
        print(f"  {server:34} {column:>9}: " + ", ".join(f"{v:,.0f}" for v in values))
    print("\nratios, each round's pair, median (lowest-highest):")
    floors = [s for s in servers if s not in (FOLLOWUP, GRANIAN)]
    for mine_name in (s for s in servers if s in (FOLLOWUP, GRANIAN)):
        for floor in floors:
            for column in COLUMNS:
                mine, theirs = seen.get((mine_name, column)), seen.get((floor, column))
                if mine and theirs:
                    ratios = [m / t for m, t in zip(mine, theirs, strict=True)]
                    middle = statistics.median(ratios)
                    verdict = "within 2x" if middle >= 0.5 else "more than 2x slower"
                    print(
                        f"{column}: {mine_name} / {floor} = {middle:.2f} "
                        f"({min(ratios):.2f}-{max(ratios):.2f}; {verdict})"
                    )


def _cell(values: list[float] | None) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


if __name__ == "__main__":
    main()
