"""The rules language as a pydantic model.

One schema serves three purposes: it validates rules files (with positions
added by ``rules.loader``), it is exported as JSON Schema for editors
(``followup schema``), and its field descriptions are the reference in
rules/README.md.

Every model forbids unknown keys (a misspelt key is an error, with the closest
valid key suggested) and is frozen (the planner can share it freely).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from followup.rules.statuses import StatusWord as StatusWord

FACT_NAMES = (
    "company",
    "role",
    "recruiter",
    "recruiter_email",
    "timeline",
    "highlights",
    "fit",
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Language = Literal["en", "de", "fr", "nl", "es"]
"""The languages followup writes drafts in."""

RULE_ID = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
RULE_ID_MESSAGE = (
    "A rule id starts with a letter: lowercase letters, digits and '-', e.g. 'thank-you'."
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------- offsets ----


@dataclass(frozen=True, slots=True)
class Offset:
    """An amount of time to move by.

    Minutes and hours are elapsed time; days, weeks and months are calendar
    steps on the wall clock (so "1 day" after 09:00 is 09:00 the next day,
    across a DST change too); business days skip weekends and holidays.
    """

    months: int = 0
    days: int = 0
    seconds: int = 0
    business_days: int = 0
    text: str = "0"

    @property
    def is_zero(self) -> bool:
        return not (self.months or self.days or self.seconds or self.business_days)

    def as_timedelta(self) -> timedelta:
        """As elapsed time, for durations and ages: a month counts 30 days, a business day one."""
        return timedelta(
            days=self.days + self.business_days + 30 * self.months, seconds=self.seconds
        )

    def __str__(self) -> str:
        return self.text


_UNITS: dict[str, tuple[str, int]] = {
    "m": ("seconds", 60),
    "min": ("seconds", 60),
    "mins": ("seconds", 60),
    "minute": ("seconds", 60),
    "minutes": ("seconds", 60),
    "h": ("seconds", 3600),
    "hr": ("seconds", 3600),
    "hrs": ("seconds", 3600),
    "hour": ("seconds", 3600),
    "hours": ("seconds", 3600),
    "d": ("days", 1),
    "day": ("days", 1),
    "days": ("days", 1),
    "w": ("days", 7),
    "week": ("days", 7),
    "weeks": ("days", 7),
    "month": ("months", 1),
    "months": ("months", 1),
    "bd": ("business_days", 1),
    "business day": ("business_days", 1),
    "business days": ("business_days", 1),
    "working day": ("business_days", 1),
    "working days": ("business_days", 1),
}

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

MAX_OFFSET_DAYS = 3660
MAX_OFFSET_TEXT = "10 years (3660 days)"
"""Follow-ups are days or weeks away; a bound keeps every date computable (and
the business-day count short) whatever a rules file says."""


def _insensitive(text: str) -> str:
    """A regex that matches ``text`` in any case, without flags (JSON Schema has none)."""
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.isalpha() else (c if c == " " else re.escape(c))
        for c in text
    )


def _folded(text: str) -> str:
    """``text`` as a regex for re.IGNORECASE | re.ASCII, which folds exactly A-Z to a-z:
    the same matches as ``_insensitive`` for ASCII words, and quicker to compile."""
    if not text.isascii():
        raise ValueError(f"{text!r}: only ASCII words fold the same both ways")
    return "".join(c.lower() if c.isalpha() else (c if c == " " else re.escape(c)) for c in text)


def _offset_regexes(word: Callable[[str], str], signs: str = "+-") -> tuple[str, str]:
    """The regex of one part of an amount of time ("2 days") and of a whole one, each
    word written by ``word``; ``signs`` are the signs it may start with."""
    words = "|".join(word(w) for w in sorted(_NUMBER_WORDS, key=len, reverse=True))
    units = "|".join(word(u) for u in sorted(_UNITS, key=len, reverse=True))
    # A number word needs a space before its unit ("a day"), so "and" is never "an d".
    part = rf"(?:([0-9]+)[ \t]*|((?:{words}))[ \t]+)((?:{units}))(?![A-Za-z0-9_])"
    gap = rf"[ \t,]*(?:{word('and')}[ \t,]*)?"
    none = rf"0|{word('none')}"
    return part, rf"^[ \t]*(?:[{signs}][ \t]*)?(?:{none}|{part}(?:{gap}{part})*)[ \t]*$"


_PART_TEXT, OFFSET_PATTERN = _offset_regexes(_insensitive)
"""What ``parse_offset`` reads, as one regex: the loader matches it before reading the
parts, and the JSON Schema for editors carries the same text, so the two agree by
construction (the loader alone checks sizes and mixed kinds). No part of it can
match the same characters two ways, so matching takes linear time."""

_FOLDED = re.IGNORECASE | re.ASCII
_PART_FOLDED, _OFFSET_FOLDED = _offset_regexes(_folded)
_OFFSET = re.compile(_OFFSET_FOLDED, _FOLDED)
MAX_OFFSET_LENGTH = 200
_PART = re.compile(_PART_FOLDED, _FOLDED)


def offset_pattern() -> str:
    """The JSON Schema pattern of an amount of time (see ``OFFSET_PATTERN``)."""
    return OFFSET_PATTERN


def parse_offset(value: object) -> Offset:
    """Read ``45m``, ``1d``, ``2 weeks``, ``3 business days``, ``1h 30m``, ``-10m``."""
    if isinstance(value, Offset):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return Offset()
    if not isinstance(value, str):
        raise ValueError("expected an amount of time such as '45m', '1 day' or '3 business days'")
    if len(value) > MAX_OFFSET_LENGTH or not _OFFSET.fullmatch(value):
        raise ValueError(
            f"cannot read {value!r} as an amount of time; "
            "write it like '45m', '2 hours', '1 day', '2 weeks' or '3 business days'"
        )
    text = value.strip(" \t")
    body = text.lstrip("+-").strip(" \t")
    sign = -1 if text.startswith("-") else 1
    totals = {"months": 0, "days": 0, "seconds": 0, "business_days": 0}
    for match in _PART.finditer(body):
        digits, word, unit = match.group(1), match.group(2), match.group(3).lower()
        if digits is not None and len(digits) > 6:
            raise ValueError(
                f"{value!r} is too far: an amount of time is at most {MAX_OFFSET_TEXT}"
            )
        count = int(digits) if digits is not None else _NUMBER_WORDS[word.lower()]
        field, factor = _UNITS[unit]
        totals[field] += count * factor
    if totals["business_days"] and (totals["months"] or totals["days"]):
        raise ValueError(f"{value!r} mixes business days with calendar days; use one kind")
    span = 30 * totals["months"] + totals["days"] + totals["business_days"]
    if span * 86400 + totals["seconds"] > MAX_OFFSET_DAYS * 86400:
        raise ValueError(f"{value!r} is too far: an amount of time is at most {MAX_OFFSET_TEXT}")
    return Offset(
        months=sign * totals["months"],
        days=sign * totals["days"],
        seconds=sign * totals["seconds"],
        business_days=sign * totals["business_days"],
        text=text,
    )


def parse_clock(value: object) -> time:
    """Read a time of day: ``09:00``, ``9:30``, ``14:00``."""
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
        return time(value, 0)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]{1,2}):([0-9]{2})\s*", value)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return time(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"expected a time of day such as '09:00', got {value!r}")


CLOCK_PATTERN = r"^\s*([01]?[0-9]|2[0-3]):[0-5][0-9]\s*$"

OFFSET_MESSAGE = (
    "Write an amount of time like '45m', '2 hours', '1 day', '2 weeks' or '3 business days'"
)
"""What an editor shows for an amount of time that does not parse (yaml-language-server
shows ``patternErrorMessage`` instead of the pattern, and ``errorMessage`` for a wrong type)."""

_, DURATION_PATTERN = _offset_regexes(_insensitive, signs="+")
"""An amount of time that cannot be negative: the offset pattern without the minus."""


def _amount_schema(pattern: str, message: str, description: str) -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "string",
                "pattern": pattern,
                "maxLength": MAX_OFFSET_LENGTH,
                "patternErrorMessage": message,
                "errorMessage": message,
            },
            {"type": "integer", "const": 0, "errorMessage": message},
        ],
        "description": description,
        "examples": ["45m", "1 day", "2 weeks", "3 business days"],
    }


OffsetField = Annotated[
    Offset,
    BeforeValidator(parse_offset),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        _amount_schema(
            offset_pattern(),
            OFFSET_MESSAGE + ", or '-10m' for before.",
            "An amount of time: '45m', '2 hours', '1 day', '2 weeks', "
            "'3 business days', '-10m'; at most " + MAX_OFFSET_TEXT + ".",
        )
    ),
]

DurationField = Annotated[
    Offset,
    BeforeValidator(parse_offset),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        _amount_schema(
            DURATION_PATTERN,
            OFFSET_MESSAGE + "; a duration cannot be negative.",
            "How long: '15m', '1 hour', '1 day'; never negative; at most " + MAX_OFFSET_TEXT + ".",
        )
    ),
]

ClockField = Annotated[
    time,
    BeforeValidator(parse_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": CLOCK_PATTERN,
                    "patternErrorMessage": "Write a time of day as HH:MM, e.g. '09:00'.",
                },
                {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 23,
                    "errorMessage": "A whole hour is 0 to 23; or write HH:MM, e.g. '09:00'.",
                },
            ],
            "description": "A time of day, HH:MM (or a whole hour, 0 to 23).",
        }
    ),
]


# ------------------------------------------------------------------ parts ----


class Moment(Strict):
    """A point in time, computed from an anchor.

    The steps run in this order: take the anchor, move by ``offset``, then
    align: ``at`` sets the time of day on the day reached; ``next`` moves to
    the first such time of day at or after the moment reached. With
    ``workdays_only`` on the rule, a time that lands on a weekend or holiday
    moves to the next working day.
    """

    model_config = ConfigDict(json_schema_extra={"not": {"required": ["at", "next"]}})

    from_: str = Field(
        alias="from",
        description="The anchor: 'start' or 'end' of the interview, 'timeline' (the moment "
        "the recruiter's stated timeline runs out), 'status' (the day the status was recorded "
        "with `followup mark`), or the id of another rule.",
        json_schema_extra={
            "anyOf": [
                {"enum": ["start", "end", "timeline", "status"]},
                {"pattern": RULE_ID.pattern, "patternErrorMessage": RULE_ID_MESSAGE},
            ]
        },
    )
    offset: OffsetField = Field(
        default_factory=Offset, description="How far to move from the anchor ('45m', '1 day')."
    )
    at: ClockField | None = Field(
        default=None, description="Time of day on the day reached, e.g. '09:00' (next morning)."
    )
    next: ClockField | None = Field(
        default=None,
        description="The first time this time of day comes round at or after the moment "
        "reached, e.g. '09:00' for 'the first morning after'.",
    )

    @model_validator(mode="after")
    def _one_alignment(self) -> Moment:
        if self.at is not None and self.next is not None:
            raise ValueError("use either 'at' or 'next', not both")
        return self


class When(Moment):
    """A point in time, computed from an anchor, optionally kept between two others.

    The steps run in this order: take the anchor, move by ``offset``, then
    align: ``at`` sets the time of day on the day reached; ``next`` moves to
    the first such time of day at or after the moment reached. Then
    ``earliest`` and ``latest`` cap it, and the rule's ``hours`` and
    ``workdays_only`` move it into working time.
    """

    earliest: Moment | None = Field(
        default=None,
        description="Never before this moment (same keys: from, offset, at, next). "
        "Ignored when its anchor is missing.",
    )
    latest: Moment | None = Field(
        default=None,
        description="Never after this moment, e.g. { from: end, offset: 21 days, at: '09:00' } "
        "for 'the recruiter's timeline, but at most three weeks'. Ignored when its anchor is "
        "missing.",
    )


Presence = Literal["known", "unknown"]

MAX_PATTERN = 200
"""Patterns in conditions are globs (``*`` and ``?``), at most this long: matching
one takes time proportional to pattern times text, never more."""

Glob = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_PATTERN,
        description="A pattern in any case: '*' is any text, '?' one character.",
    ),
]

Globs = Glob | Annotated[list[Glob], Field(min_length=1, max_length=100)]
"""One pattern, or a list of them: any of them may match."""


class Matches(Strict):
    """Patterns the event's text must match (any case; '*' any text, '?' one character; a list: any)."""

    title: Globs | None = Field(default=None, description="The event's title.")
    location: Globs | None = Field(default=None, description="The event's location.")
    company: Globs | None = Field(default=None, description="The company.")
    role: Globs | None = Field(default=None, description="The role.")
    recruiter: Globs | None = Field(default=None, description="The recruiter's name or address.")
    recruiter_email: Globs | None = Field(default=None, description="The recruiter's address.")
    recruiter_domain: Globs | None = Field(
        default=None, description="The domain of the recruiter's address."
    )
    company_domain: Globs | None = Field(
        default=None, description="The domain most interviewers' addresses share."
    )
    timeline: Globs | None = Field(default=None, description="The timeline as written.")
    highlights: Globs | None = Field(default=None, description="Highlights.")
    fit: Globs | None = Field(default=None, description="Fit.")
    note: Globs | None = Field(default=None, description="The note recorded with a mark.")


