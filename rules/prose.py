"""Well-formed text in drafted emails: notes made into sentences, dates, salutations.

People write Highlights and Fit as notes ("Loved the team. Take-home went
well!"), fragments ("the whiteboard session"), lists or full sentences. A
template cannot know which, so ``notes`` decides: a single noun phrase goes
into the sentence after its lead ("I especially appreciated the whiteboard
session."); anything else is quoted as a short list under a lead-in, which is
always well-formed. Never a doubled period, never a capitalised fragment in
mid-sentence.

Dates and salutations follow the draft's language (en, de, fr, nl or es). The
form of address comes from the name as written: "Frau Berger", "Herr Dr.
Krause", "Ms Berger", "Mme Dupont", "mevrouw de Vries" or "Sra. López" give the
formal salutation each language uses ("Sehr geehrte Frau Berger," / "Dear Ms
Berger," / "Madame," / "Geachte mevrouw De Vries," / "Estimada Sra. López:"); a
plain name gives "Dear Dana," or "Guten Tag Dana Berger,"; no name a neutral
one ("Hello," / "Guten Tag," / "Madame, Monsieur," / "Geachte heer, mevrouw," /
"Buenos días:").

Pure and linear: every function makes one pass over its input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

Language = Literal["en", "de", "fr", "nl", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "de", "fr", "nl", "es")

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
MONTHS["fr"] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS["nl"] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS["es"] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}


def language_of(value: object) -> Language:
    for language in LANGUAGES:
        if value == language:
            return language
    return "en"


def day_month(day: date, language: Language = "en") -> str:
    """'15 December' / '15. Dezember' / '1er décembre' / '15 december' / '15 de diciembre'."""
    month = MONTHS[language][day.month - 1]
    if language == "de":
        return f"{day.day}. {month}"
    if language == "fr":
        return f"{day.day}{'er' if day.day == 1 else ''} {month}"
    if language == "es":
        return f"{day.day} de {month}"
    return f"{day.day} {month}"


def long_date(day: date, language: Language = "en") -> str:
    """'Tuesday 1 December' / 'Dienstag, 1. Dezember' / 'mardi 1er décembre' / ..."""
    weekday = WEEKDAYS[language][day.weekday()]
    sep = ", " if language == "de" else " "
    return f"{weekday}{sep}{day_month(day, language)}"


AND = {"en": "and", "de": "und", "fr": "et", "nl": "en", "es": "y"}


def joined(items: list[str], language: Language = "en") -> str:
    """'Sam, Kim and Lee' / 'Sam, Kim und Lee' / ... ('' for none)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[language]} {items[-1]}"


GAPS = {
    "en": ("[what stood out for you]", "[why the role fits you]"),
    "de": ("[was Ihnen besonders gefallen hat]", "[warum die Stelle zu Ihnen passt]"),
    "fr": ("[ce qui vous a marqué]", "[pourquoi le poste vous correspond]"),
    "nl": ("[wat u is bijgebleven]", "[waarom de functie bij u past]"),
    "es": ("[lo que más le llamó la atención]", "[por qué el puesto encaja con usted]"),
}
"""The marked gaps a draft leaves where the user noted nothing: never an invented moment."""


def gaps_in(text: str) -> tuple[str, ...]:
    """The marked gaps a draft still has, in every language's words."""
    return tuple(gap for pair in GAPS.values() for gap in pair if gap in text)


EMAIL_LIST_LEAD = {
    "en": "One email each ({count}):",
    "de": "Je eine E-Mail ({count}):",
    "fr": "Un e-mail pour chacun ({count}) :",
    "nl": "Eén e-mail per persoon ({count}):",
    "es": "Un correo para cada persona ({count}):",
}

_ROLE_CUTS = (" - ", " – ", " — ", " | ", " / ", ", ", "; ", ": ", " (", "(", "[")
MAX_ROLE = 40
"""The longest role a subject line names: a longer one is a note, not a job's name."""


def role_name(role: str | None) -> str | None:
    """A role as a subject line names it: its name without the notes after it
    ("Senior Backend Engineer, Payments (hybrid, 3 days Berlin)" -> "Senior Backend
    Engineer"); None when even that is longer than a job's name."""
    if not role:
        return None
    text = " ".join(role.split())
    cut = len(text)
    for mark in _ROLE_CUTS:
        at = text.find(mark)
        if 0 < at < cut:
            cut = at
    name = text[:cut].strip(" .,;:-–—")
    if not name or len(name) > MAX_ROLE:
        return None
    return name


# ------------------------------------------------------------ salutations ----

_FEMALE = {
    "frau",
    "ms",
    "ms.",
    "mrs",
    "mrs.",
    "miss",
    "mme",
    "mme.",
    "madame",
    "mevrouw",
    "mevr.",
    "mw.",
    "sra.",
    "sra",
    "señora",
    "srta.",
}
_MALE = {
    "herr",
    "mr",
    "mr.",
    "hr.",
    "hr",
    "m.",
    "monsieur",
    "dhr.",
    "heer",
    "meneer",
    "sr.",
    "sr",
    "señor",
    "don",
}
_NEUTRAL_TITLES = {"mx", "mx.", "dr", "dr.", "prof", "prof.", "professor", "dra.", "drs.", "ir."}
_ACADEMIC = {"dr", "dr.", "prof", "prof.", "professor", "dra.", "drs.", "ir."}
_TWO_WORD_MALE = ("de heer",)  # "de heer Jansen"


