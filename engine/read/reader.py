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

import hashlib
import re
import warnings
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, cached_property
from typing import Any

from dateutil import tz as dateutil_tz
from icalendar import Calendar, Component
from icalendar.prop import vDDDLists, vDDDTypes
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from followup.engine.errors import SourceError
from followup.engine.model import Interview, Reading, Verdict, Window, is_followup_uid
from followup.engine.people import company_key, recruiter_domain
from followup.engine.read.facts import (
    Organizer,
    application_keys,
    company_from_title,
    extract_facts,
    fuller_company,
    split_key_line,
)
from followup.engine.read.lexicon import is_number
from followup.engine.read.recognise import Assessment, Event, Prefilter, Words, recognise
from followup.engine.read.scan import Block, Scan, name_of, scan, value_of

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


_TOKEN = re.compile(r"[^\W_]+")


def _tokens(text: str) -> list[str]:
    """Lower-case words of a text: letters and digits; anything else separates."""
    return _TOKEN.findall(text.lower())


def _phrase(text: str) -> tuple[str, ...]:
    """A word or phrase of the rules as tokens; '#' stays a token of its own (any number)."""
    tokens: list[str] = []
    for part in text.split():
        if part == "#":
            tokens.append("#")
        else:
            tokens.extend(_tokens(part))
    return tuple(tokens)


class _Phrases:
    """A set of phrases found in a text's tokens in one pass (each position tries the
    phrases that start with its token)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for text in phrases:
            tokens = _phrase(text)
            if tokens:
                self.by_first[tokens[0]].append(tokens)

    def first_in(self, tokens: Sequence[str]) -> tuple[str, ...] | None:
        for index, token in enumerate(tokens):
            candidates = self.by_first.get(token, [])
            if is_number(token):
                candidates = [*candidates, *self.by_first.get("#", [])]
            for phrase in candidates:
                if len(phrase) <= len(tokens) - index and all(
                    want == got or (want == "#" and is_number(got))
                    for want, got in zip(phrase[1:], tokens[index + 1 :], strict=False)
                ):
                    return phrase
        return None


@dataclass(frozen=True)
class Matcher:
    """Which events are interviews: a title with one of ``words`` or ``phrases`` and none of
    ``exclusions`` (whole words, any case), or a CATEGORIES value (any case)."""

    words: tuple[str, ...] = ("interview",)
    categories: tuple[str, ...] = ("interview",)
    phrases: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    own_words: tuple[str, ...] = ()
    """The words and phrases the user added to the shipped ones: they count whatever else
    the event says."""

    @cached_property
    def recognition(self) -> Words:
        """The rules' say, for the recogniser."""
        return Words(
            words=(*self.words, *self.phrases),
            own=self.own_words,
            exclusions=self.exclusions,
            categories=self.categories,
        )

    @cached_property
    def evidence(self) -> Prefilter:
        """The cheap test for evidence beyond the rules' words (notes, organizer, lexicon)."""
        return Prefilter(self.recognition)

    def may_have_evidence(
        self, block: Block, answers: Mapping[str, bool], owners: frozenset[str] = frozenset()
    ) -> bool:
        """Whether a VEVENT's raw text may hold evidence that reaches "asked" or gets it
        listed (or the user answered it): never False for an event the recogniser counts,
        asks about or lists. Quick tests first; then the recogniser itself on the raw text
        (as if a company's people were invited: the scan does not read attendees)."""
        return EvidenceTest(self, answers, owners)(block)

    @cached_property
    def _wanted(self) -> _Phrases:
        return _Phrases((*self.words, *self.phrases))

    @cached_property
    def _unwanted(self) -> _Phrases:
        return _Phrases(self.exclusions)

    @cached_property
    def _category(self) -> re.Pattern[str] | None:
        if not self.categories:
            return None
        alternatives = "|".join(re.escape(value) for value in self.categories)
        return re.compile(rf"(?:{alternatives})", re.IGNORECASE)

    def excluded_by(self, summary: str) -> tuple[str, ...] | None:
        """The exclusion the title has, or None."""
        return self._unwanted.first_in(_tokens(summary))

    def matches(self, summary: str, categories: Iterable[str]) -> bool:
        tokens = _tokens(summary)
        if self._wanted.first_in(tokens) is not None and self._unwanted.first_in(tokens) is None:
            return True
        if self._category is not None:
            return any(self._category.fullmatch(value.strip()) for value in categories)
        return False

    @cached_property
    def _prefilter(self) -> re.Pattern[str]:
        # For each phrase its longest literal word: any title that has the phrase has it.
        literals = [
            max((t for t in _phrase(text) if t != "#"), key=len, default="")
            for text in (*self.words, *self.phrases)
        ]
        if any(text and all(t == "#" for t in _phrase(text)) for text in self.phrases):
            literals.append("")  # a phrase of numbers only: every title may have it
        texts = {t for word in (*literals, *self.categories) for t in (word, _escape_text(word))}
        if "" in texts:
            return re.compile("")
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


class EvidenceTest:
    """``Matcher.may_have_evidence`` for the events of one read (the same answers and
    owners). Every test is a function of an event's raw text alone, so each distinct text
    is tested once: an export repeats a title ("Team standup"), an invitation's notes or a
    whole event hundreds of times, and testing it again would give the same answer."""

    def __init__(
        self, matcher: Matcher, answers: Mapping[str, bool], owners: frozenset[str]
    ) -> None:
        self.matcher = matcher
        self.answers = answers
        self.owners = owners
        self._events: dict[tuple[object, ...], bool] = {}
        self._titles: dict[str, bool] = {}
        self._notes: dict[str, bool] = {}
        self._people: dict[tuple[str | None, tuple[str, ...]], bool] = {}
        self._read_facts: dict[
            tuple[str, str | None, str | None], tuple[str | None, str | None, bool]
        ] = {}

    def __call__(self, block: Block) -> bool:
        if block.uid is not None and block.uid.strip() in self.answers:
            return True
        key = (
            tuple(block.summaries),
            tuple(block.categories),
            block.description,
            block.organizer,
            tuple(block.attendees),
        )
        found = self._events.get(key)
        if found is None:
            found = self._events[key] = self._judge(block)
        return found

    def _title(self, raw: str) -> bool:
        found = self._titles.get(raw)
        if found is None:
            test = self.matcher.evidence
            found = self._titles[raw] = test.title(_readings(raw)[1]) or test.title(raw)
        return found

    def _in_notes(self, description: str) -> bool:
        found = self._notes.get(description)
        if found is None:
            found = self._notes[description] = self.matcher.evidence.notes(description)
        return found

    def _in_people(self, block: Block, people: list[tuple[str | None, str | None]]) -> bool:
        key = (block.organizer, tuple(block.attendees))
        found = self._people.get(key)
        if found is None:
            found = self._people[key] = self.matcher.evidence.people(people)
        return found

    def _judge(self, block: Block) -> bool:
        test = self.matcher.evidence
        description = _readings(block.description)[1] if block.description else None
        people = [_raw_person(line) for line in ([block.organizer] if block.organizer else [])]
        address = people[0][1] if people else None
        guests = [_raw_person(line) for line in block.attendees]
        if not (
            any(self._title(raw) for raw in block.summaries)
            or (description and self._in_notes(description))
            or self._in_people(block, [*(people or [(None, None)]), *guests])
        ):
            return False
        if len(block.summaries) != 1:
            return True  # several SUMMARY lines: only a parse can tell which one counts
        summary = _readings(block.summaries[0])[1].strip()
        categories = tuple(c for raw in block.categories for c in _readings(raw)[1].split(","))
        company, role, company_in_notes = self._facts(summary, description, address)
        event = Event(
            summary=summary,
            description=description,
            categories=tuple(c.strip() for c in categories if c.strip()),
            organizer=people[0] if people else None,
            attendees=tuple(guests),
            company=company,
            role=role,
            company_in_notes=company_in_notes,
        )
        return test.keeps(event, self.owners)

    def _facts(
        self, summary: str, description: str | None, address: str | None
    ) -> tuple[str | None, str | None, bool]:
        """The company, role and whether the notes name the company: facts read from the
        title, the notes and the organizer's address (not the guests, which vary more)."""
        key = (summary, description, address)
        found = self._read_facts.get(key)
        if found is None:
            facts = extract_facts(
                summary, description, Organizer(None, address), owner_emails=self.owners
            )
            found = self._read_facts[key] = (
                facts.company or company_from_title(summary)[0],
                facts.role,
                facts.source_of("company") == "DESCRIPTION",
            )
        return found


