"""The words of a recruiter's timeline, in eight languages, and the times they name.

``scan(text)`` reads a sentence word by word against the vocabulary in
engine/data/timelines.toml (month and weekday names, number words, units, cue
words per language: English, German, French, Dutch, Spanish, Italian,
Portuguese, Polish) and returns the time expressions in it, not yet turned into
days: "w/c 7 December", "binnen tien dagen", "KW 50", "d'ici le vendredi 20
avril", "la próxima semana", "do 12 grudnia". ``resolve`` turns one into a day
(or an amount of time) after the interview; engine/plan/timeline.py picks the
deadline from them.

A clause about something else ("Start date 4 January", "Take-home due
Friday") gives no expression, and the scan says whether the text holds words of
time at all, so that a sentence about the decision that cannot be read is
reported instead of dropped.

Every step looks at each word a bounded number of times (phrases are at most a
few words long): time linear in the text, which is cut at MAX_TEXT.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Literal

MAX_TEXT = 500
"""Timeline text is read up to here."""

LANGUAGES = ("en", "de", "fr", "nl", "es", "it", "pt", "pl")

RELATIVE = frozenset(
    {
        "next-week",
        "this-week",
        "week-after-next",
        "month-end",
        "next-month",
        "year-end",
        "tomorrow",
        "day-after-tomorrow",
    }
)
"""The days counted from the interview that `relative` phrases may name."""

MIN_HOURS = 24
"""Fewer hours than this are a time of day ("à 10 heures", "17h"), not an amount."""

UNIT_KINDS = frozenset({"hours", "days", "weeks", "months", "business days"})

# Categories of the vocabulary, as the data file names them.
_LISTS = (
    "business",
    "within",
    "mid",
    "early",
    "end",
    "next",
    "week_number",
    "week_of",
    "before_month",
    "day_words",
    "also_a_word",
    "decision",
    "not_decision",
    "arrival",
    "compound",
)
_COMMON_LISTS = ("ordinal_suffixes", "time_words", "quarters", "unknown")
_MAX_PHRASE = 6
"""No phrase in the vocabulary is longer than this many words."""

Phrase = tuple[str, ...]


# --- words ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents dropped, one kind of apostrophe and dash: how words are compared."""
    out: list[str] = []
    for ch in text:
        if ch in "’‘`´":
            out.append("'")
        elif ch in "–—‑":
            out.append("-")
        else:
            lowered = ch.lower()
            if lowered.isascii():
                out.append(lowered)
            else:
                decomposed = unicodedata.normalize("NFD", lowered)
                kept = "".join(c for c in decomposed if not unicodedata.combining(c))
                out.append(kept[:1] or lowered[:1])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    glued: bool
    """Written right after the token before it, with no space."""

    @property
    def number(self) -> int | None:
        return int(self.text) if self.text.isdigit() and len(self.text) <= 4 else None


def tokens(text: str) -> list[Token]:
    """Words (with an elision's apostrophe: "d'"), numbers and single punctuation marks.

    ``text`` is folded (one character per character of the original, so
    positions point into it).
    """
    out: list[Token] = []
    index, size = 0, len(text)
    last_end = -1
    while index < size:
        ch = text[index]
        if ch.isspace():
            index += 1
            continue
        start = index
        if ch.isdigit():
            while index < size and text[index].isdigit():
                index += 1
        elif ch.isalpha():
            while index < size and text[index].isalpha():
                index += 1
            if index + 1 < size and text[index] == "'" and text[index + 1].isalpha():
                index += 1  # "d'ici": the article keeps its apostrophe
        else:
            index += 1
        out.append(Token(text[start:index], start, index, start == last_end))
        last_end = index
    return out


def _phrase(text: str) -> Phrase:
    return tuple(t.text for t in tokens(fold(text)))


# --- the vocabulary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The data file, read once: each phrase with what it means, by category."""

    meanings: dict[Phrase, dict[str, object]]
    by_first: dict[str, tuple[Phrase, ...]]
    """The phrases starting with each word, longest first."""
    languages: tuple[str, ...]

    def match(self, words: list[str], index: int, category: str) -> tuple[int, object] | None:
        """The longest phrase of ``category`` at ``index``: (its length in words, its value)."""
        if not 0 <= index < len(words):
            return None
        for phrase in self.by_first.get(words[index], ()):
            if tuple(words[index : index + len(phrase)]) == phrase:
                value = self.meanings[phrase].get(category)
                if value is not None:
                    return len(phrase), value
        return None

    def has(self, words: list[str], index: int, category: str) -> bool:
        return self.match(words, index, category) is not None


