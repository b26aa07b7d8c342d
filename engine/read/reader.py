"""Reading interviews from iCalendar data: an .ics export, stdin, or CalDAV objects.

The path is: a cheap scan (``engine.read.scan``) checks the structure and keeps
the events that may be interviews, icalendar parses only those,
recurring-ical-events expands the series (RRULE, RDATE, EXDATE, moved
instances), and each occurrence the matcher accepts in the window becomes an
``Interview``.

Choices where the standard leaves room:

- Floating times and all-day dates are placed in ``home`` (all-day: local
  midnight of the first day to local midnight after the last; DTEND is
  exclusive). In a calendar with X-WR-TIMEZONE (Google), floating times and
  UTC times are read in that zone, as Google means them; all-day dates still
  go to ``home``.
- An event with DTSTART but neither DTEND nor DURATION lasts one day for a
  date and ``DEFAULT_DURATION`` (one hour) for a date-time: RFC 5545 would
  make it zero length, but an interview always takes some time and the
  planner anchors steps on its end.
- A local time that does not exist at a DST change (02:30 when clocks jump
  from 02:00 to 03:00) is read with the offset before the gap, so it lands
  at 03:30; a time that occurs twice (02:30 when clocks fall back) is the
  first of the two. Both are RFC 5545 section 3.3.5's rules.
- Only interviews are checked: a broken or duplicated event that is not an
  interview (and shares no UID with one) is ignored, as a person would.
- A series instance's ``recurrence_id`` is its RECURRENCE-ID in UTC
  ("20261201T090000Z"), a date for all-day series ("20261201"), and the
  local text without "Z" for a floating series.
"""

from __future__ import annotations

import re
import warnings
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, cached_property
from typing import Any

import recurring_ical_events
from dateutil import tz as dateutil_tz
from icalendar import Calendar, Component
from icalendar.prop import vDDDLists, vDDDTypes
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from engine.errors import SourceError
from engine.model import Interview, Window
from engine.read.facts import Organizer, extract_facts
from engine.read.scan import Block, scan

MAX_BYTES = 50 * 1024 * 1024
"""The largest input read; a calendar export of decades is a few megabytes."""

DEFAULT_DURATION = timedelta(hours=1)
"""How long an interview with a start time but no end or duration lasts."""

# Properties whose values may carry a TZID (those icalendar localizes).
_DATETIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
_SOURCE_TAG = "X-FOLLOWUP-SOURCE"
_UTC = zoneinfo.ZoneInfo("UTC")
# Keep expansion inside what datetime can add to.
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _escape_text(word: str) -> str:
    return word.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


@dataclass(frozen=True)
class Matcher:
    """Which events are interviews: a whole word in SUMMARY (any case) or a CATEGORIES value (any case)."""

    words: tuple[str, ...] = ("interview",)
    categories: tuple[str, ...] = ("interview",)

    @cached_property
    def _summary(self) -> re.Pattern[str] | None:
        if not self.words:
            return None
        alternatives = "|".join(re.escape(word) for word in self.words)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    @cached_property
    def _category(self) -> re.Pattern[str] | None:
        if not self.categories:
            return None
        alternatives = "|".join(re.escape(value) for value in self.categories)
        return re.compile(rf"(?:{alternatives})", re.IGNORECASE)

    def matches(self, summary: str, categories: Iterable[str]) -> bool:
        if self._summary is not None and self._summary.search(summary):
            return True
        if self._category is not None:
            return any(self._category.fullmatch(value.strip()) for value in categories)
        return False

    @cached_property
    def _prefilter(self) -> re.Pattern[str]:
        texts = {t for word in (*self.words, *self.categories) for t in (word, _escape_text(word))}
        if not texts:
            return re.compile(r"(?!)")
        return re.compile("|".join(re.escape(t) for t in sorted(texts)), re.IGNORECASE)

    def may_match_raw(self, summaries: Sequence[str], categories: Sequence[str]) -> bool:
        """Whether an event may match, judged from its raw (escaped) SUMMARY and
        CATEGORIES text before any parsing.

        Never False for an event ``matches`` accepts after icalendar has
        parsed it: the text is tried as written and unescaped two ways, and
        category values are split at every comma.
        """
        found = self._prefilter.search
        for raw in summaries:
            if found(raw) and any(self.matches(text, ()) for text in _readings(raw)):
                return True
        for raw in categories:
            if not found(raw) or self._category is None:
                continue
            if any(mark in value for value in self.categories for mark in ",;\\"):
                return True  # a value with a separator in it: only a parse can tell
            for part in raw.split(","):
                if any(self._category.fullmatch(text.strip()) for text in _readings(part)):
                    return True
        return False


