"""A cheap text scan of an iCalendar file: its structure, and the events worth parsing.

A calendar export holds years of events of which a few dozen are interviews,
and parsing every component with icalendar is slow. The scan reads the
unfolded lines once, checks that BEGIN and END lines nest (so a truncated or
foreign file is reported with line numbers), and picks out the calendar's
own properties, the VEVENTs whose UID belongs to a possible interview (the
series master and all its overrides) and the VTIMEZONEs those events use.
Only that subset is handed to icalendar; the result is the same as parsing
everything, because nothing outside it can change an interview.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from engine.errors import SourceError

# icalendar reads bytes as UTF-8 (a BOM allowed) and falls back to replacing
# undecodable bytes; line breaks are CRLF or a bare LF (a bare CR is not one).
_NEWLINE = re.compile(r"\r?\n")
_NAME = re.compile(r"[A-Za-z0-9-]+")
_QUOTED_OR_SEPARATOR = re.compile(r'"[^"]*"|[;:]')
_TZID_PARAM = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)

# Properties of a VEVENT the scan looks at; everything else is carried as is.
_KEY_PROPERTIES = frozenset(
    {"UID", "SUMMARY", "CATEGORIES", "RECURRENCE-ID", "DTSTART", "RRULE", "RDATE"}
)


def decode(data: bytes) -> str:
    """Text as icalendar would read it: UTF-8 with an optional BOM, bad bytes replaced."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", "replace")


@dataclass(frozen=True, slots=True)
class Line:
    """One unfolded content line and the physical line it starts on (1-based)."""

    number: int
    text: str

    @property
    def name(self) -> str:
        """The property (or BEGIN/END) name, upper case; '' if the line has none."""
        match = _NAME.match(self.text)
        return match.group().upper() if match else ""

    @property
    def value(self) -> str:
        """The raw value: what follows the first colon outside a quoted parameter."""
        for match in _QUOTED_OR_SEPARATOR.finditer(self.text):
            if match.group() == ":":
                return self.text[match.end() :]
        return ""


@dataclass(slots=True)
class Block:
    """A top-level component of the calendar: its lines, from BEGIN to END."""

    kind: str
    lines: list[Line]
    uid: str | None = None
    summary: str | None = None
    categories: list[str] = field(default_factory=list)
    recurrence_id: str | None = None
    recurring: bool = False
    has_dtstart: bool = False
    tzid: str | None = None  # a VTIMEZONE's own TZID

    @property
    def begin(self) -> int:
        return self.lines[0].number

    def line_of(self, prop: str | None) -> int:
        """The line of the first ``prop`` directly in this block (not in a VALARM)."""
        if prop is None:
            return self.begin
        depth = 0
        for line in self.lines[1:]:
            name = line.name
            if name == "BEGIN":
                depth += 1
            elif name == "END":
                depth -= 1
            elif depth == 0 and name == prop.upper():
                return line.number
        return self.begin

    def unreadable_line(self) -> int:
        """The first line icalendar cannot split into name and value, else BEGIN's line."""
        for line in self.lines:
            if not line.name or ":" not in line.text:
                return line.number
        return self.begin

    def tzids(self) -> set[str]:
        """Every TZID parameter used in this block."""
        found: set[str] = set()
        for line in self.lines:
            for match in _TZID_PARAM.finditer(line.text):
                found.add(match.group(1).strip('"'))
        return found

    def text(self) -> str:
        return "\r\n".join(line.text for line in self.lines)


@dataclass(slots=True)
class Scan:
    """What the scan found: the calendar's own lines and its top-level components."""

    name: str
    header: list[Line]
    blocks: list[Block]
    last_line: int

    def events(self) -> Iterator[Block]:
        return (block for block in self.blocks if block.kind == "VEVENT")

    def subset(self, wanted: re.Pattern[str]) -> tuple[str, list[Block]]:
        """The calendar reduced to the events that may be interviews.

        ``wanted`` is searched in the raw SUMMARY and CATEGORIES values; it
        must find every text the exact matcher accepts (it may find more).
        Returns the iCalendar text and its VEVENT blocks, in order.
        """

        def wanted_block(block: Block) -> bool:
            return (block.summary is not None and wanted.search(block.summary) is not None) or any(
                wanted.search(value) for value in block.categories
            )

        chosen = [block for block in self.events() if wanted_block(block)]
        uids = {block.uid for block in chosen if block.uid is not None}
        events = [
            block
            for block in self.events()
            if block.uid in uids or (block.uid is None and wanted_block(block))
        ]
        used: set[str] = set()
        for block in events:
            used |= block.tzids()
        zones = [b for b in self.blocks if b.kind == "VTIMEZONE" and b.tzid in used]
        parts = ["BEGIN:VCALENDAR", *(line.text for line in self.header)]
        parts += [block.text() for block in zones + events]
        parts.append("END:VCALENDAR\r\n")
        return "\r\n".join(parts), events

    def whole(self) -> tuple[str, list[Block]]:
        """The whole calendar as unfolded text, and all its VEVENT blocks."""
        parts = ["BEGIN:VCALENDAR", *(line.text for line in self.header)]
        parts += [block.text() for block in self.blocks]
        parts.append("END:VCALENDAR\r\n")
        return "\r\n".join(parts), list(self.events())


