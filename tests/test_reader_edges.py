"""Reading interviews: custom zones, series edges, CalDAV objects and broken input."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest

from followup.engine.errors import SourceError
from followup.engine.model import Interview, Reading, Window
from followup.engine.read.reader import MAX_BYTES, Matcher, _iana_key, read_ics, read_objects

DATA = Path(__file__).parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
YEAR_2026 = Window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def read_bytes(data: bytes, name: str = "test.ics", home: ZoneInfo = BERLIN) -> Reading:
    return read_ics(data, matcher=Matcher(), home=home, window=YEAR_2026, name=name)


def read(name: str, home: ZoneInfo = BERLIN) -> tuple[Interview, ...]:
    return read_bytes((DATA / name).read_bytes(), name, home).events


def calendar(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{header}{body}END:VCALENDAR\r\n".encode()


def refusal(data: bytes, name: str = "test.ics") -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_bytes(data, name)
    return caught.value


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- custom VTIMEZONEs ---------------------------------------------------------------------------


def test_a_custom_vtimezone_defines_its_tzid() -> None:
    summer = read("outlook_custom_zone.ics")[1]
    assert summer.summary == "Interview with Northwind (summer)"
    assert summer.start.astimezone(UTC) == utc(2026, 7, 15, 8, 0)
    assert summer.tzid == "Customized Time Zone"


def test_the_same_custom_tzid_in_another_file_means_that_files_zone() -> None:
    read("outlook_custom_zone.ics")
    [gulf] = read("outlook_custom_zone_gulf.ics")
    assert gulf.start.astimezone(UTC) == utc(2026, 7, 15, 6, 0)
    [summer] = [i for i in read("outlook_custom_zone.ics") if "summer" in i.summary]
    assert summer.start.astimezone(UTC) == utc(2026, 7, 15, 8, 0)


def test_dst_rules_hold_in_a_custom_vtimezone_too() -> None:
    gap, _, repeat = read("outlook_custom_zone.ics")
    assert gap.start.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert gap.end.astimezone(UTC) == utc(2026, 3, 29, 2, 0)
    assert repeat.start.astimezone(UTC) == utc(2026, 10, 25, 0, 30)


def test_a_floating_time_in_the_dst_gap_of_home_moves_forward_by_the_gap() -> None:
    data = calendar("UID:f@x\r\nSUMMARY:Interview\r\nDTSTART:20260308T023000")
    [interview] = read_bytes(data, home=NEW_YORK).events
    assert interview.start.astimezone(UTC) == utc(2026, 3, 8, 7, 30)
    assert (interview.start.hour, interview.start.minute) == (3, 30)


# --- series --------------------------------------------------------------------------------------


def test_an_all_day_series_has_date_recurrence_ids() -> None:
    days = [i for i in read("series_edges.ics") if i.uid == "allday-series@example.com"]
    assert [i.recurrence_id for i in days] == ["20261201", "20261208", "20261215"]
    assert days[1].start == datetime(2026, 12, 8, tzinfo=BERLIN)
    assert days[1].end == datetime(2026, 12, 9, tzinfo=BERLIN)


def test_rdate_instances_are_interviews_with_the_series_length() -> None:
    panel = [i for i in read("series_edges.ics") if i.uid == "rdate-series@example.com"]
    london = ZoneInfo("Europe/London")
    assert [(i.start, i.recurrence_id) for i in panel] == [
        (datetime(2026, 12, 2, 10, tzinfo=london), "20261202T100000Z"),
        (datetime(2026, 12, 9, 15, tzinfo=london), "20261209T150000Z"),
        (datetime(2026, 12, 16, 15, tzinfo=london), "20261216T150000Z"),
    ]
    assert {i.end - i.start for i in panel} == {timedelta(hours=1)}


def test_a_cancelled_instance_is_cancelled_and_a_renamed_one_is_no_interview() -> None:
    weekly = [i for i in read("series_edges.ics") if i.uid == "weekly-cancel@example.com"]
    assert [(i.start, i.cancelled) for i in weekly] == [
        (datetime(2026, 12, 3, 9, tzinfo=NEW_YORK), False),
        (datetime(2026, 12, 10, 9, tzinfo=NEW_YORK), True),
    ]


def test_broken_and_duplicated_events_that_are_no_interviews_are_ignored() -> None:
    uids = {i.uid for i in read("series_edges.ics")}
    assert "broken-lunch@example.com" not in uids
    assert "twin-lunch@example.com" not in uids


# --- CalDAV objects ------------------------------------------------------------------------------


def read_caldav(*objects: tuple[str, bytes]) -> Reading:
    return read_objects(objects, matcher=Matcher(), home=BERLIN, window=YEAR_2026)


def test_caldav_objects_are_read_together_in_start_order() -> None:
    first = calendar("UID:b@x\r\nSUMMARY:Interview with B\r\nDTSTART:20261202T090000Z")
    second = calendar("UID:a@x\r\nSUMMARY:Interview with A\r\nDTSTART:20261201T090000Z")
    reading = read_caldav(("/cal/b.ics", first), ("/cal/a.ics", second))
    assert [i.uid for i in reading.events] == ["a@x", "b@x"]


def test_a_caldav_object_that_cannot_be_read_is_skipped_naming_its_href() -> None:
    good = calendar("UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z")
    bad = calendar("UID:b@x\r\nSUMMARY:Interview\r\nDTSTART:2026120")
    reading = read_caldav(("/cal/a.ics", good), ("/cal/b.ics", bad))
    [interview] = reading.events
    assert interview.uid == "a@x"
    assert reading.warnings[0].startswith("/cal/b.ics:6: event 'b@x': DTSTART: invalid date")
    with pytest.raises(SourceError) as caught:
        read_caldav(("/cal/b.ics", bad))
    assert str(caught.value).startswith("/cal/b.ics:6: event 'b@x': DTSTART: invalid date")


def test_the_same_event_in_two_caldav_objects_is_read_once_with_a_warning() -> None:
    event = calendar("UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z")
    other = calendar("UID:b@x\r\nSUMMARY:Interview\r\nDTSTART:20261202T090000Z")

    reading = read_caldav(("/cal/a.ics", event), ("/cal/copy.ics", event), ("/cal/b.ics", other))

    assert [i.uid for i in reading.events] == ["a@x", "b@x"]
    assert reading.warnings == (
        "/cal/copy.ics: UID 'a@x' is also in /cal/a.ics; the one at /cal/a.ics is read "
        "(the highest SEQUENCE, then the latest LAST-MODIFIED, then DTSTAMP)",
    )


def test_of_two_caldav_objects_with_one_uid_the_later_revision_is_read() -> None:
    old = calendar("UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nSEQUENCE:1")
    moved = calendar(
        "UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261203T090000Z\r\nSEQUENCE:2\r\n"
        "RRULE:FREQ=DAILY;COUNT=2"
    )
    edited = calendar(
        "UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261205T090000Z\r\nSEQUENCE:2\r\n"
        "LAST-MODIFIED:20261120T090000Z"
    )

    first = read_caldav(("/cal/a.ics", old), ("/cal/b.ics", moved))
    second = read_caldav(("/cal/c.ics", edited), ("/cal/b.ics", moved), ("/cal/a.ics", old))

    assert [i.start.day for i in first.events] == [3, 4]  # the whole series of the later revision
    assert "the one at /cal/b.ics is read" in first.warnings[0]
    assert [i.start.day for i in second.events] == [5]
    assert len(second.warnings) == 2


# --- more bad input ------------------------------------------------------------------------------


def test_input_over_the_size_cap_is_refused_before_reading() -> None:
    error = refusal(b" " * (MAX_BYTES + 1), "huge.ics")
    assert str(error).startswith("huge.ics: 52.4 MB is more than the 50 MB followup reads")


def test_an_end_that_also_closes_a_component_left_open_is_read_with_both_lines() -> None:
    data = (
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a@x\nSUMMARY:Interview\nDTSTART:20261201T090000Z\n"
        b"BEGIN:VALARM\nTRIGGER:-PT15M\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    reading = read_bytes(data)
    [interview] = reading.events
    assert interview.start.day == 1
    assert reading.warnings == (
        "test.ics:8: END:VEVENT also closes BEGIN:VALARM (line 6), which has no END of its own",
    )


def test_a_misspelt_end_closes_what_is_open_with_a_warning() -> None:
    data = (
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a@x\nSUMMARY:Interview\nDTSTART:20261201T090000Z\n"
        b"END:VEVNT\nBEGIN:VEVENT\nUID:b@x\nSUMMARY:Interview\nDTSTART:20261202T090000Z\n"
        b"END:VEVENT\nEND:VCALENDARD\n"
    )
    reading = read_bytes(data)
    assert [i.uid for i in reading.events] == ["a@x", "b@x"]
    assert reading.warnings == (
        "test.ics:6: END:VEVNT matches no open component; read as END:VEVENT (line 2)",
        "test.ics:12: END:VCALENDARD matches no open component; read as END:VCALENDAR (line 1)",
    )


def test_content_after_the_end_of_the_calendar_is_ignored_with_a_warning() -> None:
    data = calendar("UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z") + b"X-TRAILER:1\n"
    reading = read_bytes(data)
    assert len(reading.events) == 1
    assert reading.warnings == (
        "test.ics:9: content after END:VCALENDAR is ignored: 'X-TRAILER:1'",
    )


def test_a_file_with_bare_cr_line_endings_gets_a_hint() -> None:
    error = refusal(b"BEGIN:VCALENDAR\rVERSION:2.0\rEND:VCALENDAR\r")
    assert error.hint is not None and "bare CR" in error.hint


def test_an_unknown_x_wr_timezone_is_ignored_with_a_warning() -> None:
    data = calendar(
        "UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z",
        header="X-WR-TIMEZONE:Mars/Olympus\r\n",
    )
    reading = read_bytes(data)
    [interview] = reading.events
    assert interview.start == utc(2026, 12, 1, 9)
    assert reading.warnings == (
        "test.ics: unknown time zone in X-WR-TIMEZONE 'Mars/Olympus' is ignored",
    )


def test_a_bad_rrule_names_the_event_and_the_property() -> None:
    data = calendar(
        "UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=SOMETIMES"
    )
    assert str(refusal(data)) == "test.ics:7: event 'a@x': RRULE: invalid value 'FREQ=SOMETIMES'"


def test_an_unreadable_line_in_an_interview_is_ignored_naming_its_line() -> None:
    data = calendar("UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z\r\nNOT A LINE")
    reading = read_bytes(data)
    assert len(reading.events) == 1
    assert reading.warnings == ("test.ics:7: event 'a@x': an unreadable line is ignored",)


def test_a_byte_order_mark_and_latin_1_bytes_do_not_stop_reading() -> None:
    data = "\ufeff".encode() + calendar(
        "UID:a@x\r\nSUMMARY:Interview\r\nDTSTART:20261201T090000Z"
    ).replace(b"SUMMARY:Interview", "SUMMARY:Interview Société".encode("latin-1"))
    [interview] = read_bytes(data).events
    assert interview.summary == "Interview Soci\ufffdt\ufffd"


def test_a_lowercase_calendar_is_read() -> None:
    data = b"begin:vcalendar\nversion:2.0\nbegin:vevent\nuid:a@x\nsummary:Interview\n"
    data += b"dtstart:20261201T090000Z\nend:vevent\nend:vcalendar\n"
    [interview] = read_bytes(data).events
    assert interview.start == utc(2026, 12, 1, 9, 0)


def test_a_zone_name_is_known_exactly_when_the_machine_lists_that_zone() -> None:
    listed = available_timezones()
    odd = ["UTC", "posixrules", "localtime", "", "Europe/Nowhere", "right/Europe/Berlin"]
    odd += ["posix/Europe/Berlin", "Europe//Berlin", "../zoneinfo/Europe/Berlin", "europe/berlin"]
    for name in sorted(listed) + odd:
        assert (_iana_key(name) == name) == (name in listed or name == "UTC"), name


def test_a_file_of_misspelt_ends_is_refused_once_past_the_repairs_it_reads() -> None:
    # Each event leaves a VALARM open and closes nothing (END:VEVNT): read as written, all of
    # the file would be one event. The first 100 are read with warnings, the 101st refuses
    # the file; in a child process with a bound only a hang would reach (bench/hostile.py
    # measures the time).
    code = (
        "from followup.engine.errors import SourceError\n"
        "from followup.engine.read.scan import scan\n"
        "block = b'BEGIN:VEVENT\\r\\nUID:x\\r\\nSUMMARY:Interview\\r\\nBEGIN:VALARM\\r\\n"
        "END:VEVNT\\r\\n'\n"
        "for count in (99, 120_000):\n"
        "    data = b'BEGIN:VCALENDAR\\r\\n' + block * count + b'END:VCALENDAR\\r\\n'\n"
        "    try:\n"
        "        print(len(scan(data, 'deep.ics').warnings))\n"
        "    except SourceError as error:\n"
        "        print(error.message, '|', error.hint)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    read, refused = done.stdout.splitlines()
    assert read == "100"  # the 99 misspelt ENDs and the END:VCALENDAR that closes the rest
    assert refused.startswith("deep.ics:506: END:VEVNT does not close BEGIN:VALARM (line 505)")
    assert "more than 100 END lines do not match their BEGIN" in refused
