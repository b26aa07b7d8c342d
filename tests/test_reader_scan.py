"""The scan reads the same interviews as parsing the whole calendar with icalendar.

Calendars are generated: shared UIDs, series with overrides that move in and
out of the window, overrides titled "Interview" of unrelated series, several
zone styles, X-WR-TIMEZONE, folded lines, CRLF and bare LF.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from icalendar.parser.content_line import NEWLINE, UFOLD

from followup.engine.errors import SourceError
from followup.engine.model import Interview, Window
from followup.engine.read.reader import Matcher, read_calendar, read_ics
from followup.engine.read.scan import Lines, scan

HOME = ZoneInfo("Europe/Berlin")
WINDOW = Window(datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 12, 20, tzinfo=UTC))
FIRST_DAY = date(2026, 11, 1)

SUMMARIES = [
    "Interview with ACME",
    "interview",
    "Team sync",
    "Dinner (interviews)",
    "Lunch with Interviewer",
    "INTERVIEW: Globex – SRE",
    "Interview\\, round 2",
    "Job-interview prep",
]
ESCAPES = ["\\n", "\\N", "\\,", "\\;", "\\\\", " ", ""]
"""What may stand next to the word in a raw SUMMARY: RFC 5545 escapes, a space, nothing."""
CATEGORIES = [None, "Interview", "Work,interview", "Interviews", "Job search"]
STYLES = ["utc", "berlin", "windows", "new_york", "floating", "date"]
WINDOWS_ZONE = """BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE"""
NEW_YORK_ZONE = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:STANDARD
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
END:DAYLIGHT
END:VTIMEZONE"""


def when(prop: str, style: str, day: date, hour: int) -> str:
    """A date-time property in one of the styles exports use."""
    stamp = f"{day:%Y%m%d}T{hour:02d}0000"
    return {
        "utc": f"{prop}:{stamp}Z",
        "berlin": f"{prop};TZID=Europe/Berlin:{stamp}",
        "windows": f'{prop};TZID="W. Europe Standard Time":{stamp}',
        "new_york": f"{prop};TZID=America/New_York:{stamp}",
        "floating": f"{prop}:{stamp}",
        "date": f"{prop};VALUE=DATE:{day:%Y%m%d}",
    }[style]


@st.composite
def summaries(draw: st.DrawFn) -> str:
    """A title as written, half the time with escaped text right next to the word."""
    if draw(st.booleans()):
        return draw(st.sampled_from(SUMMARIES))
    before = draw(st.sampled_from(["", "Screening", "Phone"]))
    word = draw(st.sampled_from(["interview", "Interview", "interviews", "interviewer"]))
    after = draw(st.sampled_from(["", "ACME", "round 2"]))
    return "".join(
        (before, draw(st.sampled_from(ESCAPES)), word, draw(st.sampled_from(ESCAPES)), after)
    )


def fold(line: str) -> list[str]:
    """RFC 5545 folding at 75 characters."""
    parts = [line[:75]]
    rest = line[75:]
    while rest:
        parts.append(" " + rest[:74])
        rest = rest[74:]
    return parts


@st.composite
def calendars(draw: st.DrawFn) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//generated//EN"]
    x_wr = draw(st.sampled_from([None, "Europe/Berlin", "America/New_York"]))
    if x_wr:
        lines.append(f"X-WR-TIMEZONE:{x_wr}")
    lines += [WINDOWS_ZONE, NEW_YORK_ZONE]
    masters: dict[str, tuple[str, date, int, int]] = {}
    used: set[str] = set()
    for index in range(draw(st.integers(min_value=1, max_value=14))):
        uid = f"u{draw(st.integers(min_value=0, max_value=7))}@generated"
        summary = draw(summaries())
        categories = draw(st.sampled_from(CATEGORIES))
        event = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z", f"SUMMARY:{summary}"]
        series = masters.get(uid)
        if series is not None and draw(st.booleans()):
            style, day, hour, interval = series
            number = draw(st.integers(min_value=0, max_value=5))
            original = day + timedelta(days=interval * number)
            event.append(when("RECURRENCE-ID", style, original, hour))
            moved = original + timedelta(days=draw(st.integers(min_value=-20, max_value=20)))
            event.append(when("DTSTART", style, moved, hour + 1))
            event.append(f"SEQUENCE:{index}")
        else:
            if uid in used and draw(st.integers(min_value=0, max_value=9)):
                uid = f"single-{index}@generated"  # mostly unique; sometimes a duplicate
                event[1] = f"UID:{uid}"
            used.add(uid)
            style = draw(st.sampled_from(STYLES))
            day = FIRST_DAY + timedelta(days=draw(st.integers(min_value=0, max_value=45)))
            hour = draw(st.integers(min_value=7, max_value=18))
            event.append(when("DTSTART", style, day, hour))
            if draw(st.booleans()):
                end = day + timedelta(days=1) if style == "date" else day
                event.append(when("DTEND", style, end, hour if style == "date" else hour + 1))
            interval = draw(st.sampled_from([1, 2, 7]))
            if draw(st.booleans()):
                count = draw(st.integers(min_value=2, max_value=8))
                event.append(f"RRULE:FREQ=DAILY;INTERVAL={interval};COUNT={count}")
                if draw(st.booleans()):
                    event.append(when("EXDATE", style, day + timedelta(days=interval), hour))
                masters[uid] = (style, day, hour, interval)
        if categories:
            event.append(f"CATEGORIES:{categories}")
        if draw(st.booleans()):
            event.append("STATUS:CANCELLED")
        event += fold(
            "DESCRIPTION:Company: ACME\\nRecruiter: Jane Doe <jane@acme.example>\\n" + "x" * 90
        )
        event.append("END:VEVENT")
        lines += [folded for line in event for folded in fold(line)]
    lines.append("END:VCALENDAR")
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    return newline.join(lines) + newline