Words = Annotated[str, Field(min_length=1, max_length=MAX_PATTERN)]


class Condition(Strict):
    """Facts an interview must have. Every key given must hold; an empty one always holds."""

    status: StatusWord | list[StatusWord] | None = Field(
        default=None,
        description="The recruiter's status: pending, answered (any reply), replied, offer, "
        "rejected or withdrawn; or a list of them.",
    )
    company: Presence | None = Field(default=None, description="known or unknown")
    role: Presence | None = Field(default=None, description="known or unknown")
    recruiter: Presence | None = Field(default=None, description="known or unknown")
    recruiter_email: Presence | None = Field(default=None, description="known or unknown")
    timeline: Presence | None = Field(default=None, description="known or unknown")
    highlights: Presence | None = Field(default=None, description="known or unknown")
    fit: Presence | None = Field(default=None, description="known or unknown")
    title_contains: Words | list[Words] | None = Field(
        default=None,
        description="The event's title contains this text (any case); with a list, any of them.",
    )
    category: Words | list[Words] | None = Field(
        default=None,
        description="The event has this category (any case); with a list, any of them.",
    )
    agency: bool | None = Field(
        default=None,
        strict=True,
        description="true: the recruiter writes from another domain than the company's "
        "(an agency); false: from the company's own. Neither holds without a recruiter "
        "address, or with a personal one (gmail.com and the like).",
    )
    matches: Matches | None = Field(
        default=None,
        description="Patterns the event's text must match, by fact (a list of patterns: "
        "any of them).",
    )
    any_: list[Condition] | None = Field(
        default=None,
        alias="any",
        min_length=1,
        description="Holds when at least one of these conditions holds, e.g. "
        "[{ agency: true }, { title_contains: final }].",
    )
    not_: Condition | None = Field(
        default=None,
        alias="not",
        description="Holds when this condition does not, e.g. { title_contains: final }.",
    )

    def statuses(self) -> tuple[str, ...]:
        if self.status is None:
            return ()
        return (self.status,) if isinstance(self.status, str) else tuple(self.status)

    def words(self, key: Literal["title_contains", "category"]) -> tuple[str, ...]:
        value = getattr(self, key)
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)

    def given(self) -> list[tuple[str, Any]]:
        """The keys this condition sets (as written in the file), with their values."""
        return [
            (field.alias or name, getattr(self, name))
            for name, field in type(self).model_fields.items()
            if getattr(self, name) is not None
        ]


