"""Computing when a step happens: offsets, times of day, working days, timezones.

All arithmetic happens in the rules' timezone:
- minutes and hours are elapsed time (45 minutes after the interview ends is
  45 real minutes, whatever the clocks do);
- days, weeks and months are steps on the wall clock, so "next morning at
  09:00" is 09:00 local time on both sides of a DST change;
- a wall time that does not exist (inside a spring-forward gap) is moved
  forward by the gap, and one that occurs twice (fall-back) means the first
  occurrence, as RFC 5545 section 3.3.5 prescribes for local times.

Each function returns the explanation of its steps with the result, which
``followup explain`` shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil.relativedelta import relativedelta

from followup.rules.model import WEEKDAYS, Moment, Offset
from followup.rules.zones import holiday_calendar


def wall(day: date, clock: time, zone: tzinfo) -> datetime:
    """The instant of a wall-clock time, with RFC 5545's rule for gaps and overlaps."""
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=zone, fold=0)
    # Round-trip through UTC: a time in a gap comes back moved forward by the gap.
    return aware.astimezone(UTC).astimezone(zone)


def elapsed(moment: datetime, delta: timedelta, zone: tzinfo) -> datetime:
    """``moment`` plus real elapsed time (Python's aware arithmetic is wall-clock)."""
    return (moment.astimezone(UTC) + delta).astimezone(zone)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days."""

    workdays: frozenset[int]
    holiday: Callable[[date], str | None] | None = None

    @classmethod
    def build(
        cls, workdays: list[str], country: str | None, subdivision: str | None
    ) -> WorkCalendar:
        days = frozenset(WEEKDAYS.index(name) for name in workdays)
        lookup = holiday_calendar(country, subdivision) if country else None
        return cls(days, lookup)

    def why_not_working(self, day: date) -> str | None:
        if day.weekday() not in self.workdays:
            return day.strftime("%A")
        if self.holiday is not None:
            name = self.holiday(day)
            if name:
                return f"{name} (holiday)"
        return None


def add_offset(
    moment: datetime, offset: Offset, zone: tzinfo, cal: WorkCalendar
) -> tuple[datetime, list[str]]:
    """Move ``moment`` by ``offset``; returns the new moment and what was done."""
    trace: list[str] = []
    result = moment.astimezone(zone)
    if offset.months or offset.days:
        naive = result.replace(tzinfo=None) + relativedelta(months=offset.months, days=offset.days)
        result = wall(naive.date(), naive.time(), zone)
    if offset.business_days:
        step = 1 if offset.business_days > 0 else -1
        remaining = abs(offset.business_days)
        day = result.date()
        skipped: list[str] = []
        while remaining:
            day += timedelta(days=step)
            reason = cal.why_not_working(day)
            if reason:
                skipped.append(f"{day.isoformat()} {reason}")
            else:
                remaining -= 1
        result = wall(day, result.time(), zone)
        if skipped:
            trace.append("skipped " + ", ".join(skipped))
    if offset.seconds:
        result = elapsed(result, timedelta(seconds=offset.seconds), zone)
    if not offset.is_zero:
        trace.insert(
            0, f"{'+' if not offset.text.startswith('-') else ''}{offset.text} -> {show(result)}"
        )
    return result, trace


def resolve_when(
    anchor: datetime, when: Moment, zone: tzinfo, cal: WorkCalendar, workdays_only: bool
) -> tuple[datetime, list[str]]:
    """Apply a rule's ``when`` (or ``due``) to an anchor moment."""
    result, trace = resolve_moment(anchor, when, zone, cal)
    result, more = into_working_time(result, zone, cal, None, workdays_only)
    return result, trace + more


