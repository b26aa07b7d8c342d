"""Answers to "is this an interview?": kept by UID, they win over the event's evidence.

The record is a small TOML file in the user's data directory beside the
marks, one event a line, so it reads well and is safe to edit by hand::

    "7f3c2a10coffee@google.com" = { interview = true, title = "Coffee with Jane", answered = 2026-12-03 }

Lines are edited in place under a lock, as marks are; a line that cannot be
read stops every command with the file and the line number, rather than
asking again (or counting) as if the answer had never been given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from followup.engine.atomic import locked
from followup.engine.errors import MarksError
from followup.engine.folders import check_record_folder, write_record
from followup.engine.marks import (
    LOCK_WAIT,
    data_dir,
    file_lines,
    keyed_lines,
    line_error,
    lock_path,
    read_record_file,
    toml_string,
)
from followup.engine.model import Interview, Reading, answered

ANSWERS_FILE = "answers.toml"

FIELDS = ("interview", "title", "answered")

HEADER = """\
# Your answers to "is this an interview?", one event a line, by its UID:
#   "UID" = { interview = true, title = "...", answered = 2026-12-03 }
# true counts the event as an interview, false never counts it; an answer wins
# over what the event itself suggests. To take one back, delete its line or run
# `followup answer UID forget`.
"""

EXAMPLE_LINE = '"UID" = { interview = true }'


@dataclass(frozen=True, slots=True)
class Answer:
    """The user's answer for one event (by UID: every occurrence of a series)."""

    uid: str
    interview: bool
    title: str | None = None
    """The event's title when it was answered, for people reading the file."""
    answered: date | None = None


def answers_path() -> Path:
    return data_dir() / ANSWERS_FILE


# ------------------------------------------------------------------ reading ----


def parse_answers(text: str, name: str = ANSWERS_FILE) -> dict[str, Answer]:
    """The answers in a file's text, by UID; MarksError names the line at fault."""
    return keyed_lines(text, name, _parse_line, lambda answer: answer.uid, "answered", _FIX)


def load_answers(path: Path | None = None) -> dict[str, Answer]:
    """The answers recorded in ``path`` (default: the user's answers file); none if missing."""
    target = path or answers_path()
    text = _read(target)
    return {} if text is None else parse_answers(text, str(target))


def user_answers() -> dict[str, bool]:
    """The user's answers as the readers take them: UID -> is an interview."""
    return {uid: answer.interview for uid, answer in load_answers().items()}


def _read(path: Path) -> str | None:
    return read_record_file(path, "answers", _FIX)


def _parse_line(line: str, name: str, number: int) -> Answer | None:
    import tomllib  # here: a run with no answers file never reads TOML

    stripped = line.removesuffix("\r").strip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    try:
        document = tomllib.loads(stripped)
    except RecursionError:  # tomllib recurses once per level of nesting
        raise _error(name, number, "values nested too deeply") from None
    except tomllib.TOMLDecodeError as err:
        problem = re.sub(r"\s*\(at [^)]*\)$", "", str(err))
        raise _error(name, number, f"{problem.lower()}; expected {EXAMPLE_LINE}") from None
    if len(document) != 1:
        raise _error(name, number, f"expected one event a line, like {EXAMPLE_LINE}")
    ((uid, value),) = document.items()
    if not isinstance(value, dict) or not value:
        raise _error(
            name, number, f"expected {{ interview = ... }} after the UID, like {EXAMPLE_LINE}"
        )
    unknown = [field for field in value if field not in FIELDS]
    if unknown:
        raise _error(name, number, f"unknown key {unknown[0]!r}; an answer has {', '.join(FIELDS)}")
    interview = value.get("interview")
    if not isinstance(interview, bool):
        raise _error(name, number, "'interview' must be true or false")
    title = value.get("title")
    if title is not None and not isinstance(title, str):
        raise _error(name, number, "'title' must be text in double quotes")
    answered = value.get("answered")
    if isinstance(answered, datetime):
        answered = answered.date()
    if answered is not None and not isinstance(answered, date):
        raise _error(name, number, "'answered' must be a date like 2026-12-03")
    return Answer(uid, interview, title or None, answered)


_FIX = "`followup answer UID forget` takes an answer back"


def _error(name: str, line: int, problem: str) -> MarksError:
    return line_error(name, line, problem, _FIX)


# ------------------------------------------------------------------ writing ----


def format_answer(answer: Answer) -> str:
    """One line of the answers file."""
    parts = [f"interview = {'true' if answer.interview else 'false'}"]
    if answer.title:
        parts.append(f"title = {toml_string(answer.title)}")
    if answer.answered:
        parts.append(f"answered = {answer.answered.isoformat()}")
    return f"{_toml_key(answer.uid)} = {{ {', '.join(parts)} }}"


def _toml_key(uid: str) -> str:
    """A UID as a TOML key, every character kept: a line break in it is written ``\\n``."""
    return json.dumps(uid, ensure_ascii=False).replace("\x7f", "\\u007f")


def with_answers(
    text: str, answers: Iterable[Answer], forget: Iterable[str] = (), name: str = ANSWERS_FILE
) -> str:
    """The file's text with each answer recorded in place (or at the end) and the UIDs in
    ``forget`` taken out; comments and other lines are kept."""
    lines = file_lines(text) if text.strip() else file_lines(HEADER)
    new = {answer.uid: format_answer(answer) for answer in answers}
    gone = set(forget) - set(new)
    kept: list[str] = []
    for index, line in enumerate(lines):
        found = _parse_line(line, name, index + 1)
        if found is not None and found.uid in gone:
            continue
        if found is not None and found.uid in new:
            kept.append(new.pop(found.uid))
            continue
        kept.append(line)
    kept.extend(new.values())
    if not any(_parse_line(line, name, n) for n, line in enumerate(kept, start=1)):
        return ""  # no answer left: the file goes, header and all
    return "\n".join(kept) + "\n"


def record_answers(
    answers: Sequence[Answer],
    forget: Sequence[str] = (),
    path: Path | None = None,
    *,
    wait: float = LOCK_WAIT,
) -> Path:
    """Record ``answers`` and take back those for the UIDs in ``forget``, atomically and
    under a lock beside the file (two at once both keep theirs)."""
    target = path or answers_path()
    check_record_folder(target)
    with locked(lock_path(target), wait=wait, what=f"the answers file {target}"):
        text = _read(target) or ""
        parse_answers(text, str(target))  # refuse to rewrite a file we cannot read
        updated = with_answers(text, answers, forget, str(target))
        if updated != text:
            if updated:
                write_record(target, updated.encode("utf-8"))
            else:
                target.unlink(missing_ok=True)
    return target


# ----------------------------------------------------------------- applying ----


def apply_answers(reading: Reading, answers: Mapping[str, bool]) -> Reading:
    """The events as the user's answers (UID -> is an interview) decide them.

    A yes counts an asked event (``Verdict(answered=True)``); a no makes an asked
    or counted event ignored, which ``explain`` lists. Events without an answer,
    and answers that agree with the evidence, stay as the reader gave them.
    """
    if not answers:
        return reading
    decided: list[Interview] = []
    for iv in reading.events:
        answer = answers.get(iv.uid)
        counted = iv.verdict.outcome == "counted" and iv.not_counted is None
        if (
            answer is None
            or (answer and counted)
            or (not answer and iv.verdict.outcome == "ignored")
        ):
            decided.append(iv)
            continue
        verdict = answered(iv.verdict, answer)
        decided.append(replace(iv, verdict=verdict, not_counted=None if answer else iv.not_counted))
    return Reading.of(decided, reading.warnings, reading.quiet)
