"""A cheap text scan of an iCalendar file: its structure, and the events worth parsing.

A calendar export holds years of events of which a few dozen are interviews,
and parsing every component with icalendar is slow. The scan reads the
unfolded lines once, checks that BEGIN and END lines nest (so a truncated or
foreign file is reported with line numbers), and notes each top-level
component's UID, SUMMARY and CATEGORIES. ``Scan.subset`` then keeps the
calendar's own properties, the VEVENTs whose UID belongs to a possible
interview (the series master and all its overrides) and the VTIMEZONEs those
events use. Only that is handed to icalendar; the result is the same as
parsing everything, because nothing outside it can change an interview.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import SupportsIndex

from followup.engine.errors import SourceError

# icalendar reads bytes as UTF-8 (a BOM allowed), replacing undecodable bytes;
# a line break is CRLF or a bare LF (a bare CR is not one).
_NAME = re.compile(r"[A-Za-z0-9-]+")
_QUOTED_OR_SEPARATOR = re.compile(r'"[^"]*"|[;:]')
_TZID_PARAM = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)

# The first letters of the properties the scan notes (UID, SUMMARY, CATEGORIES,
# TZID): a cheap test that lets every other line pass untouched.
_NOTED_INITIALS = frozenset("USCTDOAusctdoa")
_NOTED = ("UID", "SUMMARY", "CATEGORIES", "TZID", "DESCRIPTION", "ORGANIZER", "ATTENDEE")
_NOTED_LINE = re.compile(f"({'|'.join(_NOTED)})(?=[;:]|$)", re.IGNORECASE)
"""A line of one of ``_NOTED``: one C-level test instead of a call for every DTSTART."""
MAX_NOTED_ATTENDEES = 50
"""ATTENDEE lines of one event noted for recognition: an invite lists a handful."""

# A fold is a line break followed by a space or a tab, blank lines in between
# allowed: icalendar's own rule (its content_line.UFOLD), so both read the same lines.
_FOLD = re.compile(r"(?:(?<!\n)\r\n|(?<![\r\n])\n)(?:\r?\n)*[ \t]")


class Lines:
    """A calendar's unfolded content lines, and (computed only when asked) the
    number of the physical line each one starts on."""

    def __init__(self, text: str) -> None:
        self._text = text
        if "\n\n" in text or "\n\r\n" in text or text.count("\r") != text.count("\r\n"):
            unfolded = _FOLD.sub("", text)  # blank lines or lone CRs: the general rule
        else:
            # Without blank lines and lone CRs a fold is just CRLF or LF before a
            # space or tab; str.replace does that many times faster than the regex.
            unfolded = text
            for fold in ("\r\n ", "\r\n\t", "\n ", "\n\t"):
                if fold in unfolded:
                    unfolded = unfolded.replace(fold, "")
        if unfolded.count("\n") == unfolded.count("\r\n"):
            # Every break is CRLF (an export): split at it without rewriting the text first.
            self.texts = list(filter(None, unfolded.split("\r\n")))
        else:
            self.texts = list(filter(None, unfolded.replace("\r\n", "\n").split("\n")))

    def __len__(self) -> int:
        return len(self.texts)

    @cached_property
    def numbers(self) -> list[int]:
        """The physical line each content line starts on, in one pass (linear time).

        Walks the physical lines as the fold rule reads them: a line that
        starts with a space or tab continues the content line before it
        (blank lines in between allowed), a blank line is skipped.
        """
        numbers: list[int] = []
        open_line = False
        for number, physical in enumerate(self._text.split("\n"), start=1):
            line = physical[:-1] if physical.endswith("\r") else physical
            if not line:
                continue
            if open_line and line[0] in " \t":
                continue
            numbers.append(number)
            open_line = True
        # The walk and the unfolding agree but for exotic whitespace; never let
        # a line number lookup fail because of it.
        count = len(self.texts)
        if len(numbers) < count:
            numbers += [numbers[-1] if numbers else 1] * (count - len(numbers))
        return numbers[:count]


Chooser = Callable[[Sequence[str], Sequence[str]], bool]
"""Given an event's raw SUMMARY and CATEGORIES values, whether it may be wanted."""


