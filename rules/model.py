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

STATUS_WORDS = ("pending", "answered", "replied", "offer", "rejected", "withdrawn")
"""Status values a condition may name. ``answered`` means any of replied,
offer, rejected, withdrawn: the recruiter's side has moved."""

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

RULE_ID = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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

_PART = re.compile(
    r"(\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")\s*("
    + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def parse_offset(value: object) -> Offset:
    """Read ``45m``, ``1d``, ``2 weeks``, ``3 business days``, ``1h 30m``, ``-10m``."""
    if isinstance(value, Offset):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return Offset()
    if not isinstance(value, str):
        raise ValueError("expected an amount of time such as '45m', '1 day' or '3 business days'")
    text = value.strip()
    sign = 1
    body = text
    if body.startswith("-"):
        sign, body = -1, body[1:].strip()
    elif body.startswith("+"):
        body = body[1:].strip()
    if body in ("0", "none", ""):
        return Offset(text=text or "0")
    totals = {"months": 0, "days": 0, "seconds": 0, "business_days": 0}
    pos = 0
    found = False
    for match in _PART.finditer(body):
        gap = body[pos : match.start()].strip(" ,")
        if gap and gap.lower() != "and":
            break
        number, unit = match.group(1).lower(), match.group(2).lower()
        count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
        field, factor = _UNITS[unit]
        totals[field] += count * factor
        pos = match.end()
        found = True
    if not found or body[pos:].strip(" ,"):
        raise ValueError(
            f"cannot read {value!r} as an amount of time; "
            "write it like '45m', '2 hours', '1 day', '2 weeks' or '3 business days'"
        )
    if totals["business_days"] and (totals["months"] or totals["days"]):
        raise ValueError(f"{value!r} mixes business days with calendar days; use one kind")
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
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return time(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"expected a time of day such as '09:00', got {value!r}")


OffsetField = Annotated[
    Offset,
    BeforeValidator(parse_offset),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "An amount of time: '45m', '2 hours', '1 day', '2 weeks', "
            "'3 business days', '-10m'.",
            "examples": ["45m", "1 day", "2 weeks", "3 business days"],
        }
    ),
]

ClockField = Annotated[
    time,
    BeforeValidator(parse_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "description": "A time of day, HH:MM."}
    ),
]


# ------------------------------------------------------------------ parts ----


