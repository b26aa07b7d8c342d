"""``followup sync`` on the command line: what it prints, its exit codes, the config file."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from followup.cli.main import main
from tests.caldav_server import PASSWORD
from tests.sync_support import CalendarApp, account, interview

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)


def calendars(app: CalendarApp, interviews: int = 2) -> tuple[str, str]:
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    for n in range(interviews):
        app.add(work, f"i{n}", interview(f"i{n}@x", MONDAY + timedelta(days=n), company=f"Co{n}"))
    return work, target


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["sync", "--now", "2026-12-01T08:00", *args])


def test_a_sync_prints_what_it_did_and_a_rerun_that_nothing_changed(
    app: CalendarApp, password: str
) -> None:
    work, target = calendars(app)

    first = run("--from", account(work), "--to", account(target))
    second = run("--from", account(work), "--to", account(target))

    assert first.exit_code == 0, first.output
    assert "  created  Send " in first.output
    assert "0 updated, 0 removed, 0 kept because of your changes, 0 failed" in first.output
    assert second.exit_code == 0
    assert "0 created, 0 updated, 0 removed" in second.output and "unchanged." in second.output


def test_json_output_carries_the_warnings_the_text_shows(app: CalendarApp, password: str) -> None:
    work, target = calendars(app, interviews=1)
    app.add(
        work,
        "odd",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:odd@x\r\nDTSTAMP:20261120T090000Z\r\nSUMMARY:Interview with Hooli\r\n"
        b"DTSTART:20261124T090000Z\r\nORGANIZER;CN=Sam^nLee:mailto:sam@hooli.example\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n",
    )

    text = run("--from", account(work), "--to", account(target), "--dry-run")
    result = run("--from", account(work), "--to", account(target), "--json", "--dry-run")

    report = json.loads(result.stdout)
    assert len(report["warnings"]) == 1 and "odd@x" in report["warnings"][0]
    assert "line break" in report["warnings"][0]
    assert f"warning: {report['warnings'][0]}" in text.output


def test_json_output_lists_each_item_for_scripts(app: CalendarApp, password: str) -> None:
    work, target = calendars(app, interviews=1)

    result = run("--from", account(work), "--to", account(target), "--json")

    report = json.loads(result.stdout)
    assert report["complete"] is True and report["dry_run"] is False
    assert len(report["created"]) == report["followups"] > 0
    assert set(report["created"][0]) == {"uid", "title", "href"}
    assert report["failed"] == [] and report["kept"] == []
    assert report["warnings"] == []


def test_a_dry_run_says_what_would_change(app: CalendarApp, password: str) -> None:
    work, target = calendars(app, interviews=1)

    result = run("--from", account(work), "--to", account(target), "--dry-run")

    assert result.exit_code == 0
    assert "would be created" in result.output and "Dry run: nothing was written." in result.output
    assert app.followups(target) == {}


def test_emptying_the_calendar_is_refused_with_exit_code_7(app: CalendarApp, password: str) -> None:
    work, target = calendars(app, interviews=1)
    assert run("--from", account(work), "--to", account(target)).exit_code == 0
    app.delete(work + "i0.ics")

    refused = run("--from", account(work), "--to", account(target))
    forced = run("--from", account(work), "--to", account(target), "--force")

    assert refused.exit_code == 7
    assert "refusing to remove all" in refused.output and "--force" in refused.output
    assert forced.exit_code == 0 and app.followups(target) == {}


def test_a_large_first_sync_shows_progress(app: CalendarApp, password: str) -> None:
    work, target = calendars(app, interviews=6)

    result = run("--from", account(work), "--to", account(target))

    assert result.exit_code == 0
    assert "Writing follow-ups" in result.stderr


def test_with_a_config_file_a_scheduled_sync_needs_no_arguments(
    app: CalendarApp, tmp_path: Path
) -> None:
    calendars(app, interviews=1)
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[sync]
from = "@work"
to = "@followups"

[servers.home]
url = "{app.server.url}"
username = "alice"
password_command = ["{sys.executable}", "-c", "print('{PASSWORD}')"]

[calendars.work]
server = "home"
url = "work/"

[calendars.followups]
server = "home"
name = "Interview follow-ups"
"""
    )

    result = CliRunner().invoke(
        main,
        ["sync", "--now", "2026-12-01T08:00", "--config", str(config)],
        env={"FOLLOWUP_PASSWORD": ""},
    )

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{app.server.url}interview-follow-ups/: ")
    assert len(app.followups(app.server.url + "interview-follow-ups/")) > 0


@pytest.mark.machine_zone("UTC")
def test_sync_reads_now_without_an_offset_where_the_plan_is_made(
    app: CalendarApp, password: str
) -> None:
    # timezone: local on a computer set to UTC plans in the interviews' zone (Berlin): 10:00
    # is Berlin's 10:00, stamped on every follow-up written as 09:00 UTC.
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    app.add(work, "i0", interview("i0@x", MONDAY, company="ACME"))
    result = CliRunner().invoke(
        main,
        ["sync", "--from", account(work), "--to", account(target), "--now", "2026-12-03T10:00"],
    )
    assert result.exit_code == 0, result.output
    written = app.followups(target).values()
    assert written
    assert {item.decoded("DTSTAMP") for item in written} == {
        datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    }
