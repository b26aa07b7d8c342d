"""Reading interviews from real-looking calendar exports in tests/data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.engine.errors import SourceError
from followup.engine.model import Interview, Window
from followup.engine.read.reader import Matcher, read_ics

DATA = Path(__file__).parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
YEAR_2026 = Window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def read(
    name: str,
    *,
    home: ZoneInfo = BERLIN,
    window: Window = YEAR_2026,
    matcher: Matcher | None = None,
) -> list[Interview]:
    found = read_ics(
        (DATA / name).read_bytes(),
        matcher=matcher or Matcher(),
        home=home,
        window=window,
        name=name,
    )
    return list(found.interviews)  # not the events listed as not counted


def by_summary(interviews: list[Interview]) -> dict[str, Interview]:
    return {interview.summary: interview for interview in interviews}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- Google ------------------------------------------------------------------------------------


def test_google_export_yields_only_the_interviews_in_start_order() -> None:
    interviews = read("google_export.ics")
    assert [i.summary for i in interviews] == [
        "Interview with Globex (standup slot)",
        "Interview with ACME",
        "Initech phone interview",
        "Interview: Umbrella – Data Engineer",
        "Onsite interview — Hooli (round 2)",
    ]


def test_google_utc_times_are_read_in_the_calendars_x_wr_timezone() -> None:
    acme = by_summary(read("google_export.ics", home=NEW_YORK))["Interview with ACME"]
    assert acme.start == utc(2026, 12, 1, 9, 0)
    assert acme.start.tzinfo == BERLIN
    assert (acme.start.hour, acme.start.utcoffset()) == (10, BERLIN.utcoffset(acme.start))
    assert acme.end == utc(2026, 12, 1, 10, 0)
    assert acme.tzid == "UTC"
    assert not acme.floating and not acme.all_day


def test_google_description_html_and_organizer_give_the_facts() -> None:
    acme = by_summary(read("google_export.ics"))["Interview with ACME"]
    assert acme.facts.company == "ACME"
    assert acme.facts.role == "Backend Engineer"
    assert acme.facts.timeline == "2 weeks"
    assert acme.facts.recruiter_name == "Jane Doe"
    assert acme.facts.recruiter_email == "jane.doe@acme.example"
    assert acme.facts.source_of("company") == "SUMMARY"
    assert acme.facts.source_of("role") == "DESCRIPTION"
    assert acme.facts.source_of("recruiter_email") == "ORGANIZER"
    assert acme.location == "Google Meet"


def test_the_calendar_owner_as_organizer_is_not_taken_for_the_recruiter() -> None:
    initech = by_summary(read("google_export.ics"))["Initech phone interview"]
    assert initech.facts.recruiter_name == "Tom Becker"
    assert initech.facts.recruiter_email is None
    assert initech.facts.company == "Initech"
    assert initech.facts.status == "waiting"


def test_an_interview_override_of_an_unrelated_series_is_read_with_its_moved_time() -> None:
    globex = by_summary(read("google_export.ics"))["Interview with Globex (standup slot)"]
    assert globex.uid == "2k4bq9f6l1v0c7s3d8e2m5n1hp@google.com"
    assert globex.recurrence_id == "20261124T083000Z"
    assert globex.start == datetime(2026, 11, 24, 15, 0, tzinfo=BERLIN)
    assert globex.start.astimezone(UTC) == utc(2026, 11, 24, 14, 0)
    assert globex.facts.company == "Globex"
    assert globex.facts.recruiter_email == "priya.raman@globex.example"


def test_the_other_instances_of_that_series_are_not_interviews() -> None:
    uids = [i.uid for i in read("google_export.ics")]
    assert uids.count("2k4bq9f6l1v0c7s3d8e2m5n1hp@google.com") == 1


def test_a_cancelled_interview_is_read_and_marked_cancelled() -> None:
    interviews = read("google_export.ics")
    cancelled = [i for i in interviews if i.cancelled]
    assert [i.summary for i in cancelled] == ["Interview: Umbrella – Data Engineer"]
    assert cancelled[0].facts.company == "Umbrella"
    assert cancelled[0].facts.role == "Data Engineer"


def test_an_all_day_interview_runs_from_local_midnight_to_the_next_midnight_in_home() -> None:
    hooli = by_summary(read("google_export.ics", home=NEW_YORK))[
        "Onsite interview — Hooli (round 2)"
    ]
    assert hooli.all_day and not hooli.floating and hooli.tzid is None
    assert hooli.start == datetime(2026, 12, 7, 0, 0, tzinfo=NEW_YORK)
    assert hooli.end == datetime(2026, 12, 8, 0, 0, tzinfo=NEW_YORK)
    assert hooli.start.astimezone(UTC) == utc(2026, 12, 7, 5, 0)
    assert hooli.facts.company == "Hooli"


def test_plural_interviews_in_a_title_is_not_an_interview() -> None:
    summaries = {i.summary for i in read("google_export.ics")}
    assert "Dinner with Sam (talk about interviews)" not in summaries


# --- Outlook -----------------------------------------------------------------------------------


def test_outlook_windows_zone_names_are_read_with_their_vtimezone() -> None:
    contoso = by_summary(read("outlook_export.ics", home=NEW_YORK))["Contoso interview"]
    assert contoso.start == datetime(2026, 11, 10, 10, 30, tzinfo=BERLIN)
    assert contoso.start.astimezone(UTC) == utc(2026, 11, 10, 9, 30)
    assert contoso.start.tzinfo == BERLIN
    assert contoso.end.astimezone(UTC) == utc(2026, 11, 10, 10, 30)
    assert contoso.tzid == "W. Europe Standard Time"
    assert contoso.location == "Contoso HQ, Room 4.12"


def test_outlook_facts_use_the_aliases_position_and_decision() -> None:
    facts = by_summary(read("outlook_export.ics"))["Contoso interview"].facts
    assert facts.company == "Contoso"
    assert facts.role == "Platform Engineer"
    assert facts.recruiter_name == "Maria Lopez"
    assert facts.recruiter_email == "maria.lopez@contoso.example"
    assert facts.timeline == "by 2026-12-10"
    assert facts.source_of("company") == "DESCRIPTION"


def test_a_recurring_interview_skips_its_exdate_and_follows_its_moved_instance() -> None:
    loop = [i for i in read("outlook_export.ics") if i.summary == "Interview loop: Fabrikam"]
    assert [(i.start.astimezone(UTC), i.recurrence_id) for i in loop] == [
        (utc(2026, 11, 2, 8, 30), "20261102T083000Z"),
        (utc(2026, 11, 17, 13, 0), "20261116T083000Z"),
        (utc(2026, 11, 23, 8, 30), "20261123T083000Z"),
    ]
    half_hour, hour = timedelta(minutes=30), timedelta(hours=1)
    assert [i.end - i.start for i in loop] == [half_hour, hour, half_hour]
    assert loop[1].facts.company == "Fabrikam"


def test_non_interview_outlook_events_are_ignored() -> None:
    assert "1:1 with manager" not in {i.summary for i in read("outlook_export.ics")}


# --- Apple and hand-written files ---------------------------------------------------------------


def test_an_interview_category_makes_an_event_an_interview() -> None:
    wayne = by_summary(read("apple_export.ics"))["Wayne Enterprises – Site Reliability Engineer"]
    assert wayne.start == datetime(2026, 12, 8, 14, 0, tzinfo=NEW_YORK)
    assert wayne.start.astimezone(UTC) == utc(2026, 12, 8, 19, 0)
    assert wayne.facts.recruiter_name == "Lucius Fox"
    assert wayne.facts.recruiter_email == "lucius@wayne.example"
    assert wayne.facts.highlights == "- scaled the billing pipeline\n- led the on-call rework"
    assert wayne.facts.fit == "platform work at scale"
    assert wayne.facts.note == "bring ID"


def test_a_categories_match_needs_the_whole_value() -> None:
    matcher = Matcher(words=(), categories=("interview",))
    found = read("outlook_export.ics", matcher=matcher)
    # "Job search" is no "interview": what counts these is their titles' evidence.
    assert {i.summary for i in found} == {"Contoso interview", "Interview loop: Fabrikam"}
    assert not any("category" in reason for i in found for reason in i.verdict.reasons)


def test_a_multi_day_all_day_interview_ends_at_midnight_after_its_last_day() -> None:
    stark = by_summary(read("apple_export.ics"))["Stark Industries take-home interview"]
    assert stark.start == datetime(2026, 12, 9, tzinfo=BERLIN)
    assert stark.end == datetime(2026, 12, 11, tzinfo=BERLIN)
    assert stark.facts.company == "Stark Industries"


def test_floating_times_follow_x_wr_timezone_when_the_calendar_has_one() -> None:
    cyberdyne = by_summary(read("apple_export.ics", home=BERLIN))["Interview at Cyberdyne"]
    assert cyberdyne.floating and cyberdyne.tzid is None
    assert cyberdyne.start == datetime(2026, 12, 10, 10, 0, tzinfo=NEW_YORK)


def test_floating_times_are_placed_in_home_and_bare_lf_files_are_read() -> None:
    soylent = by_summary(read("handwritten_lf.ics", home=NEW_YORK))["interview with Soylent"]
    assert soylent.floating
    assert soylent.start == datetime(2026, 12, 15, 10, 0, tzinfo=NEW_YORK)
    assert soylent.start.astimezone(UTC) == utc(2026, 12, 15, 15, 0)
    assert soylent.end - soylent.start == timedelta(minutes=45)


def test_lowercase_keys_in_the_description_are_read() -> None:
    facts = by_summary(read("handwritten_lf.ics"))["interview with Soylent"].facts
    assert facts.company == "Soylent Corp"
    assert facts.role == "Food Scientist"
    assert facts.recruiter_name is None
    assert facts.recruiter_email == "jobs@soylent.example"
    assert facts.status == "heard back"


def test_a_start_without_end_or_duration_lasts_an_hour_or_a_day() -> None:
    interviews = by_summary(read("handwritten_lf.ics"))
    tyrell = interviews["Interview (Tyrell)"]
    assert tyrell.end.astimezone(UTC) == utc(2026, 12, 16, 14, 0)
    assert tyrell.facts.company == "Tyrell"
    day = interviews["INTERVIEW day"]
    assert (day.start, day.end) == (
        datetime(2026, 12, 17, tzinfo=BERLIN),
        datetime(2026, 12, 18, tzinfo=BERLIN),
    )


# --- time zone names ----------------------------------------------------------------------------


def test_mozilla_display_and_windows_tzids_without_vtimezone_map_to_iana_zones() -> None:
    interviews = by_summary(read("zone_names.ics"))
    initrode = interviews["Interview with Initrode"]
    assert initrode.start == datetime(2026, 12, 1, 10, tzinfo=BERLIN)
    assert initrode.start.tzinfo == BERLIN
    assert initrode.tzid == "/mozilla.org/20050126_1/Europe/Berlin"
    vandelay = interviews["Interview with Vandelay"]
    assert vandelay.start.tzinfo == ZoneInfo("Europe/Amsterdam")
    assert vandelay.start.astimezone(UTC) == utc(2026, 12, 2, 9, 0)
    pied_piper = interviews["Interview with Pied Piper"]
    assert pied_piper.start == datetime(2026, 12, 3, 10, tzinfo=NEW_YORK)
    massive = interviews["Interview with Massive Dynamic"]
    assert massive.start.astimezone(UTC) == utc(2026, 12, 4, 18, 0)
    assert massive.start.tzinfo == ZoneInfo("America/Los_Angeles")


# --- daylight saving time ------------------------------------------------------------------------


def test_a_time_in_the_spring_gap_takes_the_offset_from_before_the_gap() -> None:
    gap = by_summary(read("dst_berlin.ics"))["Interview in the spring gap"]
    assert gap.start.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert (gap.start.hour, gap.start.minute) == (3, 30)


def test_a_time_that_occurs_twice_in_autumn_is_the_first_occurrence() -> None:
    twice = by_summary(read("dst_berlin.ics"))["Interview in the autumn repeat"]
    assert twice.start.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    assert twice.end.astimezone(UTC) == utc(2026, 10, 25, 2, 30)


def test_a_weekly_series_keeps_its_local_time_across_the_dst_change() -> None:
    panel = [i for i in read("dst_berlin.ics") if i.summary == "Weekly interview panel"]
    assert [i.start for i in panel] == [
        datetime(2026, 10, 16, 9, tzinfo=BERLIN),
        datetime(2026, 10, 23, 9, tzinfo=BERLIN),
        datetime(2026, 10, 30, 9, tzinfo=BERLIN),
    ]
    assert [i.start.astimezone(UTC).hour for i in panel] == [7, 7, 8]


# --- the window ----------------------------------------------------------------------------------


def test_only_occurrences_starting_inside_the_window_are_returned() -> None:
    window = Window(
        datetime(2026, 10, 23, 9, tzinfo=BERLIN), datetime(2026, 10, 30, 9, tzinfo=BERLIN)
    )
    panel = [i for i in read("dst_berlin.ics", window=window)]
    assert [i.summary for i in panel] == [
        "Weekly interview panel",
        "Interview in the autumn repeat",
    ]
    assert panel[0].start == datetime(2026, 10, 23, 9, tzinfo=BERLIN)


def test_a_daily_series_gives_no_day_from_just_before_the_window() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:daily@x\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261110T090000Z\r\n"
        b"DTEND:20261110T100000Z\r\nSUMMARY:Interview loop with Initech\r\n"
        b"RRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    window = Window(utc(2026, 11, 12), utc(2026, 11, 13, 12))
    found = read_ics(data, matcher=Matcher(), home=BERLIN, window=window, name="daily.ics")
    # The days read around the window (a day either side, for zones) are not interviews in it.
    assert [iv.start for iv in found.events] == [utc(2026, 11, 12, 9), utc(2026, 11, 13, 9)]


def test_a_moved_instance_counts_where_it_moved_to() -> None:
    window = Window(utc(2026, 11, 17), utc(2026, 11, 18))
    loop = read("outlook_export.ics", window=window)
    assert [(i.summary, i.recurrence_id) for i in loop] == [
        ("Interview loop: Fabrikam", "20261116T083000Z")
    ]
    assert read("outlook_export.ics", window=Window(utc(2026, 11, 16), utc(2026, 11, 17))) == []


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.ics", "empty.ics: the file is empty"),
        ("not_icalendar.ics", "not_icalendar.ics:1: not an iCalendar file"),
        ("truncated.ics", "truncated.ics:11: BEGIN:VEVENT is never closed"),
        ("no_dtstart.ics", "no_dtstart.ics:4: event 'nostart-1@example.com': no DTSTART"),
        (
            "invalid_date.ics",
            "invalid_date.ics:8: event 'baddate-1@example.com': DTSTART: invalid date or time '20261345T250000'",
        ),
    ],
)
def test_bad_files_are_refused_with_what_and_where(name: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(name)
    assert str(caught.value).startswith(message)


def test_a_truncated_file_suggests_downloading_it_again() -> None:
    with pytest.raises(SourceError) as caught:
        read("truncated.ics")
    assert caught.value.hint is not None and "truncated" in caught.value.hint
