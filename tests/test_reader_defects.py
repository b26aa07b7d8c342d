"""Calendars with a defect in one event: the others are read, and the defect is named once.

Every file here holds the defective event and a good interview next to it
(Globex, 2 December), as real exports do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.errors import SourceError
from followup.engine.model import Interview, Reading, Window
from followup.engine.read.reader import MAX_LINE, MAX_PER_SERIES, Matcher, read_ics
from tests.cli_result import ended_cleanly

BERLIN = ZoneInfo("Europe/Berlin")
WINDOW = Window(datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
GOOD = (
    "UID:good@x\r\nSUMMARY:Interview with Globex\r\n"
    "DTSTART:20261202T100000Z\r\nDTEND:20261202T110000Z"
)


def calendar(*events: str, header: str = "", zones: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{header}{zones}{body}END:VCALENDAR\r\n"


def read(data: str | bytes, window: Window = WINDOW) -> Reading:
    raw = data.encode() if isinstance(data, str) else data
    return read_ics(raw, matcher=Matcher(), home=BERLIN, window=window, name="cal.ics")


def by_uid(reading: Reading) -> dict[str, Interview]:
    return {i.uid: i for i in reading.events}


def utc(day: int, hour: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_an_interview_without_uid_gets_a_stable_uid_from_its_content() -> None:
    event = "SUMMARY:Interview with ACME\r\nDTSTART:20261201T090000Z\r\nDTSTAMP:20261101T000000Z"
    first = read(calendar(event, GOOD))
    again = read(calendar(event.replace("20261101T", "20261130T"), GOOD))  # a newer export
    other = read(calendar(event.replace("ACME", "Initech"), GOOD))
    [acme] = [i for i in first.events if i.uid != "good@x"]
    assert acme.uid.startswith("no-uid-") and acme.start == utc(1, 9)
    assert [i.uid for i in again.events if i.uid != "good@x"] == [acme.uid]
    assert acme.uid not in {i.uid for i in other.events}
    assert first.warnings == (f"cal.ics:3: an event without UID is read as {acme.uid!r}",)


def test_a_tzid_without_vtimezone_is_read_as_the_zone_it_names() -> None:
    event = "UID:w@x\r\nSUMMARY:Interview\r\nDTSTART;TZID=W. Europe Standard Time:20261201T090000"
    reading = read(calendar(event, GOOD))
    interviews = by_uid(reading)
    assert interviews["w@x"].start == utc(1, 8)
    assert reading.warnings == ()


def test_an_unknown_tzid_is_read_in_the_calendars_x_wr_timezone_with_a_warning() -> None:
    event = "UID:w@x\r\nSUMMARY:Interview\r\nDTSTART;TZID=Office Time:20261201T090000"
    data = calendar(event, GOOD, header="X-WR-TIMEZONE:America/New_York\r\n")
    reading = read(data)
    interviews = by_uid(reading)
    assert interviews["w@x"].start == utc(1, 14)
    assert reading.warnings == (
        "cal.ics:7: unknown time zone 'Office Time' (no VTIMEZONE for it): "
        "read as the calendar's X-WR-TIMEZONE, America/New_York",
    )


def test_an_unknown_tzid_is_read_in_the_rules_zone_without_x_wr_timezone() -> None:
    event = "UID:w@x\r\nSUMMARY:Interview\r\nDTSTART;TZID=Mars/Olympus_Mons:20261201T090000"
    reading = read(calendar(event, GOOD))
    interviews = by_uid(reading)
    assert interviews["w@x"].start == utc(1, 8)
    assert "read as your rules' timezone, Europe/Berlin" in reading.warnings[0]


@pytest.mark.parametrize("stale_first", [True, False])
@pytest.mark.parametrize(
    ("stale", "fresh"),
    [
        ("SEQUENCE:1", "SEQUENCE:2"),
        (
            "SEQUENCE:2\r\nLAST-MODIFIED:20261101T000000Z",
            "SEQUENCE:2\r\nLAST-MODIFIED:20261102T000000Z",
        ),
        ("DTSTAMP:20261101T000000Z", "DTSTAMP:20261102T000000Z"),
        ("SEQUENCE:3\r\nDTSTAMP:20261102T000000Z", "SEQUENCE:4\r\nDTSTAMP:20261101T000000Z"),
    ],
)
def test_of_events_sharing_a_uid_the_newest_revision_is_read_whichever_comes_first(
    stale: str, fresh: str, stale_first: bool
) -> None:
    """The highest SEQUENCE, then the latest LAST-MODIFIED, then DTSTAMP: never the order."""
    old = f"UID:d@x\r\nSUMMARY:Interview v1\r\n{stale}\r\nDTSTART:20261201T090000Z"
    new = f"UID:d@x\r\nSUMMARY:Interview v2\r\n{fresh}\r\nDTSTART:20261201T100000Z"
    events = (old, new) if stale_first else (new, old)
    reading = read(calendar(*events, GOOD))
    interviews = by_uid(reading)
    assert interviews["d@x"].summary == "Interview v2"
    assert interviews["d@x"].start == utc(1, 10)
    assert "2 events share UID 'd@x'" in reading.warnings[0]


def test_broken_properties_followup_does_not_use_are_ignored() -> None:
    event = (
        "UID:b@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\n"
        "CREATED:yesterday\r\nGEO:somewhere\r\nDTSTAMP:now"
    )
    reading = read(calendar(event, GOOD))
    interviews = by_uid(reading)
    assert interviews["b@x"].start == utc(1, 9)
    assert reading.warnings == ()


def test_a_defect_in_a_needed_property_skips_that_event_and_the_summary_counts_it() -> None:
    bad = "UID:bad@x\r\nSUMMARY:Interview\r\nDTSTART:20261345T250000Z"
    reading = read(calendar(bad, GOOD))
    [good] = reading.events
    assert good.uid == "good@x"
    assert reading.warnings == (
        "cal.ics:6: event 'bad@x' is skipped: DTSTART: invalid date or time '20261345T250000Z'",
        "cal.ics: 1 interview event skipped (1 invalid DTSTART); "
        "fix them in your calendar app to get their follow-ups",
    )


def test_a_calendar_whose_only_interview_cannot_be_read_is_refused_naming_it() -> None:
    with pytest.raises(SourceError) as caught:
        read(calendar("UID:bad@x\r\nSUMMARY:Interview\r\nDTSTART:2026"))
    assert str(caught.value) == "cal.ics:6: event 'bad@x': DTSTART: invalid date or time '2026'"


def test_a_series_mixing_date_and_date_time_values_is_read() -> None:
    # UNTIL as a date ends the series at that day's start, as recurring-ical-events reads it.
    event = (
        "UID:m@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\n"
        "RRULE:FREQ=DAILY;UNTIL=20261204\r\nEXDATE;VALUE=DATE:20261202"
    )
    interviews = [i for i in read(calendar(event, GOOD)).events if i.uid == "m@x"]
    assert [i.start for i in interviews] == [utc(1, 9), utc(3, 9)]
    dates = "UID:d@x\r\nSUMMARY:Interview\r\nDTSTART;VALUE=DATE:20261201\r\nRRULE:FREQ=DAILY;UNTIL=20261202T120000Z"
    assert [i.all_day for i in read(calendar(dates, GOOD)).events if i.uid == "d@x"] == [True, True]


def test_a_vtimezone_whose_tzid_has_an_escaped_comma_is_used() -> None:
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Kuala Lumpur\\, Singapore\r\nBEGIN:STANDARD\r\n"
        "DTSTART:16010101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    event = 'UID:k@x\r\nSUMMARY:Interview\r\nDTSTART;TZID="Kuala Lumpur, Singapore":20261201T090000'
    reading = read(calendar(event, GOOD, zones=zone))
    interviews = by_uid(reading)
    assert interviews["k@x"].start == utc(1, 1)
    assert reading.warnings == ()


def test_every_instance_after_a_thisandfuture_change_has_its_own_key() -> None:
    series = "UID:s@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=DAILY;COUNT=5"
    moved = (
        "UID:s@x\r\nSUMMARY:Interview, moved\r\n"
        "RECURRENCE-ID;RANGE=THISANDFUTURE:20261203T090000Z\r\nDTSTART:20261203T100000Z"
    )
    instances = [i for i in read(calendar(series, moved, GOOD)).events if i.uid == "s@x"]
    assert [i.start.hour for i in instances] == [9, 9, 10, 10, 10]
    assert len({i.key for i in instances}) == 5


def test_an_rdate_period_gives_the_instance_its_end() -> None:
    event = (
        "UID:p@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\n"
        "RDATE;VALUE=PERIOD:20261210T090000Z/20261210T120000Z"
    )
    instances = [i for i in read(calendar(event, GOOD)).events if i.uid == "p@x"]
    assert [(i.start, i.end) for i in instances] == [
        (utc(1, 9), utc(1, 10)),
        (utc(10, 9), utc(10, 12)),
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("utf-16-be").join([b"\xfe\xff", b""]),
    ],
    ids=["utf-8 bom", "utf-16-le bom", "utf-16-be bom"],
)
def test_a_byte_order_mark_is_read(encode: object) -> None:
    assert callable(encode)
    text = calendar("UID:a@x\r\nSUMMARY:Interview with Société\r\nDTSTART:20261201T090000Z", GOOD)
    interviews = by_uid(read(encode(text)))
    assert interviews["a@x"].summary == "Interview with Société"
    assert set(interviews) == {"a@x", "good@x"}


def test_bare_events_without_vcalendar_are_read() -> None:
    data = f"BEGIN:VEVENT\r\nUID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n{GOOD}\r\nEND:VEVENT\r\n"
    assert [i.uid for i in read(data).events] == ["a@x", "good@x"]


def test_calendars_one_after_another_are_read_as_one() -> None:
    first = calendar("UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z")
    second = calendar(GOOD)
    reading = read(first + second)
    assert [i.uid for i in reading.events] == ["a@x", "good@x"]
    assert reading.warnings == ()


def test_content_after_the_last_calendar_is_ignored_with_a_warning_naming_its_line() -> None:
    reading = read(calendar(GOOD) + "garbage\r\n" * 3)
    assert reading.warnings == ("cal.ics:10: content after END:VCALENDAR is ignored: 'garbage'",)


# --- bounded expansion --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=SECONDLY", "RRULE FREQ=SECONDLY from 2026-12-01 09:00:00+00:00 repeats too often"),
        ("FREQ=MINUTELY", "RRULE FREQ=MINUTELY from 2026-12-01 09:00:00+00:00 repeats too often"),
        ("FREQ=DAILY;INTERVAL=0", "RRULE INTERVAL=0 is not a positive number"),
        (
            "FREQ=DAILY;BYHOUR="
            + ",".join(map(str, range(24)))
            + ";BYMINUTE="
            + ",".join(map(str, range(60))),
            "RRULE FREQ=DAILY from 2026-12-01 09:00:00+00:00 repeats too often",
        ),
    ],
)
def test_a_series_that_repeats_too_often_to_expand_is_skipped(rule: str, reason: str) -> None:
    event = f"UID:r@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:{rule}"
    reading = read(calendar(event, GOOD))
    [good] = reading.events
    assert good.uid == "good@x"
    assert reading.warnings[0].startswith(f"cal.ics:7: event 'r@x' is skipped: {reason}")


def test_an_hourly_series_is_capped_with_a_warning() -> None:
    event = "UID:h@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=HOURLY"
    reading = read(calendar(event, GOOD))
    assert sum(i.uid == "h@x" for i in reading.events) == MAX_PER_SERIES
    assert reading.warnings == (
        f"cal.ics:7: event 'h@x' repeats more than {MAX_PER_SERIES} times in the period read; "
        f"only the first {MAX_PER_SERIES} are read (check its RRULE in your calendar app)",
    )


def test_a_vtimezone_with_a_secondly_rule_is_not_expanded() -> None:
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Fast\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    event = "UID:z@x\r\nSUMMARY:Interview\r\nDTSTART;TZID=Fast:20261201T090000"
    reading = read(calendar(event, GOOD, zones=zone))
    interviews = by_uid(reading)
    assert interviews["z@x"].start == utc(1, 8)
    assert "unknown time zone 'Fast' (its VTIMEZONE cannot be used)" in reading.warnings[0]


# --- hostile values -----------------------------------------------------------------------------


def test_an_event_inside_an_event_is_ignored_with_a_warning() -> None:
    event = (
        "UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\n"
        "BEGIN:VEVENT\r\nUID:inner@x\r\nSUMMARY:Interview\r\nDTSTART:20261203T090000Z\r\nEND:VEVENT"
    )
    reading = read(calendar(event, GOOD))
    assert [i.uid for i in reading.events] == ["a@x", "good@x"]
    assert reading.warnings == ("cal.ics:3: a VEVENT inside an event is ignored",)


@pytest.mark.parametrize("tzid", ["A" * 300, "/" * 2000], ids=["300 characters", "2,000 slashes"])
def test_a_tzid_that_is_no_zone_name_costs_only_its_event(tzid: str) -> None:
    event = f"UID:t@x\r\nSUMMARY:Interview\r\nDTSTART;TZID={tzid}:20261201T090000"
    reading = read(calendar(event, GOOD))
    assert "good@x" in by_uid(reading)
    warning = reading.warnings[0]
    assert warning.startswith("cal.ics:")
    assert len(warning) < 300


def test_a_line_break_in_the_organizers_name_is_read_as_a_space() -> None:
    event = (
        "UID:o@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\n"
        'ORGANIZER;CN="Dana^nSmith":mailto:dana@acme.example'
    )
    reading = read(calendar(event, GOOD))
    interviews = by_uid(reading)
    assert interviews["o@x"].facts.recruiter_name == "Dana Smith"
    assert "the organizer's name has a line break" in reading.warnings[0]


# --- through the commands -----------------------------------------------------------------------


def test_plan_and_ics_show_the_skipped_event_and_plan_the_good_one(tmp_path: Path) -> None:
    source = tmp_path / "cal.ics"
    source.write_text(calendar("UID:bad@x\r\nSUMMARY:Interview\r\nDTSTART:20261345T250000Z", GOOD))
    for command in ("plan", "ics"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "followup.cli.main",
                command,
                "--from",
                str(source),
                "--now",
                "2026-11-30T08:00",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        output = done.stdout + done.stderr
        assert "Globex" in output
        assert "event 'bad@x' is skipped: DTSTART: invalid date or time" in output
        assert "1 interview event skipped (1 invalid DTSTART)" in output


def test_an_all_day_start_with_a_timed_end_is_read() -> None:
    event = (
        "UID:m@x\r\nSUMMARY:Interview\r\nDTSTART;VALUE=DATE:20261201\r\n"
        "DTEND:20261203T000000Z\r\nSEQUENCE:1"
    )
    interviews = by_uid(read(calendar(event, GOOD)))
    # recurring-ical-events gives the start DTEND's kind of value: midnight UTC.
    assert interviews["m@x"].start == datetime(2026, 12, 1, tzinfo=UTC)


def test_an_empty_rrule_is_ignored_with_a_warning() -> None:
    event = "UID:e@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:"
    reading = read(calendar(event, GOOD))
    interviews = by_uid(reading)
    assert interviews["e@x"].start == utc(1, 9)
    assert reading.warnings == ("cal.ics:7: event 'e@x': an empty RRULE is ignored",)


def test_bare_events_after_a_calendar_are_read() -> None:
    data = (
        calendar(GOOD)
        + "BEGIN:VEVENT\r\nUID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nEND:VEVENT\r\n"
    )
    assert [i.uid for i in read(data).events] == ["a@x", "good@x"]


def test_past_twenty_warnings_the_rest_are_counted() -> None:
    events = [f"SUMMARY:Interview {n}\r\nDTSTART:202612{n + 1:02}T090000Z" for n in range(25)]
    reading = read(calendar(*events, GOOD))
    assert len(reading.events) == 26
    warnings = reading.warnings
    assert len(warnings) == 21
    assert warnings[-1] == "cal.ics: 5 more warnings like these"


def test_notes_longer_than_a_line_may_be_are_cut_and_said_so() -> None:
    """A pasted job ad or an attachment in the notes: read up to MAX_LINE, with a warning."""
    notes = "Company: ACME\\n" + "word " * (MAX_LINE // 4)
    event = f"UID:long@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nDESCRIPTION:{notes}"
    reading = read(calendar(event, GOOD))
    interviews = by_uid(reading)
    long = interviews["long@x"]
    assert long.facts.company == "ACME"
    assert any("DESCRIPTION has" in w and f"first {MAX_LINE:,}" in w for w in reading.warnings)
    assert interviews["good@x"].start == utc(2, 10)


# --- the zone of a display name ---------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["US & Canada", "US and Canada"])
def test_an_outlook_or_windows_display_name_for_eastern_time_is_new_york(spelling: str) -> None:
    tzid = f"(UTC-05:00) Eastern Time ({spelling})"
    event = f'UID:e@x\r\nSUMMARY:Interview\r\nDTSTART;TZID="{tzid}":20261201T090000'
    reading = read(calendar(event, GOOD))
    interview = by_uid(reading)["e@x"]
    assert interview.start == utc(1, 14)
    assert reading.warnings == ()


def test_a_display_name_whose_offset_is_not_its_places_is_not_read_as_that_place() -> None:
    tzid = "(UTC+09:00) Eastern Time (US & Canada)"
    event = f'UID:e@x\r\nSUMMARY:Interview\r\nDTSTART;TZID="{tzid}":20261201T090000'
    reading = read(calendar(event, GOOD))
    interview = by_uid(reading)["e@x"]
    assert interview.start == utc(1, 8)  # the rules' zone, Europe/Berlin, with a warning
    assert f"unknown time zone {tzid!r}" in reading.warnings[0]


@pytest.mark.parametrize(
    ("offset", "zone"), [("+08:00", "Australia/West"), ("-04:00", "Brazil/West")]
)
def test_of_two_places_with_one_name_the_display_names_offset_chooses(
    offset: str, zone: str
) -> None:
    event = f'UID:e@x\r\nSUMMARY:Interview\r\nDTSTART;TZID="(UTC{offset}) West":20261201T090000'
    interview = by_uid(read(calendar(event, GOOD)))["e@x"]
    assert interview.start.tzinfo == ZoneInfo(zone)


# --- rules real calendars write ----------------------------------------------------------------


def test_a_count_ends_a_series_that_would_otherwise_repeat_too_often() -> None:
    rule = "FREQ=MINUTELY;COUNT=10;BYHOUR=11,12"
    event = f"UID:m@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T110000Z\r\nRRULE:{rule}"
    reading = read(calendar(event, GOOD))
    starts = [i.start for i in reading.events if i.uid == "m@x"]
    assert starts == [utc(1, 11) + timedelta(minutes=n) for n in range(10)]
    assert reading.warnings == ()


def test_a_count_with_a_day_that_never_comes_is_still_refused() -> None:
    rule = "FREQ=SECONDLY;COUNT=2;BYMONTH=2;BYMONTHDAY=30"
    event = f"UID:m@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T110000Z\r\nRRULE:{rule}"
    reading = read(calendar(event, GOOD))
    assert len(reading.events) == 1
    assert "repeats too often to expand" in reading.warnings[0]


@pytest.mark.parametrize("skip", ["", ";SKIP=OMIT"])
def test_an_rscale_gregorian_rule_repeats_as_the_same_rule_without_it(skip: str) -> None:
    rule = f"RSCALE=GREGORIAN;FREQ=WEEKLY;COUNT=3{skip}"
    event = f"UID:r@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:{rule}"
    reading = read(calendar(event, GOOD))
    assert [i.start for i in reading.events if i.uid == "r@x"] == [utc(1, 9), utc(8, 9), utc(15, 9)]
    assert reading.warnings == ()


def test_an_rscale_skip_other_than_omit_is_read_as_omit_with_a_warning() -> None:
    rule = "RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;COUNT=2;SKIP=FORWARD"
    event = f"UID:r@x\r\nSUMMARY:Interview\r\nDTSTART:20261231T090000Z\r\nRRULE:{rule}"
    reading = read(calendar(event, GOOD))
    assert [i.start.date() for i in reading.events if i.uid == "r@x"] == [
        date(2026, 12, 31),
        date(2027, 1, 31),
    ]
    assert reading.warnings[0] == (
        "cal.ics:7: event 'r@x': RRULE SKIP=FORWARD is read as SKIP=OMIT: a date the month "
        "lacks (the 31st, 29 February) is left out"
    )


def test_a_rule_in_another_calendar_scale_is_refused_by_name() -> None:
    rule = "RSCALE=HEBREW;FREQ=YEARLY;COUNT=3"
    event = f"UID:r@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:{rule}"
    reading = read(calendar(event, GOOD))
    assert len(reading.events) == 1
    assert reading.warnings[0] == (
        "cal.ics:7: event 'r@x' is skipped: RRULE RSCALE=HEBREW: followup reads repeating "
        "events in the Gregorian calendar only (RFC 7529)"
    )


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (
            "DTSTART:20261201T090000Z\r\nDTSTART:20261202T090000Z",
            "DTSTART: the event has 2 DTSTART lines; an event has one",
        ),
        (
            "DTSTART:20261201T090000Z\r\nRDATE;VALUE=TIME:100000",
            "RDATE: 10:00:00 is a time of day without a date; RDATE takes a date or a date and time",
        ),
    ],
)
def test_dates_no_reader_can_take_are_refused_in_calendar_terms(lines: str, reason: str) -> None:
    event = f"UID:t@x\r\nSUMMARY:Interview\r\n{lines}"
    reading = read(calendar(event, GOOD))
    assert len(reading.events) == 1
    assert reading.warnings[0].endswith(f"event 't@x' is skipped: {reason}")


def test_a_series_cut_at_the_cap_is_named_by_explain_and_explain_json(tmp_path: Path) -> None:
    event = (
        "UID:h@x\r\nSUMMARY:Interview with ACME\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=HOURLY"
    )
    source = tmp_path / "cal.ics"
    source.write_text(calendar(event, GOOD), encoding="utf-8")
    cap = f"event 'h@x' repeats more than {MAX_PER_SERIES} times in the period read"
    args = ["explain", "h@x", "--from", str(source), "--now", "2026-12-01T08:00"]

    text = CliRunner().invoke(main, args)
    as_json = CliRunner().invoke(main, [*args, "--json"])

    ended_cleanly(text)
    ended_cleanly(as_json)
    assert cap in text.output
    explained = json.loads(as_json.stdout)["interviews"]
    assert len(explained) == MAX_PER_SERIES
    assert all(any(cap in w for w in e["warnings"]) for e in explained)


def test_an_override_with_two_sequence_lines_is_read_with_the_highest_and_a_warning() -> None:
    from tests.test_recognise import HOME, RULES, WINDOW, calendar

    series = "\r\n".join(
        [
            "BEGIN:VEVENT",
            "UID:onsite@test",
            "DTSTAMP:20261101T090000Z",
            "DTSTART;TZID=Europe/Amsterdam:20261110T100000",
            "DTEND;TZID=Europe/Amsterdam:20261110T120000",
            "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:Globex – Virtual Onsite",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:onsite@test",
            "SEQUENCE:1",
            "DTSTAMP:20261101T090000Z",
            "RECURRENCE-ID;TZID=Europe/Amsterdam:20261111T100000",
            "DTSTART;TZID=Europe/Amsterdam:20261111T140000",
            "DTEND;TZID=Europe/Amsterdam:20261111T160000",
            "SUMMARY:Globex – Virtual Onsite (day 2, moved)",
            "SEQUENCE:0",
            "END:VEVENT",
        ]
    )
    reading = read_ics(calendar(series), matcher=RULES, home=HOME, window=WINDOW)
    assert len(reading.interviews) == 3  # every day of the onsite, the moved one included
    assert any("has 2 SEQUENCE lines; the highest, 1 is read" in w for w in reading.warnings)