_ESCAPE = re.compile(r"\\([\\,;:nN])")
_ANY_ESCAPE = re.compile(r"\\(.)")


def _readings(raw: str) -> tuple[str, str, str]:
    """Raw text as written, unescaped as RFC 5545 says, and with every backslash dropped."""
    unescaped = _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)
    return raw, unescaped, _ANY_ESCAPE.sub(r"\1", raw)


def read_ics(
    data: bytes, *, matcher: Matcher, home: zoneinfo.ZoneInfo, window: Window, name: str = "<stdin>"
) -> list[Interview]:
    """The interviews in one iCalendar file (or stdin), sorted by (start, uid, recurrence_id)."""
    _check_size(len(data), name)
    found = scan(data, name)
    text, blocks = found.subset(matcher.may_match_raw)
    calendar = _parse(text, name)
    return _interviews(calendar, blocks, matcher=matcher, home=home, window=window, name=name)


def read_objects(
    objects: Iterable[tuple[str, bytes]],
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
) -> list[Interview]:
    """The interviews in CalDAV calendar objects: (href, one VCALENDAR) each; errors name the href."""
    total = 0
    result: list[Interview] = []
    seen: dict[tuple[str, str | None], str] = {}
    for href, data in objects:
        _check_size(len(data), href)
        total += len(data)
        _check_size(total, "the calendar's objects together")
        for interview in read_ics(data, matcher=matcher, home=home, window=window, name=href):
            key = (interview.uid, interview.recurrence_id)
            if key in seen and seen[key] != href:
                raise SourceError(
                    f"{href}: UID {interview.uid!r} is also in {seen[key]}",
                    hint="two calendar objects hold the same event; remove one",
                )
            seen[key] = href
            result.append(interview)
    result.sort(key=_order)
    return result


def read_calendar(
    calendar: Calendar,
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    name: str = "<calendar>",
) -> list[Interview]:
    """The interviews in a calendar icalendar has already parsed in full.

    Gives what ``read_ics`` gives for the same data (without line numbers in
    errors): the reference the scan is measured and tested against.
    """
    return _interviews(calendar, None, matcher=matcher, home=home, window=window, name=name)


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise SourceError(
            f"{name}: {size / 1e6:.1f} MB is more than the {MAX_BYTES // 2**20} MB followup reads",
            hint="export a shorter period of the calendar",
        )


def _parse(text: str, name: str) -> Calendar:
    with warnings.catch_warnings():
        # icalendar warns when it guesses "/vendor/Europe/Berlin" means Europe/Berlin.
        warnings.simplefilter("ignore")
        try:
            return Calendar.from_ical(text)
        except ValueError as error:  # the scan checked the structure; this is a last guard
            raise SourceError(f"{name}: cannot read the calendar: {error}") from None


def _order(interview: Interview) -> tuple[datetime, str, str]:
    return (interview.start, interview.uid, interview.recurrence_id or "")


# --- the reading proper ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    """Where an error is: the source's name and, when known, the event's block."""

    name: str
    block: Block | None

    def error(self, uid: str | None, prop: str | None, message: str) -> SourceError:
        line = None
        if self.block is not None:
            line = self.block.line_of(prop) if prop else self.block.unreadable_line()
        where = self.name if line is None else f"{self.name}:{line}"
        what = "event" if uid is None else f"event {uid!r}"
        if prop:
            what += f", {prop}"
        return SourceError(f"{where}: {what}: {message}")


