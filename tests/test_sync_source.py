"""Interviews from a CalDAV calendar for every command: one time-range query, series unexpanded."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.sources.dav import fetch_objects
from tests.sync_support import CalendarApp, account, expected_plan, interview, sync

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")

WEEKLY = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//a calendar app//EN\r
BEGIN:VEVENT\r
UID:weekly-panel@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART;TZID=Europe/Berlin:20261102T150000\r
DTEND;TZID=Europe/Berlin:20261102T160000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
SUMMARY:Interview series with Initech\r
DESCRIPTION:Company: Initech\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:weekly-panel@example.com\r
DTSTAMP:20261101T000000Z\r
RECURRENCE-ID;TZID=Europe/Berlin:20261109T150000\r
DTSTART;TZID=Europe/Berlin:20261110T100000\r
DTEND;TZID=Europe/Berlin:20261110T110000\r
SUMMARY:Interview series with Initech (moved)\r
DESCRIPTION:Company: Initech\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_plan_reads_the_interviews_in_the_window_with_one_query(
    app: CalendarApp, password: str
) -> None:
    work = app.make_calendar("work")
    app.add(work, "now", interview("now@x", datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)))
    app.add(work, "old", interview("old@x", datetime(2025, 1, 10, 10, 0, tzinfo=BERLIN)))
    app.server.log.clear()

    result = CliRunner().invoke(
        main, ["plan", "--from", account(work), "--now", "2026-12-01T08:00", "--json"]
    )

    assert result.exit_code == 0, result.output
    keys = {f["interview"]["uid"] for f in json.loads(result.output)["followups"]}
    assert keys == {"now@x"}
    assert [e.method for e in app.server.log if e.status != 401] == ["REPORT"]


def test_a_recurring_series_comes_back_whole_and_every_occurrence_is_planned(
    app: CalendarApp, password: str
) -> None:
    work = app.make_calendar("work")
    app.add(work, "weekly", WEEKLY)

    objects = fetch_objects(
        account(work),
        since=datetime(2026, 11, 1, tzinfo=BERLIN),
        until=datetime(2026, 12, 31, tzinfo=BERLIN),
    )

    assert len(objects) == 1 and objects[0][1].count(b"BEGIN:VEVENT") == 2
    report = sync(work, app.make_calendar("followups"))
    expected = expected_plan(list(objects))
    assert report.interviews == len(expected.interviews) == 4
    assert sorted(a.uid for a in report.created) == sorted(f.uid for f in expected.followups)
    planned_for = {f.interview.start for f in expected.followups}
    assert planned_for == {  # every occurrence, the moved one at its new time
        datetime(2026, 11, 2, 15, 0, tzinfo=BERLIN),
        datetime(2026, 11, 10, 10, 0, tzinfo=BERLIN),
        datetime(2026, 11, 16, 15, 0, tzinfo=BERLIN),
        datetime(2026, 11, 23, 15, 0, tzinfo=BERLIN),
    }


def test_followups_own_items_are_not_read_as_interviews(app: CalendarApp, password: str) -> None:
    work = app.make_calendar("work")
    app.add(work, "acme", interview("acme@x", datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)))
    first = sync(work, work)
    second = sync(work, work)

    assert first.interviews == second.interviews == 1
    assert len(second.created) == 0
    objects = fetch_objects(
        account(work),
        since=datetime(2026, 11, 1, tzinfo=BERLIN),
        until=datetime(2027, 1, 31, tzinfo=BERLIN),
    )
    assert [href for href, _ in objects] == [work.removeprefix(app.server.base) + "acme.ics"]