def _parse_amount(text: str) -> tuple[int, str]:
    count, _, kind = text.partition(" ")
    if kind not in UNIT_KINDS or not count.isdigit():
        raise ValueError(f"unit {text!r}: expected 'N hours|days|weeks|months|business days'")
    return int(count), kind


def _holiday(text: str) -> tuple[int, int] | Literal[""]:
    if text == "":
        return ""
    month, _, day = text.partition("-")
    date(2000, int(month), int(day))  # a real day of the year, or ValueError
    return int(month), int(day)


def load_vocabulary(text: str) -> Vocabulary:
    """A vocabulary from the data file's text; ValueError names what is wrong in it."""
    data = tomllib.loads(text)
    meanings: dict[Phrase, dict[str, object]] = {}

    def put(words: str, category: str, value: object) -> None:
        phrase = _phrase(words)
        if not phrase or len(phrase) > _MAX_PHRASE:
            raise ValueError(f"{category}: {words!r} is empty or longer than {_MAX_PHRASE} words")
        meanings.setdefault(phrase, {}).setdefault(category, value)

    common = data.get("common", {})
    for category in _COMMON_LISTS:
        for words in common.get(category, []):
            put(words, category, True)
    languages = tuple(name for name in data if name != "common")
    for name in languages:
        table = data[name]
        for category, kind, count in (
            ("months", "month", 12),
            ("short", "short_month", 12),
            ("weekdays", "weekday", 7),
            ("short_weekdays", "short_weekday", 7),
        ):
            rows = table.get(category, [])
            if len(rows) != count:
                raise ValueError(f"[{name}] {category}: expected {count} entries, got {len(rows)}")
            for number, names in enumerate(rows):
                for words in names:
                    put(words, kind, number + 1 if kind in ("month", "short_month") else number)
        for words, value in table.get("numbers", {}).items():
            put(words, "number", int(value))
        for words, value in table.get("units", {}).items():
            put(words, "unit", _parse_amount(str(value)))
        for words, value in table.get("relative", {}).items():
            if value not in RELATIVE:
                raise ValueError(
                    f"[{name}] relative {words!r}: {value!r} is none of {sorted(RELATIVE)}"
                )
            put(words, "relative", value)
        for words, value in table.get("holidays", {}).items():
            put(words, "holiday", _holiday(str(value)))
        for category in _LISTS:
            for words in table.get(category, []):
                put(words, category, True)
    by_first: dict[str, list[Phrase]] = {}
    for phrase in meanings:
        by_first.setdefault(phrase[0], []).append(phrase)
    return Vocabulary(
        meanings,
        {word: tuple(sorted(group, key=len, reverse=True)) for word, group in by_first.items()},
        languages,
    )


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary (engine/data/timelines.toml)."""
    text = (
        resources.files("followup.engine")
        .joinpath("data/timelines.toml")
        .read_text(encoding="utf-8")
    )
    return load_vocabulary(text)


# --- expressions ------------------------------------------------------------------------------

Kind = Literal[
    "date",  # day, month, year (year may be None)
    "numeric",  # first, second, year, separator: read in the region's order later
    "day",  # a day of this or next month ("the 11th")
    "weekday",  # weekday, weeks ahead (0: the next one; 1: "next Friday")
    "week",  # week number (ISO), weekday to take
    "week-of",  # the week of a date: its weekday
    "month",  # month, year, which day (15: mid, 10: early, 0: the last)
    "relative",  # one of RELATIVE, weekday to take in a week
    "amount",  # count, unit kind
    "quarter",  # quarter, year
    "nth-week",  # which week, month, year: its Friday, counted from the month's first Monday
]


@dataclass(frozen=True, slots=True)
class Expression:
    """A time a text names, before it is placed after an interview."""

    kind: Kind
    said: str
    """The words as written (lower case)."""
    values: tuple[object, ...]
    inner: Expression | None = None
    """For "week-of": the day whose week it is."""


@dataclass(frozen=True, slots=True)
class Scan:
    expressions: tuple[Expression, ...]
    timeish: bool
    """The text holds a word of time (a month, a weekday, a unit, "KW", Easter), read or not."""
    excluded: bool
    """Every time in it stood in a clause about something else (a start date, a take-home)."""
    decision: bool
    """The text speaks of the recruiter's decision."""


_FRIDAY, _TUESDAY, _WEDNESDAY = 4, 1, 2
_MODIFIER_DAY = {"mid": 15, "early": 10, "end": 0}
_MODIFIER_WEEKDAY = {"mid": _WEDNESDAY, "early": _TUESDAY, "end": _FRIDAY}
_RANGE_WORDS = frozenset(
    "- / to or bis à a ou o tot of en e i lub do oder y und et and".replace("à", "a").split()
)
_TIME_CATEGORIES = (
    "month",
    "weekday",
    "unit",
    "relative",
    "holiday",
    "week_of",
)


