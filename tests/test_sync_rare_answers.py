"""Sync when a real server gives the rare answers: races with other writers, refusals,
items already gone, a UID taken elsewhere, a change list cut short, a changed
authentication scheme, 403 and 429, and a source calendar that moved.

Where a server cannot be made to give the answer on demand, the test injects it at
the server (``CalDAVServer.fault`` or a wrapper around the server application) and
says so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.caldav.apply import apply, open_sessions, prepare
from followup.engine.caldav.hints import note, recalled
from followup.engine.caldav.syncplan import Create, Delete, Update
from followup.engine.config import parse_config
from tests.caldav_server import USER
from tests.conftest import default_rules
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


def calendars(app: CalendarApp, count: int = 2) -> tuple[str, str, dict[str, bytes]]:
    return interview_calendars(app, count)


def planned_uids(objects: dict[str, bytes]) -> set[str]:
    return {f.uid for f in expected_plan(list(objects.items())).followups}


def copies(app: CalendarApp, target: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for cal in app.items(target).values():
        for item in cal.subcomponents:
            if item.name in ("VEVENT", "VTODO"):
                found[str(item["UID"])] = found.get(str(item["UID"]), 0) + 1
    return found


@contextmanager
def another_installation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """followup on a second machine of the same user (or restored from a backup): its own
    state and cache, but the same stamp key, so each takes the other's items as its own
    (an installation with another key leaves them alone, see test_caldav_hostile)."""
    from followup.engine.caldav.state import KEY_FILE, fingerprint_key
    from followup.engine.folders import state_dir

    fingerprint_key()  # made if this installation has none yet
    key = (state_dir() / KEY_FILE).read_bytes()
    with monkeypatch.context() as other:
        other.setenv("FOLLOWUP_STATE_DIR", str(tmp_path / "other-state"))
        other.setenv("FOLLOWUP_CACHE_DIR", str(tmp_path / "other-cache"))
        state_dir().mkdir(parents=True, exist_ok=True)
        (state_dir() / KEY_FILE).write_bytes(key)
        (state_dir() / KEY_FILE).chmod(0o600)
        yield


def edit_on_the_phone(app: CalendarApp, url: str, summary: str) -> None:
    theirs, etag = app.get(url)
    item = next(c for c in theirs.subcomponents if c.name in ("VEVENT", "VTODO"))
    item["SUMMARY"] = summary
    app.put(url, theirs.to_ical(), etag)


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["sync", "--now", "2026-12-01T08:00", *args])


# -- races with other writers ------------------------------------------------------------


def test_an_item_another_installation_created_and_the_user_edited_meanwhile_is_not_overwritten(
    app: CalendarApp, password: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    work, target, _objects = calendars(app, count=1)
    with open_sessions() as sessions:
        prepared = prepare(request(work, target), sessions)  # the calendar is still empty
        create = next(a for a in prepared.actions if isinstance(a, Create))
        with another_installation(monkeypatch, tmp_path):
            sync(work, target)  # writes the same items at the same addresses
        edit_on_the_phone(app, app.server.base + create.href, "Done it my way")
        report = apply(prepared)

    assert str(app.followups(target)[create.uid]["SUMMARY"]) == "Done it my way"
    assert (create.uid, "edited") in [(k.uid, k.reason) for k in report.kept]
    assert not report.failed
    assert max(copies(app, target).values()) == 1


def test_an_item_another_installation_rewrote_after_our_read_is_written_again_over_it(
    app: CalendarApp, password: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    work, target, objects = calendars(app, count=1)
    sync(work, target)
    london = default_rules("Europe/London")
    with open_sessions() as sessions:
        prepared = prepare(request(work, target, rules=london), sessions)
        updates = {a.uid for a in prepared.actions if isinstance(a, Update)}
        with another_installation(monkeypatch, tmp_path):
            sync(work, target, rules=default_rules("America/New_York"))
        report = apply(prepared)

    assert any(e.method == "PUT" and e.status == 412 for e in app.server.log)
    assert not report.failed and not report.kept
    assert {a.uid for a in report.updated} == updates
    wanted = {f.uid: f.start for f in expected_plan(list(objects.items()), rules=london).followups}
    found = app.followups(target)
    assert {uid: found[uid].decoded("DTSTART") for uid in wanted} == wanted


def test_an_item_that_changes_under_every_write_is_reported_failed_and_a_rerun_finishes(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = calendars(app, count=1)
    sync(work, target)
    victim = sorted(planned_uids(objects))[0]
    # Injected at the server: every PUT to the item fails its If-Match (412), as if a
    # calendar app saved it again each time.
    app.server.fault = lambda method, path: 412 if method == "PUT" and victim in path else None

    report = sync(work, target, rules=default_rules("Europe/London"))

    assert [o.action.uid for o in report.failed] == [victim]
    assert (report.failed[0].error or "").endswith("; run followup sync again")
    assert [e.method for e in app.server.log if victim in e.path][-3:] == ["PUT", "GET", "PUT"]
    app.server.fault = None
    again = sync(work, target, rules=default_rules("Europe/London"))
    assert [a.uid for a in again.updated] == [victim] and not again.failed


# -- refusals ----------------------------------------------------------------------------


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_write_the_server_refuses_is_reported_with_the_reason_and_exit_code_6(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = calendars(app, count=1)
    victim = sorted(planned_uids(objects))[1]
    refusal = (
        b'<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        b"<C:valid-calendar-data/></D:error>"
    )
    # Injected at the server: a 403 with the precondition a server names for data it refuses.
    app.server.fault = lambda method, path: (
        (403, refusal) if method == "PUT" and victim in path else None
    )

    result = run_cli("--from", account(work), "--to", account(target))

    assert result.exit_code == 6, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "refused the PUT (valid-calendar-data)" in result.output
    assert set(copies(app, target)) == planned_uids(objects) - {victim}
    app.server.fault = None
    assert counts(sync(work, target)) == (1, 0, 0, 0, 0)


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_server_asking_to_slow_down_stops_the_run_with_exit_code_5_and_a_rerun_finishes(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = calendars(app, count=2)
    victim = sorted(planned_uids(objects))[3]
    # Injected at the server: 429 Too Many Requests on one PUT.
    app.server.fault = lambda method, path: 429 if method == "PUT" and victim in path else None

    result = run_cli("--from", account(work), "--to", account(target))

    assert result.exit_code == 5, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "asks to slow down (rate limited)" in result.output
    assert "run followup sync later" in result.output
    app.server.fault = None
    again = sync(work, target)
    assert not again.failed and counts(again)[1:3] == (0, 0)
    assert set(copies(app, target)) == planned_uids(objects)
    assert max(copies(app, target).values()) == 1


def test_a_source_calendar_the_server_forbids_says_so_with_exit_code_5(
    app: CalendarApp, password: str
) -> None:
    work, target, _objects = calendars(app, count=1)
    path = work.removeprefix(app.server.base)
    # Injected at the server: 403 Forbidden on every read of the source calendar.
    app.server.fault = lambda method, p: 403 if p == path else None

    result = run_cli("--from", account(work), "--to", account(target))

    assert result.exit_code == 5, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith(f"followup: {app.server.base}/")
    assert "refused to give the calendar (HTTP 403)" in result.output
    assert result.output.count("\n") == 2  # one message and its hint


# -- items gone or found elsewhere -------------------------------------------------------


def test_deleting_an_item_the_user_already_deleted_is_not_a_failure(
    app: CalendarApp, password: str
) -> None:
    work, target, _objects = calendars(app, count=2)
    sync(work, target)
    cancelled = interview("i0@example.com", FIRST, company="Company 0", cancelled=True)
    app.put(work + "i0.ics", cancelled, app.get(work + "i0.ics")[1])
    with open_sessions() as sessions:
        prepared = prepare(request(work, target), sessions)
        deletes = [a for a in prepared.actions if isinstance(a, Delete)]
        app.delete(app.server.base + deletes[0].href)  # the user was quicker
        report = apply(prepared)

    assert any(e.method == "DELETE" and e.status == 404 for e in app.server.log)
    assert not report.failed
    assert {a.uid for a in report.removed} == {a.uid for a in deletes}
    assert not {a.uid for a in deletes} & set(copies(app, target))
    assert counts(sync(work, target)) == (0, 0, 0, 0, 0)


def test_a_uid_conflict_naming_the_address_of_the_other_copy_adopts_that_copy(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = calendars(app, count=1)
    with open_sessions() as sessions:
        prepared = prepare(request(work, target), sessions)
        create = next(a for a in prepared.actions if isinstance(a, Create))
        elsewhere = target + "written-elsewhere.ics"
        app.put(elsewhere, create.data)  # another machine, under another name
        conflict = (
            b'<?xml version="1.0"?><D:error xmlns:D="DAV:" '
            b'xmlns:C="urn:ietf:params:xml:ns:caldav"><C:no-uid-conflict><D:href>'
            + elsewhere.removeprefix(app.server.base).encode()
            + b"</D:href></C:no-uid-conflict></D:error>"
        )
        # Injected at the server: the RFC 4791 answer that names where the UID is in use
        # (Radicale does not name it).
        app.server.fault = lambda method, path: (
            (409, conflict) if method == "PUT" and path == create.href else None
        )
        report = apply(prepared)

    assert not report.failed
    assert [e.status for e in app.server.log if e.path == create.href][-1] == 409
    assert any(e.method == "GET" and elsewhere.endswith(e.path) for e in app.server.log)
    assert copies(app, target) == dict.fromkeys(planned_uids(objects), 1)
    assert create.uid in app.followups(target)
    app.server.fault = None
    assert counts(sync(work, target)) == (0, 0, 0, 0, 0)


# -- a change list cut short -------------------------------------------------------------


def paged(inner: Any, cuts: list[bytes]) -> Any:
    """The server's sync-collection answers, cut after the first change with a 507 and a
    token for the rest (RFC 6578 section 3.6), as a server that pages its answers does.
    Injected at the server: Radicale and Xandikos send every change at once."""
    partial = "urn:x-paged:"

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read()
        if environ["REQUEST_METHOD"] != "REPORT" or b"sync-collection" not in body:
            environ["wsgi.input"] = io.BytesIO(body)
            return inner(environ, start_response)
        cut = partial.encode() not in body
        body = body.replace(partial.encode(), b"")  # the rest: the full answer again
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        answer: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer.append((status, headers))
            return lambda data: None

        text = b"".join(inner(environ, keep))
        status, headers = answer[0]
        if cut and status.startswith("207"):
            entries = re.findall(rb"<(?:\w+:)?response>.*?</(?:\w+:)?response>", text, re.S)
            if len(entries) > 1:
                cuts.append(entries[0])
                head = re.sub(
                    rb"<(\w+:)?sync-token>[^<]*</(\w+:)?sync-token>",
                    b"",
                    text[: text.index(entries[0])],
                )
                sent = re.search(rb"<(?:\w+:)?sync-token>([^<]*)</", body)
                assert sent is not None
                text = (
                    head
                    + entries[0]
                    + b"<response><href>"
                    + environ["PATH_INFO"].encode()
                    + b"</href><status>HTTP/1.1 507 Insufficient Storage</status></response>"
                    + b"<sync-token>"
                    + partial.encode()
                    + sent.group(1)
                    + b"</sync-token></multistatus>"
                )
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(text)))])
        return [text]

    return app


def test_a_change_list_cut_short_by_the_server_is_followed_to_its_end(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = calendars(app, count=2)
    sync(work, target)
    first, second = sorted(planned_uids(objects))[:2]
    app.delete(app.url_of(target, first))
    edit_on_the_phone(app, app.url_of(target, second), "Rescheduled myself")
    cuts: list[bytes] = []
    app.server._app = paged(app.server._app, cuts)
    app.server.log.clear()

    report = sync(work, target)

    assert len(cuts) == 1, app.server.log  # the first answer held one of the two changes
    assert sorted((k.uid, k.reason) for k in report.kept) == [
        (first, "deleted"),
        (second, "edited"),
    ]
    assert counts(report)[:3] == (0, 0, 0) and not report.failed


# -- authentication and moved calendars --------------------------------------------------


def test_a_server_that_changed_its_authentication_scheme_is_asked_again(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = calendars(app, count=1)
    key = (app.server.base, USER)
    note("digest", "auth", *key)  # what the server took last time; it now wants Basic

    report = sync(work, target)

    assert set(copies(app, target)) == planned_uids(objects) and not report.failed
    assert recalled("auth", *key) == "basic"
    assert sum(1 for e in app.server.log if e.status == 401) >= 1


def test_a_source_calendar_that_moved_is_found_again_by_its_name(
    app: CalendarApp, password: str
) -> None:
    config = parse_config(
        f'[servers.home]\nurl = "{app.server.url}"\nusername = "{USER}"\n'
        'password_env = "FOLLOWUP_PASSWORD"\n'
        '[calendars.work]\nserver = "home"\nname = "Work"\n'
        '[calendars.followups]\nserver = "home"\nurl = "followups/"\n'
    )
    old = app.server.calendar_url("old-work")
    make_named(app, old, "Work")
    app.add(old, "i0", interview("i0@example.com", FIRST, company="Company 0"))
    target = app.make_calendar("followups")
    sync("@work", "@followups", config=config)
    new = app.server.calendar_url("new-work")
    make_named(app, new, "Work")
    app.add(new, "i0", interview("i0@example.com", FIRST, company="Company 0"))
    app.add(new, "i1", interview("i1@example.com", FIRST + timedelta(days=1), company="Globex"))
    app.delete(old)

    report = sync("@work", "@followups", config=config)

    assert report.interviews == 2 and not report.failed
    assert {a.title for a in report.created} >= {"Appraise the Globex interview"}
    assert counts(report)[1:3] == (0, 0)
    related = {str(item["RELATED-TO"]) for item in app.followups(target).values()}
    assert related == {"i0@example.com", "i1@example.com"}


def make_named(app: CalendarApp, url: str, name: str) -> None:
    body = (
        '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" '
        'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
        f"<D:displayname>{name}</D:displayname></D:prop></D:set></C:mkcalendar>"
    )
    response = app.request("MKCALENDAR", url, data=body.encode())
    assert response.status_code == 201