def _interviews(
    calendar: Calendar,
    blocks: list[Block] | None,
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    name: str,
) -> list[Interview]:
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    places = [
        _Place(name, blocks[i] if blocks is not None and len(blocks) == len(events) else None)
        for i in range(len(events))
    ]
    uids: set[str] = set()
    for event, place in zip(events, places, strict=True):
        if matcher.matches(_text(event.get("SUMMARY")), _categories(event)):
            uid = event.get("UID")
            if uid is None:
                raise place.error(None, None, "this interview has no UID")
            uids.add(str(uid))

    series: dict[str, list[tuple[Component, _Place]]] = defaultdict(list)
    for event, place in zip(events, places, strict=True):
        if "UID" in event and str(event["UID"]) in uids:
            series[str(event["UID"])].append((event, place))

    zones = _Zones(calendar, name)
    calendar_zone = _calendar_zone(calendar, name)
    owners = _owner_emails(calendar)
    since = max(window.since, _EARLIEST)
    until = min(window.until, _LATEST)
    result: list[Interview] = []
    for uid, members in series.items():
        _check(uid, members)
        originals = [event for event, _ in members]
        copies = [_localized(event, place, zones) for event, place in members]
        for index, event in enumerate(copies):
            event[_SOURCE_TAG] = str(index)
        query = Calendar()
        for key, value in calendar.items():
            query[key] = value
        for event in copies:
            query.add_component(event)
        is_series = any(
            key in event for event in originals for key in ("RRULE", "RDATE", "RECURRENCE-ID")
        )
        try:
            occurrences = recurring_ical_events.of(query).between(
                since - timedelta(days=2), until + timedelta(days=2)
            )
        except Exception as error:
            place = members[0][1]
            raise place.error(uid, "RRULE", f"cannot expand the series: {error}") from None
        for occurrence in occurrences:
            summary = _text(occurrence.get("SUMMARY"))
            if not matcher.matches(summary, _categories(occurrence)):
                continue
            original = originals[int(str(occurrence[_SOURCE_TAG]))]
            interview = _interview(
                uid,
                occurrence,
                original,
                is_series=is_series,
                home=home,
                calendar_zone=calendar_zone,
                owners=owners,
            )
            if since <= interview.start < until:
                result.append(interview)
    result.sort(key=_order)
    return result


def _check(uid: str, members: list[tuple[Component, _Place]]) -> None:
    """Refuse what icalendar let through in the events of an interview."""
    masters: list[_Place] = []
    for event, place in members:
        for prop, message in event.errors:
            if prop is not None and prop in _DATETIME_PROPERTIES:
                raw = str(event.get(prop, ""))
                raise place.error(uid, prop, f"invalid date or time {raw!r}")
            if prop is None:
                raise place.error(uid, None, "unreadable line (expected NAME:value)")
            raise place.error(uid, prop, message)
        if "DTSTART" not in event:
            raise place.error(uid, None, "no DTSTART: the event has no start")
        if "RECURRENCE-ID" not in event:
            masters.append(place)
    if len(masters) > 1:
        first, second = masters[0], masters[1]
        lines = ""
        if first.block is not None and second.block is not None:
            lines = f" (lines {first.block.begin} and {second.block.begin})"
        raise SourceError(
            f"{first.name}: two events with UID {uid!r} and no RECURRENCE-ID{lines}",
            hint="each event needs its own UID; remove the duplicate",
        )


def _value(component: Component, name: str) -> Any:
    """A property's value, typed loosely: icalendar's union of value types is no help here."""
    return component.get(name)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _categories(event: Component) -> list[str]:
    value = event.get("CATEGORIES")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(category) for item in values for category in getattr(item, "cats", [item])]


def _owner_emails(calendar: Calendar) -> frozenset[str]:
    """Google names a primary calendar after its owner's address (X-WR-CALNAME)."""
    name = _text(calendar.get("X-WR-CALNAME")).strip()
    return frozenset({name.casefold()}) if "@" in name else frozenset()


def _calendar_zone(calendar: Calendar, name: str) -> zoneinfo.ZoneInfo | None:
    value = calendar.get("X-WR-TIMEZONE")
    if value is None:
        return None
    try:
        return zoneinfo.ZoneInfo(str(value).strip())
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise SourceError(f"{name}: unknown time zone in X-WR-TIMEZONE: {str(value)!r}") from None


# --- time zones -------------------------------------------------------------------------------


class _Zones:
    """TZIDs of one calendar resolved to tzinfo, independent of other calendars read before.

    An IANA name is that zone. Otherwise the calendar's own VTIMEZONE
    defines it (Outlook's "W. Europe Standard Time", "Customized Time
    Zone"); without one, a Windows name, a "/vendor/Europe/Berlin" id or a
    "(UTC+01:00) Amsterdam, Berlin, ..." display name maps to its IANA zone.
    """

    def __init__(self, calendar: Calendar, name: str) -> None:
        self._name = name
        self._components = {
            str(c["TZID"]): c
            for c in calendar.subcomponents
            if c.name == "VTIMEZONE" and "TZID" in c
        }
        self._resolved: dict[str, tzinfo | None] = {}

    def get(self, tzid: str) -> tzinfo | None:
        if tzid not in self._resolved:
            self._resolved[tzid] = self._resolve(tzid)
        return self._resolved[tzid]

    def _resolve(self, tzid: str) -> tzinfo | None:
        iana = _iana_key(tzid.strip().strip("/"))
        if iana is not None:
            return zoneinfo.ZoneInfo(iana)
        component = self._components.get(tzid)
        if component is not None:
            try:
                zone: tzinfo = getattr(component, "to_tz")(lookup_tzid=False)  # noqa: B009
                return zone
            except Exception as error:
                raise SourceError(
                    f"{self._name}: the VTIMEZONE {tzid!r} cannot be read: {error}"
                ) from None
        iana = iana_zone_name(tzid)
        return None if iana is None else zoneinfo.ZoneInfo(iana)


