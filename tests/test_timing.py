"""Offsets, times of day, working days, DST and the recruiter's words, computed exactly."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from followup.engine.plan.timeline import parse_timeline, status_kind
from followup.engine.plan.timing import WorkCalendar, add_offset, into_hours, resolve_when, wall
from followup.rules.model import When, parse_offset

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEK = WorkCalendar.build(["mon", "tue", "wed", "thu", "fri"], None, None)
GERMAN = WorkCalendar.build(["mon", "tue", "wed", "thu", "fri"], "DE", "BE")


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("45m", {"seconds": 2700}),
        ("1d", {"days": 1}),
        ("2 weeks", {"days": 14}),
        ("3 business days", {"business_days": 3}),
        ("1h 30m", {"seconds": 5400}),
        ("-10m", {"seconds": -600}),
        ("a week", {"days": 7}),
        ("two days", {"days": 2}),
        ("1 month", {"months": 1}),
    ],
)
def test_offsets_are_read_in_the_words_people_use(text: str, fields: dict[str, int]) -> None:
    offset = parse_offset(text)
    for name in ("months", "days", "seconds", "business_days"):
        assert getattr(offset, name) == fields.get(name, 0)


@pytest.mark.parametrize("text", ["soon", "3 fortnights", "1 day 2", "2 days and 1 business day"])
def test_offsets_that_cannot_be_read_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(text)


def test_next_morning_at_nine_stays_at_nine_across_the_spring_dst_change() -> None:
    # Saturday 2027-03-27 16:00 CET; clocks go forward on Sunday night.
    anchor = datetime(2027, 3, 27, 16, 0, tzinfo=BERLIN)
    moment, _ = resolve_when(
        anchor,
        When.model_validate({"from": "end", "offset": "1 day", "at": "09:00"}),
        BERLIN,
        WEEK,
        False,
    )
    assert moment == datetime(2027, 3, 28, 9, 0, tzinfo=BERLIN)
    assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_minutes_are_elapsed_time_across_the_autumn_dst_change() -> None:
    # 02:30 CEST on 2026-10-25; 45 elapsed minutes later it is 02:15 CET.
    anchor = datetime(2026, 10, 25, 0, 30, tzinfo=UTC).astimezone(BERLIN)
    moment, _ = add_offset(anchor, parse_offset("45m"), BERLIN, WEEK)
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
    assert (moment.hour, moment.minute) == (2, 15)


def test_a_wall_time_inside_the_spring_gap_moves_forward_by_the_gap() -> None:
    moment = wall(datetime(2027, 3, 28).date(), time(2, 30), BERLIN)
    assert moment.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert (moment.hour, moment.minute) == (3, 30)


def test_a_wall_time_that_happens_twice_means_the_first_time() -> None:
    moment = wall(datetime(2026, 11, 1).date(), time(1, 30), NEW_YORK)
    assert moment.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # still EDT


def test_business_days_skip_the_weekend_and_public_holidays() -> None:
    # Wednesday 2026-12-23: Thursday 24th, then Christmas (25th) and the weekend are
    # skipped, Monday 28th, Tuesday 29th.
    anchor = datetime(2026, 12, 23, 15, 0, tzinfo=BERLIN)
    moment, trace = add_offset(anchor, parse_offset("3 business days"), BERLIN, GERMAN)
    assert moment == datetime(2026, 12, 29, 15, 0, tzinfo=BERLIN)
    assert "2026-12-25" in trace[-1] and "holiday" in trace[-1]
    assert "2026-12-26 Saturday" in trace[-1]


def test_business_days_before_an_interview_count_back_over_the_weekend_and_holidays() -> None:
    # Monday 2026-12-28, two working days back: Christmas (25th) and the weekend are
    # skipped, so Wednesday 23rd, then Thursday 24th is the first day counted.
    anchor = datetime(2026, 12, 28, 10, 0, tzinfo=BERLIN)
    moment, _ = add_offset(anchor, parse_offset("-2 business days"), BERLIN, GERMAN)
    assert moment == datetime(2026, 12, 23, 10, 0, tzinfo=BERLIN)


def test_workdays_only_moves_a_saturday_step_to_monday() -> None:
    anchor = datetime(2026, 12, 4, 16, 0, tzinfo=BERLIN)  # a Friday
    when = When.model_validate({"from": "end", "offset": "1 day", "at": "09:00"})
    moment, trace = resolve_when(anchor, when, BERLIN, WEEK, True)
    assert moment == datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
    assert "Saturday" in trace[-1]


def test_next_nine_oclock_is_the_same_morning_when_the_moment_is_earlier() -> None:
    when = When.model_validate({"from": "timeline", "next": "09:00"})
    early, _ = resolve_when(datetime(2026, 12, 15, 8, 0, tzinfo=BERLIN), when, BERLIN, WEEK, False)
    late, _ = resolve_when(datetime(2026, 12, 15, 11, 0, tzinfo=BERLIN), when, BERLIN, WEEK, False)
    assert early == datetime(2026, 12, 15, 9, 0, tzinfo=BERLIN)
    assert late == datetime(2026, 12, 16, 9, 0, tzinfo=BERLIN)


END = datetime(2026, 12, 1, 11, 0, tzinfo=BERLIN)  # a Tuesday


@pytest.mark.parametrize(
    ("said", "deadline"),
    [
        ("2 weeks", datetime(2026, 12, 15, 11, 0, tzinfo=BERLIN)),
        ("10 days", datetime(2026, 12, 11, 11, 0, tzinfo=BERLIN)),
        ("within two weeks", datetime(2026, 12, 15, 11, 0, tzinfo=BERLIN)),
        ("3 weeks", datetime(2026, 12, 22, 11, 0, tzinfo=BERLIN)),
        ("by 2026-12-10", datetime(2026, 12, 11, 0, 0, tzinfo=BERLIN)),
        ("December 10", datetime(2026, 12, 11, 0, 0, tzinfo=BERLIN)),
        ("by 10 Dec", datetime(2026, 12, 11, 0, 0, tzinfo=BERLIN)),
        ("January 8", datetime(2027, 1, 9, 0, 0, tzinfo=BERLIN)),
        ("by Friday", datetime(2026, 12, 5, 0, 0, tzinfo=BERLIN)),
        ("end of next week", datetime(2026, 12, 12, 0, 0, tzinfo=BERLIN)),
        ("5 business days", datetime(2026, 12, 8, 11, 0, tzinfo=BERLIN)),
    ],
)
def test_a_recruiters_timeline_becomes_a_deadline(said: str, deadline: datetime) -> None:
    timeline = parse_timeline(said, END, BERLIN, WEEK)
    assert timeline is not None
    assert timeline.deadline == deadline


@pytest.mark.parametrize("said", ["soonish", "they will let me know", ""])
def test_a_timeline_we_cannot_read_is_unknown(said: str) -> None:
    assert parse_timeline(said, END, BERLIN, WEEK) is None


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        (None, "pending"),
        ("heard back", "replied"),
        ("Heard back – second round booked", "replied"),
        ("offer!", "offer"),
        ("rejected", "rejected"),
        ("no offer", "rejected"),
        ("withdrawn", "withdrawn"),
        ("waiting to hear", "pending"),
        ("no reply yet", "pending"),
    ],
)
def test_status_lines_are_classified(said: str | None, kind: str) -> None:
    assert status_kind(said)[0] == kind


@pytest.mark.parametrize(
    ("clock", "moved"),
    [
        (time(8, 59), datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN)),
        (time(9, 0), datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN)),
        (time(17, 0), datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN)),
        (time(17, 1), datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN)),
    ],
)
def test_working_hours_include_their_first_and_last_minute(clock: time, moved: datetime) -> None:
    step = datetime.combine(datetime(2026, 12, 2).date(), clock, tzinfo=BERLIN)
    assert into_hours(step, (time(9, 0), time(17, 0)), BERLIN)[0] == moved
