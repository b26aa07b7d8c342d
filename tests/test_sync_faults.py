"""Sync when things go wrong: a server that stops, races, refusals, wrong passwords, wrong URLs."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.caldav.apply import apply, open_sessions, prepare
from followup.engine.caldav.copies import load_mirror, save_mirror
from followup.engine.caldav.syncplan import Create, Delete, Update
from tests.caldav_server import PASSWORD, CalDAVServer, serving, silent_port
from tests.sync_support import (
    CalendarApp,
    account,
    counts,
    expected_plan,
    interview,
    interview_calendars,
    request,
    sync,
)

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)


def several(app: CalendarApp, count: int = 4) -> tuple[str, str, dict[str, bytes]]:
    return interview_calendars(app, count)


def uids_per_object(app: CalendarApp, target: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for cal in app.items(target).values():
        for component in cal.subcomponents:
            if component.name in ("VEVENT", "VTODO"):
                found[str(component["UID"])] += 1
    return found


def planned_uids(objects: dict[str, bytes]) -> set[str]:
    return {f.uid for f in expected_plan(list(objects.items())).followups}


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["sync", "--now", "2026-12-01T08:00", *args], env=env)


def test_a_server_that_stops_mid_sync_is_finished_by_the_next_run_without_duplicates(
    app: CalendarApp, password: str
) -> None:
    server = app.server
    work, target, objects = several(app)

    def stop_after_three(done: int, total: int) -> None:
        if done == 3:
            server.stop()

    with open_sessions() as sessions:
        report = apply(prepare(request(work, target), sessions), stop_after_three)
    assert report.stopped is not None and "cannot reach" in report.stopped
    total = len(planned_uids(objects))
    assert report.writes >= 3 and report.writes + len(report.failed) == total
    assert any(o.error and o.error.startswith("not tried") for o in report.failed)

    server.start()
    again = sync(work, target)

    # Writes in flight when the server went may have landed unanswered: adopted, not redone.
    assert len(again.created) <= total - report.writes
    assert counts(again)[1:] == (0, 0, 0, 0)
    found = uids_per_object(app, target)
    assert set(found) == planned_uids(objects)
    assert max(found.values()) == 1


def test_a_crash_between_writing_and_saving_adopts_what_was_written(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = several(app)

    def crash_after_five(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with open_sessions() as sessions, pytest.raises(KeyboardInterrupt):
        apply(prepare(request(work, target), sessions), crash_after_five)
    again = sync(work, target)

    written = len(planned_uids(objects)) - len(again.created)
    assert written >= 5 and counts(again)[1:] == (0, 0, 0, 0)
    found = uids_per_object(app, target)
    assert set(found) == planned_uids(objects) and max(found.values()) == 1


@pytest.mark.parametrize("kind", [Update, Delete])
def test_an_edit_made_between_our_read_and_our_write_survives(
    app: CalendarApp, password: str, kind: type
) -> None:
    work, target, _objects = several(app, count=2)
    sync(work, target)
    url = work + "i0.ics"
    if kind is Update:
        change = interview("i0@example.com", FIRST + timedelta(hours=3), company="Company 0")
        app.put(url, change, app.get(url)[1])
    else:
        app.delete(url)
        app.put(work + "spare.ics", interview("spare@example.com", FIRST, company="Spare"))

    with open_sessions() as sessions:
        prepared = prepare(request(work, target), sessions)
        victim = next(a for a in prepared.actions if isinstance(a, kind))
        theirs, etag = app.get(app.server.base + victim.href)
        item = next(c for c in theirs.subcomponents if c.name in ("VEVENT", "VTODO"))
        item["SUMMARY"] = "Changed on my phone a second ago"
        app.put(app.server.base + victim.href, theirs.to_ical(), etag)
        report = apply(prepared)

    assert any(e.status == 412 for e in app.server.log)  # the server did refuse our write
    assert (victim.uid, "edited") in [(k.uid, k.reason) for k in report.kept]
    assert victim.uid not in {o.action.uid for o in report.outcomes}
    assert str(app.followups(target)[victim.uid]["SUMMARY"]) == "Changed on my phone a second ago"
    assert not report.failed


def test_our_item_found_at_another_address_is_adopted_not_duplicated(
    any_server: CalDAVServer, password: str
) -> None:
    app = CalendarApp(any_server)
    work, target, objects = several(app, count=1)
    with open_sessions() as sessions:
        prepared = prepare(request(work, target), sessions)
        create = next(a for a in prepared.actions if isinstance(a, Create))
        # Another machine running followup wrote the same item under another name.
        app.put(target + "written-elsewhere.ics", create.data)
        report = apply(prepared)

    assert not report.failed
    assert any(e.method == "PUT" and e.status in (409, 412) for e in any_server.log)
    found = uids_per_object(app, target)
    assert found[create.uid] == 1 and set(found) == planned_uids(objects)
    assert counts(sync(work, target)) == (0, 0, 0, 0, 0)


def test_one_item_the_server_fails_does_not_stop_the_others(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = several(app, count=2)
    victim = sorted(planned_uids(objects))[2]
    # A real server cannot be told to fail one PUT; this stands in for a 500 on it.
    app.server.fault = lambda method, path: 500 if method == "PUT" and victim in path else None

    report = sync(work, target)

    assert [o.action.uid for o in report.failed] == [victim]
    assert report.writes == len(planned_uids(objects)) - 1
    app.server.fault = None
    assert counts(sync(work, target)) == (1, 0, 0, 0, 0)
    assert set(uids_per_object(app, target)) == planned_uids(objects)


def test_a_rejected_sync_token_is_not_read_as_deletions(app: CalendarApp, password: str) -> None:
    work, target, objects = several(app, count=2)
    sync(work, target)
    deleted = sorted(planned_uids(objects))[0]
    app.delete(app.url_of(target, deleted))
    copy = load_mirror(target, "alice")
    assert copy is not None
    copy.token = "http://radicale.org/ns/sync/not-a-token-it-knows"
    save_mirror(copy)

    report = sync(work, target)

    assert any(e.method == "REPORT" and e.status == 403 for e in app.server.log)
    assert [a.uid for a in report.created] == [deleted]  # at worst: back again
    assert counts(report)[1:] == (0, 0, 0, 0)


def test_a_wrong_password_gives_one_clear_message_and_exit_code_5(app: CalendarApp) -> None:
    work, target, _ = several(app, count=1)

    result = run_cli(
        "--from", account(work), "--to", account(target), env={"FOLLOWUP_PASSWORD": "wrong"}
    )

    assert result.exit_code == 5
    assert "refused the user name or password for alice" in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert "wrong" not in result.output


def test_an_unreachable_host_says_so(free_url: str) -> None:
    result = run_cli("--from", free_url + "/alice/work/", "--to", free_url + "/alice/f/")

    assert result.exit_code == 5
    assert "cannot reach 127.0.0.1: connection refused" in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash


def test_a_web_page_that_is_not_caldav_says_so() -> None:
    def page(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"<html><body>Welcome</body></html>"]

    with serving(page) as base:
        result = run_cli("--from", base + "/calendar/", "--to", base + "/followups/")

    assert result.exit_code == 5
    assert f"{base}/followups/ is not a CalDAV calendar" in result.output


def test_a_server_that_never_answers_times_out_with_a_clear_message() -> None:
    with silent_port() as base:
        result = run_cli("--from", base + "/c/", "--to", base + "/f/", "--timeout", "0.5")

    assert result.exit_code == 5
    assert "no answer within the timeout" in result.output


@pytest.fixture
def free_url() -> str:
    from tests.caldav_server import free_port

    return f"http://127.0.0.1:{free_port()}"


def test_the_password_is_never_taken_from_the_command_line() -> None:
    result = run_cli("--from", f"https://alice:{PASSWORD}@dav.example.com/alice/work/")

    assert result.exit_code == 2
    assert "passwords never go on the command line" in result.output
    assert PASSWORD not in result.output