class Alarm(Strict):
    """A reminder that pops up before the follow-up."""

    before: DurationField = Field(
        default_factory=Offset,
        description="How long before the start ('0m' = at the start); never negative.",
    )

    @field_validator("before")
    @classmethod
    def _not_after(cls, before: Offset) -> Offset:
        if before.as_timedelta().total_seconds() < 0:
            raise ValueError(
                f"an alarm rings before the start: write {before.text.lstrip('-').strip()!r}, "
                f"not {before.text!r}"
            )
        return before


class Email(Strict):
    """A drafted email, offered as a mailto: link and by ``followup draft``."""

    to: str = Field(
        default="{{ recipient_email or '' }}",
        description="Recipient (a template; recipient_email is the recruiter, or with "
        "per_person each interviewer in turn).",
    )
    subject: str = Field(description="Subject line (a template).")
    body: str = Field(description="The email's text (a template).")
    per_person: bool = Field(
        default=False,
        strict=True,
        description="One email to each interviewer of a panel or loop (the attendees who are "
        "people), and one to the recruiter: in each, recipient_email, recipient_name and "
        "greeting are that person's, and highlights the moments noted for them "
        "('Highlights (Lee): ...'). The sessions of one day get one step, after the last.",
    )


Hours = tuple[ClockField, ClockField]