class _Reader:
    """One pass over the words of a text."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.folded = fold(original)
        self.tokens = tokens(self.folded)
        self.words = [t.text for t in self.tokens]
        self.vocab = vocabulary()

    # The words at an index, by category.
    def at(self, index: int, category: str) -> tuple[int, object] | None:
        return self.vocab.match(self.words, index, category)

    def number_at(self, index: int) -> int | None:
        return self.tokens[index].number if index < len(self.tokens) else None

    def word(self, index: int) -> str:
        return self.words[index] if 0 <= index < len(self.words) else ""

    def said(self, first: int, after: int) -> str:
        return self.original[self.tokens[first].start : self.tokens[after - 1].end].lower()

    def skip(self, index: int, *marks: str) -> int:
        while index < len(self.words) and self.words[index] in marks:
            index += 1
        return index

    # --- dates ---------------------------------------------------------------------------
    def _month_at(self, index: int, *, short: bool) -> tuple[int, int] | None:
        found = self.at(index, "month")
        if found is None and short:
            found = self.at(index, "short_month")
        if found is None:
            return None
        length, month = found
        assert isinstance(month, int)
        return length, month

    def _year_after(self, index: int) -> tuple[int, int | None]:
        """An optional ", 2026" or "de 2026" at ``index``: (index after it, the year)."""
        probe = self.skip(index, ",")
        if self.word(probe) in ("de", "del", "di", "of"):
            probe += 1
        number = self.number_at(probe)
        if number is not None and len(self.words[probe]) == 4 and 1900 < number < 2200:
            return probe + 1, number
        return index, None

    def _ordinal_end(self, index: int) -> tuple[int, bool]:
        """After a day's number: skip a glued ordinal suffix ("15th", "1er") or a dot."""
        if index < len(self.tokens) and self.tokens[index].glued:
            if self.at(index, "ordinal_suffixes") is not None:
                return index + 1, True
            if self.words[index] == "." and not self._glued_number(index + 1):
                return index + 1, True
        return index, False

    def _not_a_day(self, index: int) -> bool:
        """What follows a number makes it no day: a unit, a time of day, a colon."""
        return (
            self.at(index, "unit") is not None
            or self.at(index, "time_words") is not None
            or self.word(index) == ":"
        )

    def date_at(self, index: int) -> tuple[Expression, int] | None:
        """A day at ``index``: numeric, day-month or month-day; (expression, index after)."""
        found = self.numeric_at(index)
        if found is not None:
            return found
        number = self.number_at(index)
        if number is not None and 1 <= number <= 31 and len(self.words[index]) <= 2:
            probe, _ = self._ordinal_end(index + 1)
            probe = self.skip(probe, "de", "of", "di", "del", "van", "-")
            month = self._month_at(probe, short=True)
            if month is not None:
                after = self.skip(probe + month[0], ".")
                if self.word(after) == "-" and self._glued_number(after + 1):
                    after += 1  # 30-Dec-2026
                after, year = self._year_after(after)
                expr = Expression("date", self.said(index, after), (number, month[1], year))
                return expr, after
        month = self._month_at(index, short=True)
        if month is not None:
            probe = self.skip(index + month[0], ".")
            probe = self.skip(probe, "de", "del")
            day = self.number_at(probe)
            if (
                day is not None
                and 1 <= day <= 31
                and len(self.words[probe]) <= 2
                and not self._not_a_day(probe + 1)
            ):
                after, _ = self._ordinal_end(probe + 1)
                after, year = self._year_after(after)
                return Expression("date", self.said(index, after), (day, month[1], year)), after
        return None

    def numeric_at(self, index: int) -> tuple[Expression, int] | None:
        """12/04, 04.12.2026, 2026-12-10, 18-12-2026: glued numbers and separators."""
        first = self.number_at(index)
        if first is None or (self.tokens[index].glued and self.word(index - 1) in (".", "/", "-")):
            return None  # the middle of "1.2.3" or "12/04/2026", not its start
        separator = self.word(index + 1)
        if separator not in (".", "/", "-") or not self._glued(index + 1, index + 2):
            return None
        second = self.number_at(index + 2)
        if second is None:
            return None
        after = index + 3
        third: int | None = None
        third_text = ""
        if self.word(after) == separator and self._glued(after, after + 1):
            third = self.number_at(after + 1)
            if third is not None:
                third_text = self.words[after + 1]
                after += 2
        if len(self.words[index]) == 4:  # 2026-12-10
            if third is None:
                return None
            return Expression("date", self.said(index, after), (third, second, first)), after
        if len(self.words[index]) > 2 or len(self.words[index + 2]) > 2:
            return None
        if third is None and separator == "-" and not self._introduced(index):
            return None  # "2-3": a range; "uiterlijk 11-12" is a day (Dutch)
        if third is not None and len(third_text) not in (2, 4):
            return None
        if (
            third is None
            and separator == "."
            and self.word(after) == "."
            and self._glued(after - 1, after)
        ):
            after += 1  # "18.12."
        if self._not_a_day(after):
            return None
        year = None if third is None else third + (2000 if len(third_text) == 2 else 0)
        expr = Expression(
            "numeric",
            self.said(index, after),
            (first, second, year, "." if separator == "." else "/"),
        )
        return expr, after

    def _introduced(self, index: int) -> bool:
        """Whether a word that comes before a day stands right before ``index`` ("uiterlijk")."""
        return self.at(index - 1, "before_month") is not None or (
            self.at(index - 1, "day_words") is not None
        )

    def _unknown_word(self, index: int) -> bool:
        word = self.word(index)
        return word.isalpha() and word not in self.vocab.by_first

    def _glued_number(self, index: int) -> bool:
        return self._glued(index) and self.number_at(index) is not None

    def _glued(self, *indexes: int) -> bool:
        return all(i < len(self.tokens) and self.tokens[i].glued for i in indexes)

    # --- the reader ----------------------------------------------------------------------
    def weekday_at(self, index: int, *, short: bool) -> tuple[int, int] | None:
        found = self.at(index, "weekday")
        if found is None and short:
            found = self.at(index, "short_weekday")
        if found is None:
            return None
        length, day = found
        assert isinstance(day, int)
        return length, day

    def week_phrase_at(self, index: int) -> tuple[int, str] | None:
        found = self.at(index, "relative")
        if found is None or found[1] not in ("next-week", "this-week", "week-after-next"):
            return None
        length, value = found
        return length, str(value)

    def read_at(self, index: int) -> tuple[Expression | None, int]:
        """The expression starting at ``index`` (or None) and the index to go on from."""
        for reader in (
            self._weekday_first,
            self._week_cues,
            self._modified,
            self._relative_or_holiday,
            self._numbers,
        ):
            found = reader(index)
            if found is not None:
                return found
        return None, index + 1

    def _weekday_first(self, index: int) -> tuple[Expression | None, int] | None:
        """A weekday: before a date it is part of it; beside "next week" it is a day in it."""
        weekday = self.weekday_at(index, short=True)
        if weekday is None:
            return None
        probe = self.skip(index + weekday[0], ",", ".", "le", "el", "il", "den", "the")
        dated = self.date_at(probe) or self.day_at(probe)
        if dated is not None:
            return dated
        if self.at(index, "weekday") is None:
            return None  # "Fr", "do": an abbreviation alone is no day
        after = index + weekday[0]
        for gap in range(3):  # "Friday next week", "vendredi de la semaine prochaine"
            week = self.week_phrase_at(after + gap)
            if week is not None:
                end = after + gap + week[0]
                return Expression("relative", self.said(index, end), (week[1], weekday[1])), end
        start, ahead = index, 0
        if self.at(index - 1, "next") is not None:
            start, ahead = index - 1, 1
        elif (following := self.at(after, "next")) is not None:
            after, ahead = after + following[0], 1
        return Expression("weekday", self.said(start, after), (weekday[1], ahead)), after

    def _week_cues(self, index: int) -> tuple[Expression | None, int] | None:
        """A week named by the day it starts on ("w/c 7 December") or by its number ("KW 50")."""
        cue = self.at(index, "week_of")
        if cue is not None:
            probe = index + cue[0]
            weekday_first = self.weekday_at(probe, short=True)
            if weekday_first is not None:
                probe = self.skip(probe + weekday_first[0], ",")
            dated = self.date_at(probe) or self.day_at(probe)
            if dated is not None:
                inner, after = dated
                return Expression("week-of", self.said(index, after), (_FRIDAY,), inner), after
        week = self.week_number_at(index, _FRIDAY)
        if week is not None:
            return week
        return self.nth_week_at(index) or self.numbered_week_at(index)

    def _modified(self, index: int) -> tuple[Expression | None, int] | None:
        """ "mid May", "Anfang Januar", "early next week", "Ende KW 50", "fin du mois prochain"."""
        for modifier in ("mid", "early", "end"):
            found = self.at(index, modifier)
            if found is None:
                continue
            probe = self.skip(index + found[0], "-", "of", "de", "di", "van", "der", "des")
            month = self._month_at(probe, short=False)
            if month is not None:
                after, year = self._year_after(probe + month[0])
                values: tuple[object, ...] = (month[1], year, _MODIFIER_DAY[modifier])
                return Expression("month", self.said(index, after), values), after
            phrase = self.week_phrase_at(probe)
            if phrase is not None:
                after = probe + phrase[0]
                values = (phrase[1], _MODIFIER_WEEKDAY[modifier])
                return Expression("relative", self.said(index, after), values), after
            month_phrase = self.at(probe, "relative")
            if month_phrase is not None and month_phrase[1] == "next-month":
                after = probe + month_phrase[0]
                values = (0, None, _MODIFIER_DAY[modifier])
                return Expression("month", self.said(index, after), values), after
            week = self.week_number_at(probe, _MODIFIER_WEEKDAY[modifier], start=index)
            if week is not None:
                return week
        return None

    def _relative_or_holiday(self, index: int) -> tuple[Expression | None, int] | None:
        relative = self.at(index, "relative")
        if relative is not None:
            after = index + relative[0]
            weekday = _FRIDAY
            if self.week_phrase_at(index) is not None:
                # "volgende week dinsdag", "next week, Tuesday": that day of the week.
                probe = self.skip(after, ",", "on", "op", "am", "le", "el", "il")
                day = self.weekday_at(probe, short=False)
                if day is not None:
                    weekday, after = day[1], probe + day[0]
            values = (relative[1], weekday)
            return Expression("relative", self.said(index, after), values), after
        holiday = self.at(index, "holiday")
        if holiday is not None:
            after = index + holiday[0]
            if not isinstance(holiday[1], tuple):
                return None, after  # a day that moves (Easter): words of time, not read
            month, day_number = holiday[1]
            return Expression("date", self.said(index, after), (day_number, month, None)), after
        if self.word(index) == "q" and self._glued(index + 1):
            quarter = self.number_at(index + 1)
            if quarter is not None and 1 <= quarter <= 4:
                after, year = self._year_after(index + 2)
                return Expression("quarter", self.said(index, after), (quarter, year)), after
        return None

    def _numbers(self, index: int) -> tuple[Expression | None, int] | None:
        """A date, an amount, a day of the month, or a month alone."""
        if (
            self.number_at(index) is not None
            and self.word(index + 1) == ":"
            and self.number_at(index + 2) is not None
        ):
            return None, index + 3  # 10:00 is a time of day
        if self.number_at(index) is not None or self._month_at(index, short=True) is not None:
            dated = self.date_at(index)
            if dated is not None:
                return dated
        found = self.amount_at(index) or self.day_at(index)
        if found is not None:
            return found
        month = self._month_at(index, short=False)
        if month is not None:
            after, year = self._year_after(index + month[0])
            if (
                year is not None
                or self.at(index, "also_a_word") is None
                or self.at(index - 1, "before_month") is not None
            ):
                return Expression("month", self.said(index, after), (month[1], year, 0)), after
        return None

    def nth_week_at(self, index: int) -> tuple[Expression, int] | None:
        """ "the 3rd week of January": the Friday of the third week from the month's first Monday."""
        number = self.number_at(index)
        if number is None or not 1 <= number <= 5:
            return None
        probe, ordinal = self._ordinal_end(index + 1)
        unit = self.at(probe, "unit")
        if not ordinal or unit is None or unit[1] != (1, "weeks"):
            return None
        probe = self.skip(probe + unit[0], "of", "de", "di", "van", "du", "del", "in")
        month = self._month_at(probe, short=True)
        if month is None:
            return None
        after, year = self._year_after(probe + month[0])
        return Expression("nth-week", self.said(index, after), (number, month[1], year)), after

    def numbered_week_at(self, index: int) -> tuple[Expression, int] | None:
        """ "w 46. tygodniu", "50. Kalenderwoche", "46e semaine": a week's number as an
        ordinal before the word for a calendar week (no month after it: "the 3rd week of
        January" is a week of that month)."""
        number = self.number_at(index)
        if number is None or not 1 <= number <= 53:
            return None
        probe, ordinal = self._ordinal_end(index + 1)
        cue = self.at(probe, "week_number") if ordinal else None
        if cue is None:
            return None
        after = probe + cue[0]
        if self._month_at(self.skip(after, "of", "de", "di", "van", "du", "del", "in"), short=True):
            return None
        after, year = self._year_after(after)
        return Expression("week", self.said(index, after), (number, _FRIDAY, year)), after

    def week_number_at(
        self, index: int, weekday: int, *, start: int | None = None
    ) -> tuple[Expression, int] | None:
        cue = self.at(index, "week_number")
        if cue is None:
            return None
        probe = self.skip(index + cue[0], ".", "#", "nr", "no")
        number = self.number_at(probe)
        if number is None or not 1 <= number <= 53 or self._not_a_day(probe + 1):
            return None
        after, year = self._year_after(probe + 1)
        begin = index if start is None else start
        return Expression("week", self.said(begin, after), (number, weekday, year)), after

    def day_at(self, index: int) -> tuple[Expression, int] | None:
        """A day of the month alone: "the 11th", "le 18", "bis zum 18.", "o dia 15"."""
        number = self.number_at(index)
        if number is None or not 1 <= number <= 31 or len(self.words[index]) > 2:
            return None
        after, ordinal = self._ordinal_end(index + 1)
        if self._not_a_day(after) or self._month_at(after, short=True) is not None:
            return None
        introduced = self.at(index - 1, "day_words") is not None or (
            index > 1 and self.at(index - 2, "day_words") is not None
        )
        if not ordinal and not introduced:
            return None
        if (not ordinal or self.word(after - 1) == ".") and self._unknown_word(after):
            return None  # "le 30 aoû", "12. ledna": a month followup does not know
        return Expression("day", self.said(index, after), (number,)), after

    def amount_at(self, index: int) -> tuple[Expression, int] | None:
        """ "2 weeks", "2-3 Wochen", "binnen tien dagen", "10 días hábiles", "za tydzień"."""
        counts: list[int] = []
        probe = index
        first = self._count_at(probe)
        if first is not None and self.word(index) in _RATE_ARTICLES and self._rate_before(index):
            return None  # "40M readers a month", "3 days a week": a rate, no time
        if first is not None:
            counts.append(first[1])
            probe += first[0]
            if self.word(probe) in _RANGE_WORDS:
                second = self._count_at(probe + 1)
                if second is not None:
                    counts.append(second[1])
                    probe += 1 + second[0]
        elif (within := self.at(index, "within")) is not None:
            probe = index + within[0]
        business = False
        if self.at(probe, "business") is not None:
            business, probe = True, probe + 1
        unit = self.at(probe, "unit")
        if unit is None:
            return None
        length, value = unit
        assert isinstance(value, tuple)
        size, kind = value
        after = probe + length
        if self.at(after, "business") is not None:
            business, after = True, after + 1
        if business and kind == "days":
            kind = "business days"
        if self.word(after) in _RATE_ARTICLES | {"per"} and self.at(after + 1, "unit") is not None:
            return None  # "3 days a week", "40 hours per week": a rate
        if not counts:
            if first is None and self.at(index, "within") is None and size == 1:
                return None  # a unit alone ("weeks") is no amount
            counts = [1]
        count = max(counts) * int(size)
        if count <= 0 or (kind == "hours" and count < MIN_HOURS):
            return None
        return Expression("amount", self.said(index, after), (count, kind)), after

    def _rate_before(self, index: int) -> bool:
        """Whether "a" at ``index`` makes a rate of what is counted before it: a number, a
        unit or "once"/"twice"/"times" just before, or a number a word before that."""
        if index == 0 or not self.words[index - 1][:1].isalnum():
            return False  # "in 2 or 3 days, a week at most": a new amount
        before = self.words[index - 1]
        if (
            any(ch.isdigit() for ch in before)
            or before in _RATE_WORDS
            or self.at(index - 1, "unit") is not None
        ):
            return True
        return any(
            any(ch.isdigit() for ch in self.word(at)) for at in range(max(index - 3, 0), index - 1)
        )

    def _count_at(self, index: int) -> tuple[int, int] | None:
        number = self.number_at(index)
        if number is not None:
            return (1, number) if len(self.words[index]) <= 3 else None  # "2026 week": a year
        found = self.at(index, "number")
        if found is None:
            return None
        length, value = found
        assert isinstance(value, int)
        return length, value