def resolve_moment(
    anchor: datetime, when: Moment, zone: tzinfo, cal: WorkCalendar
) -> tuple[datetime, list[str]]:
    """Move an anchor by a moment's offset, then align it (``at`` or ``next``)."""
    result, trace = add_offset(anchor, when.offset, zone, cal)
    if when.at is not None:
        result = wall(result.date(), when.at, zone)
        trace.append(f"at {when.at:%H:%M} that day -> {show(result)}")
    elif when.next is not None:
        candidate = wall(result.date(), when.next, zone)
        if candidate < result:
            candidate = wall(result.date() + timedelta(days=1), when.next, zone)
        result = candidate
        trace.append(f"next {when.next:%H:%M} -> {show(result)}")
    return result, trace


def into_hours(
    moment: datetime, hours: tuple[time, time], zone: tzinfo
) -> tuple[datetime, str | None]:
    """Move a step into working hours: before the first time to it that day; after the
    second to the first time the next day. Returns the moment and what was done."""
    first, last = hours
    local = moment.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if clock < first:
        result = wall(local.date(), first, zone)
        return result, f"before {first:%H:%M}: moved to {first:%H:%M} -> {show(result)}"
    if clock > last:
        result = wall(local.date() + timedelta(days=1), first, zone)
        return result, (
            f"after {last:%H:%M}: moved to {first:%H:%M} the next day -> {show(result)}"
        )
    return local, None


def into_working_time(
    moment: datetime,
    zone: tzinfo,
    cal: WorkCalendar,
    hours: tuple[time, time] | None,
    workdays_only: bool,
    *,
    before: datetime | None = None,
) -> tuple[datetime, list[str]]:
    """Working hours first, then working days (a step moved to the next morning may land on
    a Saturday): the last steps of every time computation.

    With ``before`` (the interview's start, for a step that comes before it) the step
    moves earlier instead, so it never passes the interview: to the end of the working
    hours, and to the working day before.
    """
    if before is not None and moment < before:
        return _earlier_working_time(moment, zone, cal, hours, workdays_only)
    result, trace = moment, list[str]()
    if hours is not None:
        result, step = into_hours(result, hours, zone)
        if step:
            trace.append(step)
    if workdays_only:
        day = result.date()
        moved: list[str] = []
        while reason := cal.why_not_working(day):
            moved.append(f"{day.isoformat()} {reason}")
            day += timedelta(days=1)
        if moved:
            result = wall(day, result.time(), zone)
            trace.append("not a working day: " + ", ".join(moved) + f" -> {show(result)}")
    return result, trace


def _earlier_working_time(
    moment: datetime,
    zone: tzinfo,
    cal: WorkCalendar,
    hours: tuple[time, time] | None,
    workdays_only: bool,
) -> tuple[datetime, list[str]]:
    """Like ``into_working_time``, moving back: before the first hour to the last hour of
    the day before, after the last hour to the last hour that day, off a day off to the
    working day before (at the last hour when there are hours)."""
    result, trace = moment.astimezone(zone), list[str]()
    if hours is not None:
        first, last = hours
        clock = result.time().replace(tzinfo=None)
        if clock < first:
            result = wall(result.date() - timedelta(days=1), last, zone)
            trace.append(
                f"before {first:%H:%M}, and the step comes before the interview: moved back to "
                f"{last:%H:%M} the day before -> {show(result)}"
            )
        elif clock > last:
            result = wall(result.date(), last, zone)
            trace.append(
                f"after {last:%H:%M}, and the step comes before the interview: moved back to "
                f"{last:%H:%M} -> {show(result)}"
            )
    if workdays_only:
        day = result.date()
        moved: list[str] = []
        while reason := cal.why_not_working(day):
            moved.append(f"{day.isoformat()} {reason}")
            day -= timedelta(days=1)
        if moved:
            result = wall(day, result.time().replace(tzinfo=None), zone)
            trace.append(
                "not a working day, and the step comes before the interview: "
                + ", ".join(moved)
                + f" -> back to {show(result)}"
            )
    return result, trace


def show(moment: datetime) -> str:
    """A moment as people read it in a trace: 'Wed 2026-12-02 09:00 CET'."""
    return moment.strftime("%a %Y-%m-%d %H:%M %Z")
