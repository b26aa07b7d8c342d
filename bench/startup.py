"""Benchmark: how long a command takes as a whole process, against Python starting.

    python bench/startup.py              # 7 rounds
    python bench/startup.py --rounds 15
    python bench/startup.py --baseline OTHER/bin/followup   # another install beside it
    python bench/startup.py --instructions   # valgrind's count of each, once

Each round runs, in a shuffled order, the floors (``python -c pass``,
``python -c "import icalendar"`` and the design card's libraries,
``python -c "import icalendar, click, pydantic, jinja2"``) and the commands people and shells call
most: ``followup plan`` on the bundled example, ``followup check``,
``followup explain`` and a TAB completion exactly as bash asks for it
(``_FOLLOWUP_COMPLETE=bash_complete`` with ``COMP_WORDS``/``COMP_CWORD``).
The rules cache is warmed once before the rounds (a cold run is timed
separately), so the figures are those of the second and later runs.
Python writes its bytecode as usual (``PYTHONDONTWRITEBYTECODE`` is dropped
for the runs): an installed followup has it from the install, and without
it every run would time compiling the source of each module it imports.
It prints the median wall time, the spread (lowest and highest), the ratio of
medians to ``python -c pass``, and each round's own ratio to the card's import
floor (a round's command against the same round's floor), as the median of the
rounds with the lowest and highest: on a busy machine the seconds move, the
ratios much less. CPU time (user + system of the child) and its ratio, round by
round, are printed too: they move less with the load than the wall.
``--baseline`` adds ``plan``, ``check`` and ``explain`` run by another installed
``followup`` (an older commit in its own virtual environment) to the same rounds, so a
change is measured against the code before it under the same load.
``--instructions`` instead counts the instructions each run executes, once, under
valgrind (``apt-get install valgrind``; about fifty times slower): the count moves by
well under 1% between runs whatever else the machine does, so it compares two versions
of the code where the seconds of a shared machine cannot.
Goals: ``plan``, ``check`` and ``explain`` at most 1.5x the card's floor, a
completion at most 2x ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "interviews.ics"
NOW = "2026-12-01T08:00"
# The script pip installs, as a shell runs it; else the module.
SCRIPT = Path(sys.executable).with_name("followup")
FOLLOWUP = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "followup.cli.main"]
CARD = "import the card's 4 libraries"
"""The floor of the goals: ``python -c "import icalendar, click, pydantic, jinja2"``."""


def cases(
    cache: Path, baseline: list[str] | None = None
) -> dict[str, tuple[list[str], dict[str, str]]]:
    env = {
        "XDG_CACHE_HOME": str(cache),
        "FOLLOWUP_CACHE_DIR": str(cache / "followup"),
        # No config file and no recorded replies: the same work on every machine.
        "FOLLOWUP_CONFIG_DIR": str(cache / "config"),
        "FOLLOWUP_DATA_DIR": str(cache / "data"),
    }
    source = str(EXAMPLE)
    table = {
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
        "python -c 'import icalendar'": ([sys.executable, "-c", "import icalendar"], {}),
        CARD: ([sys.executable, "-c", "import icalendar, click, pydantic, jinja2"], {}),
        "followup plan": ([*FOLLOWUP, "plan", "--from", source, "--now", NOW], env),
        "followup check": ([*FOLLOWUP, "check"], env),
        "followup explain": (
            [*FOLLOWUP, "explain", "--from", source, "--now", NOW, "Acme"],
            env,
        ),
        "TAB: followup pl": (
            [*FOLLOWUP],
            {
                **env,
                "_FOLLOWUP_COMPLETE": "bash_complete",
                "COMP_WORDS": "followup pl",
                "COMP_CWORD": "1",
            },
        ),
        "TAB: followup plan --": (
            [*FOLLOWUP],
            {
                **env,
                "_FOLLOWUP_COMPLETE": "bash_complete",
                "COMP_WORDS": "followup plan --",
                "COMP_CWORD": "2",
            },
        ),
    }
    if baseline is not None:
        # Its own cache folder: another version's compiled rules are another entry.
        other = {**env, "FOLLOWUP_CACHE_DIR": str(cache / "baseline")}
        for name in COMMANDS:
            argv, _ = table[name]
            table[f"{name} (baseline)"] = ([*baseline, *argv[len(FOLLOWUP) :]], other)
    return table


COMMANDS = ("followup plan", "followup check", "followup explain")
"""The commands of the 1.5x goal."""


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], extra: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (CPU moves less than wall on a busy machine)."""
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode compiled once (see above)
    cpu = cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, cpu_of_children() - cpu


VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
REFS = re.compile(rb"I\s+refs:\s+([0-9,]+)")


def instructions(argv: list[str], extra: dict[str, str]) -> int:
    """The instructions one run executes, as valgrind counts them."""
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([*VALGRIND, *argv], env=env, cwd=ROOT, capture_output=True, check=False)
    found = REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return int(found.group(1).replace(b",", b""))


def count_instructions(table: dict[str, tuple[list[str], dict[str, str]]]) -> None:
    counts = {name: instructions(*case) for name, case in table.items()}
    card = counts[CARD]
    print(f"{'instructions (millions)':32} {'count':>8} {'x card':>7}")
    for name, count in counts.items():
        print(f"{name:32} {count / 1e6:8.0f} {count / card:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--baseline",
        metavar="PROGRAM",
        help="another installed followup (e.g. OTHER/.venv/bin/followup) run in the same rounds",
    )
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under valgrind, once"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory() as folder:
        table = cases(Path(folder), [args.baseline] if args.baseline else None)
        plan_argv, plan_env = table["followup plan"]
        cold, cold_cpu = run_once(plan_argv, plan_env)  # fills the rules cache
        if args.baseline:
            run_once(*table["followup plan (baseline)"])
        if args.instructions:
            for case in table.values():
                run_once(*case)  # bytecode written, caches filled: the counts are warm runs
            count_instructions(table)
            return
        times: dict[str, list[float]] = {name: [] for name in table}
        cpus: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(args.rounds):
            order = list(table)
            random.shuffle(order)
            for name in order:
                wall, cpu = run_once(*table[name])
                times[name].append(wall)
                cpus[name].append(cpu)
    floor = statistics.median(times["python -c pass"])
    after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.rounds} rounds, load average {load:.1f} at the start and {after:.1f} at the end "
        f"on {os.cpu_count()} cores; "
        f"the first (cold-cache) plan took {cold:.3f} s wall, {cold_cpu:.3f} s CPU"
    )
    print(
        f"{'wall seconds':32} {'median':>8} {'min':>8} {'max':>8} {'x pass':>7} "
        f"{'x card: median (min-max)':>25}   {'CPU s':>6} {'CPU x card (min-max)':>21}"
    )
    for name, values in times.items():
        median = statistics.median(values)
        cpu = statistics.median(cpus[name])
        wall_ratio = per_round(values, times[CARD])
        cpu_ratio = per_round(cpus[name], cpus[CARD])
        print(
            f"{name:32} {median:8.3f} {min(values):8.3f} {max(values):8.3f} "
            f"{median / floor:7.2f} {shown(wall_ratio):>25}   {cpu:6.3f} {shown(cpu_ratio):>21}"
        )
    ratios = {name: per_round(times[name], times[CARD]) for name in COMMANDS}
    worst = max(COMMANDS, key=lambda n: statistics.median(ratios[n]))
    tab = max(
        statistics.median(times["TAB: followup pl"]),
        statistics.median(times["TAB: followup plan --"]),
    )
    print(
        f"goal: plan, check, explain <= 1.5x the card's floor (wall, median of the rounds: "
        f"plan {statistics.median(ratios['followup plan']):.2f}x; "
        f"slowest, {worst}: {statistics.median(ratios[worst]):.2f}x); "
        f"completion <= 2x pass (now {tab / floor:.2f}x)"
    )


def per_round(values: list[float], floors: list[float]) -> list[float]:
    """Each round's own ratio: a command against the floor run in the same round."""
    return [v / f for v, f in zip(values, floors, strict=True)]


def shown(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"


if __name__ == "__main__":
    main()