def unfold(text: str) -> Iterator[Line]:
    """Content lines with folds undone, each with the number of its first physical line.

    A physical line starting with a space or a tab continues the previous
    content line (RFC 5545 3.1); blank lines are skipped, as icalendar does.
    """
    number = 0
    current: str | None = None
    start = 0
    for number, physical in enumerate(_NEWLINE.split(text), start=1):
        if not physical:
            continue
        if physical[0] in " \t" and current is not None:
            current += physical[1:]
            continue
        if current is not None:
            yield Line(start, current)
        current, start = physical, number
    if current is not None:
        yield Line(start, current)


def _error(name: str, line: int | None, message: str, hint: str | None = None) -> SourceError:
    where = name if line is None else f"{name}:{line}"
    return SourceError(f"{where}: {message}", hint=hint)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def scan(data: bytes | str, name: str) -> Scan:
    """Split a calendar into header lines and top-level blocks, checking its structure.

    Raises SourceError, with the line, for an empty file, one that does not
    start with BEGIN:VCALENDAR, components that do not nest, and a file that
    ends before its VCALENDAR does (a truncated download).
    """
    text = decode(data) if isinstance(data, bytes) else data
    lines = unfold(text)
    first = next(lines, None)
    if first is None:
        raise _error(name, None, "the file is empty; expected an iCalendar (.ics) file")
    if first.text.strip().upper() != "BEGIN:VCALENDAR":
        raise _error(
            name,
            first.number,
            f"not an iCalendar file: expected BEGIN:VCALENDAR, found {_shorten(first.text)!r}",
        )
    header: list[Line] = []
    blocks: list[Block] = []
    stack: list[Line] = [first]  # the BEGIN lines of the open components
    block: Block | None = None
    closed_at: int | None = None
    last = first.number
    for line in lines:
        last = line.number
        if closed_at is not None:
            raise _error(
                name,
                line.number,
                f"content after END:VCALENDAR (line {closed_at}): {_shorten(line.text)!r}",
            )
        head = line.text[:4].upper()
        if head == "BEGI" and line.name == "BEGIN":
            stack.append(line)
            if block is None:
                block = Block(line.value.strip().upper(), [line])
                blocks.append(block)
            else:
                block.lines.append(line)
        elif head == "END:" and line.name == "END":
            kind = line.value.strip().upper()
            opened = stack[-1]
            opened_kind = opened.value.strip().upper()
            if kind != opened_kind:
                raise _error(
                    name,
                    line.number,
                    f"END:{kind} does not close BEGIN:{opened_kind} (line {opened.number})",
                )
            stack.pop()
            if block is None:
                closed_at = line.number
                continue
            block.lines.append(line)
            if len(stack) == 1:
                block = None
        elif block is None:
            header.append(line)
        else:
            block.lines.append(line)
            if len(stack) == 2:
                _note(block, line)
    if stack:
        opened = stack[-1]
        raise _error(
            name,
            opened.number,
            f"BEGIN:{opened.value.strip().upper()} is never closed: the file ends at line {last}",
            hint="the file looks truncated; export or download it again",
        )
    return Scan(name, header, blocks, last)


def _note(block: Block, line: Line) -> None:
    """Record what the scan needs to know about a property directly in a block."""
    name = line.name
    if block.kind == "VTIMEZONE":
        if name == "TZID":
            block.tzid = line.value.strip()
        return
    if block.kind != "VEVENT" or name not in _KEY_PROPERTIES:
        return
    if name == "UID":
        block.uid = line.value
    elif name == "SUMMARY":
        block.summary = line.value
    elif name == "CATEGORIES":
        block.categories.append(line.value)
    elif name == "RECURRENCE-ID":
        block.recurrence_id = line.value
    elif name == "DTSTART":
        block.has_dtstart = True
    else:  # RRULE, RDATE
        block.recurring = True