def decode(data: bytes) -> str:
    """Text as icalendar reads it: UTF-8 with an optional BOM, bad bytes replaced.

    A UTF-16 byte-order mark (what some Windows tools write) means UTF-16.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", "replace")


_TEXT_ESCAPE = re.compile(r"\\([\\,;:nN])")


def unescape(value: str) -> str:
    """A TEXT value as RFC 5545 means it: ``\\,`` is a comma (a VTIMEZONE's TZID is TEXT,
    so Outlook writes ``TZID:Kuala Lumpur\\, Singapore``; a TZID parameter is not escaped)."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def name_of(text: str) -> str:
    """The property (or BEGIN/END) name of a content line, upper case; '' if none."""
    match = _NAME.match(text)
    return match.group().upper() if match else ""


def value_of(text: str) -> str:
    """The raw value of a content line: after the first colon outside a quoted parameter."""
    head, _, value = text.partition(":")
    if '"' not in head:
        return value  # no quote before the first colon: it is the one (or there is none)
    for match in _QUOTED_OR_SEPARATOR.finditer(text):
        if match.group() == ":":
            return text[match.end() :]
    return ""


@dataclass(slots=True)
class Block:
    """A top-level component of the calendar, from its BEGIN line to its END line."""

    kind: str
    lines: Lines
    first: int  # index of the BEGIN line
    last: int = -1  # index of the END line
    uid: str | None = None
    summaries: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tzid: str | None = None  # a VTIMEZONE's own TZID
    description: str | None = None  # a VEVENT's first DESCRIPTION, raw (escaped)
    organizer: str | None = None  # a VEVENT's ORGANIZER line, raw
    attendees: list[str] = field(default_factory=list)  # its first ATTENDEE lines, raw
    ends: tuple[str, ...] = ()
    """END lines read in place of the line at ``last`` when it did not close the block
    as written (a misspelt END, or components left open inside it)."""

    def texts(self) -> list[str]:
        if self.ends:
            return [*self.lines.texts[self.first : self.last], *self.ends]
        return self.lines.texts[self.first : self.last + 1]

    @property
    def begin(self) -> int:
        """The line number of BEGIN."""
        return self.lines.numbers[self.first]

    def line_of(self, prop: str) -> int:
        """The line of the first ``prop`` directly in this block (not in a VALARM)."""
        depth = 0
        wanted = prop.upper()
        for index in range(self.first + 1, self.last + 1):
            name = name_of(self.lines.texts[index])
            if name == "BEGIN":
                depth += 1
            elif name == "END":
                depth -= 1
            elif depth == 0 and name == wanted:
                return self.lines.numbers[index]
        return self.begin

    def unreadable_line(self) -> int:
        """The first line that is no ``NAME...:value`` content line, else BEGIN's line."""
        for index in range(self.first, self.last + 1):
            text = self.lines.texts[index]
            if not name_of(text) or ":" not in text:
                return self.lines.numbers[index]
        return self.begin

    def tzids(self) -> set[str]:
        """Every TZID parameter used in this block."""
        return {
            match.group(1).strip('"')
            for text in self.texts()
            if "TZID" in text.upper()
            for match in _TZID_PARAM.finditer(text)
        }

    def text(self) -> str:
        return "\r\n".join(self.texts())

    def calendar_text(self, scan: Scan) -> str:
        """This block alone in a calendar, with the calendar's header and the zones it uses."""
        used = self.tzids()
        zones = [b for b in scan.blocks if b.kind == "VTIMEZONE" and b.tzid in used]
        parts = ["BEGIN:VCALENDAR", *scan.header, *(b.text() for b in zones), self.text()]
        parts.append("END:VCALENDAR\r\n")
        return "\r\n".join(parts)