_ESCAPE = re.compile(r"\\([\\,;:nN])")
_ANY_ESCAPE = re.compile(r"\\(.)")


def _readings(raw: str) -> tuple[str, str, str]:
    """Raw text as written, unescaped as RFC 5545 says, and with every backslash dropped."""
    unescaped = _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)
    return raw, unescaped, _ANY_ESCAPE.sub(r"\1", raw)


def read_ics(
    data: bytes,
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    name: str = "<stdin>",
    answers: Mapping[str, bool] | None = None,
    owners: frozenset[str] = frozenset(),
) -> Reading:
    """The interviews in one iCalendar file (or stdin), sorted by (start, uid, recurrence_id),
    the events that look like part of an application but are no interview (their
    ``not_counted`` says why), and what was skipped or read with a guess (the planner passes
    it on); when every interview event had to be skipped, SourceError says why.
    """
    seen = _Seen(answers or {}, owners)
    found, interviews, warned = _read_one(
        data, matcher=matcher, home=home, window=window, name=name, seen=seen
    )
    interviews = _counted_first(with_rounds(interviews, owners))
    missed, told = near_misses(
        [found], interviews, matcher=matcher, home=home, window=window, seen=seen
    )
    if warned:
        told.update(dict.fromkeys((iv.uid for iv in interviews), warned))
    events = _counted_first(sorted(_named(interviews + missed, owners), key=_order))
    return _reading(events, told, seen.answers)


def _reading(
    events: list[Interview], told: Mapping[str, tuple[str, ...]], answers: Mapping[str, bool]
) -> Reading:
    """The events with what was said while reading them: ``told`` has, by UID, the warnings
    of the calendar each event was read from (a file, a CalDAV object, a near miss read
    again on its own). The calendars in which an interview counts (or an event the user
    answered is one) speak, in the order of those interviews; the others are quiet. Each
    event keeps the warnings that name it, for ``explain``."""
    if not any(told.values()):
        return Reading.of(events)
    spoken: dict[int, tuple[str, ...]] = {}
    heard: dict[int, tuple[str, ...]] = {}
    own: dict[str, tuple[str, ...]] = {}
    kept: list[Interview] = []
    for iv in events:
        said = told.get(iv.uid, ())
        if not said:
            kept.append(iv)
            continue
        heard.setdefault(id(said), said)
        counted = iv.verdict.outcome == "counted" and iv.not_counted is None
        if id(said) not in spoken and (counted or answers.get(iv.uid) is True):
            spoken[id(said)] = said
        mine = own.get(iv.uid)
        if mine is None:
            marker = _naming(iv.uid)
            mine = own[iv.uid] = tuple(w for w in said if marker in w)
        kept.append(replace(iv, warnings=mine) if mine else iv)
    quiet = (w for key, said in heard.items() if key not in spoken for w in said)
    return Reading.of(kept, (w for said in spoken.values() for w in said), quiet)


@dataclass(frozen=True)
class _Seen:
    """What the user told followup: answers by UID, and their own addresses."""

    answers: Mapping[str, bool] = field(default_factory=dict)
    owners: frozenset[str] = frozenset()
    rounds: str | None = None
    """Why the events read belong to an application whose other rounds are counted."""


def _read_one(
    data: bytes,
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    name: str,
    seen: _Seen,
) -> tuple[Scan, list[Interview], tuple[str, ...]]:
    _check_size(len(data), name)
    found = scan(data, name)
    owners = _owners_in(found.header) | seen.owners
    header, zone_blocks, blocks = found.subset(
        matcher.may_match_raw,
        also=EvidenceTest(matcher, seen.answers, owners),
    )
    calendar = _parse(header, name)
    for block in zone_blocks:
        try:
            zone = _parse_component(block.text())
        except Exception:
            continue  # an unreadable VTIMEZONE: its TZID is resolved like an unknown one
        calendar.add_component(zone)
    events: list[tuple[Component | None, _Place]] = []
    for block in blocks:
        place = _Place(name, block)
        try:
            events.append((_parse_component(_bounded_text(block, found.warnings, name)), place))
        except ValueError as error:
            events.append(
                (None, place.with_problem(f"cannot read this event: {_short(str(error), 120)}"))
            )
        except Exception:  # icalendar gives OSError for a TZID that is no file name, and more
            events.append(
                (
                    None,
                    place.with_problem(
                        "cannot read this event: a date, time or TZID in it is malformed"
                    ),
                )
            )
    interviews, warned = _interviews(
        calendar,
        events,
        matcher=matcher,
        home=home,
        window=window,
        name=name,
        notes=found.warnings,
        seen=seen,
    )
    return found, interviews, warned


MAX_LINE = 256 * 1024
"""Characters of one content line that are read: notes longer than this (a pasted job ad,
a base64 attachment) are cut, with a warning; icalendar reads a line a character at a time."""


def _bounded_text(block: Block, notes: list[str], name: str) -> str:
    """The block's text with every line over ``MAX_LINE`` cut (and said so in ``notes``)."""
    texts = block.texts()
    if all(len(text) <= MAX_LINE for text in texts):
        return "\r\n".join(texts)
    kept: list[str] = []
    for index, text in enumerate(texts):
        if len(text) > MAX_LINE:
            line = block.lines.numbers[block.first + index]
            notes.append(
                f"{name}:{line}: {name_of(text) or 'a line'} has {len(text):,} characters; "
                f"only the first {MAX_LINE:,} were read"
            )
            text = text[:MAX_LINE].rstrip("\\")  # never end in half an escape
        kept.append(text)
    return "\r\n".join(kept)


class _Everything(Matcher):
    """Takes every event: for reading an event already chosen as a near miss."""

    def matches(self, summary: str, categories: Iterable[str]) -> bool:
        return True


# Note lines that mark an event as part of an application: a Company, Recruiter or
# Timeline line (not Email or Decision: other meetings have those too).
_APPLICATION_FACTS = {"company": "Company", "recruiter": "Recruiter", "timeline": "Timeline"}
_APPLICATION_STEMS = ("company", "recruit", "timeline", "employer", "firma", "unternehmen",
                      "arbeitgeber", "rückmeldung", "empresa", "entreprise")  # fmt: skip