@cache
def _available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def _by_city() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = defaultdict(list)
    for key in sorted(_available()):
        if "/" in key and not key.startswith(("Etc/", "SystemV/")):
            cities[key.rsplit("/", 1)[1].replace("_", " ").casefold()].append(key)
    return cities


def _iana_key(text: str) -> str | None:
    if text in _available() or text == "UTC":
        return text
    return None


_DISPLAY_NAME = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:([+-])(\d{1,2}):?(\d{2}))?\s*\)\s*(.+)$")
_US_ZONES = {
    "eastern time (us & canada)": "America/New_York",
    "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver",
    "pacific time (us & canada)": "America/Los_Angeles",
    "atlantic time (canada)": "America/Halifax",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
    "coordinated universal time": "UTC",
}


def iana_zone_name(tzid: str) -> str | None:
    """The IANA zone a calendar's TZID stands for, or None if it cannot be told.

    Knows IANA names, Windows names ("W. Europe Standard Time"), globally
    unique ids ("/mozilla.org/20050126_1/Europe/Berlin") and Outlook display
    names ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna").
    """
    clean = tzid.strip().strip("/")
    if _iana_key(clean):
        return clean
    if clean in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[clean]
    parts = clean.split("/")
    for start in range(1, len(parts)):
        if key := _iana_key("/".join(parts[start:])):
            return key
    match = _DISPLAY_NAME.match(clean)
    if match is None:
        return None
    sign, hours, minutes, places = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    if sign == "-":
        offset = -offset
    if places.strip().casefold() in _US_ZONES:
        return _US_ZONES[places.strip().casefold()]
    for place in places.split(","):
        for key in _by_city().get(place.strip().rstrip(".").casefold(), []):
            if _standard_offset(key) == offset:
                return key
    return None


def _standard_offset(key: str) -> timedelta | None:
    zone = zoneinfo.ZoneInfo(key)
    for month in (1, 7):
        moment = datetime(2026, month, 15, 12, tzinfo=zone)
        if not moment.dst():
            return moment.utcoffset()
    return None


def _localized(event: Component, place: _Place, zones: _Zones) -> Component:
    """A copy of the event whose TZID date-times carry this calendar's zones."""
    copy = event.copy()
    for subcomponent in event.subcomponents:
        copy.add_component(subcomponent)
    uid = str(event.get("UID"))
    for prop in _DATETIME_PROPERTIES:
        value = event.get(prop)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        changed = [_relocalize(v, prop, uid, place, zones) for v in values]
        copy[prop] = changed if isinstance(value, list) else changed[0]
    return copy


def _relocalize(value: Any, prop: str, uid: str, place: _Place, zones: _Zones) -> Any:
    params: Any = getattr(value, "params", None)
    tzid = params.get("TZID") if params is not None else None
    if not tzid:
        return value
    zone = zones.get(str(tzid))
    if zone is None:
        raise place.error(
            uid, prop, f"unknown time zone {str(tzid)!r} (the file has no VTIMEZONE for it)"
        )

    def move(dt: Any) -> Any:
        if isinstance(dt, datetime):
            return dt.replace(tzinfo=None).replace(tzinfo=zone)
        if isinstance(dt, tuple):
            return tuple(move(part) for part in dt)
        return dt

    if isinstance(value, vDDDLists):
        new_list = vDDDLists([move(item.dt) for item in value.dts])
        new_list.params = params
        return new_list
    if isinstance(value, vDDDTypes):
        new_value = vDDDTypes(move(value.dt))
        new_value.params = params
        return new_value
    return value


# --- occurrences to interviews ----------------------------------------------------------------


