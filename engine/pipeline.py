"""The main path, from a calendar to a plan: ``plan_from(source, rules, now, window)`` reads
the source (``engine.sources``), applies the user's answers and marks, and plans. The
rules come from ``load_rules`` (``engine.rules_cache``). No printing, no clock of its own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup.engine.model import Interview, Plan, Reading, Window
from followup.engine.rules_cache import load_rules as load_rules
from followup.rules.zones import resolve_zone

if TYPE_CHECKING:
    from followup.engine.config import Config
    from followup.engine.read.reader import Matcher
    from followup.engine.sources import Source
    from followup.rules.model import RuleSet

PAST = timedelta(days=60)
"""By default interviews from the last 60 days count: their status checks and
move-on steps are still ahead. Older interviews are left out."""

FUTURE = timedelta(days=366)
"""Recurring interview series are expanded up to a year ahead."""

NO_ANSWERS: Mapping[str, bool] = MappingProxyType({})
"""No answers to "is this an interview?" (see engine.answers)."""


def default_window(now: datetime) -> Window:
    return Window(since=now - PAST, until=now + FUTURE)


def matcher_for(rules: RuleSet) -> Matcher:
    from followup.engine.read.reader import Matcher
    from followup.rules.model import INTERVIEW_PHRASES, INTERVIEW_WORDS

    shipped = {" ".join(text.casefold().split()) for text in (*INTERVIEW_WORDS, *INTERVIEW_PHRASES)}
    added = [
        text
        for text in (*rules.interviews.words, *rules.interviews.phrases)
        if " ".join(text.casefold().split()) not in shipped
    ]
    return Matcher(
        words=tuple(rules.interviews.words),
        categories=tuple(rules.interviews.categories),
        phrases=tuple(rules.interviews.phrases),
        exclusions=tuple(rules.interviews.exclusions),
        own_words=tuple(added),
    )


def read_ics(
    data: bytes,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    name: str = "<stdin>",
    answers: Mapping[str, bool] = NO_ANSWERS,
    owners: Iterable[str] = (),
) -> Reading:
    """The interviews in an .ics file's bytes, the events asked about or set aside, and what
    was skipped or read with a guess (see ``engine.read.reader.read_ics``). ``answers`` (UID
    -> is an interview) are the user's and win over the evidence (see engine.answers);
    ``owners`` are the user's own addresses besides those the rules and the calendar name."""
    from followup.engine.answers import apply_answers
    from followup.engine.read.reader import read_ics as _read

    found = _read(
        data,
        matcher=matcher_for(rules),
        home=resolve_zone(rules.timezone),
        window=window or default_window(now),
        name=name,
        answers=answers,
        owners=owners_for(rules, owners),
    )
    return apply_answers(found, answers)


def read_objects(
    objects: Iterable[tuple[str, bytes]],
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    answers: Mapping[str, bool] = NO_ANSWERS,
    owners: Iterable[str] = (),
) -> Reading:
    """The interviews in CalDAV objects: (href, one VCALENDAR) pairs; ``answers`` as for
    ``read_ics``."""
    from followup.engine.answers import apply_answers
    from followup.engine.read.reader import read_objects as _read

    found = _read(
        objects,
        matcher=matcher_for(rules),
        home=resolve_zone(rules.timezone),
        window=window or default_window(now),
        answers=answers,
        owners=owners_for(rules, owners),
    )
    return apply_answers(found, answers)


def owners_for(rules: RuleSet, extra: Iterable[str] = ()) -> frozenset[str]:
    """The user's own addresses: the rules' ``interviews: me`` and ``extra``, casefolded."""
    mine = [*rules.interviews.me, *extra]
    return frozenset(address.strip().casefold() for address in mine if address.strip())


def make_plan(rules: RuleSet, reading: Reading, now: datetime) -> Plan:
    """Plan the follow-ups (see engine.plan.planner)."""
    from followup.engine.plan.planner import make_plan as _make_plan

    return _make_plan(rules, reading, now)