_RATE_ARTICLES = frozenset({"a", "an"})
_RATE_WORDS = frozenset({"once", "twice", "thrice", "times"})


def _clauses(reader: _Reader) -> list[int]:
    """The clause each word is in: a new one after ; , ( ) and a sentence's end."""
    clause, out = 0, []
    words, toks = reader.words, reader.tokens
    for index, word in enumerate(words):
        out.append(clause)
        if word in (";", ",", "(", ")", "!", "?", "|"):
            clause += 1
        elif word == "." and not (index > 0 and toks[index - 1].number is not None):
            nxt = toks[index + 1] if index + 1 < len(toks) else None
            short = index > 0 and reader.at(index - 1, "short_month") is not None
            if (nxt is None or not nxt.glued) and not short:
                clause += 1
    return out


def scan(text: str) -> Scan:
    """The time expressions in ``text`` (read up to MAX_TEXT), and what kind of text it is."""
    reader = _Reader(text[:MAX_TEXT])
    words = reader.words
    clauses = _clauses(reader)
    count = clauses[-1] + 1 if clauses else 0
    decision = [False] * count
    other = [False] * count
    arriving = [False] * count
    timeish = False
    for index in range(len(words)):
        if reader.at(index, "decision") is not None:
            decision[clauses[index]] = True
        if reader.at(index, "not_decision") is not None:
            other[clauses[index]] = True
        if reader.at(index, "arrival") is not None:
            arriving[clauses[index]] = True
        if not timeish:
            timeish = any(reader.at(index, c) is not None for c in _TIME_CATEGORIES) or (
                reader.at(index, "week_number") is not None
                and reader.number_at(index + 1) is not None
            )
    found: list[Expression] = []
    dropped = False
    index = 0
    while index < len(words):
        expression, after = reader.read_at(index)
        if expression is not None:
            clause = clauses[index]
            if (other[clause] and not decision[clause]) or arriving[clause]:
                dropped = True
            else:
                found.append(expression)
            timeish = True
        index = max(after, index + 1)
    return Scan(tuple(found), timeish, dropped and not found, any(decision))