def _interview(
    uid: str,
    occurrence: Component,
    original: Component,
    *,
    is_series: bool,
    home: zoneinfo.ZoneInfo,
    calendar_zone: zoneinfo.ZoneInfo | None,
    owners: frozenset[str],
) -> Interview:
    raw_start = _value(occurrence, "DTSTART").dt
    raw_end = _value(occurrence, "DTEND").dt if "DTEND" in occurrence else raw_start
    source_start = _value(original, "DTSTART")
    tzid = source_start.params.get("TZID")
    all_day = not isinstance(raw_start, datetime)
    floating = not all_day and tzid is None and source_start.dt.tzinfo is None
    if not all_day and tzid is None and not floating:
        tzid = "UTC"
    present = zoneinfo.ZoneInfo(name) if tzid and (name := iana_zone_name(str(tzid))) else None
    if tzid == "UTC" and calendar_zone is not None:
        present = calendar_zone  # Google writes UTC and means the calendar's zone

    start = _place(raw_start, home, present)
    end = _place(raw_end, home, present)
    if not all_day and "DTEND" not in original and "DURATION" not in original:
        end = (start.astimezone(_UTC) + DEFAULT_DURATION).astimezone(start.tzinfo)
    if end < start:
        end = start

    recurrence_id = None
    if is_series:
        recurrence_id = _recurrence_text(_value(occurrence, "RECURRENCE-ID").dt)

    organizer = _value(occurrence, "ORGANIZER")
    who = None
    if organizer is not None:
        address = str(organizer)
        email = address[7:] if address.lower().startswith("mailto:") else None
        cn = organizer.params.get("CN")
        who = Organizer(name=str(cn).strip() or None if cn else None, email=email or None)
    summary = _text(occurrence.get("SUMMARY")).strip()
    location = _text(occurrence.get("LOCATION")).strip() or None
    attendees = tuple(_attendees(occurrence))
    return Interview(
        uid=uid,
        recurrence_id=recurrence_id,
        summary=summary,
        start=start,
        end=end,
        all_day=all_day,
        floating=floating,
        tzid=None if tzid is None else str(tzid),
        cancelled=_text(occurrence.get("STATUS")).strip().upper() == "CANCELLED",
        location=location,
        facts=extract_facts(
            summary,
            _text(occurrence.get("DESCRIPTION")) or None,
            who,
            owner_emails=owners,
        ),
        categories=tuple(c.strip() for c in _categories(occurrence) if c.strip()),
        attendees=attendees,
    )


MAX_ATTENDEES = 200
"""An invitation lists a handful of people; more are read as these many."""


def _attendees(event: Component) -> list[tuple[str | None, str | None]]:
    """ATTENDEE properties as (name, address): the CN parameter and the mailto: address."""
    value = event.get("ATTENDEE")
    if value is None:
        return []
    found: list[tuple[str | None, str | None]] = []
    for item in (value if isinstance(value, list) else [value])[:MAX_ATTENDEES]:
        address = str(item)
        email = address[7:].strip() if address.lower().startswith("mailto:") else None
        params = getattr(item, "params", {})
        cn = params.get("CN") if params else None
        found.append((str(cn).strip() or None if cn else None, email or None))
    return found


def _place(value: date | datetime, home: zoneinfo.ZoneInfo, present: tzinfo | None) -> datetime:
    """An aware datetime: dates at local midnight and floating times in ``home``."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=home)
    value = _exists(value)
    if present is not None and value.tzinfo is not present:
        value = value.astimezone(present)
    return value


def _exists(value: datetime) -> datetime:
    """The same wall time read by RFC 5545 3.3.5: a time in a DST gap moves forward by
    the gap (the offset before it applies); a repeated time is its first occurrence."""
    zone = value.tzinfo
    assert zone is not None
    value = value.replace(fold=0)  # fold=0 is the first of two repeated times
    if dateutil_tz.datetime_exists(value):
        return value
    # A gap only opens when the offset grows, so the offset before it is the
    # smaller one around it (a day either side is clear of the change).
    wall = value.replace(tzinfo=None)
    offsets = [(wall + timedelta(days=days)).replace(tzinfo=zone).utcoffset() for days in (-1, 1)]
    before = min(offset for offset in offsets if offset is not None)
    return (wall - before).replace(tzinfo=_UTC).astimezone(zone)


def _recurrence_text(value: date | datetime) -> str:
    if not isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    if value.tzinfo is None:
        return value.strftime("%Y%m%dT%H%M%S")
    return value.astimezone(_UTC).strftime("%Y%m%dT%H%M%SZ")
