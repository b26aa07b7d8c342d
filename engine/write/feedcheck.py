"""Check a feed the way a calendar app reads it, before anyone subscribes.

``check_feed`` looks at the raw bytes, not at a parser's forgiving view of
them: CRLF line endings, lines folded at 75 octets and never inside a
character, every TZID backed by a VTIMEZONE, all-day events ending on the day
after (DTEND is exclusive), refresh hints present, UIDs unique. Apps differ in
what they forgive; a feed that passes here needs no forgiveness.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

Level = Literal["error", "warning"]

MAX_OCTETS = 75
MIN_REFRESH = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a calendar app would trip over (error) or handle badly (warning)."""

    level: Level
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.level}: {where}{self.message}"


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """The findings, and what the feed holds."""

    findings: tuple[Finding, ...]
    events: int = 0
    todos: int = 0
    timezones: tuple[str, ...] = ()
    refresh: timedelta | None = None

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


@dataclass(slots=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


@dataclass(slots=True)
class _Component:
    name: str
    line: int
    properties: list[_Property] = field(default_factory=list)
    children: list[_Component] = field(default_factory=list)

    def first(self, name: str) -> _Property | None:
        return next((p for p in self.properties if p.name == name), None)

    def walk(self) -> Iterator[_Component]:
        yield self
        for child in self.children:
            yield from child.walk()


def check_feed(data: bytes) -> FeedCheck:
    """Every finding for one .ics body, in line order within each kind of check."""
    if not data.strip():
        return FeedCheck((Finding("error", None, "the feed is empty"),))
    findings: list[Finding] = []
    physical = _physical_lines(data, findings)
    logical = _unfold(physical, findings)
    root = _components(logical, findings)
    if root is None:
        return FeedCheck(tuple(findings))
    findings += _calendar_findings(root)
    findings += _timezone_findings(root)
    findings += _item_findings(root)
    kinds = Counter(c.name for c in root.walk())
    zones = tuple(
        sorted(
            p.value
            for c in root.walk()
            if c.name == "VTIMEZONE"
            for p in c.properties
            if p.name == "TZID"
        )
    )
    return FeedCheck(
        tuple(findings),
        events=kinds["VEVENT"],
        todos=kinds["VTODO"],
        timezones=zones,
        refresh=_refresh(root),
    )


def _physical_lines(data: bytes, findings: list[Finding]) -> list[tuple[int, bytes]]:
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    else:
        findings.append(Finding("error", len(lines), "the last line does not end with CRLF"))
    bare: list[int] = []
    long: list[int] = []
    result: list[tuple[int, bytes]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw
        if line.endswith(b"\r"):
            line = line[:-1]
        elif number < len(lines) or data.endswith(b"\n"):
            bare.append(number)
        if b"\r" in line:
            bare.append(number)
        if len(line) > MAX_OCTETS:
            long.append(number)
        result.append((number, line))
    if bare:
        findings.append(Finding("error", bare[0], f"line endings must be CRLF ({_lines(bare)})"))
    if long:
        findings.append(
            Finding(
                "error",
                long[0],
                f"lines must be folded at {MAX_OCTETS} octets ({_lines(long)})",
            )
        )
    return result


def _unfold(physical: list[tuple[int, bytes]], findings: list[Finding]) -> list[tuple[int, str]]:
    logical: list[tuple[int, bytearray]] = []
    split_chars: list[int] = []
    for number, line in physical:
        if line[:1] in (b" ", b"\t") and logical:
            rest = line[1:]
            if rest[:1] and 0x80 <= rest[0] <= 0xBF:
                split_chars.append(number)
            logical[-1][1].extend(rest)
        elif line:
            logical.append((number, bytearray(line)))
    if split_chars:
        findings.append(
            Finding(
                "error",
                split_chars[0],
                f"a line is folded inside a UTF-8 character ({_lines(split_chars)})",
            )
        )
    result: list[tuple[int, str]] = []
    for number, raw in logical:
        try:
            result.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError:
            findings.append(Finding("error", number, "the text is not valid UTF-8"))
            result.append((number, raw.decode("utf-8", "replace")))
    return result


_NAME = re.compile(r"[A-Za-z0-9-]+")


def _parse(number: int, text: str) -> _Property | None:
    match = _NAME.match(text)
    if match is None:
        return None
    name = match.group().upper()
    params: dict[str, list[str]] = {}
    pos = match.end()
    while pos < len(text) and text[pos] == ";":
        key_match = _NAME.match(text, pos + 1)
        if key_match is None or key_match.end() >= len(text) or text[key_match.end()] != "=":
            return None
        key = key_match.group().upper()
        pos = key_match.end() + 1
        values: list[str] = []
        while True:
            if text.startswith('"', pos):
                end = text.find('"', pos + 1)
                if end < 0:
                    return None
                values.append(text[pos + 1 : end])
                pos = end + 1
            else:
                end = pos
                while end < len(text) and text[end] not in ",;:":
                    end += 1
                values.append(text[pos:end])
                pos = end
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            break
        params[key] = values
    if pos >= len(text) or text[pos] != ":":
        return None
    return _Property(name, params, text[pos + 1 :], number)


def _components(logical: list[tuple[int, str]], findings: list[Finding]) -> _Component | None:
    stack: list[_Component] = []
    root: _Component | None = None
    for number, text in logical:
        prop = _parse(number, text)
        if prop is None:
            findings.append(Finding("error", number, f"not a content line: {text[:40]!r}"))
            continue
        if prop.name == "BEGIN":
            component = _Component(prop.value.upper(), number)
            if stack:
                stack[-1].children.append(component)
            elif root is None:
                root = component
            else:
                findings.append(Finding("error", number, "more than one VCALENDAR"))
            stack.append(component)
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.value.upper():
                findings.append(Finding("error", number, f"END:{prop.value} closes nothing"))
                continue
            stack.pop()
        elif stack:
            stack[-1].properties.append(prop)
        else:
            findings.append(Finding("error", number, f"{prop.name} outside VCALENDAR"))
    for component in stack:
        findings.append(Finding("error", component.line, f"BEGIN:{component.name} never ends"))
    if root is None or root.name != "VCALENDAR":
        findings.append(Finding("error", 1, "the feed does not start with BEGIN:VCALENDAR"))
        return None
    return root


def _calendar_findings(calendar: _Component) -> Iterator[Finding]:
    version = calendar.first("VERSION")
    if version is None or version.value != "2.0":
        yield Finding("error", calendar.line, "VERSION:2.0 is missing")
    if calendar.first("PRODID") is None:
        yield Finding("error", calendar.line, "PRODID is missing")
    if calendar.first("X-WR-CALNAME") is None:
        yield Finding("warning", calendar.line, "no X-WR-CALNAME: apps will name it after the link")
    refresh = calendar.first("REFRESH-INTERVAL")
    ttl = calendar.first("X-PUBLISHED-TTL")
    if refresh is None:
        yield Finding("error", calendar.line, "REFRESH-INTERVAL is missing (Apple, Thunderbird)")
    elif refresh.param("VALUE") != "DURATION":
        yield Finding("error", refresh.line, "REFRESH-INTERVAL needs VALUE=DURATION")
    if ttl is None:
        yield Finding("error", calendar.line, "X-PUBLISHED-TTL is missing (Outlook, Google)")
    spans = []
    for prop in (refresh, ttl):
        if prop is None:
            continue
        span = parse_duration(prop.value)
        if span is None or span <= timedelta(0):
            yield Finding(
                "error", prop.line, f"{prop.name} is not a positive duration: {prop.value}"
            )
        else:
            spans.append(span)
            if span < MIN_REFRESH:
                yield Finding("warning", prop.line, f"{prop.name} under 15 minutes is ignored")
    if len(spans) == 2 and spans[0] != spans[1]:
        yield Finding(
            "warning", ttl.line if ttl else None, "REFRESH-INTERVAL and X-PUBLISHED-TTL differ"
        )


def _timezone_findings(calendar: _Component) -> Iterator[Finding]:
    defined = {
        p.value
        for c in calendar.walk()
        if c.name == "VTIMEZONE"
        for p in c.properties
        if p.name == "TZID"
    }
    missing: dict[str, int] = {}
    for component in calendar.walk():
        if component.name in ("VTIMEZONE", "STANDARD", "DAYLIGHT"):
            continue
        for prop in component.properties:
            tzid = prop.param("TZID")
            if tzid is not None and tzid not in defined:
                missing.setdefault(tzid, prop.line)
    for tzid, line in missing.items():
        yield Finding("error", line, f"TZID={tzid} has no VTIMEZONE")


def _item_findings(calendar: _Component) -> Iterator[Finding]:
    seen: dict[tuple[str, str | None], int] = {}
    for component in calendar.children:
        if component.name not in ("VEVENT", "VTODO"):
            continue
        uid = component.first("UID")
        if uid is None or not uid.value:
            yield Finding("error", component.line, f"{component.name} without a UID")
        else:
            recurrence = component.first("RECURRENCE-ID")
            key = (uid.value, recurrence.value if recurrence else None)
            if key in seen:
                yield Finding("error", uid.line, f"UID {uid.value} also used on line {seen[key]}")
            else:
                seen[key] = uid.line
        if component.first("DTSTAMP") is None:
            yield Finding("error", component.line, f"{component.name} without DTSTAMP")
        yield from _span_findings(component)
        for alarm in component.children:
            if alarm.name == "VALARM" and (
                alarm.first("ACTION") is None or alarm.first("TRIGGER") is None
            ):
                yield Finding("error", alarm.line, "VALARM needs ACTION and TRIGGER")


def _span_findings(component: _Component) -> Iterator[Finding]:
    start = component.first("DTSTART")
    end_name = "DTEND" if component.name == "VEVENT" else "DUE"
    end = component.first(end_name)
    if component.name == "VEVENT" and start is None:
        yield Finding("error", component.line, "VEVENT without DTSTART")
    if end is not None and component.first("DURATION") is not None:
        yield Finding("error", end.line, f"{end_name} and DURATION together")
    if start is None or end is None:
        return
    start_is_date = start.param("VALUE") == "DATE"
    end_is_date = end.param("VALUE") == "DATE"
    if start_is_date != end_is_date:
        yield Finding("error", end.line, f"DTSTART and {end_name} must both be dates or both times")
        return
    if start_is_date:
        first, after = _date(start.value), _date(end.value)
        if first is None or after is None:
            yield Finding("error", start.line, "an all-day date is not YYYYMMDD")
        elif after <= first:
            yield Finding(
                "error",
                end.line,
                f"all-day {end_name} must be the day after the last day "
                f"({after:%Y%m%d} is not after {first:%Y%m%d})",
            )
    elif start.param("TZID") == end.param("TZID") and start.value[-1:] == end.value[-1:]:
        first_time, last_time = _datetime(start.value), _datetime(end.value)
        if first_time is not None and last_time is not None and last_time < first_time:
            yield Finding("error", end.line, f"{end_name} is before DTSTART")


def _refresh(calendar: _Component) -> timedelta | None:
    prop = calendar.first("REFRESH-INTERVAL") or calendar.first("X-PUBLISHED-TTL")
    return parse_duration(prop.value) if prop is not None else None


_DURATION = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def parse_duration(text: str) -> timedelta | None:
    """An RFC 5545 DURATION value, or None when it is not one."""
    match = _DURATION.match(text.strip())
    if match is None or text.strip().rstrip("T").endswith("P"):
        return None
    sign, weeks, days, hours, minutes, seconds = match.groups()
    span = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -span if sign == "-" else span


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _datetime(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S")
    except ValueError:
        return None


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    word = "line" if len(numbers) == 1 else "lines"
    return f"{word} {shown}{more}"
