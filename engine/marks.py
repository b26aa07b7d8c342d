"""Replies recorded with ``followup mark``: facts that override the event's own lines.

The record is a small TOML file in the user's data directory, one interview
a line, so it reads well and is safe to edit by hand::

    "7f3c2a10acme@google.com" = { status = "replied", note = "Second round on the 10th" }

Lines are edited in place: comments and the order of the other lines are
kept. A line that cannot be read stops every command with the file and the
line number, rather than planning as if the reply had never come.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar, get_args

from followup.engine.atomic import locked
from followup.engine.errors import MarksError
from followup.engine.folders import check_record_folder, user_folder, write_record
from followup.engine.model import Facts, Interview, Reading, StatusKind

log = logging.getLogger("followup.files")

MARKS_FILE = "marks.toml"
LOCK_WAIT = 10.0
"""Seconds a ``followup mark`` waits for another one to finish writing."""

STATUSES: tuple[StatusKind, ...] = get_args(StatusKind)

FIELDS = ("status", "note", "interview", "marked")

HEADER = """\
# Replies recorded with `followup mark`, one interview a line:
#   "UID" = { status = "replied", note = "...", interview = "...", marked = 2026-12-03 }
# A line overrides the Status of that interview's calendar event. Statuses:
# replied, offer, rejected, withdrawn, pending. To undo a mark, delete its
# line or run `followup mark INTERVIEW pending`.
"""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

EXAMPLE_LINE = '"UID" = { status = "replied" }'


@dataclass(frozen=True, slots=True)
class Mark:
    """What the user recorded about one interview (by its key: UID or UID/RECURRENCE-ID)."""

    key: str
    status: StatusKind
    note: str | None = None
    interview: str | None = None
    """The interview's title when it was marked, for people reading the file."""
    marked: date | None = None


def data_dir() -> Path:
    """Where followup keeps what it records: $FOLLOWUP_DATA_DIR, else the user data dir."""
    return user_folder("data")


def marks_path() -> Path:
    return data_dir() / MARKS_FILE


# ------------------------------------------------------------------ reading ----


MARKS_FIX = "`followup mark INTERVIEW pending` removes a mark"
"""How a wrong line of the marks file is mended (the hint of its errors)."""


def parse_marks(text: str, name: str = MARKS_FILE) -> dict[str, Mark]:
    """The marks in a file's text, by interview key; MarksError names the line at fault."""
    return keyed_lines(text, name, _parse_line, lambda mark: mark.key, "marked")


Record = TypeVar("Record")


def keyed_lines(
    text: str,
    name: str,
    parse_line: Callable[[str, str, int], Record | None],
    key: Callable[[Record], str],
    done: str,
    fix: str = MARKS_FIX,
) -> dict[str, Record]:
    """The records of a file of one TOML line each (marks, answers), by key; a key given
    twice is an error naming both lines (``done``: "marked", "answered")."""
    records: dict[str, Record] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(file_lines(text), start=1):
        record = parse_line(line, name, number)
        if record is None:
            continue
        found = key(record)
        if found in records:
            raise line_error(
                name, number, f"{found!r} is {done} twice (also on line {lines[found]})", fix
            )
        records[found] = record
        lines[found] = number
    return records


def load_marks(path: Path | None = None) -> dict[str, Mark]:
    """The marks recorded in ``path`` (default: the user's marks file); none if it is missing."""
    target = path or marks_path()
    text = _read(target)
    return {} if text is None else parse_marks(text, str(target))


def _read(path: Path) -> str | None:
    return read_record_file(path, "marks")


def read_record_file(path: Path, what: str, fix: str = MARKS_FIX) -> str | None:
    """The text of one of followup's record files (``what``: "marks", "answers"); None when
    it does not exist yet."""
    from followup.engine.folders import read_record  # a file planted in the data folder is not read

    try:
        raw = read_record(path)
    except FileNotFoundError:
        log.info("%s file: none at %s", what, path)
        return None
    except OSError as err:
        raise MarksError(f"{path}: cannot read the {what} file ({err.strerror})") from None
    if raw is None:
        return None
    log.info("%s file: %s (%d bytes)", what, path, len(raw))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise line_error(str(path), line, "not UTF-8 text", fix) from None