def _check_hours(hours: Hours | None) -> Hours | None:
    if hours is not None and not hours[0] < hours[1]:
        raise ValueError(
            "the first time of day must come before the second, e.g. ['08:30', '18:00']"
        )
    return hours


def _check_duration(duration: Offset | None) -> Offset | None:
    if duration is not None and (duration.as_timedelta().total_seconds() < 0):
        raise ValueError(f"a duration cannot be negative, got {duration.text!r}")
    return duration


class Rule(Strict):
    """One follow-up step."""

    id: str = Field(
        description="A short name, unique in the file: lowercase, digits and '-'.",
        json_schema_extra={"pattern": RULE_ID.pattern, "patternErrorMessage": RULE_ID_MESSAGE},
    )
    title: str = Field(description="The calendar item's title (a template).")
    description: str = Field(default="", description="Notes in the calendar item (a template).")
    when: When = Field(description="When the step happens.")
    due: When | None = Field(
        default=None,
        description="The end of the window in which to do the step (a todo's DUE; "
        "an event says it in its notes). Default from 'defaults.due'; 'due: null' for none.",
    )
    kind: Literal["event", "todo"] | None = Field(
        default=None, description="event or todo (default from 'defaults.kind')."
    )
    duration: DurationField | None = Field(
        default=None, description="How long an event lasts (default from 'defaults.duration')."
    )
    all_day: bool = Field(
        default=False, strict=True, description="Put the step on the day, without a time."
    )
    if_: Condition | None = Field(
        default=None,
        alias="if",
        description="Only when these facts hold (default from 'defaults.if'; 'if: {}' for always).",
    )
    unless: Condition | None = Field(
        default=None,
        description="Not when these facts hold (default from 'defaults.unless'; "
        "'unless: null' for never).",
    )
    fallback: str | None = Field(
        default=None,
        description="Another rule to use instead when this one does not apply or its anchor "
        "is missing (e.g. no timeline known). A rule named as a fallback only runs as one "
        "(`followup check` says so).",
        json_schema_extra={"pattern": RULE_ID.pattern, "patternErrorMessage": RULE_ID_MESSAGE},
    )
    workdays_only: bool | None = Field(
        default=None,
        strict=True,
        description="Move a step that lands on a weekend or holiday to the next working day.",
    )
    hours: Hours | None = Field(
        default=None,
        description="Working hours, e.g. ['08:30', '18:00']: a step before the first time "
        "moves to it that day, a step after the second moves to the first time the next day "
        "(default from 'defaults.hours'; 'hours: null' for none on this rule; all-day steps "
        "have no time to move). A step that comes before the interview moves earlier "
        "instead: to the second time, the same day or the day before.",
    )
    superseded_by_next_round: bool = Field(
        default=False,
        strict=True,
        description="Drop this step once a later interview with the same company exists.",
    )
    alarm: Alarm | None = Field(default=None, description="A reminder before the step.")
    categories: list[str] | None = Field(
        default=None, description="Calendar categories (default from 'defaults.categories')."
    )
    email: Email | None = Field(default=None, description="A drafted email for this step.")
    language: Language | None = Field(
        default=None,
        description="The language of this step, when not the file's: its dates and "
        "greeting in the title and notes, and the language its email is written in (an "
        "invitation written in another language still gets a draft in its language where "
        "followup ships one).",
    )

    @field_validator("id")
    @classmethod
    def _rule_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(
                f"rule id {value!r} must start with a letter and use only lowercase letters, "
                "digits and '-' (at most 41 characters)"
            )
        return value

    _hours = field_validator("hours")(_check_hours)
    _duration = field_validator("duration")(_check_duration)

    def says(self, key: Literal["due", "if_", "unless", "hours"]) -> bool:
        """Whether the rule itself sets ``key`` (even to null), rather than taking the default."""
        return key in self.model_fields_set

    def references(self) -> list[tuple[str, str]]:
        """The other rules this one names, with the key that names them."""
        refs = []
        for key, when in (("when", self.when), ("due", self.due)):
            if when is None:
                continue
            for sub, moment in (
                ("from", when),
                ("earliest.from", when.earliest),
                ("latest.from", when.latest),
            ):
                if moment is not None and moment.from_ not in ANCHORS:
                    refs.append((f"{key}.{sub}", moment.from_))
        if self.fallback:
            refs.append(("fallback", self.fallback))
        return refs