def near_misses(
    scans: Sequence[Scan],
    interviews: Sequence[Interview],
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    seen: _Seen | None = None,
) -> tuple[list[Interview], dict[str, tuple[str, ...]]]:
    """Events that look like part of an application but that the rules do not count, and
    by UID what reading each again on its own said.

    An event looks like one when its notes have a Company, Recruiter, Contact
    or Timeline line, when its organizer writes from the mail domain of a
    recruiter you interview with, or when its title names a company you
    interview with. Each comes back once (the first occurrence in the
    window), with ``not_counted`` saying why and what to add to the rules.
    """
    counted = {iv.uid for iv in interviews}
    companies: dict[str, str] = {}
    domains: dict[str, str] = {}
    for iv in interviews:
        key = company_key(iv.facts.company)
        if key and iv.facts.company:
            companies.setdefault(key, iv.facts.company)
        domain = recruiter_domain(iv.facts.recruiter_email)
        if domain:
            domains.setdefault(domain, iv.facts.company or domain)
    names = _Phrases(companies)
    result: list[Interview] = []
    told: dict[str, tuple[str, ...]] = {}
    for found in scans:
        for block in found.events():
            if block.uid is None or block.uid in counted or is_followup_uid(block.uid.strip()):
                continue  # followup's own steps, imported back into the calendar, are not listed
            why = _looks_like_application(block, names, companies, domains)
            if why is None:
                continue
            try:
                calendar = _parse(block.calendar_text(found), found.name)
                events: list[tuple[Component | None, _Place]] = [
                    (c, _Place(found.name, block))
                    for c in calendar.subcomponents
                    if c.name == "VEVENT"
                ]
                # Organized from the domain of a counted application: another of its rounds.
                tied = why.startswith("its organizer writes from")
                occurrences, warned = _interviews(
                    calendar,
                    events,
                    matcher=_Everything(),
                    home=home,
                    window=window,
                    name=found.name,
                    seen=replace(seen or _Seen(), rounds=why if tied else None),
                )
            except (SourceError, ValueError):
                continue  # a broken event that is no interview is ignored, as before
            rounds = [iv for iv in occurrences if iv.not_counted is None] if tied else []
            if warned:
                told.update(dict.fromkeys((iv.uid for iv in occurrences), warned))
            if rounds:
                # The other rounds' evidence counts it: every occurrence, as the rules would.
                counted.add(block.uid)
                result.extend(rounds)
            elif occurrences:
                first = occurrences[0]
                counted.add(block.uid)
                fix = _fix(first.summary, matcher)
                reasons = tuple(dict.fromkeys((why, *first.verdict.reasons)))
                result.append(
                    replace(
                        first,
                        not_counted=why + "; " + fix,
                        verdict=Verdict("asked", reasons=reasons, fix=fix),
                    )
                )
    result.sort(key=_order)
    return result, told


def _looks_like_application(
    block: Block, names: _Phrases, companies: dict[str, str], domains: dict[str, str]
) -> str | None:
    lowered = block.description.casefold() if block.description else ""
    if any(stem in lowered for stem in _APPLICATION_STEMS):
        for line in _readings(block.description or "")[1].split("\n")[:200]:
            split = split_key_line(line)
            head = line[:40].casefold()
            if (
                split is not None
                and split[0] in _APPLICATION_FACTS
                and split[1]
                and any(stem in head for stem in _APPLICATION_STEMS)
            ):
                return f"its notes have a {_APPLICATION_FACTS[split[0]]} line"
    if block.organizer and domains:
        address = block.organizer.rsplit(":", 1)[-1].strip().casefold()
        domain = address.rsplit("@", 1)[-1] if "@" in address else ""
        if domain in domains:
            return f"its organizer writes from {domain}, like your {domains[domain]} interviews"
    for raw in block.summaries:
        lowered_title = raw.lower()
        if not any(key.split(" ", 1)[0] in lowered_title for key in companies):
            continue  # a cheap test first: most titles name no company at all
        named = names.first_in(_tokens(_readings(raw)[1]))
        if named is not None:
            company = companies.get(" ".join(named), " ".join(named))
            return f"its title names {company}, which you interview with"
    return None


def _fix(summary: str, matcher: Matcher) -> str:
    excluded = matcher.excluded_by(summary)
    if excluded is not None:
        return (
            f"its title has {' '.join(excluded)!r}, one of interviews: exclusions in your rules; "
            "to count it, take that out or give the event the category Interview"
        )
    return (
        "to count it, add a word or phrase of its title to interviews: words or phrases in "
        "your rules, or give the event the category Interview"
    )


def read_objects(
    objects: Iterable[tuple[str, bytes]],
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    answers: Mapping[str, bool] | None = None,
    owners: frozenset[str] = frozenset(),
) -> Reading:
    """The interviews in CalDAV calendar objects: (href, one VCALENDAR) each; errors name the href.

    An object that cannot be read is skipped with a warning, like an event in a file; the
    warnings of the calendar as a whole come before those of each object.
    """
    seen = _Seen(answers or {}, owners)
    total = 0
    problems: list[str] = []
    scans: list[Scan] = []
    readings: list[tuple[str, Scan, list[Interview]]] = []
    notes: list[tuple[str, ...]] = []
    for href, data in objects:
        _check_size(len(data), href)
        total += len(data)
        _check_size(total, "the calendar's objects together")
        try:
            found, interviews, warned = _read_one(
                data, matcher=matcher, home=home, window=window, name=href, seen=seen
            )
        except SourceError as error:
            problems.append(f"{error} (skipped)")
            continue
        scans.append(found)
        readings.append((href, found, interviews))
        notes.append(warned)
    result, owner = _one_object_per_uid(readings, problems)
    if problems and not result:
        raise SourceError(problems[0].removesuffix(" (skipped)"))
    result.sort(key=_order)
    if len(result) > MAX_INTERVIEWS:
        problems.append(
            f"the calendar's objects hold {len(result)} interviews; only the first "
            f"{MAX_INTERVIEWS} are read (use --since to read a shorter period)"
        )
        result = result[:MAX_INTERVIEWS]
    shown = tuple(problems[:MAX_NOTED])
    said = [(*shown, *warned) for warned in notes]
    result = _counted_first(with_rounds(result, owners))
    missed, told = near_misses(scans, result, matcher=matcher, home=home, window=window, seen=seen)
    told.update((iv.uid, said[owner[iv.uid]]) for iv in result)
    events = _counted_first(sorted(_named(result + missed, owners), key=_order))
    return _reading(events, told, seen.answers)


def _revision_in(found: Scan, uid: str) -> tuple[int, datetime, datetime]:
    """(SEQUENCE, LAST-MODIFIED, DTSTAMP) of the main event of ``uid`` in one object; read again
    from its text only when two objects hold the same UID."""
    revision = (0, _EARLIEST, _EARLIEST)
    for block in found.events():
        if block.uid != uid:
            continue
        try:
            event = _parse_component(_bounded_text(block, [], "<object>"))
        except Exception:
            continue
        if "RECURRENCE-ID" not in event:
            revision = max(revision, _revision(event))
    return revision


def _one_object_per_uid(
    readings: list[tuple[str, Scan, list[Interview]]], problems: list[str]
) -> tuple[list[Interview], dict[str, int]]:
    """The interviews of each UID from one object only, and the object each UID is read from:
    two objects holding the same event (a server that lets a copy in, an import done twice)
    are read as one, the highest SEQUENCE, then the latest LAST-MODIFIED, then DTSTAMP, then
    the first by address, with a warning."""
    owner: dict[str, int] = {}
    for order, (href, found, interviews) in enumerate(readings):
        for uid in dict.fromkeys(i.uid for i in interviews):
            known = owner.setdefault(uid, order)
            if known == order:
                continue
            mine = (_revision_in(found, uid), -order)
            theirs = (_revision_in(readings[known][1], uid), -known)
            owner[uid] = order if mine > theirs else known
            problems.append(
                f"{href}: UID {_short(uid)!r} is also in {readings[known][0]}; the one at "
                f"{readings[owner[uid]][0]} is read (the highest SEQUENCE, then the latest "
                "LAST-MODIFIED, then DTSTAMP)"
            )
    kept = [
        interview
        for order, (_, _, interviews) in enumerate(readings)
        for interview in interviews
        if owner[interview.uid] == order
    ]
    return kept, owner


def read_calendar(
    calendar: Calendar,
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    name: str = "<calendar>",
    answers: Mapping[str, bool] | None = None,
    owners: frozenset[str] = frozenset(),
) -> Reading:
    """The interviews in a calendar icalendar has already parsed in full.

    Gives what ``read_ics`` gives for the same data (without line numbers in
    errors): the reference the scan is measured and tested against.
    """
    events: list[tuple[Component | None, _Place]] = [
        (c, _Place(name, None)) for c in calendar.subcomponents if c.name == "VEVENT"
    ]
    seen = _Seen(answers or {}, owners)
    found, warned = _interviews(
        calendar, events, matcher=matcher, home=home, window=window, name=name, seen=seen
    )
    return _reading(
        with_rounds(found, owners), dict.fromkeys((iv.uid for iv in found), warned), seen.answers
    )


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise SourceError(
            f"{name}: {size / 1e6:.1f} MB is more than the {MAX_BYTES // 2**20} MB followup reads",
            hint="export a shorter period of the calendar",
        )