@dataclass(slots=True)
class Scan:
    """What the scan found: the calendar's own lines and its top-level components."""

    name: str
    header: list[str]
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)

    def events(self) -> Iterator[Block]:
        return (block for block in self.blocks if block.kind == "VEVENT")

    def subset(
        self, may_want: Chooser, also: Callable[[Block], bool] | None = None
    ) -> tuple[str, list[Block], list[Block]]:
        """The calendar reduced to the events that may be interviews.

        ``may_want`` sees each VEVENT's raw (escaped) SUMMARY and CATEGORIES
        values; it must accept every event the exact matcher accepts once
        icalendar has parsed it, and may accept more. Every VEVENT sharing a
        UID with an accepted one is kept. Returns the calendar's own
        properties as iCalendar text, the VTIMEZONE blocks those events use,
        and the VEVENT blocks, in their order: each block is parsed on its
        own, so one that cannot be read hides nothing else. ``also`` may keep more
        blocks, seeing the whole block (its notes and organizer: evidence beyond the title).
        """
        chosen = [
            block
            for block in self.events()
            if may_want(block.summaries, block.categories) or (also is not None and also(block))
        ]
        uids = {block.uid for block in chosen if block.uid is not None}
        anonymous = {id(block) for block in chosen if block.uid is None}
        events = [
            block
            for block in self.events()
            if block.uid in uids or (block.uid is None and id(block) in anonymous)
        ]
        used: set[str] = set()
        for block in events:
            used |= block.tzids()
        zones = [b for b in self.blocks if b.kind == "VTIMEZONE" and b.tzid in used]
        header = "\r\n".join(["BEGIN:VCALENDAR", *self.header, "END:VCALENDAR\r\n"])
        return header, zones, events


def _error(name: str, line: int | None, message: str, hint: str | None = None) -> SourceError:
    where = name if line is None else f"{name}:{line}"
    return SourceError(f"{where}: {message}", hint=hint)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


_COMPONENTS = frozenset({"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE"})


def scan(data: bytes | str, name: str) -> Scan:
    """Split a calendar into header lines and top-level blocks, checking its structure.

    Reads what calendar tools write besides one plain VCALENDAR: a
    byte-order mark, bare components without VCALENDAR around them, and
    several VCALENDARs one after another (``cat a.ics b.ics``; the first
    one's properties are the calendar's). Content after the last
    END:VCALENDAR is ignored with a warning.

    Raises SourceError, with the line, for an empty file, one that does not
    start with BEGIN:VCALENDAR (or a component), and a file that ends before
    its VCALENDAR does (a truncated download). END lines that do not match
    their BEGIN are read with a warning (see ``_closing``).
    """
    lines = Lines(decode(data) if isinstance(data, bytes) else data)
    texts = lines.texts
    if not any(text.strip() for text in texts):
        raise _error(name, None, "the file is empty; expected an iCalendar (.ics) file")
    first = texts[0].strip().upper()
    bare = first.startswith("BEGIN:") and first[6:] in _COMPONENTS
    if first != "BEGIN:VCALENDAR" and not bare:
        hint = None
        if first.startswith("BEGIN:VCALENDAR\r"):
            hint = "the file's lines end in a bare CR; save it with CRLF or LF line endings"
        raise _error(
            name,
            lines.numbers[0],
            f"not an iCalendar file: expected BEGIN:VCALENDAR, found {_shorten(texts[0])!r}",
            hint,
        )
    header: list[str] = []
    blocks: list[Block] = []
    warnings: list[str] = []
    # Open components, each with the index of its BEGIN line (-1: implied).
    stack = _Open(("VCALENDAR", -1 if bare else 0))
    block: Block | None = None
    calendars = 1
    index = 0 if bare else 1
    while index < len(texts):
        line = texts[index]
        initial = line[0]
        if not stack:
            # Between or after calendars: another VCALENDAR, bare components, or the end.
            upper = line.strip().upper()
            if upper == "BEGIN:VCALENDAR":
                stack.append(("VCALENDAR", index))
                calendars += 1
            elif upper.startswith("BEGIN:") and upper[6:] in _COMPONENTS:
                stack.append(("VCALENDAR", -1))
                continue  # read this BEGIN again, inside the implied calendar
            else:
                warnings.append(
                    f"{name}:{lines.numbers[index]}: content after END:VCALENDAR is ignored: "
                    f"{_shorten(line)!r}"
                )
                break
        elif initial in "Bb" and line[:6].upper() == "BEGIN:":
            kind = line[6:].strip().upper()
            if kind == "VCALENDAR" and stack == [("VCALENDAR", -1)]:
                stack.clear()  # bare components end where a real calendar begins
                calendars += 1
            stack.append((kind, index))
            if block is None and len(stack) == 2:
                block = Block(kind, lines, index)
                blocks.append(block)
        elif initial in "Ee" and line[:4].upper() == "END:":
            written = line[4:].strip().upper()
            kind = _closing(stack, written, lines, index, name, warnings)
            closed = [stack.pop()[0]]
            while closed[-1] != kind:
                closed.append(stack.pop()[0])  # left open inside the one this END closes
            if len(stack) <= 1 and block is not None:
                block.last = index
                if closed != [written]:
                    inside = closed if stack else closed[:-1]  # without the calendar's END
                    block.ends = tuple(f"END:{k}" for k in inside)
                block = None
        elif block is None:
            if calendars == 1:
                header.append(line)
        elif len(stack) == 2 and initial in _NOTED_INITIALS:
            noted = _NOTED_LINE.match(line)
            if noted is not None:
                _note(block, noted.group(1).upper(), line)
        index += 1
    if stack == [("VCALENDAR", -1)]:
        stack.clear()  # a bare component file ends without END:VCALENDAR
    if stack:
        opened, opened_at = stack[-1]
        raise _error(
            name,
            lines.numbers[max(opened_at, 0)],
            f"BEGIN:{opened} is never closed: the file ends at line {lines.numbers[-1]}",
            hint="the file looks truncated; export or download it again",
        )
    return Scan(name, header, blocks, warnings)