def speaks_of_decision(text: str) -> bool:
    """Whether a sentence holds a word about the recruiter's decision, in any language known.

    Most lines of notes hold none: their words are first looked up alone, and
    only a line with a word that starts a decision phrase is read in full.
    """
    first_words = _decision_first_words()
    line = text[:MAX_TEXT]
    words = [word if word.isascii() else fold(word) for word in _LETTERS.findall(line.lower())]
    tails = _decision_tails()
    if any(word.endswith(tails) for word in words):
        return True  # "Die Auswahlentscheidung wird in der KW 50 getroffen"
    if not any(word in first_words for word in words):
        return False
    reader = _Reader(line)
    return any(reader.at(i, "decision") is not None for i in range(len(reader.words)))


@cache
def _decision_tails() -> tuple[str, ...]:
    """The decision nouns that end compounds ("entscheidung" of "Auswahlentscheidung"): a
    word ending in one, or the noun itself, speaks of the decision."""
    return tuple(
        phrase[0]
        for phrase, meaning in vocabulary().meanings.items()
        if "compound" in meaning and len(phrase) == 1
    )


_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _decision_first_words() -> frozenset[str]:
    vocabulary_ = vocabulary()
    return frozenset(
        phrase[0].rstrip("'")
        for phrase, meaning in vocabulary_.meanings.items()
        if "decision" in meaning
    )


