"""Whatever an invite says, the .ics followup writes has the same items and the same values.

Every value goes through icalendar's escaping; control characters (NUL, ESC,
C1...) are not iCalendar text and are removed. Checked with generated UIDs,
titles, notes and calendar names, through a real parse of the output.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import icalendar
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import vText

from followup.cli.main import main
from followup.engine.model import Plan
from followup.engine.pipeline import make_plan, read_ics
from followup.engine.write.render import RenderOptions, clean_text, describe, render_calendar
from tests.conftest import ROOT, at, default_rules

EXAMPLE = ROOT / "examples" / "interviews.ics"
NOW = "2026-11-26T08:00"

# Text as an attacker writes it: line breaks, escapes, iCalendar syntax, controls, bidi.
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(list("\r\n\t\\;,:\"'\x00\x1b\x07\x7f\x85\x9b\u202e\u2028")),
        st.sampled_from(["END:VEVENT", "BEGIN:VEVENT", "\\n", "\r\nUID:evil", "\x1b]8;;x\x07"]),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=30,
).map("".join)

_PLAN: Plan | None = None


def example_plan() -> Plan:
    global _PLAN
    if _PLAN is None:
        rules = default_rules()
        now = at("Europe/Berlin", 2026, 11, 30, 8, 0)
        _PLAN = make_plan(rules, read_ics(EXAMPLE.read_bytes(), rules=rules, now=now), now)
    return _PLAN


def text_of(prop: object) -> str:
    """A parsed property as text: icalendar keeps X- and unknown properties escaped."""
    if isinstance(prop, vText):
        return str(prop)
    raw = prop.to_ical()  # type: ignore[attr-defined]
    escaped = raw.decode() if isinstance(raw, bytes) else str(raw)
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), escaped)


def hostile_plan(uid: str, title: str, notes: str) -> Plan:
    plan = example_plan()
    followups = []
    for f in plan.followups:
        interview = dataclasses.replace(f.interview, uid=uid, summary=title)
        followups.append(
            dataclasses.replace(f, interview=interview, title=title + f.rule_id, description=notes)
        )
    return dataclasses.replace(plan, followups=tuple(followups))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uid=hostile_text, title=hostile_text, notes=hostile_text, name=hostile_text)
def test_hostile_values_come_back_as_written_and_add_no_component(
    uid: str, title: str, notes: str, name: str
) -> None:
    plan = hostile_plan(uid, title, notes)
    data = render_calendar(plan, RenderOptions(calendar_name=name))
    for control in (b"\x00", b"\x1b", b"\x07", b"\x7f", "\x85".encode(), "\x9b".encode()):
        assert control not in data
    assert b"\r\n\r\n" not in data and b"\n" not in data.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == len(plan.followups)
    assert len(cal.walk("VALARM")) == sum(f.alarm_before is not None for f in plan.followups)
    assert text_of(cal["X-WR-CALNAME"]) == clean_text(name)
    assert text_of(cal["NAME"]) == clean_text(name)
    for event, followup in zip(events, plan.followups, strict=True):
        assert str(event["UID"]) == followup.uid
        assert str(event["SUMMARY"]) == clean_text(followup.title)
        assert str(event.get("DESCRIPTION", "")) == clean_text(describe(followup))
        assert str(event["RELATED-TO"]) == clean_text(uid)
        assert text_of(event["X-FOLLOWUP-INTERVIEW"]) == clean_text(followup.interview.key)


INJECTED = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    b"BEGIN:VEVENT\r\n"
    b"UID:abc\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil\r\n"
    b"DTSTAMP:20261101T000000Z\r\n"
    b"DTSTART:20261125T100000Z\r\nDTEND:20261125T110000Z\r\n"
    b"SUMMARY:Interview with ACME\x00\x1b]8;;https://evil.example\x07\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_an_interview_uid_with_escaped_line_breaks_cannot_add_an_event() -> None:
    """Under `python -O` icalendar's assertion is gone: the escaping must hold by itself."""
    for python in (
        [sys.executable, "-m", "followup.cli.main"],
        [sys.executable, "-O", "-m", "followup.cli.main"],
    ):
        done = subprocess.run(
            [*python, "ics", "--from", "-", "--now", NOW, "--name", "Job\r\nBEGIN:VEVENT\x1b"],
            input=INJECTED,
            capture_output=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.split(b"\r\n")
        assert b"UID:evil" not in lines
        assert b"\x00" not in done.stdout and b"\x1b" not in done.stdout
        cal = icalendar.Calendar.from_ical(done.stdout)
        assert text_of(cal["X-WR-CALNAME"]) == "Job\nBEGIN:VEVENT"
        keys = {text_of(e["X-FOLLOWUP-INTERVIEW"]) for e in cal.walk("VEVENT")}
        assert keys == {"abc\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil"}
        assert len(cal.walk("VEVENT")) == lines.count(b"BEGIN:VEVENT") == 5


def test_a_calendar_name_with_a_line_break_is_escaped_by_the_ics_command() -> None:
    result = CliRunner().invoke(
        main,
        ["ics", "--from", str(EXAMPLE), "--now", "2026-11-30T08:00", "--name", "A\nEND:VCALENDAR"],
    )
    assert result.exit_code == 0, result.output
    assert b"X-WR-CALNAME:A\\nEND:VCALENDAR\r\n" in result.stdout_bytes
    assert result.stdout_bytes.split(b"\r\n").count(b"END:VCALENDAR") == 1
