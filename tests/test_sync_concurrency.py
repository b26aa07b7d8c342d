"""Two syncs to the same calendar at once, as two real processes against a real Radicale:
the second waits for the first, and each reports what it did itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.engine.caldav.apply import run_sync
from followup.engine.caldav.state import TargetBusy
from tests.conftest import ROOT
from tests.sync_support import CalendarApp, account, expected_plan, interview, request

pytest_plugins = ["tests.conftest_caldav"]

FIRST = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TOTALS = re.compile(r"(\d+) created, (\d+) updated, (\d+) removed")


def interviews(app: CalendarApp, count: int) -> tuple[str, str, int]:
    work, target = app.make_calendar("work"), app.make_calendar("followups")
    objects = []
    for n in range(count):
        data = interview(f"i{n}@example.com", FIRST + timedelta(hours=n), company=f"Co {n}")
        objects.append((app.add(work, f"i{n}", data), data))
    return work, target, len(expected_plan(objects).followups)


def sync_process(work: str, target: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "followup.cli.main", "sync", "--now", "2026-12-01T08:00"),
            *("--from", account(work), "--to", account(target)),
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_syncs_at_once_create_each_follow_up_once_and_say_so_truthfully(
    app: CalendarApp, password: str
) -> None:
    work, target, planned = interviews(app, 12)

    runs = [sync_process(work, target), sync_process(work, target)]
    outputs = [run.communicate(timeout=120) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    created = []
    for stdout, stderr in outputs:
        match = TOTALS.search(stdout)
        assert match is not None, (stdout, stderr)
        created.append(int(match.group(1)))
    assert sorted(created) == [0, planned]
    uids = [str(item["UID"]) for item in app.followups(target).values()]
    assert len(uids) == planned and len(app.items(target)) == planned


def test_a_sync_that_waits_too_long_for_another_says_so(app: CalendarApp, password: str) -> None:
    work, target, _ = interviews(app, 1)
    holder = subprocess.Popen(  # another process holding the target's lock
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from followup.engine.caldav.state import target_lock\n"
            "from followup.engine.config import parse_config, resolve_calendar\n"
            "ref = resolve_calendar(sys.argv[1], parse_config(''))\n"
            "with target_lock(ref.label, *ref.endpoint.key, ref.url, ref.name):\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.read()\n",
            account(target),
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(TargetBusy, match="another followup sync is writing to"):
            run_sync(replace(request(work, target), lock_wait=0.5))
        assert app.followups(target) == {}
    finally:
        holder.communicate("", timeout=30)

    assert run_sync(request(work, target)).created  # the lock went with the process
