"""A new machine: the state and cache folders are gone, the calendar of follow-ups is not.

The next sync finds followup's objects stamped with a key it no longer has. Those whose
content is just what it wants are adopted as they are, without a PUT (every other client
would download each again); after that they are followup's as before: updated when the
plan changes, left alone when the user changes them. Shown on both test servers by
counting the PUTs each one is sent.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

from followup.engine.folders import cache_dir, state_dir
from tests.caldav_server import CalDAVServer
from tests.sync_support import NOW, CalendarApp, counts, interview, interview_calendars, sync

pytest_plugins = ["tests.conftest_caldav"]


def puts(server: CalDAVServer, since: int) -> list[str]:
    return [e.path for e in server.log[since:] if e.method == "PUT"]


def lose_state() -> None:
    """As on a new machine: no sync state, no key for the stamps, no calendar copies."""
    shutil.rmtree(state_dir())
    shutil.rmtree(cache_dir())


def test_after_a_lost_state_the_same_follow_ups_are_adopted_without_a_single_put(
    any_server: CalDAVServer, password: str
) -> None:
    app = CalendarApp(any_server)
    work, target, _ = interview_calendars(app, 4)
    first = sync(work, target)
    assert len(first.created) >= 8
    before = {url: app.request("GET", url).content for url in app.items(target)}
    lose_state()
    mark = len(any_server.log)

    again = sync(work, target)

    assert puts(any_server, mark) == []
    assert counts(again) == (0, 0, 0, 0, 0)
    assert again.unchanged == len(first.created)
    assert {url: app.request("GET", url).content for url in app.items(target)} == before
    mark = len(any_server.log)
    assert counts(sync(work, target)) == (0, 0, 0, 0, 0)  # and the run after that as well
    assert puts(any_server, mark) == []


def test_adopted_follow_ups_are_updated_when_the_plan_changes(
    any_server: CalDAVServer, password: str
) -> None:
    app = CalendarApp(any_server)
    work, target, _ = interview_calendars(app, 2)
    sync(work, target)
    lose_state()
    sync(work, target)
    moved = interview(
        "i0@example.com", NOW + timedelta(days=5), company="Company 0"
    )  # the first interview moved: its follow-ups move too
    app.add(work, "i0", moved)
    mark = len(any_server.log)

    report = sync(work, target)

    assert report.kept == []  # not taken for the user's changes
    assert len(report.updated) + len(report.created) > 0
    assert puts(any_server, mark)


def test_an_adopted_follow_up_the_user_edits_is_kept_as_the_user_left_it(
    any_server: CalDAVServer, password: str
) -> None:
    app = CalendarApp(any_server)
    work, target, _ = interview_calendars(app, 2)
    sync(work, target)
    lose_state()
    sync(work, target)
    edited = next(iter(app.items(target)))
    cal, etag = app.get(edited)
    for component in cal.walk("VEVENT"):
        component["SUMMARY"] = "Moved by me"
    app.put(edited, cal.to_ical(), etag)
    mark = len(any_server.log)

    report = sync(work, target)

    assert [k.reason for k in report.kept] == ["edited"]
    assert puts(any_server, mark) == []
