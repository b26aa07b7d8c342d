"""What ``followup sync`` costs on the wire, against vdirsyncer on the same items.

Starts Radicale (one fresh server for each tool, on free loopback ports),
fills a calendar with interviews that plan into about --followups follow-ups
(1,000 by default), and measures, as the server sees them (requests, bytes
in and out, headers included) and as the user waits for them (wall time of
the command, Python start-up included):

- followup: the first sync; a re-sync with nothing changed, which plans again
  and finds nothing to do; the same again, which the quiet check answers
  (one sync-collection REPORT per calendar, no planning: what a timer's runs
  cost); a re-sync after --changed interviews got a timeline (O(k) requests);
  and the no-op re-sync with a tenth of the items (its size must not grow
  with N);
- vdirsyncer: the same follow-ups, as .ics files, synced from a folder into
  a calendar on the other Radicale: discover (a process of its own, which
  only finds the collections), the first sync, then a re-sync with nothing
  changed (it lists every item's ETag). The first sync is compared with
  vdirsyncer's sync alone, and with discover and sync together.

Goals: a no-op costs one sync-collection REPORT per calendar (interviews and
follow-ups) with a response that does not grow with N, and at least 10x fewer
bytes than vdirsyncer's no-op at N = 1,000; once a run has found nothing to do,
the next no-op takes at most half of vdirsyncer's no-op wall time (run with
--followups 1000 and --followups 100); a first sync no slower than
vdirsyncer's.

Wall times are the median (lowest-highest) of --runs runs, each on fresh
servers; requests and bytes are the first run's (they are the same every run).

    python bench/sync.py [--followups 1000] [--changed 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.caldav_server import PASSWORD, USER, CalDAVServer, Exchange  # noqa: E402

NOW = "2026-12-01T08:00"
ZONE = ZoneInfo("Europe/Berlin")
FIRST_INTERVIEW = datetime(2026, 10, 20, 9, 0, tzinfo=ZONE)


@dataclass(frozen=True)
class Cost:
    label: str
    seconds: float
    requests: int
    sent: int
    received: int
    methods: str


def measure(label: str, server: CalDAVServer, command: Callable[[], None]) -> Cost:
    server.log.clear()
    started = time.perf_counter()
    command()
    seconds = time.perf_counter() - started
    log: list[Exchange] = list(server.log)
    counted: dict[str, int] = {}
    for exchange in log:
        counted[exchange.method] = counted.get(exchange.method, 0) + 1
    methods = " ".join(f"{n} {m}" for m, n in sorted(counted.items()))
    return Cost(
        label,
        seconds,
        len(log),
        sum(e.sent for e in log),
        sum(e.received for e in log),
        methods,
    )


def interview(n: int, timeline: str | None = None) -> bytes:
    start = FIRST_INTERVIEW + timedelta(days=n % 40, hours=n % 8)
    end = start + timedelta(hours=1)
    notes = f"Company: Company {n}\\nRole: Engineer"
    if timeline:
        notes += f"\\nTimeline: {timeline}"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:bench-{n}@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{start.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{end.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:Interview with Company {n}\r\nDESCRIPTION:{notes}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def followups_per_interview() -> float:
    from followup.engine.pipeline import load_rules, make_plan, read_objects

    rules = load_rules(None)
    now = datetime.fromisoformat(NOW).replace(tzinfo=ZONE)
    objects = [(f"/{n}.ics", interview(n)) for n in range(40)]
    plan = make_plan(rules, read_objects(objects, rules=rules, now=now), now)
    return len(plan.followups) / 40


class Client:
    """The calendar app that fills the server; its requests are not measured."""

    def __init__(self, server: CalDAVServer) -> None:
        import niquests

        self.server = server
        self.http = niquests.Session()

    def request(self, method: str, url: str, data: bytes | None = None) -> int:
        headers = {"Content-Type": "text/calendar"} if data else {}
        response = self.http.request(
            method, url, data=data, headers=headers, auth=(USER, PASSWORD), timeout=60
        )
        return int(response.status_code)

    def calendar(self, name: str) -> str:
        url = self.server.calendar_url(name)
        assert self.request("MKCALENDAR", url) == 201
        return url


def run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def followup_sync(work: str, target: str, env: dict[str, str]) -> Callable[[], None]:
    argv = [
        sys.executable, "-c", "from followup.cli.main import main; main()",
        "sync", "--from", work, "--to", target, "--now", NOW,
    ]  # fmt: skip
    return lambda: run(argv, env)


def account(url: str) -> str:
    return url.replace("://", f"://{USER}@", 1)


def bench_followup(
    folder: Path, interviews: int, changed: int, env: dict[str, str]
) -> tuple[list[Cost], CalDAVServer]:
    server = CalDAVServer("radicale", folder / "radicale-followup")
    server.start()
    client = Client(server)
    work, target = client.calendar("work"), client.calendar("followups")
    for n in range(interviews):
        client.request("PUT", f"{work}bench-{n}.ics", interview(n))
    sync = followup_sync(account(work), account(target), env)
    costs = [
        measure("followup: first sync", server, sync),
        measure("followup: nothing changed (plans)", server, sync),
        measure("followup: nothing changed, again", server, sync),
    ]
    for n in range(changed):
        client.request("PUT", f"{work}bench-{n}.ics", interview(n, timeline="3 weeks"))
    costs.append(measure(f"followup: {changed} interviews changed", server, sync))
    costs.append(measure("followup: nothing changed (plans)", server, sync))
    return costs, server


def rendered_followups(interviews: int, folder: Path) -> int:
    """The follow-ups followup would write, one .ics file each, for vdirsyncer to upload."""
    from followup.engine.pipeline import load_rules, make_plan, read_objects
    from followup.engine.write.render import render_object

    rules = load_rules(None)
    now = datetime.fromisoformat(NOW).replace(tzinfo=ZONE)
    objects = [(f"/{n}.ics", interview(n)) for n in range(interviews)]
    plan = make_plan(rules, read_objects(objects, rules=rules, now=now), now)
    folder.mkdir(parents=True)
    for followup in plan.followups:
        data = render_object(followup, now=now).to_ical()
        (folder / f"{followup.uid}.ics").write_bytes(data)
    return len(plan.followups)


def bench_vdirsyncer(folder: Path, interviews: int, env: dict[str, str]) -> tuple[list[Cost], int]:
    server = CalDAVServer("radicale", folder / "radicale-vdirsyncer")
    server.start()
    target = Client(server).calendar("followups")
    count = rendered_followups(interviews, folder / "local")
    config = folder / "vdirsyncer.conf"
    config.write_text(
        f"""[general]
