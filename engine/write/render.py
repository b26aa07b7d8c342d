"""Rendering follow-ups as iCalendar. Pure: values in, bytes or components out.

What every follow-up carries, so that clients accept it and followup can
recognise it again:
- a UID derived from the interview's UID, its RECURRENCE-ID and the rule id
  (stable across runs: a re-import or a re-sync updates, never duplicates);
- ``RELATED-TO`` the interview's UID and ``X-FOLLOWUP-RULE`` the rule id;
- times in the rules' timezone with a VTIMEZONE for it, all-day DTEND
  exclusive, ``TRANSP:TRANSPARENT`` so follow-ups never make you look busy;
- a VALARM (ACTION, TRIGGER, DESCRIPTION) when the rule asks for one;
- for email steps the draft in the notes and a ``mailto:`` link as URL.

DTSTAMP is the plan's ``now``, so the same inputs give the same bytes.

A step a mark stopped (engine/plan/stopped.py) is written as the same item
cancelled: its UID, a higher SEQUENCE, STATUS:CANCELLED, a title that says
why, and no alarm, so that an app importing the file removes or strikes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from icalendar import Alarm, Calendar, Event, Todo, vDuration, vText

from followup.engine.model import FollowUp, Plan
from followup.engine.plan.stopped import Stopped

PRODID = "-//followup//followup 0.1//EN"

Component = Event | Todo

# Control characters (C0 but TAB and LF, DEL, C1) are not iCalendar TEXT (RFC 5545, 3.3.11):
# removed from every value, as a map for str.translate (one linear pass).
_LINE_BREAKS = {ord("\r"): "\n"}
_CONTROLS: dict[int, str | None] = {
    code: None for code in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(code) not in "\t\n"
}
_CONTROLS.update(_LINE_BREAKS)


def clean_text(value: str) -> str:
    """``value`` without control characters (a lone CR becomes LF).

    Every text written to a calendar goes through here and then through
    icalendar's escaping (``vText``), so no value can end a line, start a
    component or carry a NUL into the file, whatever the interview said.
    """
    return value.replace("\r\n", "\n").translate(_CONTROLS)


def _vtext(value: str) -> vText:
    """A text value for any property, X- and RFC 7986 ones included: cleaned and escaped."""
    return vText(clean_text(value))


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render: the kind of items, alarms, and the feed's hints."""

    force_kind: Literal["event", "todo"] | None = None
    alarms: bool = True
    calendar_name: str | None = None
    refresh: timedelta | None = None
    method: str | None = "PUBLISH"


def kind_of(followup: FollowUp, options: RenderOptions) -> Literal["event", "todo"]:
    return options.force_kind or followup.kind


def describe(followup: FollowUp) -> str:
    """The notes of a follow-up: the rule's description, the window, the drafted email."""
    parts = [followup.description.strip()] if followup.description.strip() else []
    if followup.due is not None and not followup.all_day:
        parts.append(f"Do this by {followup.due:%a %d %b %Y %H:%M} ({followup.due:%Z}).")
    if followup.email is not None:
        draft = followup.email
        lines = ["Draft email:"]
        if draft.to:
            lines.append(f"To: {draft.to}")
        lines += [f"Subject: {draft.subject}", "", draft.body.strip()]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def component(followup: FollowUp, *, now: datetime, options: RenderOptions) -> Component:
    """One follow-up as a VEVENT or VTODO."""
    kind = kind_of(followup, options)
    item: Component = Event() if kind == "event" else Todo()
    item.add("uid", followup.uid)
    item.add("dtstamp", now.astimezone(UTC).replace(microsecond=0))
    start: date | datetime = followup.start.date() if followup.all_day else followup.start
    item.add("dtstart", start)
    if kind == "event":
        end: date | datetime = followup.end.date() if followup.all_day else followup.end
        item.add("dtend", end)
        item.add("transp", "TRANSPARENT")
    else:
        due_moment = followup.due or followup.end
        due: date | datetime = due_moment.date() if followup.all_day else due_moment
        if followup.all_day and due <= start:  # a todo's DUE comes after DTSTART
            due = start + timedelta(days=1)  # type: ignore[operator]
        item.add("due", due)
        item.add("status", "NEEDS-ACTION")
    item.add("summary", _vtext(followup.title))
    notes = describe(followup)
    if notes:
        item.add("description", _vtext(notes))
    if followup.categories:
        item.add("categories", [clean_text(c) for c in followup.categories])
    item.add("related-to", _vtext(followup.interview.uid))
    item.add("x-followup-rule", _vtext(followup.rule_id))
    item.add("x-followup-interview", _vtext(followup.interview.key))
    if followup.email is not None:
        item.add("url", clean_text(followup.email.mailto()))
    if options.alarms and followup.alarm_before is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -followup.alarm_before)
        alarm.add("description", _vtext(followup.title))
        item.add_component(alarm)
    return item


def cancelled_component(stopped: Stopped, *, now: datetime, options: RenderOptions) -> Component:
    """A stopped step as the same item cancelled: same UID, higher SEQUENCE, no alarm."""
    quiet = RenderOptions(force_kind=options.force_kind, alarms=False, method=options.method)
    item = component(stopped.followup, now=now, options=quiet)
    item["summary"] = _vtext(stopped.title)
    item["description"] = _vtext(stopped.description)
    item.pop("url", None)  # no mailto: link for an email that is not to be sent
    item.pop("status", None)
    item.add("status", "CANCELLED")
    item.add("sequence", stopped.sequence)
    return item


def _calendar(options: RenderOptions) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if options.method:
        cal.add("method", options.method)
    if options.calendar_name:
        cal.add("x-wr-calname", _vtext(options.calendar_name))
        cal.add("name", _vtext(options.calendar_name))
    if options.refresh is not None:
        cal.add("refresh-interval", options.refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(options.refresh))
    return cal


def _add_timezones(cal: Calendar, followups: Iterable[FollowUp]) -> None:
    """A VTIMEZONE for every zone used, covering the years the follow-ups span."""
    years = [f.start.year for f in followups if not f.all_day]
    if not years:
        return
    cal.add_missing_timezones(
        first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
    )


def build_calendar(
    followups: Iterable[FollowUp],
    *,
    now: datetime,
    options: RenderOptions,
    stopped: Iterable[Stopped] = (),
) -> Calendar:
    items = list(followups)
    cancelled = list(stopped)
    cal = _calendar(options)
    for followup in items:
        cal.add_component(component(followup, now=now, options=options))
    for step in cancelled:
        cal.add_component(cancelled_component(step, now=now, options=options))
    _add_timezones(cal, [*items, *(step.followup for step in cancelled)])
    return cal


def render_calendar(
    plan: Plan, options: RenderOptions | None = None, stopped: Iterable[Stopped] = ()
) -> bytes:
    """The plan as one .ics calendar (METHOD:PUBLISH by default), with the ``stopped``
    steps as cancelled items after the planned ones."""
    options = options or RenderOptions()
    data: bytes = build_calendar(
        plan.followups, now=plan.now, options=options, stopped=stopped
    ).to_ical()
    return data


def render_object(
    followup: FollowUp, *, now: datetime, options: RenderOptions | None = None
) -> Calendar:
    """One follow-up as a CalDAV object: the component and its VTIMEZONE, no METHOD."""
    options = options or RenderOptions()
    single = RenderOptions(force_kind=options.force_kind, alarms=options.alarms, method=None)
    return build_calendar([followup], now=now, options=single)