def read_source(
    spec: str | Source,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    fresh_for: float = 0,
    config: Config | None = None,
    answers: Mapping[str, bool] = NO_ANSWERS,
) -> Reading:
    """What is in ``spec`` (a ``--from`` value, parsed once by ``engine.sources.parse``)
    within ``window`` (default: ``default_window``), with the user's ``answers`` (UID -> is
    an interview) applied; several files are read one after the other.

    ``fresh_for``: for a link, seconds a copy this process just checked with
    the server is used without asking again (the feed looks, then builds).
    """
    from followup.engine.sources import parse

    source = parse(spec, config) if isinstance(spec, str) else spec
    window = window or default_window(now)
    read = source.read(window, fresh_for=fresh_for)
    if read.objects is not None:
        return read_objects(read.objects, rules=rules, now=now, window=window, answers=answers)
    readings = [
        read_calendars(data, name, rules=rules, now=now, window=window, answers=answers)
        for name, data in read.files
    ]
    if len(readings) == 1:
        return readings[0]
    return Reading(
        tuple(iv for reading in readings for iv in reading.interviews),
        tuple(iv for reading in readings for iv in reading.asked),
        tuple(iv for reading in readings for iv in reading.ignored),
        tuple(dict.fromkeys(w for reading in readings for w in reading.warnings)),
        tuple(dict.fromkeys(w for reading in readings for w in reading.quiet)),
    )


def read_calendars(
    data: bytes,
    name: str,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window,
    answers: Mapping[str, bool] = NO_ANSWERS,
) -> Reading:
    """What is in one .ics file, or in every calendar of a ZIP archive.

    An event that is in two calendars of the archive (an invitation on yours
    and on a shared one) is one interview, taken from the first by name. The calendars'
    warnings come in the order of their first interviews; those of a calendar in which no
    interview counts are quiet, and one whose events are all taken from another says nothing.
    """
    from followup.engine.questions import is_counted
    from followup.engine.read.reader import MAX_BYTES
    from followup.engine.sources.archive import calendars_in_zip, is_zip

    if not is_zip(data):
        return read_ics(data, rules=rules, now=now, window=window, name=name, answers=answers)
    found: dict[tuple[str, str | None], tuple[Interview, int]] = {}
    said: list[Reading] = []
    for member, content in calendars_in_zip(data, name, max_bytes=MAX_BYTES):
        reading = read_ics(
            content, rules=rules, now=now, window=window, name=member, answers=answers
        )
        for interview in reading.events:
            found.setdefault((interview.uid, interview.recurrence_id), (interview, len(said)))
        said.append(reading)
    events = sorted(found.values(), key=lambda e: (e[0].start, e[0].uid, e[0].recurrence_id or ""))
    members = dict.fromkeys(member for _, member in events)
    spoken = dict.fromkeys(member for interview, member in events if is_counted(interview))
    return Reading.of(
        (interview for interview, _ in events),
        (w for m in spoken for w in said[m].warnings),
        (w for m in members for w in (*said[m].quiet, *(() if m in spoken else said[m].warnings))),
    )


def interviews_from(
    source: str | Source,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    marks: bool = True,
    fresh_for: float = 0,
    config: Config | None = None,
) -> Reading:
    """What is in ``source``: the calendar's events, with the answers to "is this an
    interview?" (engine.answers) and, with ``marks``, the recorded replies (engine.marks)
    applied. ``fresh_for`` and ``config`` as for ``read_source``."""
    from followup.engine.answers import user_answers
    from followup.engine.marks import apply_marks_if_any

    found = read_source(
        source,
        rules=rules,
        now=now,
        window=window,
        fresh_for=fresh_for,
        config=config,
        answers=user_answers(),
    )
    return apply_marks_if_any(found) if marks else found


def in_zone_of_plan(now: datetime, zone: ZoneInfo, *, wall: bool) -> datetime:
    """``now`` in ``zone``, the zone the plan is made in (``zone_of_plan``). With ``wall``
    (a --now given as a time of day, no offset) its date and time are read there, so that
    08:00 is the plan's 08:00 even when it was parsed in UTC; a moment stays that moment."""
    return now.replace(tzinfo=zone) if wall else now.astimezone(zone)


def plan_from(
    source: str | Source,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    fresh_for: float = 0,
    config: Config | None = None,
    wall_now: bool = False,
) -> Plan:
    """The main path, from a calendar to a plan: read the source, apply the user's answers
    and marks, plan (see ``interviews_from`` and ``make_plan``). ``wall_now``: ``now`` is a
    time of day in the zone of the plan (see ``in_zone_of_plan``)."""
    from followup.engine.plan.planner import zone_of_plan

    reading = interviews_from(
        source, rules=rules, now=now, window=window, fresh_for=fresh_for, config=config
    )
    if wall_now:
        now = in_zone_of_plan(now, zone_of_plan(rules.timezone, reading.interviews), wall=True)
    return make_plan(rules, reading, now)