status_path = "{folder / "status"}/"

[pair followups]
a = "local"
b = "remote"
collections = null

[storage local]
type = "filesystem"
path = "{folder / "local"}/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "{target}"
username = "{USER}"
password = "{PASSWORD}"
auth = "basic"
"""
    )
    vdirsyncer = shutil.which("vdirsyncer", path=str(Path(sys.executable).parent)) or "vdirsyncer"
    base = [vdirsyncer, "-v", "WARNING", "-c", str(config)]

    costs = [
        measure("vdirsyncer: discover", server, lambda: run([*base, "discover"], env)),
        measure("vdirsyncer: first sync", server, lambda: run([*base, "sync"], env)),
        measure("vdirsyncer: nothing changed", server, lambda: run([*base, "sync"], env)),
    ]
    server.stop()
    return costs, count


def spread(values: list[float]) -> str:
    """The median, and the lowest and highest value: '1.23 (1.10-1.40)'."""
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def table(runs: list[list[Cost]]) -> str:
    lines = [f"{'':36} {'wall s':>19} {'requests':>9} {'bytes out':>11} {'bytes in':>11}  methods"]
    for row, c in enumerate(runs[0]):
        wall = spread([costs[row].seconds for costs in runs])
        lines.append(
            f"{c.label:36} {wall:>19} {c.requests:9d} {c.sent:11,d} {c.received:11,d}  {c.methods}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followups", type=int, default=1000, help="about this many (N)")
    parser.add_argument("--changed", type=int, default=10, help="interviews changed (k)")
    parser.add_argument("--runs", type=int, default=3, help="runs on fresh servers (default 3)")
    args = parser.parse_args()

    interviews = max(1, round(args.followups / followups_per_interview()))
    runs = [one_run(interviews, args.changed) for _ in range(args.runs)]
    count = runs[0][1]
    print(
        f"N = {count} follow-ups from {interviews} interviews; Radicale on 127.0.0.1 (HTTP/1.0); "
        f"wall times: median (lowest-highest) of {args.runs} runs"
    )
    print(table([r[0] for r in runs]))
    ours, theirs = runs[0][0][:5], runs[0][0][5:8]
    small_noop = runs[0][0][8]
    our_noop, changed = ours[1], ours[3]
    their_noop = theirs[2]
    print()
    print(
        f"no-op: {our_noop.requests} requests (goal: 1 per calendar, 2 here); "
        f"{their_noop.received / our_noop.received:.0f}x fewer bytes received and "
        f"{(their_noop.sent + their_noop.received) / (our_noop.sent + our_noop.received):.0f}x "
        "fewer bytes in all than vdirsyncer (goal: >= 10x)"
    )
    print(
        f"no-op response size at N and at N/10: {our_noop.received:,d} and "
        f"{small_noop.received:,d} bytes (goal: not growing with N)"
    )
    print(
        f"{args.changed} interviews changed: {changed.requests} requests "
        f"({changed.requests / max(1, args.changed):.1f} per changed interview)"
    )
    quiet = [r[0][2].seconds / r[0][7].seconds for r in runs]
    plans = [r[0][1].seconds / r[0][7].seconds for r in runs]
    print(
        f"no-op, ratio to vdirsyncer's no-op: {spread(quiet)} once a run has found nothing to "
        f"do (goal: <= 0.5); {spread(plans)} for that first run, which plans"
    )
    alone = [r[0][0].seconds / r[0][6].seconds for r in runs]
    both = [r[0][0].seconds / (r[0][5].seconds + r[0][6].seconds) for r in runs]
    print(
        f"first sync, ratio to vdirsyncer's sync: {spread(alone)} (goal: <= 1); "
        f"to its discover and sync together: {spread(both)}; "
        f"{ours[0].requests} vs {theirs[1].requests} requests"
    )


def one_run(interviews: int, changed: int) -> tuple[list[Cost], int]:
    """Every measurement once, on fresh servers: followup's four, vdirsyncer's three, and
    followup's no-op at N/10."""
    with tempfile.TemporaryDirectory(prefix="followup-bench-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "TZ": "Europe/Berlin",
            "FOLLOWUP_PASSWORD": PASSWORD,
            "XDG_STATE_HOME": str(folder / "state"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
            "FOLLOWUP_DATA_DIR": str(folder / "data" / "followup"),
            "FOLLOWUP_CONFIG_DIR": str(folder / "config" / "followup"),
        }
        env.pop("FOLLOWUP_STATE_DIR", None)
        env.pop("FOLLOWUP_CACHE_DIR", None)
        ours, server = bench_followup(folder, interviews, changed, env)
        server.stop()
        theirs, count = bench_vdirsyncer(folder, interviews, env)
        small_env = {**env, "XDG_CACHE_HOME": str(folder / "cache-small"),
                     "XDG_STATE_HOME": str(folder / "state-small")}  # fmt: skip
        small, server = bench_followup(folder / "small", max(1, interviews // 10), 0, small_env)
        server.stop()
    small_noop = replace(small[2], label="followup: nothing changed again, N/10")
    return [*ours, *theirs, small_noop], count


if __name__ == "__main__":
    main()
