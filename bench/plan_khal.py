"""Benchmark: ``followup plan`` on N interviews against ``khal list`` on the same events.

    python bench/plan_khal.py                      # N = 1,000 and 3,000, 5 rounds
    python bench/plan_khal.py --n 1000 --rounds 7

Writes a calendar of N interviews as a calendar app exports them (three rounds
per company, so later rounds supersede earlier chains; a recruiter and a
timeline in the notes of most; an organizer; a VALARM), one .ics file for
followup and the same events as a vdir (one .ics per event) for khal. Each
round runs, in a shuffled order, ``followup plan --from FILE`` and
``khal list`` over the same days, as whole processes. The rules cache is
warmed before the rounds. It prints the median wall and CPU seconds (user +
system of the child: CPU moves less than wall on a busy machine) with the
lowest and highest round, the ratio of each round's pair (median and spread),
and the growth per interview from the smallest to the largest N.

khal is run from its own virtual environment: ``bench/.khal`` (made with
``python -m venv bench/.khal && bench/.khal/bin/pip install khal``), else
``khal`` on the PATH; without it the benchmark says so and stops.

Goals: followup at most 0.8x khal at N = 1,000, and per interview linear within
1.15x up to 3,000.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-01T08:00"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROUNDS = 3
SCRIPT = Path(sys.executable).with_name("followup")
FOLLOWUP = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "followup.cli.main"]


def events(n: int) -> list[str]:
    """N interviews as VEVENT text, three rounds per company, spread over 100 days."""
    out = []
    companies = max(1, n // ROUNDS)
    for i in range(n):
        company = i % companies
        start = START + timedelta(hours=(i * 7) % (24 * 100))
        end = start + timedelta(hours=1)
        notes = (
            f"Company: Company {company}\\nRole: Backend Engineer\\n"
            f"Recruiter: Dana {company} <dana{company}@company{company}.example>"
            + ("\\nTimeline: 2 weeks" if i % 2 else "")
        )
        out.append(
            "\r\n".join(
                [
                    "BEGIN:VEVENT",
                    f"UID:iv-{i}@bench.example",
                    f"DTSTAMP:{START:%Y%m%dT%H%M%SZ}",
                    f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                    f"DTEND:{end:%Y%m%dT%H%M%SZ}",
                    f"SUMMARY:Interview with Company {company} - round {i // companies + 1}",
                    f"DESCRIPTION:{notes}",
                    f"ORGANIZER;CN=Dana {company}:mailto:dana{company}@company{company}.example",
                    "BEGIN:VALARM",
                    "ACTION:DISPLAY",
                    "DESCRIPTION:Interview",
                    "TRIGGER:-PT30M",
                    "END:VALARM",
                    "END:VEVENT",
                ]
            )
        )
    return out


def calendar(items: list[str]) -> str:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    return "\r\n".join([*head, *items, "END:VCALENDAR", ""])


def khal_binary() -> str | None:
    own = ROOT / "bench" / ".khal" / "bin" / "khal"
    return str(own) if own.exists() else shutil.which("khal")


def setup(folder: Path, n: int, khal: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    items = events(n)
    source = folder / f"interviews-{n}.ics"
    source.write_text(calendar(items), encoding="utf-8")
    vdir = folder / f"vdir-{n}"
    vdir.mkdir()
    for index, item in enumerate(items):
        (vdir / f"{index}.ics").write_text(calendar([item]), encoding="utf-8")
    config = folder / f"khal-{n}.conf"
    config.write_text(
        f"[calendars]\n[[bench]]\npath = {vdir}\n\n"
        f"[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
        f"longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
        f"longdatetimeformat = %Y-%m-%d %H:%M\nlocal_timezone = Europe/Berlin\n"
        f"default_timezone = Europe/Berlin\n\n"
        f"[sqlite]\npath = {folder / f'khal-{n}.db'}\n",
        encoding="utf-8",
    )
    env = {
        "XDG_CACHE_HOME": str(folder / "cache"),
        "FOLLOWUP_CACHE_DIR": str(folder / "cache" / "followup"),
        "FOLLOWUP_CONFIG_DIR": str(folder / "config"),
        "FOLLOWUP_DATA_DIR": str(folder / "data"),
        "TZ": "Europe/Berlin",
    }
    days = f"{START:%Y-%m-%d}"
    return {
        "followup plan": ([*FOLLOWUP, "plan", "--from", str(source), "--now", NOW], env),
        "khal list": ([khal, "-c", str(config), "list", days, "100d"], env),
    }


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], extra: dict[str, str]) -> tuple[float, float, bytes]:
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode compiled once
    cpu = cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, cpu_of_children() - cpu, done.stdout


def spread(values: list[float], digits: int = 3) -> str:
    med = statistics.median(values)
    return f"{med:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="interviews (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sizes = args.n or [1000, 3000]
    khal = khal_binary()
    if khal is None:
        sys.exit("khal not found: python -m venv bench/.khal && bench/.khal/bin/pip install khal")
    load = os.getloadavg()[0]
    print(f"{args.rounds} rounds each, load average {load:.1f} on {os.cpu_count()} cores")
    print(
        f"{'N':>6} {'command':14} {'wall s':>22} {'CPU s':>22} {'wall x khal':>18} {'CPU x khal':>18}"
    )
    per_item: list[float] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for n in sizes:
            table = setup(folder, n, khal)
            for argv, env in table.values():  # the rules cache, khal's database
                _, _, out = run_once(argv, env)
                if not out.strip():
                    sys.exit(f"{argv[0]} printed nothing for {n} interviews")
            walls: dict[str, list[float]] = {k: [] for k in table}
            cpus: dict[str, list[float]] = {k: [] for k in table}
            for _ in range(args.rounds):
                order = list(table)
                random.shuffle(order)
                for key in order:
                    wall, cpu, _ = run_once(*table[key])
                    walls[key].append(wall)
                    cpus[key].append(cpu)
            for key in table:
                wall_ratio = [a / b for a, b in zip(walls[key], walls["khal list"], strict=True)]
                cpu_ratio = [a / b for a, b in zip(cpus[key], cpus["khal list"], strict=True)]
                print(
                    f"{n:>6} {key:14} {spread(walls[key]):>22} {spread(cpus[key]):>22} "
                    f"{spread(wall_ratio, 2):>18} {spread(cpu_ratio, 2):>18}"
                )
            per_item.append(statistics.median(cpus["followup plan"]) / n)
    if len(per_item) > 1:
        print(
            f"followup's CPU per interview from N = {sizes[0]:,} to {sizes[-1]:,}: "
            f"{per_item[-1] / per_item[0]:.2f}x (goal: at most 1.15x)"
        )
    print("goal: followup plan at most 0.8x khal list at N = 1,000")


if __name__ == "__main__":
    main()
