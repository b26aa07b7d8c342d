"""A CalDAV server that misbehaves on purpose: huge answers, gzip bombs, answers that trickle,
bad XML, servers that never answer. Each fault is injected at a real Radicale (or at a raw
socket where no HTTP server could produce it), and each ends in one message, never a
traceback or a hang."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from engine.caldav.session import CalDAVSession
from engine.caldav.transport import ConnectionLost, Limits
from engine.config import parse_config, resolve_calendar
from tests.caldav_server import (
    Answer,
    CalDAVServer,
    free_port,
    silent_port,
    trickling_port,
)
from tests.sync_support import CalendarApp, account

pytest_plugins = ["tests.conftest_caldav"]

MB = 1024 * 1024
XML = [("Content-Type", "text/xml; charset=utf-8")]


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["sync", "--now", "2026-12-01T08:00", *args])


def one_message(result: Result) -> None:
    assert result.exit_code == 5, result.output
    assert "Traceback" not in result.output
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
