"""Well-formed text in drafted emails: notes made into sentences, dates, salutations.

People write Highlights and Fit as notes ("Loved the team. Take-home went
well!"), fragments ("the whiteboard session"), lists or full sentences. A
template cannot know which, so ``notes`` decides: a single noun phrase goes
into the sentence after its lead ("I especially appreciated the whiteboard
session."); anything else is quoted as a short list under a lead-in, which is
always well-formed. Never a doubled period, never a capitalised fragment in
mid-sentence.

Dates and salutations follow the policy's ``language`` (en or de). The form
of address comes from the recruiter's name as written: "Frau Berger", "Herr
Dr. Krause", "Ms Berger" or "Mr Smith" give a formal salutation ("Sehr
geehrte Frau Berger," / "Dear Ms Berger,"); a plain name gives "Dear Dana,"
or "Guten Tag Dana Berger,"; no name a neutral one ("Hello," / "Guten Tag,").

Pure and linear: every function makes one pass over its input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "de")

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
}


def language_of(value: object) -> Language:
    return "de" if value == "de" else "en"


def day_month(day: date, language: Language = "en") -> str:
    """'15 December' / '15. Dezember'."""
    month = MONTHS[language][day.month - 1]
    return f"{day.day}. {month}" if language == "de" else f"{day.day} {month}"


def long_date(day: date, language: Language = "en") -> str:
    """'Tuesday 1 December' / 'Dienstag, 1. Dezember'."""
    weekday = WEEKDAYS[language][day.weekday()]
    sep = ", " if language == "de" else " "
    return f"{weekday}{sep}{day_month(day, language)}"


# ------------------------------------------------------------ salutations ----

_FEMALE = {"frau", "ms", "ms.", "mrs", "mrs.", "miss"}
_MALE = {"herr", "mr", "mr.", "hr.", "hr"}
_NEUTRAL_TITLES = {"mx", "mx.", "dr", "dr.", "prof", "prof.", "professor"}
_ACADEMIC = {"dr", "dr.", "prof", "prof.", "professor"}


def _address(name: str | None) -> tuple[str | None, list[str]]:
    """('f' | 'm' | 'n' | None, the name's words): how the name says to address them."""
    last, comma, first = (name or "").partition(",")
    if comma and last.strip() and first.strip():  # "Berger, Anna", as directories write it
        name = f"{first} {last}"
    words = (name or "").replace(",", " ").split()
    if not words:
        return None, []
    first = words[0].casefold()
    if first in _FEMALE and len(words) > 1:
        return "f", words[1:]
    if first in _MALE and len(words) > 1:
        return "m", words[1:]
    if first in _NEUTRAL_TITLES and len(words) > 1:
        return "n", words
    return None, words


def first_name(name: str | None) -> str | None:
    """The first name, or None when the name starts with a form of address ("Frau Berger")."""
    form, words = _address(name)
    if form is not None or not words:
        return None
    return words[0]


def short_name(name: str | None, language: Language = "en") -> str | None:
    """How a title speaks of the recruiter: 'Dana', or 'Frau Berger' / 'Ms Berger'."""
    form, words = _address(name)
    if not words:
        return None
    if form is None:
        return words[0]
    return _formal(form, words, language)


def _formal(form: str, words: list[str], language: Language) -> str:
    rest = " ".join(words)
    if form == "n" or (language == "en" and words[0].casefold() in _ACADEMIC):
        return rest  # "Dr. Krause" in English, "Herr Dr. Krause" in German
    if language == "de":
        return f"{'Frau' if form == 'f' else 'Herr'} {rest}"
    return f"{'Ms' if form == 'f' else 'Mr'} {rest}"


def greeting(name: str | None, language: Language = "en") -> str:
    """The salutation line, comma included."""
    form, words = _address(name)
    if language == "de":
        if form == "f":
            return f"Sehr geehrte {_formal(form, words, language)},"
        if form == "m":
            return f"Sehr geehrter {_formal(form, words, language)},"
        if words:
            return f"Guten Tag {' '.join(words)},"
        return "Guten Tag,"
    if form is not None:
        return f"Dear {_formal(form, words, language)},"
    if words:
        return f"Dear {words[0]},"
    return "Hello,"


# ------------------------------------------------------------------ notes ----

_BULLET = re.compile(r"^\s*(?:[-*•·–—>]+|\d{1,2}[.)]|[a-z][)])\s+")
# A sentence ends at . ! ? … before a capital or a digit ("e.g. their" goes on).
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ0-9\"“„'‘(\[])")
_DOTS = re.compile(r"\.{2,}")
_SPACE = re.compile(r"\s+")

