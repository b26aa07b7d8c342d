"""The .ics output: accepted by clients, stable, escaped, and the same bytes every run."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import icalendar
import pytest
import vobject
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.model import Plan
from followup.engine.pipeline import make_plan, read_ics
from followup.engine.write.render import RenderOptions, render_calendar
from followup.rules.loader import parse_rules, shipped_rules
from tests.conftest import DATA, ROOT, at, default_rules

EXAMPLE = ROOT / "examples" / "interviews.ics"
NOW = "2026-11-30T08:00"


def example_plan(zone: str = "Europe/Berlin") -> Plan:
    rules = default_rules(zone)
    now = at(zone, 2026, 11, 30, 8, 0)
    return make_plan(rules, read_ics(EXAMPLE.read_bytes(), rules=rules, now=now), now)


def run_ics(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["ics", "--from", str(EXAMPLE), "--now", NOW, *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_a_re_run_gives_identical_bytes() -> None:
    assert run_ics() == run_ics()


def test_uids_stay_the_same_when_the_clock_moves_on() -> None:
    first = icalendar.Calendar.from_ical(run_ics())
    later = CliRunner().invoke(main, ["ics", "--from", str(EXAMPLE), "--now", "2026-12-05T08:00"])
    second = icalendar.Calendar.from_ical(later.stdout_bytes)
    uids = {str(c["UID"]) for c in first.walk("VEVENT")}
    assert uids == {str(c["UID"]) for c in second.walk("VEVENT")}
    assert len(uids) == len(first.walk("VEVENT"))


@pytest.mark.machine_zone("Europe/Berlin")
def test_the_calendar_has_what_clients_need() -> None:
    data = run_ics()
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["PRODID"]) == "-//followup//followup 0.1//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert cal.get_missing_tzids() == set()
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Berlin"]
    for event in cal.walk("VEVENT"):
        for prop in (
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "RELATED-TO",
            "X-FOLLOWUP-RULE",
        ):
            assert prop in event, prop
        assert event.errors == []
        for alarm in event.walk("VALARM"):
            assert {"ACTION", "TRIGGER", "DESCRIPTION"} <= set(alarm)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_the_output_is_read_by_an_independent_parser() -> None:
    data = run_ics().decode()
    parsed = vobject.readOne(data)
    events = parsed.contents["vevent"]
    assert len(events) == len(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    for event in events:
        start = event.dtstart.value
        assert start.tzinfo is not None
        mine = next(
            e
            for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
            if str(e["UID"]) == event.uid.value
        )
        assert start == mine.start
        assert event.summary.value == str(mine["SUMMARY"])


def test_user_text_is_escaped_and_folded() -> None:
    plan = example_plan()
    first = plan.followups[0]
    tricky = dataclasses.replace(
        first,
        title="Thank Zoë, Ægir; and 日本語 – a long title that goes on and on beyond seventy five octets",
        description="Line one, with a comma; a semicolon\nline two \\ backslash",
    )
    data = render_calendar(dataclasses.replace(plan, followups=(tricky,)))
    assert b"SUMMARY:Thank Zo\xc3\xab\\, \xc3\x86gir\\; and" in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == tricky.title
    assert str(event["DESCRIPTION"]).startswith(
        "Line one, with a comma; a semicolon\nline two \\ backslash"
    )
    assert "\n" not in str(event["SUMMARY"])


def test_titles_are_kept_on_one_line_even_when_a_template_breaks_them() -> None:
    text, name = shipped_rules()
    broken = text.replace("timezone: local", "timezone: Europe/Berlin").replace(
        'title: "Appraise the {{ company or interview_title }} interview"',
        'title: "Appraise the\\n  {{ company or interview_title }}\\r\\ninterview\\n"',
    )
    assert broken.count("Appraise the\\n") == 1
    rules = parse_rules(broken, name)
    now = at("Europe/Berlin", 2026, 11, 30, 8, 0)
    plan = make_plan(rules, read_ics(EXAMPLE.read_bytes(), rules=rules, now=now), now)
    appraisals = [f.title for f in plan.followups if f.rule_id == "appraise"]
    assert appraisals and all(t.startswith("Appraise the ") for t in appraisals)
    assert all(t == " ".join(t.split()) for t in appraisals)
    summaries = [
        str(e["SUMMARY"])
        for e in icalendar.Calendar.from_ical(render_calendar(plan)).walk("VEVENT")
        if str(e["X-FOLLOWUP-RULE"]) == "appraise"
    ]
    assert summaries == appraisals


def test_an_all_day_step_ends_the_next_day() -> None:
    plan = example_plan()
    step = dataclasses.replace(
        plan.followups[0],
        all_day=True,
        start=at("Europe/Berlin", 2026, 12, 3, 0, 0),
        end=at("Europe/Berlin", 2026, 12, 4, 0, 0),
    )
    event = icalendar.Calendar.from_ical(
        render_calendar(dataclasses.replace(plan, followups=(step,)))
    ).walk("VEVENT")[0]
    assert event["DTSTART"].to_ical() == b"20261203"
    assert event["DTEND"].to_ical() == b"20261204"


def test_an_all_day_todo_due_the_day_it_starts_is_due_the_next_day() -> None:
    """RFC 5545: a VTODO's DUE comes after its DTSTART; for a day, that is the next day."""
    plan = example_plan()
    day = at("Europe/Berlin", 2026, 12, 3, 0, 0)
    step = dataclasses.replace(plan.followups[0], all_day=True, start=day, end=day, due=day)
    todo = icalendar.Calendar.from_ical(
        render_calendar(dataclasses.replace(plan, followups=(step,)), RenderOptions("todo"))
    ).walk("VTODO")[0]
    assert todo["DTSTART"].to_ical() == b"20261203"
    assert todo["DUE"].to_ical() == b"20261204"


