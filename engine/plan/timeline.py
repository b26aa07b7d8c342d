"""Reading what the recruiter said: their timeline, and where things stand.

A timeline is the moment the recruiter expected to have decided. It is found
anywhere in what the notes say ("they'll get back within 2 weeks", "decision
by Dec 15th", "Rückmeldung bis KW 50", "vóór 15 december", "entro il 18
dicembre", "do 12 grudnia"), in English, German, French, Dutch, Spanish,
Italian, Portuguese and Polish (the words are in engine/data/timelines.toml,
read by engine/read/timewords.py):

- an amount of time ("2 weeks", "10 days", "binnen tien dagen", "3 business
  days", "sous quinzaine") counts from the end of the interview; a range
  ("2-3 weeks") takes its later bound, as the advice is to follow up after
  their timeline;
- a date ("2026-12-10", "December 10", "10. Dezember", "04.12.2026",
  "12/04/2026", "Friday", "end of next week", "mid December", "KW 50",
  "w/c 7 December": that week's Friday) means the end of that day, in the
  rules' timezone. A date without a year is the next such date after the
  interview (one a few weeks before it was in the past: no timeline). Dotted
  dates are day first; dates with slashes are read in the order of the
  zone's region (month first in the US) unless the rules say
  ``date_order``; one that reads two ways gets a warning.

When the text names several times, the latest is the deadline: a status
check is never planned before a day the recruiter named. Only when the
vocabulary finds nothing does dateparser (imported then, it takes a while to
load) look for a date in other words. Words neither can read leave the
timeline unknown, with a warning (``unread_warning``), so the policy falls
back to its default window instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from followup.engine.model import StatusKind
from followup.engine.plan.timing import WorkCalendar, add_offset, wall
from followup.engine.read import timewords
from followup.rules.model import parse_offset


def _wordset(text: str) -> frozenset[str]:
    """The words of a text, one per whitespace-separated run: word lists stay readable."""
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Timeline:
    deadline: datetime
    explanation: str
    warning: str | None = None


_STATUS_WORDS: tuple[tuple[StatusKind, tuple[str, ...]], ...] = (
    ("withdrawn", ("withdrawn", "withdrew", "withdraw", "declined", "not interested", "pulled out",
                   "zurückgezogen")),
    ("rejected", ("rejected", "rejection", "not selected", "turned down", "no offer", "unsuccessful",
                  "not moving forward", "position filled", "absage", "abgesagt", "abgelehnt",
                  "kein angebot")),
    ("offer", ("offer", "hired", "accepted", "angebot", "zusage", "eingestellt")),
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
    for negative in ("no answer", "no reply", "no response", "not yet", "waiting",
                     "keine antwort", "keine rückmeldung", "noch nicht"):  # fmt: skip
        if negative in lowered:
            return "pending", True
    for kind, words in _STATUS_WORDS:
        for word in words:
            if word and re.search(r"\b" + re.escape(word) + r"\b", lowered):
                return kind, True
    if not lowered or lowered in {"none", "-"}:
        return "pending", True
    return "pending", False


DateOrder = Literal["auto", "DMY", "MDY", "YMD"]

# Zones whose region writes the month first (the United States).
_MONTH_FIRST_PREFIXES = ("US/", "America/Indiana/", "America/Kentucky/", "America/North_Dakota/")
_MONTH_FIRST_ZONES = _wordset("""America/New_York America/Chicago America/Denver America/Los_Angeles America/Phoenix
    America/Anchorage America/Adak America/Boise America/Detroit America/Juneau America/Sitka
    America/Nome America/Yakutat America/Metlakatla America/Menominee Pacific/Honolulu
    EST5EDT CST6CDT MST7MDT PST8PDT""")
MAX_TEXT = timewords.MAX_TEXT
"""Timeline text is read up to here."""
DATEPARSER_TEXT = 50
"""dateparser reads this much of it, around the first number: a date in other words is short."""


def region_date_order(zone: tzinfo) -> Literal["DMY", "MDY"]:
    """How people in the zone's region write numeric dates: month first in the US, else day first."""
    key = str(getattr(zone, "key", "") or "")
    if key in _MONTH_FIRST_ZONES or key.startswith(_MONTH_FIRST_PREFIXES):
        return "MDY"
    return "DMY"