# Words that start a noun phrase, which can follow "I especially appreciated".
_PHRASE_START = {
    "en": {
        "the", "a", "an", "your", "their", "our", "its", "his", "her", "this", "that",
        "these", "those", "how", "what", "all", "both", "each", "every", "some", "such",
        "my",
    },
    "de": {
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
        "eines", "ihr", "ihre", "ihren", "ihrem", "ihrer", "unser", "unsere", "unseren",
        "unserem", "unserer", "dieser", "diese", "dieses", "diesen", "diesem", "wie", "was",
        "mein", "meine", "meinen", "meinem", "meiner",
    },
}  # fmt: skip
# Words that make a note a sentence of its own (a subject or a finite verb).
_SENTENCE_WORDS = {
    "en": {
        "i", "i'm", "i've", "we", "they", "he", "she", "it", "it's", "you", "is", "was",
        "were", "are", "am", "be", "been", "has", "have", "had", "did", "do", "does", "went",
        "felt", "got", "seemed", "made", "met", "saw", "took", "gave", "told", "said",
        "thought", "found", "came", "knew", "think", "feel", "like", "love", "can", "could",
        "will", "would", "should", "really", "very", "great", "good", "nice", "well",
        "fits", "fit", "matches", "suits", "aligns", "seems", "sounds", "looks", "want",
    },
    "de": {
        "ich", "wir", "sie", "er", "es", "man", "ist", "war", "waren", "sind", "bin", "hat",
        "hatte", "haben", "hatten", "habe", "wurde", "wurden", "ging", "lief", "fand",
        "gefiel", "gefallen", "fühlte", "schien", "gab", "gibt", "kann", "konnte", "passt",
        "macht", "machte", "sehr", "super", "toll", "gut", "war's",
    },
}  # fmt: skip
_GERUND = re.compile(r"^[a-z]{3,}ing$")
_PAST = re.compile(r"^[a-z]{2,}ed$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TRAILING = " \t.,;:!?…-–—"

MAX_ITEMS = 12
"""Notes longer than this many items are kept, in one last item, as written."""


def note_items(notes: str) -> list[str]:
    """The notes as items: lines, bullets, semicolons and sentences each make one."""
    items: list[str] = []
    for line in notes.replace("\r", "\n").split("\n"):
        line = _BULLET.sub("", line, count=1)
        for part in line.split(";"):
            for sentence in _SENTENCE_END.split(part.strip()):
                item = _tidy(sentence)
                if item.strip(_TRAILING):
                    items.append(item)
    if len(items) > MAX_ITEMS:
        items = [*items[: MAX_ITEMS - 1], " ".join(items[MAX_ITEMS - 1 :])]
    return items


def _tidy(text: str) -> str:
    """One line, single spaces, no run of periods, no trailing period, comma or colon."""
    return _DOTS.sub(".", _SPACE.sub(" ", text).strip()).rstrip(" .,;:-–—")


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def noun_phrase(item: str, language: Language = "en") -> str | None:
    """The item as a noun phrase for mid-sentence use, or None when it is not safely one.

    "the whiteboard session" stays; "The whiteboard session" loses its
    capital; "meeting the team" stays; "Loved the team", "The team was
    great" and "I liked it" are sentences or notes, not phrases.
    """
    text = item.strip()
    if not text or text[-1] in "!?" or "." in text.rstrip(".") or ":" in text or len(text) > 200:
        return None
    words = _words(text)
    if not words or len(words) > 30:
        return None
    if any(w in _SENTENCE_WORDS[language] for w in words):
        return None
    if language == "en" and any(_PAST.match(w) for w in words):
        return None
    first_word = _WORD.match(text)
    if first_word is None or first_word.start() != 0:
        return None
    first = words[0]
    if first in _PHRASE_START[language]:
        if language == "de" and first.startswith("ihr"):
            return text  # "Ihr Team": the formal pronoun keeps its capital
        return text[0].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else None
    if language == "en" and text[0].islower() and (_GERUND.match(first) or not _PAST.match(first)):
        return text
    return None


def notes(
    text: str | None,
    lead: str,
    list_lead: str | None = None,
    language: Language = "en",
    *,
    sentence_ok: bool = False,
) -> str:
    """A paragraph from notes: "<lead> <phrase>." or "<list lead>" and a short list.

    With ``sentence_ok`` (a lead ending in a colon), one full sentence that
    starts with "I"/"My" ("Ich"/"Mein") may follow the lead as written.
    """
    if not text or not text.strip():
        return ""
    items = note_items(text)
    if not items:
        return ""
    if len(items) == 1:
        phrase = noun_phrase(items[0], language)
        if phrase is not None:
            return f"{lead} {phrase}."
        if sentence_ok and _starts_as_first_person(items[0], language):
            return f"{lead} {items[0]}{'' if items[0][-1] in '!?' else '.'}"
    head = list_lead or (lead if lead.endswith(":") else lead + ":")
    return head + "".join(f"\n- {item}" for item in items)


def _starts_as_first_person(item: str, language: Language) -> bool:
    words = _words(item)
    if not words or item[:1] != item[:1].upper():
        return False
    starts = {"en": {"i", "i'm", "i've", "my"}, "de": {"ich", "mein", "meine", "meinen"}}
    return words[0] in starts[language] and "?" not in item