ANCHORS = ("start", "end", "timeline", "status")

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _weekdays() -> list[Weekday]:
    return ["mon", "tue", "wed", "thu", "fri"]


class Holidays(Strict):
    """Public holidays to skip in business-day offsets and ``workdays_only``."""

    country: str = Field(description="ISO country code, e.g. 'DE', 'US', 'GB'.")
    subdivision: str | None = Field(
        default=None, description="State or region code, e.g. 'BY' or 'CA'."
    )


INTERVIEW_WORDS = [
    "interview",
    "onsite",
    "screening",
    "vorstellungsgespräch",
    "bewerbungsgespräch",
    "telefoninterview",
    "videointerview",
    "jobinterview",
    "zweitgespräch",
    "entrevista",
]
"""Words that make a title an interview in the default policy."""

INTERVIEW_PHRASES = [
    "on site",
    "phone screen",
    "recruiter screen",
    "technical screen",
    "recruiter call",
    "recruiter chat",
    "call with recruiter",
    "chat with recruiter",
    "hiring manager",
    "final round",
    "technical round",
    "round #",
    "# round",
    "# runde",
    "finales gespräch",
    "entretien d embauche",
    "entretien téléphonique",
    "entretien technique",
    "entretien rh",
    "entretien avec",
    "entretien final",
]
"""Phrases that make a title an interview in the default policy ('#' is any number)."""

