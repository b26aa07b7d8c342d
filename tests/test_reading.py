"""What the reader found in a calendar, as the plan warns of it: events skipped, events read
with a guess, the questions asked, for one file, the calendars of a ZIP archive, several
files and the objects of a CalDAV calendar. The lists are pinned word for word and in order:
every command, ``--json`` and the feed page show them so."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from followup.engine.answers import Answer, record_answers
from followup.engine.model import Interview, Outcome, Plan, Reading, Verdict, Window
from followup.engine.pipeline import plan_from, read_source
from followup.engine.sources import Calendars, Source
from tests.conftest import at, default_rules

NOW = at("Europe/Berlin", 2026, 11, 30, 8, 0)


def event(*lines: str) -> str:
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"


def calendar(*events: str, header: str = "", after: str = "") -> bytes:
    head = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{header}"
    return (head + "".join(events) + "END:VCALENDAR\r\n" + after).encode()


def interview(uid: str, title: str, start: str, *more: str) -> str:
    return event(f"UID:{uid}", f"SUMMARY:{title}", f"DTSTART:{start}", *more)


JANE = interview("jane@x", "Chat with Jane", "20261204T090000Z", "DESCRIPTION:Company: Globex")
"""An event the notes tie to an application, under a title that names no interview: asked."""

QUESTION = (
    "Chat with Jane: not counted as an interview (Fri 04 Dec 2026 10:00): its notes have a "
    "Company line; to count it, add a word or phrase of its title to interviews: words or "
    "phrases in your rules, or give the event the category Interview; is it an interview? "
    "answer with `followup answer jane@x interview` (or not-interview)"
)

TROUBLED = calendar(
    interview(
        "good@x",
        "Interview with Globex",
        "20261202T100000Z",
        "DTEND:20261202T110000Z",
        "DESCRIPTION:Recruiter: Sam Lee <sam.lee@@globex.example>",
    ),
    event("SUMMARY:Interview with ACME", "DTSTART:20261201T090000Z", "DTSTAMP:20261101T000000Z"),
    event("UID:fast@x", "SUMMARY:Interview with Umbrella", "DTSTART;TZID=Fast:20261203T090000"),
    interview("bad@x", "Interview with Initech", "2026120"),
    JANE,
    header="X-WR-TIMEZONE:Mars/Olympus\r\n",
    after="X-TRAILER:1\r\n",
)
"""A calendar with a problem of every kind: content after its end, an unknown zone for the
whole calendar and for one event, an event without UID, one that cannot be read, a question,
and a recruiter's address that is none."""


def troubled_warnings(name: str) -> list[str]:
    return [
        f"{name}:34: content after END:VCALENDAR is ignored: 'X-TRAILER:1'",
        f"{name}:12: an event without UID is read as 'no-uid-2af8e20344a0bc2cb446'",
        f"{name}: unknown time zone in X-WR-TIMEZONE 'Mars/Olympus' is ignored",
        f"{name}:20: unknown time zone 'Fast' (no VTIMEZONE for it): read as your rules' "
        "timezone, Europe/Berlin",
        f"{name}:25: event 'bad@x' is skipped: DTSTART: invalid date or time '2026120'",
        f"{name}: 1 interview event skipped (1 invalid DTSTART); fix them in your calendar app "
        "to get their follow-ups",
        QUESTION,
        "Interview with Globex: Recruiter line: 'sam.lee@@globex.example' is not a valid email "
        "address; it is not used",
    ]


ROUNDS = calendar(
    interview(
        "onsite@x",
        "Interview with Globex",
        "20261203T090000Z",
        "DESCRIPTION:Recruiter: Sam Lee <sam@globex.example>",
    ),
    event(
        "UID:chat@x",
        "SUMMARY:Chat with Globex",
        "DTSTART;TZID=Slow:20261201T090000",
        "ORGANIZER;CN=Kim:mailto:kim@globex.example",
    ),
    interview("call@x", "Call", "20261202T090000Z", "DESCRIPTION:Company: Initech").replace(
        "DTSTART:20261202T090000Z", "DTSTART;TZID=Slower:20261202T090000"
    ),
    after="X-TRAILER:1\r\n",
)
"""An onsite, an earlier chat organized from Globex's domain (read again on its own, and
counted as another round), and a call about Initech that is asked about; each of the two
read on its own has a zone that is not known."""


class Kept(Source):
    """Calendars a test hands over: files, or CalDAV objects."""

    kind = "kept"

    def __init__(self, calendars: Calendars) -> None:
        super().__init__("kept")
        self.calendars = calendars

    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        return self.calendars

    def version(self) -> str | None:
        return None


def plan(source: str | Source) -> Plan:
    return plan_from(source, rules=default_rules(), now=NOW)


def test_the_plan_warns_of_what_was_skipped_or_guessed_then_of_questions_and_steps(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(TROUBLED)
    assert list(plan(str(path)).warnings) == troubled_warnings(str(path))


def test_a_calendar_in_which_no_interview_counts_says_what_it_skipped_then_its_questions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(JANE, header="X-WR-TIMEZONE:Mars/Olympus\r\n"))
    assert list(plan(str(path)).warnings) == [
        f"{path}: unknown time zone in X-WR-TIMEZONE 'Mars/Olympus' is ignored",
        QUESTION,
    ]
    reading = read_source(str(path), rules=default_rules(), now=NOW)
    assert reading.warnings == ()
    assert reading.quiet == (
        f"{path}: unknown time zone in X-WR-TIMEZONE 'Mars/Olympus' is ignored",
    )