def _parse_line(line: str, name: str, number: int) -> Mark | None:
    import tomllib  # here: a plan with no marks file never reads TOML

    stripped = line.removesuffix("\r").strip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    try:
        document = tomllib.loads(stripped)
    except RecursionError:  # tomllib recurses once per level of nesting
        raise _error(name, number, "values nested too deeply") from None
    except tomllib.TOMLDecodeError as err:
        problem = re.sub(r"\s*\(at [^)]*\)$", "", str(err))
        column = re.search(r"column (\d+)\)$", str(err))
        where = (
            f", column {int(column.group(1)) + len(line) - len(line.lstrip())}" if column else ""
        )
        raise _error(name, number, f"{problem.lower()}{where}; expected {EXAMPLE_LINE}") from None
    if len(document) != 1:
        raise _error(name, number, f"expected one interview a line, like {EXAMPLE_LINE}")
    ((key, value),) = document.items()
    if not isinstance(value, dict) or not value:
        raise _error(
            name, number, f"expected {{ status = ... }} after the UID, like {EXAMPLE_LINE}"
        )
    unknown = [field for field in value if field not in FIELDS]
    if unknown:
        raise _error(name, number, f"unknown key {unknown[0]!r}; a mark has {', '.join(FIELDS)}")
    status = value.get("status")
    if status is None:
        raise _error(name, number, f"missing 'status' (one of {', '.join(STATUSES)})")
    if status not in STATUSES:
        raise _error(
            name, number, f"unknown status {status!r}; expected one of {', '.join(STATUSES)}"
        )
    texts: dict[str, str | None] = {}
    for field in ("note", "interview"):
        text = value.get(field)
        if text is not None and not isinstance(text, str):
            raise _error(name, number, f"'{field}' must be text in double quotes")
        texts[field] = text or None
    marked = value.get("marked")
    if isinstance(marked, datetime):
        marked = marked.date()
    if marked is not None and not isinstance(marked, date):
        raise _error(name, number, "'marked' must be a date like 2026-12-03")
    return Mark(key, status, texts["note"], texts["interview"], marked)


def line_error(name: str, line: int, problem: str, fix: str = MARKS_FIX) -> MarksError:
    """A mistake on one line of a record file, with how to mend it."""
    return MarksError(
        f"{name}:{line}: {problem}", hint=f"fix or delete that line (it is plain text); {fix}"
    )


def _error(name: str, line: int, problem: str) -> MarksError:
    return line_error(name, line, problem)


# ------------------------------------------------------------------ writing ----


def format_mark(mark: Mark) -> str:
    """One line of the marks file."""
    parts = [f"status = {toml_string(mark.status)}"]
    if mark.note:
        parts.append(f"note = {toml_string(mark.note)}")
    if mark.interview:
        parts.append(f"interview = {toml_string(mark.interview)}")
    if mark.marked:
        parts.append(f"marked = {mark.marked.isoformat()}")
    return f"{toml_string(mark.key)} = {{ {', '.join(parts)} }}"


def file_lines(text: str) -> list[str]:
    """A file's lines as TOML sees them: split at LF or CRLF only (a note may hold U+2028)."""
    return text.removesuffix("\n").split("\n") if text else []


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, apart from DEL and line breaks in notes."""
    flat = " ".join(_LINE_BREAK.split(text))
    return json.dumps(flat, ensure_ascii=False).replace("\x7f", "\\u007f")


def with_mark(text: str, mark: Mark, name: str = MARKS_FILE) -> str:
    """The file's text with ``mark`` recorded: its line replaced in place, or added at the end."""
    lines = file_lines(text) if text.strip() else file_lines(HEADER)
    new = format_mark(mark)
    for index, line in enumerate(lines):
        found = _parse_line(line, name, index + 1)
        if found is not None and found.key == mark.key:
            lines[index] = new
            break
    else:
        lines.append(new)
    return "\n".join(lines) + "\n"


def without_mark(text: str, key: str, name: str = MARKS_FILE) -> str:
    """The file's text without the line for ``key`` (unchanged if there is none)."""
    lines = file_lines(text)
    kept = [
        line
        for index, line in enumerate(lines)
        if (found := _parse_line(line, name, index + 1)) is None or found.key != key
    ]
    return "\n".join(kept) + "\n" if kept else ""