def _parse_component(text: str) -> Component:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Component.from_ical(text)


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


MAX_PER_SERIES = 1000
"""The most occurrences read from one series in the window: a daily interview
for a year and two months is about 430; more is a mistake in the RRULE."""

MAX_INTERVIEWS = 20_000
"""The most interviews read from one calendar: the earliest are kept."""

MAX_STEPS = 200_000
"""The most recurrence periods walked to expand one series (from its DTSTART
to the window's end, times the BY-parts): beyond it the series is skipped."""

MAX_NOTED = 20
"""Warnings about single events beyond this many are only counted."""

# Properties whose defects matter: the reader uses them.
_NEEDED = frozenset(
    {
        *("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"),
        *("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS", "ORGANIZER", "CATEGORIES"),
    }
)
_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
_DAY_FILTERS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY", "BYSETPOS")
"""Parts that can leave whole days without an occurrence: with one of them COUNT may never
be reached, and bounds nothing."""
_EXPANDING_PARTS = (
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
)


@dataclass(frozen=True, slots=True)
class _Place:
    """Where an event is: the source's name and, when known, the event's block;
    ``problem`` when the block could not be parsed at all."""

    name: str
    block: Block | None
    problem: str | None = None

    def with_problem(self, problem: str) -> _Place:
        return _Place(self.name, self.block, problem)

    def where(self, prop: str | None = None) -> str:
        if self.block is None:
            return self.name
        line = self.block.line_of(prop) if prop else self.block.begin
        return f"{self.name}:{line}"

    def where_unreadable(self) -> str:
        if self.block is None:
            return self.name
        return f"{self.name}:{self.block.unreadable_line()}"


