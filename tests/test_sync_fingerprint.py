"""The fingerprint tells the user's changes from noise that servers and apps add."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import vobject
from icalendar import Alarm, Calendar, Event

from followup.engine.caldav.fingerprint import FINGERPRINT_PROP, fingerprint, stamp, stamped

BERLIN = ZoneInfo("Europe/Berlin")


def follow_up(changes: dict[str, object] | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//followup//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", "abc-thank-you@followup")
    event.add("dtstamp", datetime(2026, 12, 1, 7, 0, tzinfo=ZoneInfo("UTC")))
    event.add("dtstart", datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN))
    event.add("dtend", datetime(2026, 12, 2, 9, 15, tzinfo=BERLIN))
    event.add("summary", "Send Dana a thank-you email")
    event.add("description", "A short note, today.\nDraft: Dear Dana, ...")
    event.add("categories", ["Job search"])
    event.add("x-followup-rule", "thank-you")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(0))
    alarm.add("description", "Send Dana a thank-you email")
    event.add_component(alarm)
    for name, value in (changes or {}).items():
        event.pop(name.upper(), None)
        if value is not None:
            event.add(name, value)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def test_what_servers_and_apps_rewrite_does_not_change_the_fingerprint() -> None:
    original = fingerprint(follow_up())
    new_year = datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC"))
    assert fingerprint(follow_up({"dtstamp": new_year})) == original
    assert fingerprint(follow_up({"sequence": 4, "last-modified": new_year})) == original
    utc = datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert (
        fingerprint(follow_up({"dtstart": utc, "dtend": utc + timedelta(minutes=15)})) == original
    )


def test_another_library_writing_the_same_item_gives_the_same_fingerprint() -> None:
    text = follow_up().to_ical().decode()
    rewritten = vobject.readOne(text).serialize()
    assert rewritten != text
    assert fingerprint(Calendar.from_ical(rewritten)) == fingerprint(follow_up())


def test_a_move_a_rename_or_a_completion_changes_it() -> None:
    original = fingerprint(follow_up())
    later = datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN)
    assert fingerprint(follow_up({"dtstart": later})) != original
    assert fingerprint(follow_up({"summary": "Call Dana"})) != original
    assert fingerprint(follow_up({"status": "CANCELLED"})) != original


def test_the_stamp_is_stored_on_the_item_and_not_part_of_what_it_measures() -> None:
    cal = follow_up()
    value = stamp(cal)
    assert stamped(cal) == value == fingerprint(cal)
    reread = Calendar.from_ical(cal.to_ical())
    assert FINGERPRINT_PROP in reread.walk("VEVENT")[0]
    assert stamped(reread) == fingerprint(reread)
