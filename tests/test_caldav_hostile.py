"""A CalDAV server that misbehaves on purpose: huge answers, gzip bombs, answers that trickle,
bad XML, servers that never answer. Each fault is injected at a real Radicale (or at a raw
socket where no HTTP server could produce it), and each ends in one message, never a
traceback or a hang."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.caldav.state import target_state_path
from followup.engine.config import parse_config, plain_text_warning, resolve_calendar
from followup.engine.dav.session import CalDAVSession
from followup.engine.dav.transport import ConnectionLost, Limits
from tests.caldav_server import (
    USER,
    Answer,
    CalDAVServer,
    free_port,
    silent_port,
    trickling_port,
)
from tests.cli_result import ended_cleanly
from tests.sync_support import CalendarApp, account, counts, expected_plan, interview, sync

ACME = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

pytest_plugins = ["tests.conftest_caldav"]

MB = 1024 * 1024
XML = [("Content-Type", "text/xml; charset=utf-8")]


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["sync", "--now", "2026-12-01T08:00", *args])


def one_message(result: Result, code: int = 5) -> None:
    assert result.exit_code == code, result.output
    ended_cleanly(result)
    assert result.output.startswith("followup: ") and result.output.count("followup: ") == 1


def on_propfind(answer: Answer) -> Any:
    def inject(method: str, path: str) -> Answer | None:
        return answer if method == "PROPFIND" else None

    return inject


def calendars(app: CalendarApp) -> tuple[str, str]:
    return app.make_calendar("work"), app.make_calendar("followups")


def test_an_answer_larger_than_the_cap_is_refused_without_reading_it_all(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)
    sent: list[int] = []

    def endless() -> Iterator[bytes]:  # fault injected: 200 MB of XML whitespace
        yield b'<?xml version="1.0"?><multistatus xmlns="DAV:">'
        for _ in range(200):
            sent.append(1)
            yield b" " * MB

    app.server.answer = on_propfind(("207 Multi-Status", XML, endless()))
    result = run_cli("--from", account(work), "--to", account(target))

    one_message(result)
    assert "sent an answer larger than 64 MB; refused" in result.output
    assert len(sent) < 200  # the client hung up long before the end


def test_a_gzip_bomb_is_refused_after_the_cap_not_unpacked_in_memory(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)
    bomb = gzip.compress(b"<" + b" " * (300 * MB), compresslevel=9)  # fault injected
    assert len(bomb) < 1 * MB
    app.server.answer = on_propfind(
        ("207 Multi-Status", [*XML, ("Content-Encoding", "gzip")], [bomb])
    )
    result = run_cli("--from", account(work), "--to", account(target))

    one_message(result)
    assert "larger than 64 MB; refused" in result.output


def test_an_encoding_that_was_not_asked_for_is_refused(app: CalendarApp, password: str) -> None:
    work, target = calendars(app)
    app.server.answer = on_propfind(  # fault injected: brotli, never offered by followup
        ("207 Multi-Status", [*XML, ("Content-Encoding", "br")], [b"\x0b\x01\x80"])
    )
    result = run_cli("--from", account(work), "--to", account(target))

    one_message(result)
    assert "an encoding that was not asked for (br)" in result.output


@pytest.mark.parametrize(
    "body",
    [b"<multistatus xmlns='DAV:'><response>", b"\x00\xff not xml", b"<a><b></a>"],
    ids=["cut-short", "binary", "mismatched"],
)
def test_bad_xml_from_the_server_is_one_message(
    app: CalendarApp, password: str, body: bytes
) -> None:
    work, target = calendars(app)
    app.server.answer = on_propfind(("207 Multi-Status", XML, [body]))  # fault injected
    result = run_cli("--from", account(work), "--to", account(target))

    one_message(result)


def test_bad_xml_while_looking_for_the_calendar_by_name_is_one_message(
    app: CalendarApp, password: str
) -> None:
    work, _ = calendars(app)
    app.server.answer = lambda method, path: (  # fault injected on every PROPFIND but work's
        ("207 Multi-Status", XML, [b"<multistatus xmlns='DAV:'><resp"])
        if method == "PROPFIND" and not path.endswith("/work/")
        else None
    )
    result = run_cli("--from", account(work))

    one_message(result)
    assert "sent XML that cannot be read" in result.output


def test_a_body_sent_one_byte_at_a_time_ends_at_the_timeout(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)

    def trickle() -> Iterator[bytes]:  # fault injected: a byte every 0.2 s, for a minute
        for _ in range(300):
            time.sleep(0.2)
            yield b" "

    app.server.answer = on_propfind(("207 Multi-Status", XML, trickle()))
    result = run_cli("--from", account(work), "--to", account(target), "--timeout", "1")

    one_message(result)
    assert "no answer within the timeout (1 s for the whole answer)" in result.output


def test_headers_sent_one_byte_at_a_time_end_at_the_timeout() -> None:
    with trickling_port(b"HTTP/1.1 207 Multi-Status\r\nX-Slow: ") as base:
        result = run_cli("--from", base + "/a/work/", "--to", base + "/a/f/", "--timeout", "1")

    one_message(result)
    assert "cannot reach 127.0.0.1: no answer within the timeout" in result.output


def test_a_run_that_takes_too_long_in_all_is_stopped(radicale: CalDAVServer, password: str) -> None:
    app = CalendarApp(radicale)
    work = app.make_calendar("work")

    def slow(method: str, path: str) -> int | None:  # fault injected: every answer is slow
        time.sleep(0.3)
        return None

    radicale.fault = slow
    ref = resolve_calendar(account(work), parse_config(""), timeout=5)
    with (
        CalDAVSession(ref.endpoint, limits=Limits(per_run=1.0)) as session,
        pytest.raises(ConnectionLost, match=r"took more than .* min in all; stopped"),
    ):
        for _ in range(20):
            session.collection_info(session.path(work))


@pytest.mark.parametrize("fault", ["refused", "silent"])
def test_a_first_sync_to_an_unreachable_server_without_to_is_one_message(fault: str) -> None:
    """No saved state and no --to: followup looks for its calendar by name first."""
    if fault == "refused":
        result = run_cli("--from", f"http://alice@127.0.0.1:{free_port()}/alice/work/")
    else:
        with silent_port() as base:
            result = run_cli("--from", account(base + "/alice/work/"), "--timeout", "0.5")

    one_message(result)
    assert "cannot reach 127.0.0.1" in result.output


# -- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "0x50", "-1"])
def test_a_port_out_of_range_in_a_url_is_one_message(port: str) -> None:
    result = run_cli("--from", f"http://alice@127.0.0.1:{port}/alice/work/")

    one_message(result, code=2)
    assert "the port is not a number from 1 to 65535" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "http://al%3Aice@127.0.0.1:5232/al/work/"],
        ["--from", "http://127.0.0.1:5232/al/work/", "--user", "al:ice"],
    ],
    ids=["in-the-url", "given-with-user"],
)
def test_a_user_name_with_a_colon_is_refused_not_split_into_a_password(
    args: list[str], password: str
) -> None:
    result = run_cli(*args)

    one_message(result, code=2)
    assert "the user name 'al:ice' contains ':'" in result.output


def test_a_password_in_the_url_is_still_refused() -> None:
    result = run_cli("--from", "http://al:ice@127.0.0.1:5232/al/work/")

    one_message(result, code=2)
    assert "the URL contains a password" in result.output


def test_an_ipv6_literal_url_keeps_its_brackets_from_the_command_line_to_the_server(
    tmp_path: Path, password: str
) -> None:
    server = CalDAVServer("radicale", tmp_path / "radicale", ipv6=True)
    server.start()
    try:
        app = CalendarApp(server)
        work, target = calendars(app)
        assert work.startswith("http://[::1]:")
        app.add(work, "acme", interview("acme-1@example.com", ACME))
        result = run_cli("--from", account(work), "--to", account(target))
        written = app.followups(target)
    finally:
        server.stop()

    assert result.exit_code == 0, result.output
    assert f"{target}: " in result.output and " 0 failed" in result.output
    assert len(written) > 0
    assert {e.method for e in server.log} >= {"PROPFIND", "PUT"}


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://alice@dav.example.com/alice/work/", True),
        ("http://alice@192.0.2.7:5232/alice/work/", True),
        ("http://alice@[2001:db8::1]:5232/alice/work/", True),
        ("https://alice@dav.example.com/alice/work/", False),
        ("http://alice@127.0.0.1:5232/alice/work/", False),
        ("http://alice@[::1]:5232/alice/work/", False),
        ("http://alice@localhost:5232/alice/work/", False),
    ],
)
def test_a_password_over_plain_http_to_another_machine_is_warned_about(
    url: str, warned: bool, password: str
) -> None:
    endpoint = resolve_calendar(url, parse_config("")).endpoint
    warning = plain_text_warning(endpoint)

    assert (warning is not None) == warned
    if warning is not None:
        assert "goes over plain http://" in warning and "use https://" in warning


# -- hrefs -------------------------------------------------------------------------------------


def test_an_href_that_leaves_the_calendar_is_never_read_or_written(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)
    private = app.make_calendar("private")
    app.add(work, "acme", interview("acme-1@example.com", ACME))
    lookalike = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:0123456789abcdef-thank-you@followup\r\nDTSTAMP:20261120T120000Z\r\n"
        b"DTSTART:20261126T090000Z\r\nSUMMARY:My own note\r\nX-FOLLOWUP-RULE:thank-you\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    app.add(private, "note", lookalike)
    target_path = target.removeprefix(app.server.base)
    escaping = [f"{target_path}../private/note.ics", "/alice/private/note.ics"]
    entries = "".join(
        f'<response><href>{href}</href><propstat><prop><getetag>"1"</getetag>'
        f"<C:calendar-data>{lookalike.decode()}</C:calendar-data></prop>"
        "<status>HTTP/1.1 200 OK</status></propstat></response>"
        for href in escaping
    )
    hostile = (
        '<?xml version="1.0"?><multistatus xmlns="DAV:" '
        f'xmlns:C="urn:ietf:params:xml:ns:caldav">{entries}</multistatus>'
    ).encode()
    app.server.answer = lambda method, path: (  # fault injected: hrefs outside the target
        ("207 Multi-Status", XML, [hostile]) if method == "REPORT" and path == target_path else None
    )

    before = len(app.server.log)
    result = run_cli("--from", account(work), "--to", account(target))

    assert result.exit_code == 0, result.output
    assert "My own note" not in result.output
    assert not [e for e in app.server.log[before:] if "/private/" in e.path]
    assert list(app.items(private)) == [private + "note.ics"]


@pytest.mark.parametrize(
    ("href", "path"),
    [
        ("/alice/cal/../other/x.ics", "/alice/other/x.ics"),
        ("/alice/cal/./x.ics", "/alice/cal/x.ics"),
        ("http://evil.example/alice/cal/x.ics", "/alice/cal/x.ics"),
        ("/alice/cal/%2e%2e/%2e%2e/root.ics", "/root.ics"),
        ("/alice//cal/", "/alice/cal/"),
        ("/../../x", "/x"),
    ],
)
def test_hrefs_are_normalised_before_they_are_compared(href: str, path: str) -> None:
    from followup.engine.dav.protocol import inside, normalise_href

    assert normalise_href(href) == path
    assert inside(normalise_href(href), "/alice/cal/") == path.startswith("/alice/cal/")


# -- a server that forgets -----------------------------------------------------------------


def test_a_sync_answer_that_says_everything_went_is_checked_before_it_is_believed(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)
    hrefs = [
        app.add(work, name, interview(f"{name}-1@example.com", ACME, company=name))
        for name in ("acme", "globex")
    ]
    first = run_cli("--from", account(work), "--to", account(target))
    assert first.exit_code == 0, first.output
    assert "for 2 interviews" in first.output
    work_path = work.removeprefix(app.server.base)
    gone = "".join(
        f"<response><href>{href.removeprefix(app.server.base)}</href>"
        "<status>HTTP/1.1 404 Not Found</status></response>"
        for href in hrefs
    )
    emptying = (
        f'<?xml version="1.0"?><multistatus xmlns="DAV:">{gone}'
        "<sync-token>http://radicale.org/ns/sync/forgotten</sync-token></multistatus>"
    ).encode()
    told: list[str] = []

    def forget_once(method: str, path: str) -> Answer | None:
        # Fault injected: once, the sync-collection answer says every interview was deleted.
        if method == "REPORT" and path == work_path and not told:
            told.append(path)
            return ("207 Multi-Status", XML, [emptying])
        return None

    app.server.answer = forget_once
    second = run_cli("--from", account(work), "--to", account(target))
    third = run_cli("--from", account(work), "--to", account(target))

    assert told
    for result in (second, third):
        assert result.exit_code == 0, result.output
        assert "for 2 interviews" in result.output
        assert "0 created, 0 updated, 0 removed" in result.output


# -- objects that pass themselves off as followup's --------------------------------------------


def forged(uid: str, summary: str) -> bytes:
    """An object with followup's UID scheme and marks, stamped with a fingerprint computed
    by hand, as anyone who read followup's source could make."""
    from icalendar import Calendar, Event

    from followup.engine.caldav.fingerprint import RULE_PROP, stamp

    cal = Calendar()
    cal.add("prodid", "-//someone else//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("UTC")))
    event.add("dtstart", ACME + timedelta(days=1))
    event.add("summary", summary)
    event.add(RULE_PROP, "thank-you")
    cal.add_component(event)
    stamp(cal)  # the unkeyed fingerprint
    return cal.to_ical()


def test_an_object_stamped_by_someone_else_is_neither_overwritten_nor_deleted(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)
    data = interview("acme-1@example.com", ACME)
    app.add(work, "acme", data)
    wanted = sorted(f.uid for f in expected_plan([(work + "acme.ics", data)]).followups)
    stranger = app.add(target, "stranger", forged("0123456789abcdef-x@followup", "Not yours"))
    lookalike = app.add(target, "lookalike", forged(wanted[0], "Mine, not followup's"))
    before = {url: app.request("GET", url).content for url in (stranger, lookalike)}

    report = sync(work, target)

    assert {url: app.request("GET", url).content for url in before} == before
    assert {k.uid for k in report.kept} == {"0123456789abcdef-x@followup", wanted[0]}
    assert not [o for o in report.outcomes if o.action.href in before]


def restamp_unkeyed(app: CalendarApp, url: str) -> None:
    """Rewrite an object as an older followup stamped it: the plain, unkeyed fingerprint."""
    from icalendar import Calendar

    from followup.engine.caldav.fingerprint import stamp

    response = app.request("GET", url)
    cal = Calendar.from_ical(response.content)
    stamp(cal)
    app.put(url, cal.to_ical(), response.headers.get("ETag"))


def test_follow_ups_stamped_by_an_older_version_are_taken_back_once_and_restamped(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)
    for name in ("acme", "globex"):
        app.add(work, name, interview(f"{name}-1@example.com", ACME, company=name))
    first = sync(work, target)
    ours = sorted(app.items(target))
    assert len(ours) == len(first.created) >= 2
    for url in ours:  # as the calendar and the state stood after a sync by an older version
        restamp_unkeyed(app, url)
    state_file = target_state_path(target, USER)
    state = json.loads(state_file.read_text())
    del state["keyed"]
    state_file.write_text(json.dumps(state))
    edited = ours[0]
    cal, etag = app.get(edited)
    for component in cal.walk("VEVENT"):
        component["SUMMARY"] = "Moved by me"
    app.put(edited, cal.to_ical(), etag)  # and one the user changed since
    stranger = app.add(target, "stranger", forged("0123456789abcdef-x@followup", "Not yours"))

    migrated = sync(work, target)

    assert sorted(a.href for a in migrated.updated) == [
        target.removeprefix(app.server.base) + url.rsplit("/", 1)[1] for url in ours[1:]
    ]
    assert {k.href for k in migrated.kept} >= {
        edited.removeprefix(app.server.base),
        stranger.removeprefix(app.server.base),
    }
    assert counts(sync(work, target))[:3] == (0, 0, 0)
