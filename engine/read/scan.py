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

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from engine.errors import SourceError

# icalendar reads bytes as UTF-8 (a BOM allowed), replacing undecodable bytes;
# a line break is CRLF or a bare LF (a bare CR is not one).
_NEWLINE = re.compile(r"\r?\n")
_NAME = re.compile(r"[A-Za-z0-9-]+")
_QUOTED_OR_SEPARATOR = re.compile(r'"[^"]*"|[;:]')
_TZID_PARAM = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)

# The first letters of the properties the scan notes (UID, SUMMARY, CATEGORIES,
# TZID): a cheap test that lets every other line pass untouched.
_NOTED_INITIALS = frozenset("USCTDOusctdo")
_NOTED = ("UID", "SUMMARY", "CATEGORIES", "TZID", "DESCRIPTION", "ORGANIZER")

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
                unfolded = unfolded.replace(fold, "")
        self.texts = [line for line in unfolded.replace("\r\n", "\n").split("\n") if line]

    def __len__(self) -> int:
        return len(self.texts)

    @cached_property
    def numbers(self) -> list[int]:
        # Unfold again with the regex, remembering where each fold was, and map
        # the start of every content line back to its place in the original.
        text = self._text
        folds: list[tuple[int, int]] = []  # (position in the unfolded text, chars removed so far)
        parts: list[str] = []
        removed = done = 0
        for match in _FOLD.finditer(text):
            parts.append(text[done : match.start()])
            removed += match.end() - match.start()
            done = match.end()
            folds.append((match.start() - (removed - (match.end() - match.start())), removed))
        parts.append(text[done:])
        unfolded = "".join(parts)
        starts = [position for position, _ in folds]
        numbers: list[int] = []
        position = 0
        for segment in _NEWLINE.split(unfolded):
            if segment:
                index = bisect.bisect_right(starts, position) - 1
                original = position + (folds[index][1] if index >= 0 else 0)
                numbers.append(text.count("\n", 0, original) + 1)
            position += len(segment)
            position += 2 if unfolded.startswith("\r\n", position) else 1
        return numbers


Chooser = Callable[[Sequence[str], Sequence[str]], bool]
"""Given an event's raw SUMMARY and CATEGORIES values, whether it may be wanted."""


def decode(data: bytes) -> str:
    """Text as icalendar reads it: UTF-8 with an optional BOM, bad bytes replaced."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", "replace")


def name_of(text: str) -> str:
    """The property (or BEGIN/END) name of a content line, upper case; '' if none."""
    match = _NAME.match(text)
    return match.group().upper() if match else ""


def value_of(text: str) -> str:
    """The raw value of a content line: after the first colon outside a quoted parameter."""
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

    def texts(self) -> list[str]:
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

    def events(self) -> Iterator[Block]:
        return (block for block in self.blocks if block.kind == "VEVENT")

    def subset(self, may_want: Chooser) -> tuple[str, list[Block]]:
        """The calendar reduced to the events that may be interviews.

        ``may_want`` sees each VEVENT's raw (escaped) SUMMARY and CATEGORIES
        values; it must accept every event the exact matcher accepts once
        icalendar has parsed it, and may accept more. Every VEVENT sharing a
        UID with an accepted one is kept. Returns the iCalendar text and its
        VEVENT blocks, in their order.
        """
        chosen = [block for block in self.events() if may_want(block.summaries, block.categories)]
        uids = {block.uid for block in chosen if block.uid is not None}
        events = [
            block
            for block in self.events()
            if block.uid in uids or (block.uid is None and block in chosen)
        ]
        used: set[str] = set()
        for block in events:
            used |= block.tzids()
        zones = [b for b in self.blocks if b.kind == "VTIMEZONE" and b.tzid in used]
        parts = ["BEGIN:VCALENDAR", *self.header]
        parts += [block.text() for block in zones + events]
        parts.append("END:VCALENDAR\r\n")
        return "\r\n".join(parts), events


def _error(name: str, line: int | None, message: str, hint: str | None = None) -> SourceError:
    where = name if line is None else f"{name}:{line}"
    return SourceError(f"{where}: {message}", hint=hint)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def scan(data: bytes | str, name: str) -> Scan:
    """Split a calendar into header lines and top-level blocks, checking its structure.

    Raises SourceError, with the line, for an empty file, one that does not
    start with BEGIN:VCALENDAR, components that do not nest, content after
    the calendar's end, and a file that ends before its VCALENDAR does (a
    truncated download).
    """
    lines = Lines(decode(data) if isinstance(data, bytes) else data)
    texts = lines.texts
    if not any(text.strip() for text in texts):
        raise _error(name, None, "the file is empty; expected an iCalendar (.ics) file")
    first = texts[0]
    if first.strip().upper() != "BEGIN:VCALENDAR":
        hint = None
        if first.upper().startswith("BEGIN:VCALENDAR\r"):
            hint = "the file's lines end in a bare CR; save it with CRLF or LF line endings"
        raise _error(
            name,
            lines.numbers[0],
            f"not an iCalendar file: expected BEGIN:VCALENDAR, found {_shorten(first)!r}",
            hint,
        )
    header: list[str] = []
    blocks: list[Block] = []
    stack: list[tuple[str, int]] = [("VCALENDAR", 0)]  # open components, index of BEGIN
    block: Block | None = None
    depth = 1
    for index in range(1, len(texts)):
        line = texts[index]
        initial = line[0]
        if initial in "Bb" and line[:6].upper() == "BEGIN:":
            kind = line[6:].strip().upper()
            stack.append((kind, index))
            depth += 1
            if block is None:
                block = Block(kind, lines, index)
                blocks.append(block)
        elif initial in "Ee" and line[:4].upper() == "END:":
            kind = line[4:].strip().upper()
            opened, opened_at = stack[-1]
            if kind != opened:
                raise _error(
                    name,
                    lines.numbers[index],
                    f"END:{kind} does not close BEGIN:{opened} (line {lines.numbers[opened_at]})",
                )
            stack.pop()
            depth -= 1
            if depth == 0:
                if index + 1 < len(texts):
                    raise _error(
                        name,
                        lines.numbers[index + 1],
                        f"content after END:VCALENDAR (line {lines.numbers[index]}): "
                        f"{_shorten(texts[index + 1])!r}",
                    )
                break
            if depth == 1 and block is not None:
                block.last = index
                block = None
        elif block is None:
            header.append(line)
        elif depth == 2 and initial in _NOTED_INITIALS:
            _note(block, line)
    if stack:
        opened, opened_at = stack[-1]
        raise _error(
            name,
            lines.numbers[opened_at],
            f"BEGIN:{opened} is never closed: the file ends at line {lines.numbers[-1]}",
            hint="the file looks truncated; export or download it again",
        )
    return Scan(name, header, blocks)


def _note(block: Block, line: str) -> None:
    """Record UID, SUMMARY and CATEGORIES of a VEVENT, TZID of a VTIMEZONE."""
    head = line[:11].upper()
    if not head.startswith(_NOTED):
        return
    name = name_of(line)
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
    elif block.kind == "VTIMEZONE" and name == "TZID":
        block.tzid = value_of(line).strip()