def outcome(read: object) -> list[tuple[Interview, str, str]] | str:
    try:
        interviews = read()  # type: ignore[operator]
    except SourceError:
        return "refused"
    return [(i, str(i.start.tzinfo), str(i.end.tzinfo)) for i in interviews]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_scanning_reads_the_same_interviews_as_parsing_everything(text: str) -> None:
    data = text.encode()
    matcher = Matcher()
    scanned = outcome(  # the events listed as not counted come on top: the scan's own finding
        lambda: [
            iv
            for iv in read_ics(
                data, matcher=matcher, home=HOME, window=WINDOW, name="generated.ics"
            ).events
            if iv.not_counted is None
        ]
    )
    parsed = outcome(
        lambda: list(
            read_calendar(
                Calendar.from_ical(data), matcher=matcher, home=HOME, window=WINDOW
            ).interviews
        )
    )
    assert scanned == parsed


def test_a_title_with_a_line_break_escaped_before_the_word_is_an_interview() -> None:
    # SUMMARY:Screening\ninterview as written: the word stands alone only once unescaped.
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:screening@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        b"DTSTART:20261120T100000Z\r\nSUMMARY:Screening\\ninterview\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    found = read_ics(data, matcher=Matcher(), home=HOME, window=WINDOW)
    assert [(i.uid, i.summary) for i in found.events] == [
        ("screening@example.com", "Screening\ninterview")
    ]


def test_the_scan_keeps_masters_of_series_whose_override_is_an_interview() -> None:
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        "BEGIN:VEVENT\nUID:s\nSUMMARY:Standup\nDTSTART:20261201T090000Z\n"
        "RRULE:FREQ=DAILY;COUNT=3\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:other\nSUMMARY:Lunch\nDTSTART:20261201T120000Z\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:s\nSUMMARY:Interview\nRECURRENCE-ID:20261202T090000Z\n"
        "DTSTART:20261202T150000Z\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    header, zones, blocks = scan(text, "x.ics").subset(Matcher().may_match_raw)
    assert [(b.uid, b.begin) for b in blocks] == [("s", 3), ("s", 14)]
    assert "Lunch" not in header + "".join(b.text() for b in zones + blocks)


def test_the_scan_keeps_only_the_time_zones_the_chosen_events_use() -> None:
    text = (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Europe/Berlin\n{WINDOWS_ZONE}\n"
        f"{NEW_YORK_ZONE}\n"
        "BEGIN:VEVENT\nUID:a\nSUMMARY:Interview\n"
        'DTSTART;TZID="W. Europe Standard Time":20261201T090000\nEND:VEVENT\n'
        "END:VCALENDAR\n"
    )
    header, zones, _ = scan(text, "x.ics").subset(Matcher().may_match_raw)
    assert [zone.tzid for zone in zones] == ["W. Europe Standard Time"]
    assert "X-WR-TIMEZONE:Europe/Berlin" in header


def test_folded_lines_are_unfolded_with_the_number_of_their_first_line() -> None:
    text = "BEGIN:VCALENDAR\r\nX-A:one\r\n  two\r\n\r\n\tthree\r\n\r\nX-B:four\nEND:VCALENDAR\r\n"
    lines = Lines(text)
    assert lines.texts == ["BEGIN:VCALENDAR", "X-A:one twothree", "X-B:four", "END:VCALENDAR"]
    assert lines.numbers == [1, 2, 7, 8]
    assert scan(text, "x.ics").header == ["X-A:one twothree", "X-B:four"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["A", "B:c", " ", "\t", "\r\n", "\n", "\r", "\r\n ", "\n\t"])))
def test_unfolding_gives_icalendars_lines_and_a_number_for_each(pieces: list[str]) -> None:
    text = "".join(pieces)
    lines = Lines(text)
    assert lines.texts == [line for line in NEWLINE.split(UFOLD.sub("", text)) if line]
    assert len(lines.numbers) == len(lines.texts)
    assert lines.numbers == sorted(lines.numbers)