INTERVIEW_EXCLUSIONS = [
    "prep",
    "preparation",
    "mock",
    "practice",
    "workshop",
    "training",
    "webinar",
    "course",
    "podcast",
    "press",
    "radio",
    "informational",
    "golf",
    "quiz",
    "tournament",
    "round table",
    "roundtable",
    "health",
    "medical",
    "cancer",
    "film",
    "movie",
    "cinema",
    "screening of",
    "vorbereitung",
    "üben",
    "coaching",
    "krebs",
    "hautkrebs",
    "vorsorge",
    "kino",
    "tutor",
    "tutora",
]
"""Words and phrases that keep a title out even when it has an interview word."""


class Interviews(Strict):
    """Which calendar events are interviews.

    A title is an interview when it has one of ``words`` or ``phrases`` and
    none of ``exclusions``; an event with one of ``categories`` is an
    interview whatever its title says. Words and phrases are matched whole,
    in any case: "interview" matches "Phone interview: Initech" but not
    "Interviewing skills workshop"; a hyphen or an apostrophe counts as a
    space ("on site" matches "On-site"), and ``#`` in a phrase stands for a
    number ("round #" matches "Round 2", "# round" matches "2nd round").
    """

    words: list[str] = Field(
        default_factory=lambda: list(INTERVIEW_WORDS),
        description="Whole words that make a title an interview (any case).",
    )
    phrases: list[str] = Field(
        default_factory=lambda: list(INTERVIEW_PHRASES),
        description="Phrases that make a title an interview: words in this order "
        "('#' is any number, as in 'round #').",
    )
    exclusions: list[str] = Field(
        default_factory=lambda: list(INTERVIEW_EXCLUSIONS),
        description="Words or phrases that keep a title out although it has an interview word "
        "('Interview prep', 'Final round of golf'). Categories still count.",
    )
    categories: list[str] = Field(
        default_factory=lambda: ["interview"],
        description="Event categories (any case).",
    )
    me: list[str] = Field(
        default_factory=list,
        description="Your own mail addresses (work and private): an event you organize with "
        "candidates, a debrief or a hiring committee is your own, not an interview. The "
        "calendar's owner, where the app writes it, is known without this.",
    )
    all_day_hours: tuple[ClockField, ClockField] = Field(
        default=(time(9, 0), time(17, 0)),
        description="An all-day interview is taken to run between these times on its day.",
    )
    date_order: Literal["auto", "DMY", "MDY", "YMD"] = Field(
        default="auto",
        description="How numeric dates in notes are read (04.12.2026, 12/04/2026): "
        "'auto' takes the order of the rules' timezone's region (month first in the US, "
        "day first elsewhere); DMY, MDY or YMD say it.",
    )