MAX_REPAIRS = 100
"""END lines that do not match their BEGIN read with a warning; one more refuses the file (a
file that nests everything in one event through misspelt ENDs would hand icalendar all of
it as one event)."""


class _Open(list[tuple[str, int]]):
    """The components open at a line, innermost last (kind, index of its BEGIN), with how
    many of each kind are open, so that an END is matched in constant time: a file of
    misspelt ENDs under ever deeper BEGINs is still read in linear time."""

    def __init__(self, first: tuple[str, int]) -> None:
        super().__init__([first])
        self.kinds = Counter([first[0]])
        self.repairs = 0
        """END lines read as something else than written (see ``_closing``)."""

    def append(self, item: tuple[str, int]) -> None:
        super().append(item)
        self.kinds[item[0]] += 1

    def pop(self, index: SupportsIndex = -1) -> tuple[str, int]:
        item = super().pop(index)
        self.kinds[item[0]] -= 1
        return item

    def clear(self) -> None:
        super().clear()
        self.kinds.clear()

    def holds(self, kind: str) -> bool:
        return self.kinds[kind] > 0


def _closing(
    stack: _Open,
    kind: str,
    lines: Lines,
    index: int,
    name: str,
    warnings: list[str],
) -> str:
    """The component an END line closes, read as calendar apps read it: one left open
    inside it is closed with it, and an END naming nothing open (a misspelling, END:VTOOD)
    closes the innermost one; both with a warning naming the lines."""
    opened, opened_at = stack[-1]
    if kind == opened:
        return kind
    where = f"line {lines.numbers[opened_at]}" if opened_at >= 0 else "implied"
    at = f"{name}:{lines.numbers[index]}"
    stack.repairs += 1
    if stack.repairs > MAX_REPAIRS:
        raise _error(
            name,
            lines.numbers[index],
            f"END:{kind} does not close BEGIN:{opened} ({where})",
            f"more than {MAX_REPAIRS} END lines do not match their BEGIN: the file is too "
            "broken to read safely; export it again",
        )
    if stack.holds(kind):
        warnings.append(
            f"{at}: END:{kind} also closes BEGIN:{opened} ({where}), which has no END of its own"
        )
        return kind
    warnings.append(f"{at}: END:{kind} matches no open component; read as END:{opened} ({where})")
    return opened


def _note(block: Block, name: str, line: str) -> None:
    """Record UID, SUMMARY and CATEGORIES of a VEVENT, TZID of a VTIMEZONE (``name``: the
    line's property, one of ``_NOTED``)."""
    if block.kind == "VEVENT":
        if name == "UID":
            block.uid = value_of(line)
        elif name == "SUMMARY":
            block.summaries.append(value_of(line))
        elif name == "CATEGORIES":
            block.categories.append(value_of(line))
        elif name == "DESCRIPTION" and block.description is None:
            block.description = value_of(line)
        elif name == "ORGANIZER" and block.organizer is None:
            block.organizer = line
        elif name == "ATTENDEE" and len(block.attendees) < MAX_NOTED_ATTENDEES:
            block.attendees.append(line)
    elif block.kind == "VTIMEZONE" and name == "TZID":
        block.tzid = unescape(value_of(line)).strip()