def test_a_round_read_on_its_own_warns_in_the_order_of_its_interview(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(ROUNDS)
    assert list(plan(str(path)).warnings) == [
        f"{path}:13: unknown time zone 'Slow' (no VTIMEZONE for it): read as your rules' "
        "timezone, Europe/Berlin",
        f"{path}:23: content after END:VCALENDAR is ignored: 'X-TRAILER:1'",
        "Call: not counted as an interview (Wed 02 Dec 2026 09:00): its notes have a Company "
        "line; to count it, add a word or phrase of its title to interviews: words or phrases "
        "in your rules, or give the event the category Interview; is it an interview? answer "
        "with `followup answer call@x interview` (or not-interview)",
    ]


def test_an_event_answered_as_an_interview_warns_after_the_counted_ones(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(ROUNDS)
    record_answers([Answer("call@x", True)])
    assert list(plan(str(path)).warnings) == [
        f"{path}:13: unknown time zone 'Slow' (no VTIMEZONE for it): read as your rules' "
        "timezone, Europe/Berlin",
        f"{path}:23: content after END:VCALENDAR is ignored: 'X-TRAILER:1'",
        f"{path}:19: unknown time zone 'Slower' (no VTIMEZONE for it): read as your rules' "
        "timezone, Europe/Berlin",
    ]


def test_the_calendars_of_an_archive_warn_in_the_order_of_their_first_interviews(
    tmp_path: Path,
) -> None:
    early = calendar(
        interview("early@x", "Interview with Hooli", "20261201T080000Z"),
        after="X-TRAILER:early\r\n",
    )
    quiet = calendar(
        event("UID:lunch@x", "SUMMARY:Lunch", "DTSTART:20261201T120000Z"),
        header="X-WR-TIMEZONE:Mars/Olympus\r\n",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.ics", TROUBLED)
        archive.writestr("b.ics", early)
        archive.writestr("c.ics", quiet)
        archive.writestr("d.ics", TROUBLED)  # the same events again: read once, from a.ics
    path = tmp_path / "export.zip"
    path.write_bytes(buffer.getvalue())

    warnings = list(plan(str(path)).warnings)

    assert warnings == [
        f"{path}:b.ics:10: content after END:VCALENDAR is ignored: 'X-TRAILER:early'",
        *troubled_warnings(f"{path}:a.ics"),
    ]


def test_several_files_warn_file_by_file() -> None:
    early = calendar(
        interview("early@x", "Interview with Hooli", "20261201T080000Z"),
        after="X-TRAILER:early\r\n",
    )
    source = Kept(Calendars(files=(("one.ics", TROUBLED), ("two.ics", early))))
    assert list(plan(source).warnings) == [
        *troubled_warnings("one.ics")[:6],
        "two.ics:10: content after END:VCALENDAR is ignored: 'X-TRAILER:early'",
        *troubled_warnings("one.ics")[6:],
    ]


def test_caldav_objects_warn_of_the_calendar_first_then_each_object_by_its_interviews() -> None:
    late = calendar(
        interview("late@x", "Interview with Late", "20261205T090000Z"), after="X-TRAILER:late\r\n"
    )
    early = calendar(
        interview("early@x", "Interview with Early", "20261201T090000Z"),
        header="X-WR-TIMEZONE:Mars/Olympus\r\n",
    )
    broken = calendar(interview("broken@x", "Interview with Broken", "2026120"))
    asked = calendar(JANE, after="X-TRAILER:asked\r\n")
    objects = (
        ("/cal/late.ics", late),
        ("/cal/copy.ics", late),
        ("/cal/broken.ics", broken),
        ("/cal/asked.ics", asked),
        ("/cal/early.ics", early),
    )

    warnings = list(plan(Kept(Calendars(objects=objects))).warnings)

    assert warnings == [
        "/cal/broken.ics:7: event 'broken@x': DTSTART: invalid date or time '2026120' (skipped)",
        "/cal/copy.ics: UID 'late@x' is also in /cal/late.ics; the one at /cal/late.ics is read "
        "(the highest SEQUENCE, then the latest LAST-MODIFIED, then DTSTAMP)",
        "/cal/early.ics: unknown time zone in X-WR-TIMEZONE 'Mars/Olympus' is ignored",
        "/cal/late.ics:10: content after END:VCALENDAR is ignored: 'X-TRAILER:late'",
        QUESTION,
    ]


def test_a_reading_sorts_events_by_their_verdicts_and_lists_them_counted_first() -> None:
    start = at("Europe/Berlin", 2026, 12, 1, 9, 0)

    def one(uid: str, day: int, outcome: Outcome, not_counted: str | None = None) -> Interview:
        begins = start.replace(day=day)
        return Interview(
            uid, None, uid, begins, begins, not_counted=not_counted, verdict=Verdict(outcome)
        )

    late, early = one("late", 9, "counted"), one("early", 2, "counted")
    asked, listed = one("asked", 3, "asked", "why"), one("listed", 4, "counted", "why")
    ignored = one("ignored", 1, "ignored", "why")

    reading = Reading.of([late, ignored, asked, early, listed], ["a", "b", "a"])

    assert reading.interviews == (late, early)
    assert reading.asked == (asked, listed)
    assert reading.ignored == (ignored,)
    assert reading.warnings == ("a", "b")
    assert reading.events == (late, early, ignored, asked, listed)