class _Skip(Exception):
    """An event (or a whole series) that cannot be read: ``where``, why, and a short kind
    for the summary."""

    def __init__(self, where: str, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.where = where
        self.reason = reason
        self.kind = kind


@dataclass
class _Notes:
    """Warnings of one read, and the count of skipped events by reason."""

    name: str
    lines: list[str]
    skipped: dict[str, int]
    refusals: list[str] = field(default_factory=list)
    unshown: int = 0

    def warn(self, text: str) -> None:
        if len(self.lines) < MAX_NOTED:
            self.lines.append(text)
        else:
            self.unshown += 1

    def skip(self, where: str, uid: str | None, reason: str, kind: str, count: int = 1) -> None:
        what = "an event" if uid is None else f"event {_short(uid)!r}"
        self.warn(f"{where}: {what} is skipped: {reason}")
        self.refusals.append(f"{where}: {what}: {reason}")
        self.skipped[kind] = self.skipped.get(kind, 0) + count

    def all(self) -> tuple[str, ...]:
        lines = list(self.lines)
        if self.unshown:
            lines.append(f"{self.name}: {self.unshown} more warnings like these")
        total = sum(self.skipped.values())
        if total:
            why = "; ".join(f"{count} {reason}" for reason, count in self.skipped.items())
            lines.append(
                f"{self.name}: {total} interview event{'s' if total != 1 else ''} skipped ({why}); "
                "fix them in your calendar app to get their follow-ups"
            )
        return tuple(dict.fromkeys(lines))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _naming(uid: str) -> str:
    """What the reader's warnings about the event ``uid`` (its series capped, its organizer's
    name cleaned, ...) say of it, so that ``explain`` shows them with that interview."""
    return f"event {_short(uid)!r}"


def _interviews(
    calendar: Calendar,
    events: list[tuple[Component | None, _Place]],
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    window: Window,
    name: str,
    notes: Iterable[str] = (),
    seen: _Seen,
) -> tuple[list[Interview], tuple[str, ...]]:
    """The events of one calendar that are or may be interviews, and what reading it said."""
    log = _Notes(name, list(notes), {})
    series: dict[str, list[tuple[Component, _Place]]] = defaultdict(list)
    wanted: set[str] = set()
    for event, place in events:
        if event is None:
            log.skip(place.where(), None, place.problem or "cannot read it", "unreadable")
            continue
        uid = _uid(event, place, log)
        if is_followup_uid(uid.strip()):
            continue  # followup's own steps, imported back into the calendar: never a round
        series[uid].append((event, place))

    zones = _Zones(calendar, name, home)
    calendar_zone = _calendar_zone(calendar, name, log)
    owners = _owner_emails(calendar) | seen.owners
    for uid, members in series.items():
        if any(_may_keep(uid, event, matcher, seen, owners) for event, _ in members):
            wanted.add(uid)
    since = max(window.since, _EARLIEST)
    until = min(window.until, _LATEST)
    result: list[Interview] = []
    for uid, members in series.items():
        if uid not in wanted:
            continue
        try:
            result.extend(
                _series(
                    uid,
                    members,
                    calendar,
                    zones,
                    log,
                    matcher=matcher,
                    home=home,
                    calendar_zone=calendar_zone,
                    owners=owners,
                    since=since,
                    until=until,
                    answers=seen.answers,
                    rounds=seen.rounds,
                )
            )
        except _Skip as skip:
            log.skip(skip.where, uid, skip.reason, skip.kind, len(members))
        except Exception as error:  # a last guard: one event's surprise costs only that event
            where = members[0][1].where()
            reason = f"cannot read it: {_short(str(error), 120)}"
            log.skip(where, uid, reason, "unreadable", len(members))
    result.sort(key=_order)
    if len(result) > MAX_INTERVIEWS:
        log.warn(
            f"{name}: {len(result)} interviews; only the first {MAX_INTERVIEWS} are read "
            "(use --since to read a shorter period)"
        )
        result = result[:MAX_INTERVIEWS]
    warned = log.all()
    if not result and log.refusals:
        more = len(log.refusals) - 1
        tail = (
            f" (and {more} more event{'s' if more != 1 else ''} that cannot be read)"
            if more
            else ""
        )
        raise SourceError(log.refusals[0] + tail, hint="fix the event in your calendar app")
    return result, warned


def _event_of(
    occurrence: Component,
    summary: str,
    company: str | None,
    role: str | None,
    *,
    company_in_notes: bool = False,
) -> Event:
    organizer = _value(occurrence, "ORGANIZER")
    who = None
    if organizer is not None:
        address = str(organizer)
        email = address[7:].strip() if address.lower().startswith("mailto:") else None
        cn = organizer.params.get("CN")
        who = (str(cn).strip() or None if cn else None, email or None)
    return Event(
        summary=summary,
        description=_text(occurrence.get("DESCRIPTION")) or None,
        categories=tuple(_categories(occurrence)),
        organizer=who,
        attendees=tuple(_attendees(occurrence)),
        location=_text(occurrence.get("LOCATION")).strip() or None,
        company=company,
        role=role,
        company_in_notes=company_in_notes,
    )


def _assess(
    uid: str,
    event: Event,
    matcher: Matcher,
    answers: Mapping[str, bool],
    owners: frozenset[str],
    rounds: str | None = None,
) -> Assessment:
    return recognise(
        event,
        words=matcher.recognition,
        owners=owners,
        answer=answers.get(uid.strip()),
        rounds=rounds,
    )


def _may_keep(
    uid: str, component: Component, matcher: Matcher, seen: _Seen, owners: frozenset[str]
) -> bool:
    """Whether an event (the master or an override of a series) is worth expanding: the
    rules' words match it, or its evidence reaches "asked", or it is listed as ignored."""
    summary = _text(component.get("SUMMARY")).strip()
    if matcher.matches(summary, _categories(component)):
        return True
    found = _component_assessed(uid, component, matcher, seen.answers, owners)
    return found.verdict.outcome != "ignored" or found.visible or found.verdict.answered


def _component_assessed(
    uid: str,
    component: Component,
    matcher: Matcher,
    answers: Mapping[str, bool],
    owners: frozenset[str],
) -> Assessment:
    """The verdict on one VEVENT of a series as it is written (its own words and people)."""
    summary = _text(component.get("SUMMARY")).strip()
    facts = extract_facts(summary, _text(component.get("DESCRIPTION")) or None)
    event = _event_of(
        component,
        summary,
        facts.company or company_from_title(summary)[0],
        facts.role,
        company_in_notes=facts.source_of("company") == "DESCRIPTION",
    )
    return _assess(uid, event, matcher, answers, owners)


_STRENGTH = {"ignored": 0, "asked": 1, "counted": 2}
_BRACKETED = re.compile(r"\([^)]{0,200}\)|\[[^\]]{0,200}\]")


def _stem(title: str) -> str:
    """A title without what is in brackets, in any case: the name a series' days share."""
    return " ".join(_BRACKETED.sub(" ", title[:500]).casefold().split())


def _strongest(
    components: list[Component], verdicts: list[Assessment]
) -> tuple[Assessment, str] | None:
    """The strongest of the verdicts on the VEVENTs of one series (its master and its
    moved days) with that VEVENT's title, when it counts or asks: the days of one onsite
    are one interview, though only the moved day's notes say when they decide."""
    best: tuple[Assessment, str] | None = None
    for component, found in zip(components, verdicts, strict=False):
        if best is None or _STRENGTH[found.verdict.outcome] > _STRENGTH[best[0].verdict.outcome]:
            best = (found, _text(component.get("SUMMARY")))
    if best is None or best[0].verdict.outcome == "ignored" or best[0].verdict.answered:
        return None
    return best


def _with_series(
    own: Assessment, strongest: tuple[Assessment, str] | None, title: str
) -> Assessment:
    """A day's verdict, raised to its series' when the series says more and the day goes
    by the same name ("Journée sur site – Vauban" and "... (jour 2, après-midi)"); a day
    renamed to something else ("Team lunch") keeps its own."""
    if strongest is None:
        return own
    series, named = strongest
    if _STRENGTH[own.verdict.outcome] >= _STRENGTH[series.verdict.outcome]:
        return own
    mine, theirs = _stem(title), _stem(named)
    if not mine or not theirs or not (mine.startswith(theirs) or theirs.startswith(mine)):
        return own
    said = f"another day of this series is {series.verdict.outcome}"
    verdict = replace(series.verdict, reasons=(said, *series.verdict.reasons))
    return replace(series, verdict=verdict, visible=True)


def _assessed(
    interview: Interview,
    occurrence: Component,
    matcher: Matcher,
    answers: Mapping[str, bool],
    owners: frozenset[str],
    rounds: str | None = None,
) -> Assessment:
    facts = interview.facts
    company, role = facts.company, facts.role
    if company is None:  # a title's company the facts gave to the organizer's name
        company, role = company_from_title(interview.summary)
        role = facts.role or role
    event = _event_of(
        occurrence,
        interview.summary,
        company,
        role,
        company_in_notes=facts.source_of("company") == "DESCRIPTION",
    )
    return _assess(interview.uid, event, matcher, answers, owners, rounds)


def _judged(interview: Interview, found: Assessment, *, matched: bool) -> Interview | None:
    """The interview with its verdict; None for an event that is plainly no interview."""
    verdict = found.verdict
    if verdict.outcome == "counted":
        return replace(interview, verdict=verdict)
    if verdict.outcome == "ignored" and not (found.visible or matched or verdict.answered):
        return None
    return replace(interview, verdict=verdict, not_counted=_not_counted_text(verdict))


def _not_counted_text(verdict: Verdict) -> str:
    """Why an event is not counted, and what would count it (``Interview.not_counted``)."""
    why = "; ".join(verdict.reasons[:3]) or "nothing in it speaks of an interview"
    if verdict.answered:
        return f"{why}; your answer keeps it out"
    if verdict.outcome == "asked":
        return f"is this an interview? {why}; {verdict.fix or _ANSWER}"
    return f"{why}; {verdict.fix or _ANSWER}"


_ANSWER = (
    "to count it, add a word or phrase of its title to interviews: words or phrases in "
    "your rules, or give the event the category Interview"
)


def _counted_first(interviews: list[Interview]) -> list[Interview]:
    """The counted interviews in order, then the events asked about or set aside."""
    counted = [iv for iv in interviews if iv.not_counted is None]
    return counted + [iv for iv in interviews if iv.not_counted is not None]


_FROM_ROUNDS = "the other rounds of the application"

_NAMED_BY_DOMAIN = ("ATTENDEE (", "a company's address (")
"""Sources of a company read from a mail domain, which spells no spaces ("Lumenmobility")."""


def _applications(interviews: Sequence[Interview], owners: frozenset[str]) -> list[int]:
    """For each interview, the index of the first round of its application: rounds that
    share a company's name or a company's mail domain are one application."""
    keys = [
        application_keys(
            iv.facts.company,
            [iv.facts.recruiter_email, *(email for _, email in iv.attendees)],
            owners,
        )
        for iv in interviews
    ]
    parent = list(range(len(interviews)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first: dict[str, int] = {}
    for index, found in enumerate(keys):
        for key in sorted(found):
            if key in first:
                a, b = root(first[key]), root(index)
                parent[max(a, b)] = min(a, b)
            else:
                first[key] = index
    return [root(index) for index in range(len(interviews))]


def _named(interviews: list[Interview], owners: frozenset[str]) -> list[Interview]:
    """Each round with its application's company: a name read from a domain, or a shorter
    form of the name another round gives, becomes the name the rounds give."""
    group = _applications(interviews, owners)
    recruiters: dict[int, list[tuple[str | None, str]]] = {}
    for iv, root in zip(interviews, group, strict=True):
        if iv.facts.recruiter_email and iv.facts.source_of("recruiter_email") != _FROM_ROUNDS:
            recruiters.setdefault(root, []).append(
                (iv.facts.recruiter_name, iv.facts.recruiter_email)
            )
    names: dict[int, list[str]] = {}
    for iv, root in zip(interviews, group, strict=True):
        where = iv.facts.source_of("company") or ""
        counted = iv.not_counted is None and iv.verdict.outcome == "counted"
        if counted and iv.facts.company and not where.startswith(_NAMED_BY_DOMAIN):
            # only a counted round names the application: an offer call "Proposta Farol
            # Tech" asked about beside it does not
            names.setdefault(root, []).append(iv.facts.company)
    result: list[Interview] = []
    for iv, root in zip(interviews, group, strict=True):
        own = iv.facts.company
        where = iv.facts.source_of("company") or ""
        from_domain = where.startswith(_NAMED_BY_DOMAIN)
        others = [name for name in names.get(root, []) if from_domain or name != own]
        best = fuller_company(own, others, replaceable=from_domain)
        if best is not None and best != own:
            sources = tuple(s for s in iv.facts.sources if s[0] != "company")
            facts = replace(
                iv.facts,
                company=best,
                sources=(*sources, ("company", _FROM_ROUNDS)),
            )
            iv = replace(iv, facts=facts)
        known = recruiters.get(root, [])
        if iv.facts.recruiter_email is None and known:
            # A round that names no recruiter writes to the application's.
            name, email = max(known, key=known.count)
            sources = tuple(s for s in iv.facts.sources if s[0] not in ("recruiter_email",))
            facts = replace(
                iv.facts,
                recruiter_email=email,
                recruiter_name=iv.facts.recruiter_name or name,
                sources=(*sources, ("recruiter_email", _FROM_ROUNDS)),
            )
            iv = replace(iv, facts=facts)
        result.append(iv)
    return result


def with_rounds(
    interviews: Sequence[Interview], owners: frozenset[str] = frozenset()
) -> list[Interview]:
    """Asked events of a company whose other rounds are counted are counted too: the same
    application's rounds are evidence for each other. An application's rounds share a
    company's name or a company's mail domain; each takes the company's fullest name."""
    interviews = _named(list(interviews), owners)
    group = _applications(interviews, owners)
    counted = {
        group[index]: iv.facts.company or "this company"
        for index, iv in enumerate(interviews)
        if iv.not_counted is None
    }
    result: list[Interview] = []
    for index, iv in enumerate(interviews):
        verdict = iv.verdict
        if (
            iv.not_counted is not None
            and verdict.outcome == "asked"
            and not verdict.answered
            and group[index] in counted
            and not verdict.against
        ):
            reason = f"you interview with {counted[group[index]]} in other rounds"
            iv = replace(
                iv,
                not_counted=None,
                verdict=replace(verdict, outcome="counted", reasons=(*verdict.reasons, reason)),
            )
        result.append(iv)
    return result


def _uid(event: Component, place: _Place, log: _Notes) -> str:
    """The event's UID; without one, a stable one derived from its content (DTSTAMP aside)."""
    value = event.get("UID")
    if value is not None and str(value).strip():
        return str(value)
    if place.block is not None:
        lines = [t for t in place.block.texts() if name_of(t) not in ("DTSTAMP", "UID")]
    else:
        lines = [
            line
            for line in event.to_ical().decode("utf-8", "replace").splitlines()
            if name_of(line) not in ("DTSTAMP", "UID")
        ]
    digest = hashlib.sha256("\n".join(lines).encode("utf-8", "replace")).hexdigest()[:20]
    uid = f"no-uid-{digest}"
    log.warn(f"{place.where()}: an event without UID is read as {uid!r}")
    return uid


def _series(
    uid: str,
    members: list[tuple[Component, _Place]],
    calendar: Calendar,
    zones: _Zones,
    log: _Notes,
    *,
    matcher: Matcher,
    home: zoneinfo.ZoneInfo,
    calendar_zone: zoneinfo.ZoneInfo | None,
    owners: frozenset[str],
    since: datetime,
    until: datetime,
    answers: Mapping[str, bool],
    rounds: str | None = None,
) -> list[Interview]:
    """The interviews of one UID's events: a single event, or a series with its overrides."""
    members = _checked(uid, members, log)
    originals = [event for event, _ in members]
    copies = [_localized(event, place, zones, calendar_zone, log) for event, place in members]
    for index, event in enumerate(copies):
        event[_SOURCE_TAG] = str(index)
    master = next((p for e, p in members if "RECURRENCE-ID" not in e), members[0][1])
    _check_expansion(uid, originals, master, until)
    query = Calendar()
    for key, value in calendar.items():
        if key != "X-WR-TIMEZONE" or calendar_zone is not None:  # an unknown one is ignored
            query[key] = value
    for event in copies:
        query.add_component(event)
    is_series = any(
        key in event for event in originals for key in ("RRULE", "RDATE", "RECURRENCE-ID")
    )
    result: list[Interview] = []
    seen: set[str | None] = set()
    matched_by: dict[str, bool] = {}
    kept: dict[str, bool] = {}
    judged_by: dict[str, Assessment] = {}
    listed_ignored = False
    count = 0
    # Each VEVENT of a series weighed once, as written: the days share the strongest.
    own_verdicts = (
        [
            _component_assessed(uid, component, matcher, answers, owners)
            for component in originals[:MAX_PER_SERIES]
        ]
        if is_series and len(originals) > 1
        else []
    )
    series_verdict = _strongest(originals, own_verdicts)
    try:
        for occurrence in _occurrences(
            query, since - timedelta(days=2), until + timedelta(days=2), home, series=is_series
        ):
            start = _value(occurrence, "DTSTART").dt
            count += 1
            if count > MAX_PER_SERIES:
                log.warn(
                    f"{master.where('RRULE')}: event {_short(uid)!r} repeats more than "
                    f"{MAX_PER_SERIES} times in the period read; only the first {MAX_PER_SERIES} "
                    "are read (check its RRULE in your calendar app)"
                )
                break
            # Occurrences of one component share its text: weigh each component once.
            tag = str(occurrence[_SOURCE_TAG])
            if tag not in matched_by:
                summary = _text(occurrence.get("SUMMARY"))
                matched_by[tag] = matcher.matches(summary, _categories(occurrence))
            matched = matched_by[tag]
            if not matched:
                if tag not in kept:
                    if int(tag) < len(own_verdicts):
                        own = _with_series(
                            own_verdicts[int(tag)],
                            series_verdict,
                            _text(occurrence.get("SUMMARY")),
                        )
                        kept[tag] = (
                            own.verdict.outcome != "ignored" or own.visible or own.verdict.answered
                        )
                    else:
                        kept[tag] = _may_keep(uid, occurrence, matcher, _Seen(answers), owners)
                if not kept[tag]:
                    continue
            original = originals[int(tag)]
            interview = _interview(
                uid,
                occurrence,
                original,
                is_series=is_series,
                home=home,
                calendar_zone=calendar_zone,
                owners=owners,
            )
            if tag not in judged_by:
                judged_by[tag] = _with_series(
                    _assessed(interview, occurrence, matcher, answers, owners, rounds),
                    series_verdict,
                    interview.summary,
                )
            judged = _judged(interview, judged_by[tag], matched=matched)
            if judged is None:
                continue
            if judged.verdict.outcome == "ignored" and not matched:
                # Listed once (its first day in the window), with the reason: a weekly
                # "Interview prep" is one line of the plan, not fifty.
                if listed_ignored or not since <= judged.start < until:
                    continue
                listed_ignored = True
            interview = judged
            if interview.recurrence_id in seen:
                # RANGE=THISANDFUTURE: later instances carry the override's
                # RECURRENCE-ID; each needs its own key, so use its start.
                key = _recurrence_text(start)
                number = 1
                while key in seen:
                    number += 1
                    key = f"{_recurrence_text(start)}-{number}"
                interview = replace(interview, recurrence_id=key)
            seen.add(interview.recurrence_id)
            if since <= interview.start < until:
                result.append(interview)
    except _Skip:
        raise
    except Exception as error:
        reason = f"cannot expand the series: {_short(str(error), 120)}"
        raise _Skip(master.where("RRULE"), reason, "series that cannot be expanded") from None
    return result


def _occurrences(
    query: Calendar, since: datetime, until: datetime, home: tzinfo, *, series: bool = True
) -> Iterator[Component]:
    """The occurrences of one series from ``since`` to ``until`` in order of start, computed
    in spans that double (a week, two, four...), so that a caller who stops after
    MAX_PER_SERIES never pays for the rest of the period. Events that do not repeat
    (no RRULE, RDATE or RECURRENCE-ID: one occurrence each) are looked for in one span."""
    import recurring_ical_events

    expansion = recurring_ical_events.of(query)
    start, span = since, timedelta(days=7) if series else until - since
    given: set[tuple[datetime, str, str]] = set()
    while start < until:
        stop = min(start + span, until)
        batch = []
        for index, occurrence in enumerate(expansion.between(start, stop)):
            begins = _as_utc(_value(occurrence, "DTSTART").dt, home)
            instance = getattr(occurrence.get("RECURRENCE-ID"), "dt", None)
            key = (begins, str(occurrence.get(_SOURCE_TAG)), str(instance))
            if key not in given:  # a later span sees an earlier one's long events again
                given.add(key)
                batch.append((begins, index, occurrence))
        batch.sort(key=lambda item: (item[0], item[1]))
        yield from (occurrence for _, _, occurrence in batch)
        start, span = stop, span * 2


def _as_utc(value: date | datetime, home: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=home)
    return value.astimezone(UTC)


def _checked(
    uid: str, members: list[tuple[Component, _Place]], log: _Notes
) -> list[tuple[Component, _Place]]:
    """The events of one UID that can be read: defects in properties followup uses skip the
    series; unreadable lines and broken properties it does not use are dropped; of two
    events without RECURRENCE-ID the higher SEQUENCE, then the later LAST-MODIFIED, wins."""
    kept: list[tuple[Component, _Place]] = []
    for event, place in members:
        for prop, message in event.errors:
            if prop is None:
                where = place.where_unreadable()
                log.warn(f"{where}: event {_short(uid)!r}: an unreadable line is ignored")
            elif prop.upper() in _NEEDED:
                raw = _short(str(event.get(prop, "")))
                what = "date or time" if prop.upper() in _DATETIME_PROPERTIES else "value"
                detail = f"{prop}: invalid {what} {raw!r}" if raw else f"{prop}: {message}"
                raise _Skip(place.where(prop), detail, f"invalid {prop}")
            elif prop in event:
                del event[prop]
        if "DTSTART" not in event:
            raise _Skip(place.where(), "no DTSTART: the event has no start", "without DTSTART")
        _check_shape(event, place)
        _one_each(event, place, uid, log)
        _gregorian(event, place, uid, log)
        rules = event.get("RRULE")
        if rules is not None and not any(rules if isinstance(rules, list) else [rules]):
            del event["RRULE"]  # "RRULE:" with nothing after it: no rule
            log.warn(f"{place.where('RRULE')}: event {_short(uid)!r}: an empty RRULE is ignored")
        _clean_organizer(event, place, uid, log)
        for sub in list(event.subcomponents):
            if sub.name != "VALARM":
                log.warn(f"{place.where()}: a {sub.name} inside an event is ignored")
                event.subcomponents.remove(sub)
        kept.append((event, place))
    masters = [(e, p) for e, p in kept if "RECURRENCE-ID" not in e]
    if len(masters) > 1:
        # The highest SEQUENCE, then the latest LAST-MODIFIED, then DTSTAMP, then the first.
        chosen = max(enumerate(masters), key=lambda item: (_revision(item[1][0]), -item[0]))[1]
        lines = ", ".join(p.where() for _, p in masters)
        log.warn(
            f"{masters[0][1].name}: {len(masters)} events share UID {_short(uid)!r} ({lines}); "
            f"the one at {chosen[1].where()} is read (the highest SEQUENCE, then the latest "
            "LAST-MODIFIED, then DTSTAMP)"
        )
        kept = [(e, p) for e, p in kept if "RECURRENCE-ID" in e or e is chosen[0]]
    return kept


_ONCE = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")
"""Properties an event has at most once (RFC 5545, 3.6.1)."""


def _check_shape(event: Component, place: _Place) -> None:
    """Skip an event whose dates no reader can take, in calendar terms: two start times, or
    a time of day without a date (VALUE=TIME, which RFC 5545 allows nowhere in an event)."""
    for prop in _ONCE:
        value = event.get(prop)
        if isinstance(value, list):
            reason = f"{prop}: the event has {len(value)} {prop} lines; an event has one"
            raise _Skip(place.where(prop), reason, f"invalid {prop}")
    for prop in _DATETIME_PROPERTIES:
        value = event.get(prop)
        for item in value if isinstance(value, list) else [value]:
            found = getattr(item, "dts", None)
            for part in found if isinstance(found, list) else [item]:
                moment = getattr(part, "dt", None)
                if isinstance(moment, time):
                    reason = (
                        f"{prop}: {moment.isoformat()} is a time of day without a date; "
                        f"{prop} takes a date or a date and time"
                    )
                    raise _Skip(place.where(prop), reason, f"invalid {prop}")


_ONE_OF_EACH = ("SEQUENCE", "DTSTAMP", "LAST-MODIFIED", "CREATED", "STATUS", "TRANSP", "CLASS")
"""Properties about the event's revision and state that it has at most once: written twice
(an app that appends a SEQUENCE instead of replacing it), one is read."""


def _one_each(event: Component, place: _Place, uid: str, log: _Notes) -> None:
    """One value of each revision property: the highest SEQUENCE, else the first line, with a
    warning that names both (recurring-ical-events cannot compare two)."""
    for prop in _ONE_OF_EACH:
        value = event.get(prop)
        if not isinstance(value, list) or not value:
            continue
        if prop == "SEQUENCE":
            kept = max(value, key=lambda item: int(item) if str(item).lstrip("-").isdigit() else 0)
            which = f"the highest, {kept}"
        else:
            kept = value[0]
            which = "the first"
        del event[prop]
        event[prop] = kept
        log.warn(
            f"{place.where(prop)}: event {_short(uid)!r} has {len(value)} {prop} lines; "
            f"{which} is read"
        )


def _gregorian(event: Component, place: _Place, uid: str, log: _Notes) -> None:
    """RFC 7529: an RRULE with RSCALE=GREGORIAN is the rule without it (as ical.js and libical
    read it); dates a month lacks are left out (SKIP=OMIT, the default, which is also how
    RFC 5545 reads such a rule). Any other calendar scale is refused by name."""
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        if "RSCALE" not in rule:
            continue
        scale = str((rule.get("RSCALE") or [""])[0]).upper()
        if scale != "GREGORIAN":
            reason = (
                f"RRULE RSCALE={_short(scale, 20)}: followup reads repeating events in the "
                "Gregorian calendar only (RFC 7529)"
            )
            raise _Skip(place.where("RRULE"), reason, "invalid RRULE")
        given = (rule.get("SKIP") or ["OMIT"])[0]
        skip = str(getattr(given, "value", given)).upper()  # icalendar gives an enum
        del rule["RSCALE"]
        rule.pop("SKIP", None)
        if skip != "OMIT":
            log.warn(
                f"{place.where('RRULE')}: event {_short(uid)!r}: RRULE SKIP={_short(skip, 20)} "
                "is read as SKIP=OMIT: a date the month lacks (the 31st, 29 February) is left out"
            )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _clean_organizer(event: Component, place: _Place, uid: str, log: _Notes) -> None:
    """An organizer's name with a line break or other control character in it (RFC 6868's
    ``^n``) would end up in an email header: read it with spaces instead."""
    organizer = event.get("ORGANIZER")
    params: Any = getattr(organizer, "params", None)
    name = params.get("CN") if params is not None else None
    if name is not None and _CONTROL.search(str(name)):
        params["CN"] = " ".join(_CONTROL.sub(" ", str(name)).split())
        log.warn(
            f"{place.where('ORGANIZER')}: event {_short(uid)!r}: the organizer's name has a line "
            "break or control character; read with spaces"
        )


def _revision(event: Component) -> tuple[int, datetime, datetime]:
    """Which copy of an event is newer: the higher SEQUENCE, then the later LAST-MODIFIED,
    then the later DTSTAMP (RFC 5545's order), whatever their order in the file."""
    try:
        sequence = int(str(event.get("SEQUENCE", 0)))
    except ValueError:
        sequence = 0
    return sequence, _stamp(event, "LAST-MODIFIED"), _stamp(event, "DTSTAMP")


def _stamp(event: Component, prop: str) -> datetime:
    stamp = getattr(event.get(prop), "dt", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return _EARLIEST


def _check_expansion(uid: str, events: list[Component], master: _Place, until: datetime) -> None:
    """Skip a series whose expansion would not end in reasonable time: an INTERVAL
    that is not a positive number, or more recurrence periods than MAX_STEPS."""
    for event in events:
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            freq = str((rule.get("FREQ") or [""])[0]).upper()
            interval = (rule.get("INTERVAL") or [1])[0]
            if not isinstance(interval, int) or interval < 1:
                reason = f"RRULE INTERVAL={interval} is not a positive number"
                raise _Skip(master.where("RRULE"), reason, "invalid RRULE")
            if freq not in _FREQ_SECONDS:
                reason = f"RRULE FREQ={freq or '(none)'} is not a frequency"
                raise _Skip(master.where("RRULE"), reason, "invalid RRULE")
            start = getattr(event.get("DTSTART"), "dt", None)
            if start is None:
                continue
            span = (until - _as_utc(start, UTC)).total_seconds()
            steps = max(span, 0) / (_FREQ_SECONDS[freq] * interval)
            for part in _EXPANDING_PARTS:
                steps *= max(len(rule.get(part) or []), 1)
            count = (rule.get("COUNT") or [None])[0]
            if isinstance(count, int) and count > 0 and not any(rule.get(p) for p in _DAY_FILTERS):
                # COUNT occurrences end the walk: each period yields one at least (BYHOUR,
                # BYMINUTE and BYSECOND are skipped to, never stepped through).
                steps = min(steps, count)
            if steps > MAX_STEPS:
                raise _Skip(
                    master.where("RRULE"),
                    f"RRULE FREQ={freq} from {start} repeats too often to expand "
                    f"(over {MAX_STEPS} times); an interview does not repeat like that",
                    "repeating too often",
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


_CN = re.compile(r';CN=("[^"]*"|[^;:]*)', re.IGNORECASE)


def _raw_person(line: str) -> tuple[str | None, str | None]:
    """(CN, address) of a raw ORGANIZER or ATTENDEE line, as the parse would read them."""
    value = value_of(line)
    address = value[7:].strip() if value.lower().startswith("mailto:") else None
    match = _CN.search(line[: len(line) - len(value)])
    name = match.group(1).strip('"').strip() if match else None
    return (name or None, address or None)


def _owners_in(header: Sequence[str]) -> frozenset[str]:
    """``_owner_emails`` from the calendar's raw header lines (for the cheap scan)."""
    for line in header:
        if name_of(line) == "X-WR-CALNAME":
            name = _readings(value_of(line))[1].strip()
            return frozenset({name.casefold()}) if "@" in name else frozenset()
    return frozenset()


def _owner_emails(calendar: Calendar) -> frozenset[str]:
    """Google names a primary calendar after its owner's address (X-WR-CALNAME)."""
    name = _text(calendar.get("X-WR-CALNAME")).strip()
    return frozenset({name.casefold()}) if "@" in name else frozenset()


def _calendar_zone(calendar: Calendar, name: str, log: _Notes) -> zoneinfo.ZoneInfo | None:
    value = calendar.get("X-WR-TIMEZONE")
    if value is None:
        return None
    key = iana_zone_name(str(value))
    if key is None:
        log.warn(f"{name}: unknown time zone in X-WR-TIMEZONE {_short(str(value))!r} is ignored")
        return None
    return zoneinfo.ZoneInfo(key)


# --- time zones -------------------------------------------------------------------------------


class _Zones:
    """TZIDs of one calendar resolved to tzinfo, independent of other calendars read before.

    An IANA name is that zone. Otherwise the calendar's own VTIMEZONE
    defines it (Outlook's "W. Europe Standard Time", "Customized Time
    Zone"); without one, a Windows name, a "/vendor/Europe/Berlin" id or a
    "(UTC+01:00) Amsterdam, Berlin, ..." display name maps to its IANA zone.
    A TZID none of these explain is read as the calendar's X-WR-TIMEZONE,
    else the rules' zone, with a warning.
    """

    def __init__(self, calendar: Calendar, name: str, home: zoneinfo.ZoneInfo) -> None:
        self._name = name
        self.home = home
        self._components = {
            str(c["TZID"]): c  # icalendar has unescaped it ("Kuala Lumpur\\, Singapore")
            for c in calendar.subcomponents
            if c.name == "VTIMEZONE" and "TZID" in c
        }
        self._resolved: dict[str, tzinfo | None] = {}
        self.unusable: set[str] = set()

    def get(self, tzid: str) -> tzinfo | None:
        if tzid not in self._resolved:
            self._resolved[tzid] = self._resolve(tzid)
        return self._resolved[tzid]

    def _resolve(self, tzid: str) -> tzinfo | None:
        if len(tzid) > 200:
            return None
        iana = _iana_key(tzid.strip().strip("/"))
        if iana is not None:
            return zoneinfo.ZoneInfo(iana)
        component = self._components.get(tzid)
        if component is not None and _plain_rules(component):
            try:
                zone: tzinfo = getattr(component, "to_tz")(lookup_tzid=False)  # noqa: B009
                return zone
            except Exception:
                pass  # read by its name below, or as an unknown zone
        if component is not None:
            self.unusable.add(tzid)
        iana = iana_zone_name(tzid)
        return None if iana is None else zoneinfo.ZoneInfo(iana)


def _plain_rules(component: Component) -> bool:
    """Whether a VTIMEZONE's transitions are yearly (or monthly) rules: anything
    finer (FREQ=SECONDLY) would take forever to compute."""
    for sub in component.subcomponents:
        rules = sub.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            freq = str((rule.get("FREQ") or [""])[0]).upper()
            interval = (rule.get("INTERVAL") or [1])[0]
            if freq not in ("YEARLY", "MONTHLY") or not isinstance(interval, int) or interval < 1:
                return False
    return True


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


@cache
def _packaged() -> frozenset[str]:
    """The zones the tzdata package lists: one small file, where ``_available()`` opens
    every file under the system's zoneinfo folders. Each of them is in ``_available()``
    (which starts from the same list and only ever drops posixrules), so a name found
    here needs no walk; any other name is looked up in the full set."""
    from importlib import resources

    try:
        with resources.files("tzdata").joinpath("zones").open("r") as lines:
            names = {line.strip() for line in lines}
    except (ImportError, FileNotFoundError):
        return frozenset()
    return frozenset(names - {"", "posixrules"})


def _iana_key(text: str) -> str | None:
    if text == "UTC" or text in _packaged() or text in _available():
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
    # Outlook writes "(US & Canada)"; Windows' own list "(US and Canada)".
    named = _US_ZONES.get(places.strip().casefold().replace(" and canada)", " & canada)"))
    if named is not None:
        return named if _standard_offset(named) == offset else None
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


def _localized(
    event: Component,
    place: _Place,
    zones: _Zones,
    calendar_zone: tzinfo | None,
    log: _Notes,
) -> Component:
    """A copy of the event whose TZID date-times carry this calendar's zones."""
    copy = event.copy()
    for subcomponent in event.subcomponents:
        copy.add_component(subcomponent)
    for prop in _DATETIME_PROPERTIES:
        value = event.get(prop)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        changed = [_relocalize(v, prop, place, zones, calendar_zone, log) for v in values]
        copy[prop] = changed if isinstance(value, list) else changed[0]
    return copy


def _relocalize(
    value: Any,
    prop: str,
    place: _Place,
    zones: _Zones,
    calendar_zone: tzinfo | None,
    log: _Notes,
) -> Any:
    params: Any = getattr(value, "params", None)
    tzid = params.get("TZID") if params is not None else None
    if not tzid:
        return value
    zone = zones.get(str(tzid))
    if zone is None:
        zone = calendar_zone or zones.home
        which = "the calendar's X-WR-TIMEZONE" if calendar_zone else "your rules' timezone"
        why = (
            "its VTIMEZONE cannot be used" if str(tzid) in zones.unusable else "no VTIMEZONE for it"
        )
        log.warn(
            f"{place.where(prop)}: unknown time zone {_short(str(tzid))!r} ({why}): "
            f"read as {which}, {getattr(zone, 'key', zone)}"
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
    # A series may mix a DATE start with DATE-TIME values: then the occurrence tells.
    source_dt = source_start.dt if isinstance(source_start.dt, datetime) else raw_start
    floating = not all_day and tzid is None and getattr(source_dt, "tzinfo", None) is None
    if not all_day and tzid is None and not floating:
        tzid = "UTC"
    present = zoneinfo.ZoneInfo(name) if tzid and (name := iana_zone_name(str(tzid))) else None
    if tzid == "UTC" and calendar_zone is not None:
        present = calendar_zone  # Google writes UTC and means the calendar's zone

    start = _place(raw_start, home, present)
    end = _place(raw_end, home, present)
    no_length = "DTEND" not in original and "DURATION" not in original and raw_end == raw_start
    if not all_day and no_length:
        # An RDATE;VALUE=PERIOD instance has its own end: only a bare start gets the default.
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
    facts = extract_facts(
        summary,
        _text(occurrence.get("DESCRIPTION")) or None,
        who,
        owner_emails=owners,
        attendees=attendees,
        location=location,
    )
    changed = getattr(occurrence.get("LAST-MODIFIED"), "dt", None)
    if facts.status and isinstance(changed, datetime):
        # A status written in the notes dates from the event's last change.
        noted = changed if changed.tzinfo else changed.replace(tzinfo=UTC)
        facts = replace(facts, status_noted=noted)
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
        facts=facts,
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
        name = " ".join(_CONTROL.sub(" ", str(cn)).split()) if cn else None  # no line breaks
        found.append((name or None, email or None))
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