def _address(name: str | None) -> tuple[str | None, list[str]]:
    """('f' | 'm' | 'n' | None, the name's words): how the name says to address them."""
    last, comma, first = (name or "").partition(",")
    if comma and last.strip() and first.strip():  # "Berger, Anna", as directories write it
        name = f"{first} {last}"
    words = (name or "").replace(",", " ").split()
    if not words:
        return None, []
    if len(words) > 2 and " ".join(words[:2]).casefold() in _TWO_WORD_MALE:
        return "m", words[2:]
    first = words[0].casefold()
    if first in _FEMALE and len(words) > 1:
        return "f", words[1:]
    if first in _MALE and len(words) > 1:
        return "m", words[1:]
    if first in _NEUTRAL_TITLES and len(words) > 1:
        return "n", words
    return None, words


def plain_name(name: str | None) -> str | None:
    """A name as a To: line shows it: without its form of address when a full name is left
    ("Frau Anna Berger" -> "Anna Berger"; "Frau Berger" and "Dr. Krause" stay)."""
    if not name:
        return None
    form, words = _address(name)
    if form in ("f", "m") and len(words) >= 2:
        return " ".join(words)
    return " ".join(name.split()) or None


def first_name(name: str | None) -> str | None:
    """The first name, or None when the name starts with a form of address ("Frau Berger")."""
    form, words = _address(name)
    if form is not None or not words:
        return None
    return words[0]


def short_name(name: str | None, language: Language = "en") -> str | None:
    """How a title speaks of someone: 'Dana', or 'Frau Berger' / 'Ms Berger' / 'Mme Dupont'."""
    form, words = _address(name)
    if not words:
        return None
    if form is None:
        return words[0]
    return _formal(form, words, language)


_FORMS = {
    "en": ("Ms", "Mr"),
    "de": ("Frau", "Herr"),
    "fr": ("Mme", "M."),
    "nl": ("mevrouw", "heer"),
    "es": ("Sra.", "Sr."),
}


def _formal(form: str, words: list[str], language: Language) -> str:
    rest = " ".join(words)
    if language == "nl":
        rest = rest[:1].upper() + rest[1:]  # "mevrouw De Vries": the surname's particle is capital
    if form == "n" or (language != "de" and words[0].casefold() in _ACADEMIC):
        return rest  # "Dr. Krause" in English, "Herr Dr. Krause" in German
    female, male = _FORMS[language]
    return f"{female if form == 'f' else male} {rest}"


def greeting(name: str | None, language: Language = "en") -> str:
    """The salutation line, with its comma (a colon in Spanish, as Spanish letters write it)."""
    form, words = _address(name)
    if language == "de":
        if form == "f":
            return f"Sehr geehrte {_formal(form, words, language)},"
        if form == "m":
            return f"Sehr geehrter {_formal(form, words, language)},"
        if words:
            return f"Guten Tag {' '.join(words)},"
        return "Guten Tag,"
    if language == "fr":
        if form == "f":
            return "Madame,"
        if form == "m":
            return "Monsieur,"
        if words:
            return f"Bonjour {' '.join(words)},"
        return "Madame, Monsieur,"
    if language == "nl":
        if form is not None:
            return f"Geachte {_formal(form, words, language)},"
        if words:
            return f"Beste {words[0]},"
        return "Geachte heer, mevrouw,"
    if language == "es":
        if form == "f":
            return f"Estimada {_formal(form, words, language)}:"
        if form == "m":
            return f"Estimado {_formal(form, words, language)}:"
        if words:
            return f"Buenos días, {' '.join(words)}:"
        return "Buenos días:"
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
    "fr": {
        "le", "la", "les", "l'", "un", "une", "des", "votre", "vos", "leur", "leurs", "ce",
        "cet", "cette", "ces", "mon", "ma", "mes", "notre", "nos", "comment", "ce que",
    },
    "nl": {
        "de", "het", "een", "uw", "hun", "ons", "onze", "die", "dat", "deze", "dit", "mijn",
        "hoe", "wat", "jullie",
    },
    "es": {
        "el", "la", "los", "las", "un", "una", "su", "sus", "nuestro", "nuestra", "este",
        "esta", "estos", "estas", "mi", "mis", "cómo", "lo",
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
    "fr": {
        "je", "j'ai", "nous", "ils", "elles", "il", "elle", "on", "est", "était", "sont",
        "étaient", "ai", "avait", "avons", "c'est", "c'était", "très", "super", "bien",
        "génial", "aimé", "adoré", "trouvé", "semblait", "correspond",
    },
    "nl": {
        "ik", "wij", "we", "zij", "hij", "is", "was", "waren", "zijn", "heb", "had",
        "hebben", "erg", "heel", "leuk", "goed", "super", "ging", "vond", "leek", "past",
    },
    "es": {
        "yo", "nosotros", "ellos", "ella", "él", "es", "era", "fue", "son", "fueron",
        "estaba", "está", "tengo", "tuve", "muy", "genial", "bien", "gustó", "encantó",
        "encaja", "parecía",
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
            item = items[0]
            if language in ("fr", "nl", "es"):
                item = item[0].lower() + item[1:]  # no capital after a colon in these
            return f"{lead} {item}{'' if item[-1] in '!?' else '.'}"
    head = list_lead or (lead if lead.endswith(":") else lead + ":")
    return head + "".join(f"\n- {item}" for item in items)


def _starts_as_first_person(item: str, language: Language) -> bool:
    words = _words(item)
    if not words or item[:1] != item[:1].upper():
        return False
    starts = {
        "en": {"i", "i'm", "i've", "my"},
        "de": {"ich", "mein", "meine", "meinen"},
        "fr": {"je", "j'ai", "mon", "ma", "mes"},
        "nl": {"ik", "mijn"},
        "es": {"yo", "mi", "mis", "tengo", "he"},
    }
    return words[0] in starts[language] and "?" not in item
