"""Reading what the recruiter said: their timeline, and where things stand.

A timeline is the moment the recruiter expected to have decided. It is found
anywhere in what the notes say ("they'll get back within 2 weeks", "decision
by Dec 15th", "Rückmeldung bis 11.12.2026"):

- an amount of time ("2 weeks", "10 days", "a couple of days", "3 business
  days", "innerhalb einer Woche") counts from the end of the interview; a
  range ("2-3 weeks") takes its later bound, as the advice is to follow up
  after their timeline;
- a date ("2026-12-10", "December 10", "10. Dezember", "04.12.2026",
  "12/04/2026", "Friday", "end of next week", "mid December", "KW 50")
  means the end of that day, in the rules' timezone. A date without a year
  is the next such date after the interview. Dotted dates are day first;
  dates with slashes are read in the order of the zone's region (month
  first in the US) unless the rules say ``date_order``; one that reads two
  ways gets a warning.

A hand-written fast path reads these forms; only when it finds nothing does
dateparser (imported then, it takes a while to load) look for a date in
other words and languages. Words neither can read leave the timeline
unknown, with a warning, so the policy falls back to its default window
instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from engine.model import StatusKind
from engine.plan.timing import WorkCalendar, add_offset, wall
from rules.model import Offset, parse_offset


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


_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january", "januar", "jänner", "janvier", "enero"),
            ("feb", "february", "februar", "février", "febrero"),
            ("mar", "march", "märz", "mars", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juni", "juin", "junio"),
            ("jul", "july", "juli", "juillet", "julio"),
            ("aug", "august", "août", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "okt", "oktober", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dez", "dezember", "décembre", "diciembre"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAY_NAMES = {
    name: index
    for index, names in enumerate(
        [("mon", "monday", "montag", "lundi", "lunes"),
         ("tue", "tues", "tuesday", "dienstag", "mardi", "martes"),
         ("wed", "wednesday", "mittwoch", "mercredi", "miércoles"),
         ("thu", "thur", "thurs", "thursday", "donnerstag", "jeudi", "jueves"),
         ("fri", "friday", "freitag", "vendredi", "viernes"),
         ("sat", "saturday", "samstag", "samedi", "sábado"),
         ("sun", "sunday", "sonntag", "dimanche", "domingo")]
    )
    for name in names
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "ein paar": 3,
    "ein": 1, "eine": 1, "einer": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "zehn": 10, "une": 1, "un": 1, "deux": 2, "trois": 3, "una": 1, "dos": 2, "tres": 3,
}  # fmt: skip
_UNIT_WORDS = {
    "day": "days", "days": "days", "tag": "days", "tage": "days", "tagen": "days",
    "jour": "days", "jours": "days", "día": "days", "días": "days", "dia": "days", "dias": "days",
    "week": "weeks", "weeks": "weeks", "woche": "weeks", "wochen": "weeks",
    "semaine": "weeks", "semaines": "weeks", "semana": "weeks", "semanas": "weeks",
    "month": "months", "months": "months", "monat": "months", "monate": "months",
    "monaten": "months", "mois": "months", "mes": "months", "meses": "months",
    "business day": "business days", "business days": "business days",
    "working day": "business days", "working days": "business days",
    "werktag": "business days", "werktage": "business days", "werktagen": "business days",
    "arbeitstag": "business days", "arbeitstage": "business days", "arbeitstagen": "business days",
}  # fmt: skip

_ALT_NUMBER = "|".join(sorted((re.escape(n) for n in _NUMBERS), key=len, reverse=True))
_ALT_UNIT = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_ALT_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_ALT_WEEKDAY = "|".join(sorted((re.escape(d) for d in _WEEKDAY_NAMES), key=len, reverse=True))


class _Pattern:
    """A regex compiled when first searched with: a plan whose interviews name no
    timeline does not pay for compiling fifteen of them at every start."""

    __slots__ = ("_compiled", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self._text)
        return self._compiled.search(text)


# Each pattern is a sequence of distinct pieces with at most one optional space
# between them: no two quantifiers compete for the same characters.
_ISO = _Pattern(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = _Pattern(r"(?<![\d./])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/])")
_RANGE = _Pattern(rf"\b(\d+) ?(?:-|to|bis|à|a) ?(\d+) ?({_ALT_UNIT})\b")
_AMOUNT = _Pattern(rf"(?<!\w)(\d+|{_ALT_NUMBER}) ?({_ALT_UNIT})\b")
_MONTH_DAY = _Pattern(rf"\b({_ALT_MONTH})\.? ?(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? ?(\d{{4}}))?")
_DAY_MONTH = _Pattern(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|\.)? ?(?:of |de )?({_ALT_MONTH})\b\.?(?: ?(\d{{4}}))?"
)
_MID_MONTH = _Pattern(rf"\b(?:mid|mitte|mi|mediados de)[- ]?({_ALT_MONTH})\b")
_END_MONTH = _Pattern(rf"\b(?:end of|ende|fin|finales de|late)[- ]({_ALT_MONTH})\b")
_WEEK_NUMBER = _Pattern(r"\b(?:kw|calendar week|cw|week|semaine|semana) ?(\d{1,2})\b")
_WEEKDAY = _Pattern(rf"\b(next |nächsten |nächste |kommenden |kommende )?({_ALT_WEEKDAY})\b")
_NEXT_WEEK = _Pattern(
    r"\b(?:next week|nächste woche|nächster woche|nächsten woche|kommende woche|"
    r"semaine prochaine|la semana que viene|la próxima semana)\b"
)
_THIS_WEEK = _Pattern(
    r"\b(?:end of (?:the |this )?week|this week|ende (?:der|dieser) woche|diese woche|"
    r"fin de (?:la )?semaine|fin de semana)\b"
)
_END_OF_MONTH = _Pattern(
    r"\b(?:end of (?:the |this )?month|ende (?:des|dieses) monats|monatsende|fin (?:du|de) mois)\b"
)
_ORDINAL_DAY = _Pattern(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b")
_TOMORROW = _Pattern(r"\b(?:tomorrow|morgen|demain|mañana)\b")

DateOrder = Literal["auto", "DMY", "MDY", "YMD"]

# Zones whose region writes the month first (the United States).
_MONTH_FIRST_PREFIXES = ("US/", "America/Indiana/", "America/Kentucky/", "America/North_Dakota/")
_MONTH_FIRST_ZONES = _wordset("""America/New_York America/Chicago America/Denver America/Los_Angeles America/Phoenix
    America/Anchorage America/Adak America/Boise America/Detroit America/Juneau America/Sitka
    America/Nome America/Yakutat America/Metlakatla America/Menominee Pacific/Honolulu
    EST5EDT CST6CDT MST7MDT PST8PDT""")
MAX_TEXT = 500
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

    ``use_library=False`` reads with the fast path only (the planner lets
    dateparser read a bounded number of timelines per plan: it is slow)."""
    if not text or not text.strip():
        return None
    phrase = " ".join(text[:MAX_TEXT].strip().rstrip(".!").split())
    lowered = phrase.lower().replace("–", "-").replace("—", "-")
    local_end = interview_end.astimezone(zone)
    after = local_end.date()

    found = _fast(lowered, after, zone, date_order)
    if found is None and use_library:
        found = _with_dateparser(phrase, local_end, zone, date_order)
    if found is None:
        return None
    _, value, said, warning = found
    if isinstance(value, Offset):
        deadline, _ = add_offset(local_end, value, zone, cal)
        return Timeline(
            deadline,
            f"'{said}' after the interview ends -> {deadline:%a %Y-%m-%d %H:%M %Z}",
            warning,
        )
    assert isinstance(value, date)
    deadline = wall(value + timedelta(days=1), time(0, 0), zone)
    return Timeline(deadline, f"'{said}' -> the end of {value:%a %Y-%m-%d}", warning)