def says_unknown(text: str) -> bool:
    """Whether a Timeline line says there is none yet ("TBD", "not given", "offen")."""
    reader = _Reader(text[:MAX_TEXT])
    found = reader.at(0, "unknown")
    return found is not None and found[0] >= len(
        [w for w in reader.words if w not in (".", "!", "(", ")")]
    )


# --- placing an expression after the interview -----------------------------------------------

DateOrder = Literal["DMY", "MDY"]


@dataclass(frozen=True, slots=True)
class Placed:
    """An expression placed after an interview: a last day, or an amount of time."""

    day: date | None
    amount: tuple[int, str] | None
    said: str
    guessed_order: bool = False
    """A numeric date that reads two ways was read in the region's order."""


_MOST = {"hours": 24 * 3000, "days": 3000, "business days": 2000, "weeks": 400, "months": 100}
"""An amount is read up to here (some eight years): a plan never goes further."""

PAST_DAYS = 92
"""A day without a year up to this long before the interview is in the past, not next year's."""


def place(
    expression: Expression,
    after: date,
    order: DateOrder,
    *,
    dotted_order: DateOrder = "DMY",
    order_told: bool = False,
) -> Placed | None:
    """The day (or amount) an expression names for an interview that ended on ``after``.

    None when it names no day on or after the interview (a day in the past, the
    30th of February).
    """
    kind, values, said = expression.kind, expression.values, expression.said
    if kind == "amount":
        count, unit = values
        assert isinstance(count, int) and isinstance(unit, str)
        return Placed(None, (min(count, _MOST[unit]), unit), said)
    day: date | None = None
    guessed = False
    if kind == "date":
        number, month, year = values
        assert isinstance(number, int) and isinstance(month, int)
        day = _next_date(after, month, number, year if isinstance(year, int) else None)
    elif kind == "numeric":
        first, second, year, separator = values
        assert isinstance(first, int) and isinstance(second, int)
        used = dotted_order if separator == "." else order
        number, month = (first, second) if used == "DMY" else (second, first)
        if not 1 <= month <= 12:
            number, month = month, number  # only the other order is a date
        elif (
            separator != "." and not order_told and first <= 12 and second <= 12 and first != second
        ):
            guessed = True
        known_year = year if isinstance(year, int) else None
        day = _next_date(after, month, number, known_year)
        if guessed and (day is None or day < after):
            day = _next_date(after, number, month, known_year)  # the other order is ahead
    elif kind == "day":
        (number,) = values
        assert isinstance(number, int)
        day = _next_date(after, after.month, number, None, roll_month=True)
    elif kind == "weekday":
        weekday, ahead = values
        assert isinstance(weekday, int) and isinstance(ahead, int)
        days = (weekday - after.weekday()) % 7 or 7
        if ahead and days < 7:
            days += 7
        day = after + timedelta(days=days)
    elif kind == "week":
        number, weekday, year = values
        assert isinstance(number, int) and isinstance(weekday, int)
        day = _week_day(after, number, weekday, year if isinstance(year, int) else None)
    elif kind == "week-of":
        (weekday,) = values
        assert isinstance(weekday, int) and expression.inner is not None
        inner = place(
            expression.inner, after, order, dotted_order=dotted_order, order_told=order_told
        )
        if inner is None or inner.day is None:
            return None
        # That week's Friday: the first on or after the day it starts on (a week
        # "commencing" on a Sunday ends on the Friday after it, never before).
        day = inner.day + timedelta(days=(weekday - inner.day.weekday()) % 7)
        guessed = inner.guessed_order
    elif kind == "month":
        month, year, which = values
        assert isinstance(month, int) and isinstance(which, int)
        if month == 0:  # next month
            month = after.month % 12 + 1
            year = after.year + (1 if month == 1 else 0)
        base = year if isinstance(year, int) else after.year
        first = date(base, month, 1)
        day = _month_end(first) if which == 0 else first.replace(day=which)
        if day < after and not isinstance(year, int) and (after - day).days > PAST_DAYS:
            day = _month_end(date(base + 1, month, 1)) if which == 0 else day.replace(base + 1)
    elif kind == "relative":
        name = values[0]
        weekday = values[1] if len(values) > 1 else _FRIDAY
        assert isinstance(weekday, int)
        day = _relative(str(name), after, weekday)
    elif kind == "quarter":
        quarter, year = values
        assert isinstance(quarter, int)
        last_month = 3 * quarter
        end = _month_end(date(year if isinstance(year, int) else after.year, last_month, 1))
        if end < after and not isinstance(year, int):
            end = _month_end(date(after.year + 1, last_month, 1))
        day = end
    elif kind == "nth-week":
        number, month, year = values
        assert isinstance(number, int) and isinstance(month, int)
        base = year if isinstance(year, int) else after.year
        for candidate in (base,) if isinstance(year, int) else (base, base + 1):
            first = date(candidate, month, 1)
            monday = first + timedelta(days=(7 - first.weekday()) % 7)
            day = monday + timedelta(days=7 * (number - 1) + _FRIDAY)
            if day >= after:
                break
    if day is None or day < after:
        return None
    return Placed(day, None, said, guessed)