class When(Strict):
    """A point in time, computed from an anchor.

    The steps run in this order: take the anchor, move by ``offset``, then
    align: ``at`` sets the time of day on the day reached; ``next`` moves to
    the first such time of day at or after the moment reached. With
    ``workdays_only`` on the rule, a time that lands on a weekend or holiday
    moves to the next working day.
    """

    from_: str = Field(
        alias="from",
        description="The anchor: 'start' or 'end' of the interview, 'timeline' (the moment "
        "the recruiter's stated timeline runs out), or the id of another rule.",
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
    def _one_alignment(self) -> When:
        if self.at is not None and self.next is not None:
            raise ValueError("use either 'at' or 'next', not both")
        return self


Presence = Literal["known", "unknown"]


class Condition(Strict):
    """Facts an interview must have. Every key given must hold."""

    status: str | list[str] | None = Field(
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

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: str | list[str] | None) -> str | list[str] | None:
        names = [value] if isinstance(value, str) else (value or [])
        for name in names:
            if name not in STATUS_WORDS:
                raise ValueError(
                    f"unknown status {name!r}; expected one of {', '.join(STATUS_WORDS)}"
                )
        return value

    def statuses(self) -> tuple[str, ...]:
        if self.status is None:
            return ()
        return (self.status,) if isinstance(self.status, str) else tuple(self.status)


class Alarm(Strict):
    """A reminder that pops up before the follow-up."""

    before: OffsetField = Field(
        default_factory=Offset, description="How long before the start ('0m' = at the start)."
    )


class Email(Strict):
    """A drafted email, offered as a mailto: link and by ``followup draft``."""

    to: str = Field(default="{{ recruiter_email or '' }}", description="Recipient (a template).")
    subject: str = Field(description="Subject line (a template).")
    body: str = Field(description="The email's text (a template).")


class Rule(Strict):
    """One follow-up step."""

    id: str = Field(description="A short name, unique in the file: lowercase, digits and '-'.")
    title: str = Field(description="The calendar item's title (a template).")
    description: str = Field(default="", description="Notes in the calendar item (a template).")
    when: When = Field(description="When the step happens.")
    due: When | None = Field(
        default=None,
        description="The end of the window in which to do the step (a todo's DUE; "
        "an event says it in its notes).",
    )
    kind: Literal["event", "todo"] | None = Field(
        default=None, description="event or todo (default from 'defaults.kind')."
    )
    duration: OffsetField | None = Field(
        default=None, description="How long an event lasts (default from 'defaults.duration')."
    )
    all_day: bool = Field(default=False, description="Put the step on the day, without a time.")
    if_: Condition | None = Field(
        default=None, alias="if", description="Only when these facts hold."
    )
    unless: Condition | None = Field(default=None, description="Not when these facts hold.")
    fallback: str | None = Field(
        default=None,
        description="Another rule to use instead when this one does not apply or its anchor "
        "is missing (e.g. no timeline known). A rule named as a fallback only runs as one.",
    )
    workdays_only: bool | None = Field(
        default=None,
        description="Move a step that lands on a weekend or holiday to the next working day.",
    )
    superseded_by_next_round: bool = Field(
        default=False,
        description="Drop this step once a later interview with the same company exists.",
    )
    alarm: Alarm | None = Field(default=None, description="A reminder before the step.")
    categories: list[str] | None = Field(
        default=None, description="Calendar categories (default from 'defaults.categories')."
    )
    email: Email | None = Field(default=None, description="A drafted email for this step.")

    @field_validator("id")
    @classmethod
    def _rule_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(
                f"rule id {value!r} must start with a letter and use only lowercase letters, "
                "digits and '-' (at most 41 characters)"
            )
        return value

    def references(self) -> list[tuple[str, str]]:
        """The other rules this one names, with the key that names them."""
        refs = []
        for key, when in (("when.from", self.when), ("due.from", self.due)):
            if when is not None and when.from_ not in ANCHORS:
                refs.append((key, when.from_))
        if self.fallback:
            refs.append(("fallback", self.fallback))
        return refs


ANCHORS = ("start", "end", "timeline")

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
    duration: OffsetField = Field(
        default_factory=lambda: parse_offset("15m"), description="How long an event lasts."
    )
    categories: list[str] = Field(
        default_factory=lambda: ["Job search"], description="Calendar categories."
    )
    workdays_only: bool = Field(
        default=False, description="Move steps off weekends and holidays (see the rule key)."
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
        description="Working days, for business-day offsets and workdays_only.",
    )
    holidays: Holidays | None = Field(default=None, description="Public holidays to skip.")
    interviews: Interviews = Field(
        default_factory=Interviews, description="Which calendar events are interviews."
    )
    defaults: Defaults = Field(
        default_factory=Defaults, description="Values a rule uses when it does not say."
    )
    rules: list[Rule] = Field(min_length=1, description="The follow-up steps.")

    @model_validator(mode="after")
    def _references(self) -> RuleSet:
        ids = [rule.id for rule in self.rules]
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                raise RuleReferenceError(
                    ("rules", index, "id"), f"rule id {rule.id!r} is used twice"
                )
            seen.add(rule.id)
        for index, rule in enumerate(self.rules):
            for key, ref in rule.references():
                if ref not in seen:
                    path: tuple[str | int, ...] = ("rules", index, *key.split("."))
                    if key.endswith("from"):
                        path = ("rules", index, key.split(".")[0], "from")
                    choices = ", ".join([*ANCHORS, *ids]) if key != "fallback" else ", ".join(ids)
                    raise RuleReferenceError(
                        path,
                        f"{key} names {ref!r}, which is not a rule here; expected one of: {choices}",
                    )
                if ref == rule.id:
                    raise RuleReferenceError(
                        ("rules", index, *key.split(".")), f"rule {rule.id!r} refers to itself"
                    )
        cycle = find_cycle(self.rules)
        if cycle:
            index = ids.index(cycle[0])
            raise RuleReferenceError(
                ("rules", index, "id"),
                "rules refer to each other in a cycle: " + " -> ".join(cycle),
            )
        return self

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def fallback_ids(self) -> set[str]:
        return {rule.fallback for rule in self.rules if rule.fallback}


class RuleReferenceError(ValueError):
    """A reference problem found after field validation, with the path to blame."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


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
    """The JSON Schema of a rules file, for editors (``followup schema``)."""
    schema = RuleSet.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "followup rules"
    return schema