_Found = tuple[str, "Offset | date", str, str | None]


def _fast(text: str, after: date, zone: tzinfo, date_order: DateOrder) -> _Found | None:
    """The first form the hand-written readers know, by how sure a reading it is."""
    iso = _ISO.search(text)
    if iso:
        day = _date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if day is not None:
            return "date", day, iso.group(), None
    numeric = _NUMERIC.search(text)
    if numeric:
        found = _numeric(numeric, after, zone, date_order)
        if found is not None:
            return found
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        match = pattern.search(text)
        if match and match.group(month_group) in _MONTHS:
            year = int(match.group(3)) if match.group(3) else None
            day = _next_date(
                after, _MONTHS[match.group(month_group)], int(match.group(day_group)), year
            )
            if day is not None:
                return "date", day, match.group(), None
    match = _MID_MONTH.search(text)
    if match:
        day = _next_date(after, _MONTHS[match.group(1)], 15, None)
        if day is not None:
            return "date", day, match.group(), None
    match = _END_MONTH.search(text)
    if match:
        first = _next_date(after, _MONTHS[match.group(1)], 1, None)
        if first is not None:
            return "date", _month_end(first), match.group(), None
    match = _WEEK_NUMBER.search(text)
    if match and 1 <= int(match.group(1)) <= 53:
        day = _week_friday(after, int(match.group(1)))
        if day is not None:
            return "date", day, match.group(), None
    match = _RANGE.search(text)
    if match:
        offset = _offset(max(int(match.group(1)), int(match.group(2))), match.group(3))
        return "amount", offset, match.group(), None
    match = _AMOUNT.search(text)
    if match:
        number = match.group(1)
        count = int(number) if number.isdigit() else _NUMBERS[number]
        if count > 0:
            return "amount", _offset(count, match.group(2)), match.group(), None
    if "next week" not in text and (match := _THIS_WEEK.search(text)):
        return "date", _friday(after, 0), match.group(), None
    match = _NEXT_WEEK.search(text)
    if match:
        return "date", _friday(after, 1), match.group(), None
    match = _END_OF_MONTH.search(text)
    if match:
        return "date", _month_end(after), match.group(), None
    if re.fullmatch(r"(?:this )?week", text):
        return "date", _friday(after, 0), text, None
    if re.fullmatch(r"(?:this )?month", text):
        return "date", _month_end(after), text, None
    match = _WEEKDAY.search(text)
    if match:
        target = _WEEKDAY_NAMES[match.group(2)]
        ahead = (target - after.weekday()) % 7 or 7
        if match.group(1) and match.group(1).strip() == "next":
            ahead += 7 if ahead < 7 else 0
        return "date", after + timedelta(days=ahead), match.group(), None
    match = _ORDINAL_DAY.search(text)
    if match:
        day = _next_date(after, after.month, int(match.group(1)), None, roll_month=True)
        if day is not None:
            return "date", day, match.group(), None
    match = _TOMORROW.search(text)
    if match:
        return "date", after + timedelta(days=1), match.group(), None
    return None