class Defaults(Strict):
    """Values a rule uses when it does not say."""

    kind: Literal["event", "todo"] = Field(default="event", description="event or todo.")
    duration: DurationField = Field(
        default_factory=lambda: parse_offset("15m"), description="How long an event lasts."
    )
    categories: list[str] = Field(
        default_factory=lambda: ["Job search"], description="Calendar categories."
    )
    workdays_only: bool = Field(
        default=False,
        strict=True,
        description="Move steps off weekends and holidays (see the rule key).",
    )
    hours: Hours | None = Field(
        default=None, description="Working hours for every step (see the rule key)."
    )
    due: When | None = Field(
        default=None, description="The due time of a rule that does not give one."
    )
    if_: Condition | None = Field(
        default=None, alias="if", description="The condition of a rule that has no 'if'."
    )
    unless: Condition | None = Field(
        default=None, description="The 'unless' of a rule that has none."
    )

    _hours = field_validator("hours")(_check_hours)
    _duration = field_validator("duration")(_check_duration)


class Sender(Strict):
    """Who signs the drafted emails."""

    name: str | None = Field(default=None, description="Your name, e.g. 'Alex Doe'.")
    signature: str | None = Field(
        default=None,
        description="The lines under the closing, e.g. your name and phone number "
        "(default: your name).",
    )


