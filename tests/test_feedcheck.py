"""``serve --check`` reads the feed's bytes as a strict calendar app would."""

from __future__ import annotations

from datetime import timedelta

from followup.engine.write.feedcheck import check_feed, parse_duration
from tests.feed_support import FEED_HEAD

HEAD = list(FEED_HEAD)
BERLIN = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def event(uid: str, *lines: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261201T080000Z", *lines, "END:VEVENT"]


def feed(*lines: str, head: list[str] = HEAD, newline: str = "\r\n") -> bytes:
    return (newline.join([*head, *lines, "END:VCALENDAR"]) + newline).encode()


TIMED = ("DTSTART;TZID=Europe/Berlin:20261202T090000", "DTEND;TZID=Europe/Berlin:20261202T093000")


def messages(data: bytes) -> list[str]:
    return [str(f) for f in check_feed(data).findings]


def test_a_well_formed_feed_has_no_findings_and_is_counted() -> None:
    result = check_feed(feed(*BERLIN, *event("a@followup", *TIMED)))
    assert result.findings == ()
    assert result.ok
    assert (result.events, result.todos) == (1, 0)
    assert result.timezones == ("Europe/Berlin",)
    assert result.refresh == timedelta(hours=1)


def test_a_tzid_without_its_vtimezone_is_an_error() -> None:
    result = check_feed(feed(*event("a@followup", *TIMED)))
    assert not result.ok
    assert any("TZID=Europe/Berlin has no VTIMEZONE" in str(f) for f in result.findings)


def test_bare_line_feeds_are_an_error_with_their_line_numbers() -> None:
    found = messages(feed(*BERLIN, *event("a@followup", *TIMED), newline="\n"))
    assert any("line endings must be CRLF" in m and "line 1:" in m for m in found)


def test_a_line_longer_than_75_octets_is_an_error() -> None:
    found = messages(feed(*BERLIN, *event("a@followup", *TIMED, "SUMMARY:" + "x" * 80)))
    assert any("folded at 75 octets" in m for m in found)


def test_a_line_folded_inside_a_utf8_character_is_an_error() -> None:
    summary = "SUMMARY:Danke Müller".encode()
    cut = summary.index("ü".encode()) + 1
    data = feed(*BERLIN, *event("a@followup", *TIMED, "@@FOLD@@")).replace(
        b"@@FOLD@@", summary[:cut] + b"\r\n " + summary[cut:]
    )
    assert any("inside a UTF-8 character" in m for m in messages(data))


def test_a_line_folded_between_characters_is_fine() -> None:
    data = feed(*BERLIN, *event("a@followup", *TIMED, "SUMMARY:Danke M", " üller"))
    assert check_feed(data).findings == ()


def test_an_all_day_event_ending_on_its_own_day_is_an_error() -> None:
    data = feed(*event("a@followup", "DTSTART;VALUE=DATE:20261202", "DTEND;VALUE=DATE:20261202"))
    found = messages(data)
    assert any("must be the day after the last day" in m for m in found)


def test_an_all_day_event_ending_the_next_day_is_fine() -> None:
    data = feed(*event("a@followup", "DTSTART;VALUE=DATE:20261202", "DTEND;VALUE=DATE:20261203"))
    assert check_feed(data).findings == ()


def test_an_all_day_start_with_a_timed_end_is_an_error() -> None:
    data = feed(*event("a@followup", "DTSTART;VALUE=DATE:20261202", "DTEND:20261202T100000Z"))
    assert any("both be dates or both times" in m for m in messages(data))


def test_missing_refresh_hints_are_errors() -> None:
    head = [line for line in HEAD if not line.startswith(("REFRESH", "X-PUBLISHED"))]
    found = messages(feed(*event("a@followup", "DTSTART:20261202T090000Z"), head=head))
    assert any("REFRESH-INTERVAL is missing" in m for m in found)
    assert any("X-PUBLISHED-TTL is missing" in m for m in found)


def test_a_refresh_interval_without_value_duration_is_an_error() -> None:
    head = [*HEAD[:4], "REFRESH-INTERVAL:PT1H", "X-PUBLISHED-TTL:PT1H"]
    found = messages(feed(*event("a@followup", "DTSTART:20261202T090000Z"), head=head))
    assert any("needs VALUE=DURATION" in m for m in found)


def test_a_refresh_under_15_minutes_is_a_warning() -> None:
    head = [*HEAD[:4], "REFRESH-INTERVAL;VALUE=DURATION:PT5M", "X-PUBLISHED-TTL:PT5M"]
    result = check_feed(feed(*event("a@followup", "DTSTART:20261202T090000Z"), head=head))
    assert result.ok
    assert any(f.level == "warning" and "under 15 minutes" in f.message for f in result.findings)


def test_duplicate_uids_are_an_error_naming_both_lines() -> None:
    data = feed(
        *event("a@followup", "DTSTART:20261202T090000Z"),
        *event("a@followup", "DTSTART:20261203T090000Z"),
    )
    found = messages(data)
    assert any("UID a@followup also used on line 8" in m for m in found)


def test_one_uid_with_different_recurrence_ids_is_fine() -> None:
    data = feed(
        *event("a@followup", "DTSTART:20261202T090000Z"),
        *event("a@followup", "RECURRENCE-ID:20261209T090000Z", "DTSTART:20261209T100000Z"),
    )
    assert check_feed(data).findings == ()


def test_an_unbalanced_component_is_an_error() -> None:
    data = feed("BEGIN:VEVENT", "UID:x", "DTSTAMP:20261201T080000Z", "DTSTART:20261202T090000Z")
    assert any("closes nothing" in m or "never ends" in m for m in messages(data))


def test_an_empty_body_is_an_error() -> None:
    assert messages(b"") == ["error: the feed is empty"]


def test_a_todo_due_before_it_starts_is_an_error() -> None:
    todo = [
        "BEGIN:VTODO",
        "UID:t@followup",
        "DTSTAMP:20261201T080000Z",
        "DTSTART:20261203T090000Z",
        "DUE:20261202T090000Z",
        "END:VTODO",
    ]
    assert any("DUE is before DTSTART" in m for m in messages(feed(*todo)))


def test_durations_are_read_as_rfc_5545_writes_them() -> None:
    assert parse_duration("PT1H") == timedelta(hours=1)
    assert parse_duration("P1D") == timedelta(days=1)
    assert parse_duration("P1W") == timedelta(weeks=1)
    assert parse_duration("PT1H30M") == timedelta(minutes=90)
    assert parse_duration("-PT15M") == -timedelta(minutes=15)
    assert parse_duration("P") is None
    assert parse_duration("PT") is None
    assert parse_duration("1 hour") is None