def _relative(name: str, after: date, weekday: int) -> date:
    if name in ("this-week", "next-week", "week-after-next"):
        weeks = {"this-week": 0, "next-week": 1, "week-after-next": 2}[name]
        monday = after - timedelta(days=after.weekday())
        if after.weekday() >= 5 and name == "this-week":
            weeks = 1  # said on a weekend: the coming week
        return monday + timedelta(days=7 * weeks + weekday)
    if name == "month-end":
        return _month_end(after)
    if name == "next-month":
        return _month_end(_month_end(after) + timedelta(days=1))
    if name == "year-end":
        return date(after.year, 12, 31)
    if name == "tomorrow":
        return after + timedelta(days=1)
    return after + timedelta(days=2)  # the day after tomorrow


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_date(
    after: date,
    month: int,
    day: int,
    year: int | None,
    *,
    roll_month: bool = False,
) -> date | None:
    """The day with this month and day: in ``year``, or the next one after ``after``.

    A day without a year a little before the interview (up to PAST_DAYS) was
    in the past ("we met on 20 November"): None, not next year's.
    """
    if year is not None:
        return _date(year, month, day)
    found = _date(after.year, month, day)
    if found is None:
        return None
    if found < after:
        if roll_month:
            nxt = _month_end(after) + timedelta(days=1)
            return _date(nxt.year, nxt.month, day)
        if (after - found).days <= PAST_DAYS:
            return None
        return _date(after.year + 1, month, day)
    return found


def _month_end(day: date) -> date:
    first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)


def _week_day(after: date, week: int, weekday: int, year: int | None) -> date | None:
    for candidate in (year,) if year is not None else (after.year, after.year + 1):
        assert candidate is not None
        try:
            found = date.fromisocalendar(candidate, week, weekday + 1)
        except ValueError:
            continue
        if found >= after or year is not None:
            return found
    return None