def _numeric(
    match: re.Match[str], after: date, zone: tzinfo, date_order: DateOrder
) -> _Found | None:
    first, separator, second, year_text = match.groups()
    a, b = int(first), int(second)
    year = None
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    if separator == ".":
        order = "DMY" if date_order in ("auto", "YMD") else date_order
        guessed = False
    else:
        order = region_date_order(zone) if date_order in ("auto", "YMD") else date_order
        guessed = date_order == "auto"
    day_number, month = (a, b) if order == "DMY" else (b, a)
    if not 1 <= month <= 12:
        day_number, month = month, day_number  # only the other order is a date
        guessed = False
    day = _next_date(after, month, day_number, year)
    if day is None:
        return None
    warning = None
    if guessed and a <= 12 and b <= 12 and a != b:
        how = "month first" if order == "MDY" else "day first"
        warning = (
            f"the date {match.group()!r} reads two ways; taken as {day:%d %B %Y} ({how}, "
            f"as written in {getattr(zone, 'key', zone)}): write {day.isoformat()} to be sure, "
            "or set interviews: date_order in your rules"
        )
    return "date", day, match.group(), warning


def _with_dateparser(
    phrase: str, local_end: datetime, zone: tzinfo, date_order: DateOrder
) -> _Found | None:
    """A date in other words or languages, found by dateparser; only dates with a number.

    dateparser's search takes time that grows fast with the text, so it sees
    only DATEPARSER_TEXT characters around the first number, with a word in them.
    """
    digit = next((index for index, ch in enumerate(phrase) if ch.isdigit()), None)
    if digit is None:
        return None
    half = DATEPARSER_TEXT // 2  # the words around the first number: where a date is
    phrase = phrase[max(0, digit - half) : digit + half]
    if not re.search(r"[^\W\d_]{3}", phrase):
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from dateparser.search import search_dates

        order = region_date_order(zone) if date_order == "auto" else date_order
        try:
            results = search_dates(
                phrase,
                languages=["en", "de", "fr", "es"],
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
        if any(ch.isdigit() for ch in said) and moment.date() >= local_end.date():
            return "date", moment.date(), said, None
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_date(
    after: date, month: int, day: int, year: int | None, *, roll_month: bool = False
) -> date | None:
    """The date with this month and day: in ``year``, or the next one on or after ``after``."""
    if year is not None:
        return _date(year, month, day)
    found = _date(after.year, month, day)
    if found is None:
        return None
    if found < after:
        if roll_month:
            nxt = (after.replace(day=1) + timedelta(days=32)).replace(day=1)
            return _date(nxt.year, nxt.month, day)
        return _date(after.year + 1, month, day)
    return found


def _month_end(day: date) -> date:
    first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)


def _friday(after: date, weeks_ahead: int) -> date:
    """The Friday of the week ``after`` is in (or the next one, on a weekend), plus whole weeks."""
    ahead = 4 - after.weekday() if after.weekday() <= 4 else 11 - after.weekday()
    return after + timedelta(days=ahead + 7 * weeks_ahead)


def _week_friday(after: date, week: int) -> date | None:
    for year in (after.year, after.year + 1):
        try:
            friday = date.fromisocalendar(year, week, 5)
        except ValueError:
            continue
        if friday >= after:
            return friday
    return None


def _offset(count: int, unit: str) -> Offset:
    kind = _UNIT_WORDS[unit]
    return parse_offset(f"{min(count, 3650)} {kind}")
