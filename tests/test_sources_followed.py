"""--from followed from the command line to the plan: plan, serve and sync parse it once
into a Source, and each module on the way is entered once, for a file and for a CalDAV
calendar (on a real Radicale).

The value is followed as the interpreter calls functions: every call handed the --from
text, or the Source made from it, is a step; a step from another module enters a module.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.sources import Source
from tests.caldav_server import USER
from tests.conftest import ROOT
from tests.sync_support import FIRST_INTERVIEW, CalendarApp, account, interview

pytest_plugins = ["tests.conftest_caldav"]

EXAMPLE = ROOT / "examples" / "interviews.ics"
NOW = "2026-11-30T08:00"
OURS = ("followup.cli.", "followup.engine.")
NAMED_ONLY = ("followup.engine.read.",)
"""The reader takes a calendar's name for its messages, not the --from value to interpret."""


@dataclass(frozen=True)
class Step:
    module: str
    function: str
    caller: str


@contextmanager
def following(spec: str) -> Iterator[list[Step]]:
    """The calls of this thread, while the block runs, handed ``spec`` or its Source."""
    steps: list[Step] = []

    def holds(value: object) -> bool:
        if type(value) is str:
            return value == spec
        # By the class's own attributes: a half-built object may not answer isinstance.
        return Source in type(value).__mro__ and vars(value).get("spec") == spec

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call":
            return
        code = frame.f_code
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        values = frame.f_locals
        if any(holds(values.get(name)) for name in names):
            caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
            steps.append(Step(frame.f_globals.get("__name__", ""), code.co_name, caller))

    sys.setprofile(profile)
    try:
        yield steps
    finally:
        sys.setprofile(None)


def entries(steps: list[Step]) -> list[Step]:
    """The steps that enter one of followup's modules from another module."""
    return [
        s
        for s in steps
        if s.module.startswith(OURS)
        and not s.module.startswith(NAMED_ONLY)
        and s.module != s.caller
    ]


def parses(steps: list[Step]) -> list[Step]:
    return [s for s in steps if (s.module, s.function) == ("followup.engine.sources", "parse")]


def assert_parsed_once_and_each_module_entered_once(steps: list[Step], *modules: str) -> None:
    """One parse, each module entered once, and ``modules`` among those entered."""
    assert len(parses(steps)) == 1
    entered = Counter(s.module for s in entries(steps))
    assert set(entered.values()) == {1}, entered
    assert set(modules) <= set(entered)


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    return result


def test_serve_parses_the_from_value_once_and_enters_each_module_once(
    isolated_home: Path,
) -> None:
    spec = str(EXAMPLE)

    with following(spec) as steps:
        result = invoke("serve", "--from", spec, "--now", NOW, "--check")

    assert "ok: every TZID has a VTIMEZONE" in result.output
    assert len(parses(steps)) == 1
    entered = Counter(s.module for s in entries(steps))
    # The source's own module answers the feed's two questions: has it changed, and what
    # does it hold.
    assert [s.function for s in entries(steps) if s.module == "followup.engine.sources.files"] == [
        "version",
        "read",
    ]
    del entered["followup.engine.sources.files"]
    assert set(entered.values()) == {1}, entered
    assert {
        "followup.cli.serve",
        "followup.engine.sources",
        "followup.engine.feed.cache",
        "followup.engine.pipeline",
    } <= set(entered)


def test_sync_parses_the_from_value_once_and_enters_each_module_once(
    app: CalendarApp, password: str, isolated_home: Path
) -> None:
    target = app.make_calendar("followups").replace("://", f"://{USER}@", 1)
    spec = str(EXAMPLE)

    with following(spec) as steps:
        result = invoke("sync", "--from", spec, "--to", target, "--now", NOW)

    assert "created" in result.output
    assert_parsed_once_and_each_module_entered_once(
        steps,
        "followup.cli.sync",
        "followup.engine.sources",
        "followup.engine.caldav.apply",
        "followup.engine.pipeline",
        "followup.engine.sources.files",
    )


def interviews_calendar(app: CalendarApp) -> str:
    """A CalDAV calendar with two interviews in it, as --from names it (with the user)."""
    work = app.make_calendar("work")
    app.add(work, "acme", interview("acme-1@example.com", FIRST_INTERVIEW, company="ACME"))
    later = FIRST_INTERVIEW + timedelta(days=2, hours=4)
    app.add(work, "globex", interview("globex-1@example.com", later, company="Globex"))
    return account(work)


def test_plan_from_a_caldav_calendar_parses_it_once_and_enters_each_module_once(
    app: CalendarApp, password: str, isolated_home: Path
) -> None:
    spec = interviews_calendar(app)

    with following(spec) as steps:
        result = invoke("plan", "--from", spec, "--now", NOW)

    assert "ACME" in result.output and "Globex" in result.output
    assert_parsed_once_and_each_module_entered_once(
        steps,
        "followup.cli.core",
        "followup.engine.pipeline",
        "followup.engine.sources",
        "followup.engine.config",
        "followup.engine.sources.dav",
    )


def test_sync_from_a_caldav_calendar_parses_it_once_and_enters_each_module_once(
    app: CalendarApp, password: str, isolated_home: Path
) -> None:
    spec = interviews_calendar(app)
    target = account(app.make_calendar("followups"))

    with following(spec) as steps:
        result = invoke("sync", "--from", spec, "--to", target, "--now", NOW)

    assert "created" in result.output
    assert_parsed_once_and_each_module_entered_once(
        steps,
        "followup.cli.sync",
        "followup.engine.sources",
        "followup.engine.config",
        "followup.engine.caldav.apply",
        "followup.engine.caldav.calendars",
        "followup.engine.pipeline",
        "followup.engine.sources.dav",
    )