def test_todos_can_be_forced_and_carry_their_window_as_due() -> None:
    data = run_ics("--as", "todos")
    cal = icalendar.Calendar.from_ical(data)
    assert cal.walk("VEVENT") == []
    todos = cal.walk("VTODO")
    window = next(t for t in todos if str(t["X-FOLLOWUP-RULE"]) == "status-check")
    assert window.start < window["DUE"].dt
    assert str(window["STATUS"]) == "NEEDS-ACTION"


def test_alarms_can_be_left_out() -> None:
    assert b"BEGIN:VALARM" in run_ics()
    assert b"BEGIN:VALARM" not in run_ics("--no-alarms")


def test_a_feed_name_and_refresh_hint_are_written_when_asked() -> None:
    data = render_calendar(
        example_plan(), RenderOptions(calendar_name="Follow-ups", refresh=timedelta(hours=1))
    )
    assert b"X-WR-CALNAME:Follow-ups" in data
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in data
    assert b"X-PUBLISHED-TTL:PT1H" in data


def test_writing_to_a_file_replaces_it_whole(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "followups.ics"
    out.write_bytes(b"old")
    result = CliRunner().invoke(main, ["ics", "--from", str(EXAMPLE), "--now", NOW, "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes() == run_ics()
    assert "23 follow-ups for 6 interviews, 1 of them cancelled" in result.output
    assert [p.name for p in out.parent.iterdir()] == ["followups.ics"]


def test_reading_from_standard_input() -> None:
    result = CliRunner().invoke(
        main, ["ics", "--from", "-", "--now", NOW], input=EXAMPLE.read_bytes()
    )
    assert result.exit_code == 0
    assert result.stdout_bytes == run_ics()


def test_outlook_input_renders_in_the_rules_zone() -> None:
    rules = default_rules()
    now = at("Europe/Berlin", 2026, 11, 9)
    plan = make_plan(
        rules, read_ics((DATA / "outlook_export.ics").read_bytes(), rules=rules, now=now), now
    )
    cal = icalendar.Calendar.from_ical(render_calendar(plan))
    assert {tz.tz_name for tz in cal.timezones} == {"Europe/Berlin"}