class RuleSet(Strict):
    """A rules file: the policy that turns interviews into follow-ups."""

    version: Literal[1] = Field(default=1, description="The rules language version.")
    name: str | None = Field(default=None, description="A name for this policy.")
    timezone: str = Field(
        default="local",
        description="The IANA timezone in which times of day are meant, e.g. 'Europe/Berlin'; "
        "'local' for this machine's zone.",
    )
    workdays: list[Weekday] = Field(
        default_factory=_weekdays,
        min_length=1,
        description="Working days, for business-day offsets and workdays_only (at least one).",
    )
    holidays: Holidays | None = Field(default=None, description="Public holidays to skip.")
    interviews: Interviews = Field(
        default_factory=Interviews, description="Which calendar events are interviews."
    )
    defaults: Defaults = Field(
        default_factory=Defaults, description="Values a rule uses when it does not say."
    )
    stop: Condition | None = Field(
        default=None,
        description="Nothing more for an interview once these facts hold, e.g. "
        "{ status: [rejected, withdrawn] }: no rule plans a step for it.",
    )
    rules: list[Rule] = Field(min_length=1, description="The follow-up steps.")
    language: Language = Field(
        default="en",
        description="The language of dates, salutations and sentences made from your notes "
        "in templates: en, de, fr, nl or es (default.de.yaml, default.fr.yaml, "
        "default.nl.yaml and default.es.yaml are the shipped policies in them). A draft is in "
        "the language of the invitation's own text when followup can tell, else the "
        "company's (languages), else the rule's, else this one.",
    )
    languages: dict[str, Language] = Field(
        default_factory=dict,
        description="The language of the drafts for a company: a company name or pattern "
        "('*' any text) to en, de, fr, nl or es, e.g. { 'Kessler*': de, Globex: nl }.",
    )
    sender: Sender = Field(
        default_factory=Sender, description="Who signs the drafted emails (`followup init` asks)."
    )

    def due_of(self, rule: Rule) -> When | None:
        return rule.due if rule.says("due") else self.defaults.due

    def if_of(self, rule: Rule) -> Condition | None:
        return rule.if_ if rule.says("if_") else self.defaults.if_

    def unless_of(self, rule: Rule) -> Condition | None:
        return rule.unless if rule.says("unless") else self.defaults.unless

    @model_validator(mode="after")
    def _references(self) -> RuleSet:
        problems = self._reference_problems()
        if problems:
            raise RuleReferenceError(problems[0][0], problems[0][1], problems)
        return self

    def _reference_problems(self) -> list[ReferenceProblem]:
        """Every rule named in from/fallback that does not exist, every id used twice
        (naming the first), a default due that counts from a rule, and a cycle."""
        problems: list[ReferenceProblem] = []
        ids = [rule.id for rule in self.rules]
        first: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            if rule.id in first:
                problems.append(
                    (
                        ("rules", index, "id"),
                        f"rule id {rule.id!r} is used twice; the first is at",
                        ("rules", first[rule.id], "id"),
                    )
                )
            first.setdefault(rule.id, index)
        for index, rule in enumerate(self.rules):
            for key, ref in rule.references():
                path: tuple[str | int, ...] = ("rules", index, *key.split("."))
                if ref not in first:
                    choices = ", ".join(
                        dict.fromkeys([*ANCHORS, *ids] if key != "fallback" else ids)
                    )
                    message = f"{key} names {ref!r}, which is not a rule here; expected one of: "
                    problems.append((path, message + choices, None))
                elif ref == rule.id:
                    problems.append((path, f"rule {rule.id!r} refers to itself", None))
        due = self.defaults.due
        for key, moment in (
            ("from", due),
            ("earliest", due and due.earliest),
            ("latest", due and due.latest),
        ):
            if moment is not None and moment.from_ not in ANCHORS:
                where: tuple[str | int, ...] = ("defaults", "due", "from")
                if key != "from":
                    where = ("defaults", "due", key, "from")
                problems.append(
                    (
                        where,
                        f"defaults.due counts from {moment.from_!r}; a default may count only "
                        f"from {', '.join(ANCHORS)}",
                        None,
                    )
                )
        if not problems:
            cycle = find_cycle(self.rules)
            if cycle:
                problems.append(
                    (
                        ("rules", ids.index(cycle[0]), "id"),
                        "rules refer to each other in a cycle: " + " -> ".join(cycle),
                        None,
                    )
                )
        return problems

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def fallback_ids(self) -> set[str]:
        return {rule.fallback for rule in self.rules if rule.fallback}


ReferenceProblem = tuple[tuple[str | int, ...], str, tuple[str | int, ...] | None]
"""Where, what, and where else to look (the first of a duplicate id)."""


class RuleReferenceError(ValueError):
    """Reference problems found after field validation, each with the path to blame."""

    def __init__(
        self,
        loc: tuple[str | int, ...],
        message: str,
        problems: list[ReferenceProblem] | None = None,
    ) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.problems = problems or [(loc, message, None)]


def find_cycle(rules: list[Rule]) -> list[str] | None:
    """A cycle among rule references (``from`` and ``fallback``), as ids, or None."""
    graph = {rule.id: [ref for _, ref in rule.references()] for rule in rules}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for rule in rules:
        if rule.id not in state:
            found = visit(rule.id)
            if found:
                return found
    return None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a rules file, for editors (``followup schema``).

    The same model the loader validates with, plus what the model keeps as plain
    strings: the timezone and holiday country names the loader accepts. What only
    the loader can check (a rule named in ``from`` exists, templates, a region of
    a country, sizes of offsets) is listed in rules/README.md.
    """
    from followup.rules.zones import holiday_countries, timezone_names

    schema = RuleSet.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "followup rules"
    schema["properties"]["timezone"]["enum"] = ["local", *timezone_names()]
    country = schema["$defs"]["Holidays"]["properties"]["country"]
    codes = holiday_countries()
    country["enum"] = sorted({*codes, *(code.lower() for code in codes)})
    # Times of day as people write them (pydantic would show Python's 09:00:00).
    hours = schema["$defs"]["Interviews"]["properties"]["all_day_hours"]
    hours["default"] = ["09:00", "17:00"]
    return schema