def record_mark(mark: Mark, path: Path | None = None, *, wait: float = LOCK_WAIT) -> Path:
    """Record ``mark`` in the marks file (atomically); ``pending`` removes the interview's line."""
    return record_marks([mark], path, wait=wait)


def record_marks(
    marks: Sequence[Mark], path: Path | None = None, *, wait: float = LOCK_WAIT
) -> Path:
    """Record ``marks`` in the marks file in one atomic write; ``pending`` removes a line.

    Read, change and write happen under a lock on ``marks.toml.lock`` beside
    the file, so two ``followup mark`` at once both keep their mark.
    """
    target = path or marks_path()
    check_record_folder(target)
    with locked(lock_path(target), wait=wait, what=f"the marks file {target}"):
        text = _read(target) or ""
        parse_marks(text, str(target))  # refuse to rewrite a file we cannot read
        updated = text
        for mark in marks:
            if mark.status == "pending":
                updated = without_mark(updated, mark.key, str(target))
            else:
                updated = with_mark(updated, mark, str(target))
        if updated != text:
            write_record(target, updated.encode("utf-8"))
    return target


def marks_for(
    rounds: Sequence[Interview],
    status: StatusKind,
    note: str | None,
    today: date,
    now: datetime,
    named: Collection[str] = (),
) -> list[Mark]:
    """The marks that record ``status`` for an application's ``rounds``, one line per event.

    An answer that ends the application (offer, rejected, withdrawn) marks every
    round; ``replied`` marks the rounds that have begun (a round still ahead is the
    next step, whose own check-in comes after it) and those ``named`` by key, or
    every round if there are none.
    ``pending`` takes back the mark of every round, by UID and by occurrence. A
    series whose every occurrence is marked gets one line, by its UID.
    """
    if status == "pending":
        keys = dict.fromkeys(key for iv in rounds for key in (iv.uid, iv.key))
        return [Mark(key, "pending") for key in keys]
    begun = [iv for iv in rounds if iv.start <= now or iv.key in named]
    chosen = begun if status == "replied" and begun else list(rounds)
    marks: dict[str, Mark] = {}
    for iv in chosen:
        whole = all(other in chosen for other in rounds if other.uid == iv.uid)
        key = iv.uid if whole else iv.key
        if key != iv.key:  # an occurrence's own line would win over its series' line
            marks.setdefault(iv.key, Mark(iv.key, "pending"))
        marks.setdefault(key, Mark(key, status, note, iv.summary, today))
    return list(marks.values())


def lock_path(target: Path) -> Path:
    """The lock file of a marks file: beside it, as the marks file is replaced on each write."""
    return target.with_name(target.name + ".lock")


# ----------------------------------------------------------------- applying ----


def apply_marks(reading: Reading, marks: Mapping[str, Mark]) -> Reading:
    """The events with each mark's status (and note) in place of the event's own: the
    mark of the occurrence, else that of its UID (every day of a series)."""

    def applied(events: Sequence[Interview]) -> tuple[Interview, ...]:
        marked: list[Interview] = []
        for iv in events:
            mark = marks.get(iv.key) or marks.get(iv.uid)
            marked.append(iv if mark is None else _marked(iv, mark))
        return tuple(marked)

    return replace(
        reading,
        interviews=applied(reading.interviews),
        asked=applied(reading.asked),
        ignored=applied(reading.ignored),
    )


def _marked(interview: Interview, mark: Mark) -> Interview:
    facts = interview.facts
    overrides = ("status", "note") if mark.note else ("status",)
    sources = tuple((fact, where) for fact, where in facts.sources if fact not in overrides)
    marked: Facts = replace(
        facts,
        status=mark.status,
        note=mark.note or facts.note,
        sources=sources + tuple((fact, "mark") for fact in overrides),
        status_since=mark.marked,
    )
    return replace(interview, facts=marked)


def apply_marks_if_any(reading: Reading) -> Reading:
    """The events with the user's recorded marks applied (MarksError if the file is damaged)."""
    marks = load_marks()
    return apply_marks(reading, marks) if marks else reading
