"""Reading what the recruiter said: their timeline, and where things stand.

A timeline is the moment the recruiter expected to have decided:
- an amount of time ("2 weeks", "10 days", "a week", "3 business days",
  "within two weeks") counts from the end of the interview;
- a date ("by 2026-12-10", "December 10", "10 Dec", "Friday", "end of next
  week") means the end of that day, in the rules' timezone. A date without
  a year is the next such date after the interview.

Words we cannot read leave the timeline unknown, with a warning, so the
policy falls back to its default window instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from engine.model import StatusKind
from engine.plan.timing import WorkCalendar, add_offset, wall
from rules.model import parse_offset


@dataclass(frozen=True, slots=True)
class Timeline:
    deadline: datetime
    explanation: str


_STATUS_WORDS: tuple[tuple[StatusKind, tuple[str, ...]], ...] = (
    ("withdrawn", ("withdrawn", "withdrew", "withdraw", "declined", "not interested", "pulled out")),
    ("rejected", ("rejected", "rejection", "not selected", "turned down", "no offer", "unsuccessful",
                  "not moving forward", "position filled")),
    ("offer", ("offer", "hired", "accepted")),
    ("replied", ("heard back", "replied", "reply", "answered", "responded", "response",
                 "next round", "got back", "scheduled", "feedback received")),
    ("pending", ("pending", "waiting", "no answer", "no reply", "no response", "awaiting", "open",
                 "not yet", "none", "")),
)  # fmt: skip


def status_kind(text: str | None) -> tuple[StatusKind, bool]:
    """Classify a Status line; returns (kind, understood).

    Negative phrases are checked first ("no reply" is pending, "no offer" is
    rejected). Text we do not recognise counts as pending: a status check
    too many is better than a missed one.
    """
    if text is None:
        return "pending", True
    lowered = " ".join(text.lower().split())
    for negative in ("no answer", "no reply", "no response", "not yet", "waiting"):
        if negative in lowered:
            return "pending", True
    for kind, words in _STATUS_WORDS:
        for word in words:
            if word and re.search(r"\b" + re.escape(word) + r"\b", lowered):
                return kind, True
    if not lowered or lowered in {"none", "-"}:
        return "pending", True
    return "pending", False


_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAY_NAMES = {
    name: index
    for index, names in enumerate(
        [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
         ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
         ("sun", "sunday")]
    )
    for name in names
}  # fmt: skip
_FILLER = re.compile(
    r"^(?:by|before|until|till|within|in|about|around|approx\.?|approximately|roughly|"
    r"expected|decision|decide|they|will|should|hear|back|on|the|latest|at|end of|eod)\b\s*",
    re.IGNORECASE,
)


def parse_timeline(
    text: str | None, interview_end: datetime, zone: tzinfo, cal: WorkCalendar
) -> Timeline | None:
    """The deadline a recruiter's timeline names, or None when it cannot be read."""
    if not text or not text.strip():
        return None
    phrase = " ".join(text.strip().rstrip(".!").split())
    lowered = phrase.lower()
    while True:
        stripped = _FILLER.sub("", lowered, count=1)
        if stripped == lowered:
            break
        lowered = stripped
    local_end = interview_end.astimezone(zone)

    # An amount of time after the interview.
    try:
        offset = parse_offset(lowered.replace("a couple of", "two").replace("couple of", "two"))
    except ValueError:
        offset = None
    if offset is not None and not offset.is_zero:
        deadline, _ = add_offset(local_end, offset, zone, cal)
        return Timeline(
            deadline, f"'{phrase}' after the interview ends -> {deadline:%a %Y-%m-%d %H:%M %Z}"
        )

    day = _parse_day(lowered, local_end.date())
    if day is not None:
        deadline = wall(day + timedelta(days=1), time(0, 0), zone)
        return Timeline(deadline, f"'{phrase}' -> the end of {day:%a %Y-%m-%d}")
    return None


def _parse_day(text: str, after: date) -> date | None:
    """A day named in ``text``: ISO, month names, weekdays, 'end of (next) week/month'."""
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    month_first = re.search(
        r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", text
    )
    day_first = re.search(
        r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?(?:,?\s+(\d{4}))?\b", text
    )
    for match, month_group, day_group in ((month_first, 1, 2), (day_first, 2, 1)):
        if match and match.group(month_group) in _MONTHS:
            month = _MONTHS[match.group(month_group)]
            day_number = int(match.group(day_group))
            year = int(match.group(3)) if match.group(3) else after.year
            try:
                found = date(year, month, day_number)
            except ValueError:
                return None
            if not match.group(3) and found < after:
                found = found.replace(year=year + 1)
            return found
    if re.fullmatch(r"(?:this\s+)?week", text):
        return after + timedelta(
            days=4 - after.weekday() if after.weekday() <= 4 else 11 - after.weekday()
        )
    if re.fullmatch(r"next\s+week", text):
        return after + timedelta(days=(4 - after.weekday()) + 7)
    if re.fullmatch(r"(?:this\s+)?month", text):
        first_next = (after.replace(day=1) + timedelta(days=32)).replace(day=1)
        return first_next - timedelta(days=1)
    weekday = re.fullmatch(r"(next\s+)?([a-z]+)", text)
    if weekday and weekday.group(2) in _WEEKDAY_NAMES:
        target = _WEEKDAY_NAMES[weekday.group(2)]
        ahead = (target - after.weekday()) % 7 or 7
        if weekday.group(1):
            ahead += 7 if ahead < 7 else 0
        return after + timedelta(days=ahead)
    return None