def parse_timeline(
    text: str | None,
    interview_end: datetime,
    zone: tzinfo,
    cal: WorkCalendar,
    *,
    date_order: DateOrder = "auto",
    use_library: bool = True,
) -> Timeline | None:
    """The deadline a recruiter's timeline names, or None when it cannot be read.

    Of the times the text names (outside clauses about a start date or a
    take-home), the latest is the deadline: "by Friday, Monday at the latest"
    is Monday. ``use_library=False`` reads with the vocabulary only (the
    planner lets dateparser read a bounded number of timelines per plan: it
    is slow)."""
    if not text or not text.strip():
        return None
    phrase = " ".join(text[:MAX_TEXT].split())
    local_end = interview_end.astimezone(zone)
    after = local_end.date()
    told = date_order in ("DMY", "MDY")
    order: Literal["DMY", "MDY"] = "MDY" if date_order == "MDY" else "DMY"
    if not told:
        order = region_date_order(zone)
    dotted: Literal["DMY", "MDY"] = "MDY" if date_order == "MDY" else "DMY"
    found = timewords.scan(phrase)
    best: tuple[datetime, str, str | None] | None = None
    for expression in found.expressions:
        placed = timewords.place(expression, after, order, dotted_order=dotted, order_told=told)
        if placed is None:
            continue
        reading = _deadline(placed, local_end, zone, cal)
        if best is None or reading[0] > best[0]:
            best = reading
    if not found.expressions and not found.excluded and use_library:
        best = _with_dateparser(phrase, local_end, zone, date_order)
    if best is None:
        return None
    return Timeline(*best)


def unread_warning(said: str) -> str | None:
    """What plan and explain say of a timeline that could not be read; None for "TBD"."""
    if timewords.says_unknown(said):
        return None
    shown = " ".join(said.split())
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return (
        f"the notes say when they decide, but followup could not read it: {shown!r}; "
        "write it as 'Timeline: 2 weeks' or a date"
    )


def _deadline(
    placed: timewords.Placed, local_end: datetime, zone: tzinfo, cal: WorkCalendar
) -> tuple[datetime, str, str | None]:
    """(deadline, explanation, warning) of one placed time."""
    if placed.amount is not None:
        count, unit = placed.amount
        deadline, _ = add_offset(local_end, parse_offset(f"{count} {unit}"), zone, cal)
        explanation = f"'{placed.said}' after the interview ends -> {deadline:%a %Y-%m-%d %H:%M %Z}"
        return deadline, explanation, None
    assert placed.day is not None
    day = placed.day
    warning = None
    if placed.guessed_order:
        how = "month first" if region_date_order(zone) == "MDY" else "day first"
        warning = (
            f"the date {placed.said!r} reads two ways; taken as {day:%d %B %Y} ({how}, "
            f"as written in {getattr(zone, 'key', zone)}): write {day.isoformat()} to be sure, "
            "or set interviews: date_order in your rules"
        )
    deadline = wall(day + timedelta(days=1), time(0, 0), zone)
    return deadline, f"'{placed.said}' -> the end of {day:%a %Y-%m-%d}", warning


_WORD = re.compile(r"[^\W\d_]{3}")


def _with_dateparser(
    phrase: str, local_end: datetime, zone: tzinfo, date_order: DateOrder
) -> tuple[datetime, str, str | None] | None:
    """A date in other words, found by dateparser: only one it read with a word and a number.

    dateparser's search takes time that grows fast with the text, so it sees
    only DATEPARSER_TEXT characters around the first number. What it read
    must hold a word of three letters beside the number: "do 12" (the Polish
    "by the 12th" of a month it did not read) or "de 2027" is a piece of a
    date, and read alone it put the status check before the day named.
    """
    digit = next((index for index, ch in enumerate(phrase) if ch.isdigit()), None)
    if digit is None:
        return None
    half = DATEPARSER_TEXT // 2  # the words around the first number: where a date is
    phrase = phrase[max(0, digit - half) : digit + half]
    if not _WORD.search(phrase):
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from dateparser.search import search_dates

        order = region_date_order(zone) if date_order == "auto" else date_order
        try:
            results = search_dates(
                phrase,
                languages=list(timewords.LANGUAGES),
                settings={
                    "DATE_ORDER": order,
                    "PREFER_DATES_FROM": "future",
                    "RELATIVE_BASE": local_end.replace(tzinfo=None),
                    "RETURN_AS_TIMEZONE_AWARE": False,
                },
            )
        except Exception:  # dateparser's own errors: the text is not a date it knows
            return None
    for said, moment in results or []:
        if not any(ch.isdigit() for ch in said) or not _WORD.search(said):
            continue
        if moment.date() >= local_end.date():
            day = moment.date()
            deadline = wall(day + timedelta(days=1), time(0, 0), zone)
            return deadline, f"'{said.lower()}' -> the end of {day:%a %Y-%m-%d}", None
    return None
