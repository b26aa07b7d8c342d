"""The words that say an event is an interview, in the languages followup knows.

One data file per language (engine/read/data/LANG.toml), read once: interview
words and stage words for titles, the keys of contact lines and the decision
and invitation sentences for notes, and the words of look-alikes (preparing,
practising, training, press, offers, medical, service, social) and of the
user's own hiring (candidate, debrief, hiring committee). The recogniser
(engine/read/recognise.py) weighs them; the title reader (engine/read/facts.py)
knows their words are no company. Pure: no I/O but reading the packaged files.

Words are matched whole, in any case and without accents ("telefonico" is
"telefónico"); a phrase is words in order; "#" stands for a number.

The TOML files are the source; ``data/lexicon.json`` is their compiled form
(``compile_lexicon``), read at start-up because parsing TOML costs a plan tens
of milliseconds. tests/test_recognise_lexicon.py checks that the two agree
(``python tests/lexicon_build.py`` writes the JSON again).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

LANGUAGES = ("en", "de", "fr", "nl", "es", "it", "pt", "pl")
"""The languages with a data file, in the order their words are tried."""

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "nl": "Dutch",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "pl": "Polish",
}

LOOKALIKE_KINDS = (
    "prep",
    "mock",
    "training",
    "press",
    "informational",
    "offer",
    "onboarding",
    "review",
    "medical",
    "service",
    "social",
)
"""The kinds of look-alike a data file's [not] table names, besides ``own``."""

_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Téléphonique" -> "telephonique" (ß and ł stay)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The words of a text, folded: letters and digits; anything else separates."""
    return _TOKEN.findall(fold(text))


def written_tokens(text: str) -> list[str]:
    """The words of a text in lower case with their accents: "Revisión" -> "revisión"."""
    return _TOKEN.findall(text.lower())


def cased_tokens(text: str) -> list[str]:
    """The words of a text as written, capitals and all: "Kestrelmoor Health"."""
    return _TOKEN.findall(text)


def phrase_tokens(text: str) -> tuple[str, ...]:
    """A word or phrase of a list as tokens; '#' stays a token of its own (any number)."""
    found: list[str] = []
    for part in text.split():
        if part == "#":
            found.append("#")
        else:
            found.extend(tokens(part))
    return tuple(found)


def is_number(token: str) -> bool:
    """ "2", "2nd", "3rd", "4th", and as other languages write an ordinal: "2e", "1er",
    "2ème", "2de", "2ª" (tokens are folded: "2eme", "2a")."""
    digits = token.rstrip("abcdefghijklmnopqrstuvwxyz")
    return digits.isdigit() and token[len(digits) :] in _ORDINAL_ENDINGS


_ORDINAL_ENDINGS = frozenset(
    ["", "st", "nd", "rd", "th", "e", "er", "re", "eme", "ere", "de", "ste", "te", "a", "o"]
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase found in a text's tokens: where (start, end) and what it says."""

    start: int
    end: int
    text: str
    """The phrase as the data file writes it."""
    label: str
    """What the phrase stands for (a language, a look-alike kind)."""


class Phrases:
    """Phrases found in a text's tokens in one pass: each position tries only the phrases
    that start with its token, so the work is the text's length times the few phrases
    sharing a first word."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for text, label in entries:
            words = phrase_tokens(text)
            if words:
                self._by_first[words[0]].append((words, text, label))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))  # the longest phrase first
        self.firsts = frozenset(self._by_first)
        self._anchors: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for candidates in self._by_first.values():
            for phrase, text, label in candidates:
                anchor = max((t for t in phrase if t != "#"), key=len, default="#")
                self._anchors[anchor].append((phrase, text, label))

    def find(self, words: Sequence[str], limit: int = 64) -> list[Hit]:
        """Every phrase in ``words``, longest first at each position, without overlaps."""
        hits: list[Hit] = []
        index = 0
        while index < len(words) and len(hits) < limit:
            token = words[index]
            candidates = self._by_first.get(token, [])
            if is_number(token):
                candidates = [*candidates, *self._by_first.get("#", [])]
            for phrase, text, label in candidates:
                size = len(phrase)
                if size <= len(words) - index and all(
                    want == got or (want == "#" and is_number(got))
                    for want, got in zip(phrase[1:], words[index + 1 :], strict=False)
                ):
                    hits.append(Hit(index, index + size, text, label))
                    index += size - 1
                    break
            index += 1
        return hits

    def any_in(self, words: Sequence[str]) -> Hit | None:
        """A phrase found in ``words`` (which one, not where): a quick test by each
        phrase's longest word, then the phrase itself in the joined text."""
        present = self._anchors.keys() & set(words)
        if not present:
            return None
        joined = f" {' '.join(words)} "
        for anchor in sorted(present):
            for phrase, text, label in self._anchors[anchor]:
                if "#" in phrase:
                    found = self.find(words, limit=1)
                    return found[0] if found else None
                if f" {' '.join(phrase)} " in joined:
                    return Hit(-1, -1, text, label)
        return None

    def first(self, words: Sequence[str]) -> Hit | None:
        found = self.find(words, limit=1)
        return found[0] if found else None


@dataclass(frozen=True)
class Lexicon:
    """Every language's words, merged; each hit says which language or kind it is."""

    interview: Phrases
    interview_texts: tuple[tuple[str, str], ...]
    """The interview words and phrases as the data files write them, with their language."""
    stage: Phrases
    talk: Phrases
    lookalike: Phrases
    """Labelled with the look-alike kind ("prep", "medical", ...)."""
    own: Phrases
    contact_keys: dict[str, str]
    """A contact line's key, folded and with single spaces, and its language."""
    decision: Phrases
    """Sentences about deciding and the next steps, labelled with their language."""
    itinerary: Phrases
    """Text scheduling systems write into invitations."""
    team: Phrases
    """Words in a name or address that say it is an employer's recruiting team."""
    agency: Phrases
    """Words in a company's name or domain that say it is a recruiting agency's."""
    agency_texts: tuple[str, ...]
    """The same words as the data files write them."""
    agency_brands: frozenset[str]
    """Agencies known by a brand ("hays", "robert half"), folded: an agency only when a name
    or domain is the brand itself."""
    client: Phrases
    """Phrases an agency writes before the employer it recruits for ("my client")."""
    offer: Phrases
    """Words of an offer in the notes ("the details of our offer"), labelled "offer"."""
    job: Phrases
    """Words for the job applied for in a sentence ("position", "Stelle", "vacature")."""
    job_texts: tuple[tuple[str, str], ...]
    """The same, as the data files write them, with their language."""
    title_words: frozenset[str]
    """Every token of an interview, stage or conversation phrase: never part of a company."""
    business_words: frozenset[str]
    """Tokens that make a name a company's ("Fathom Bank"), not a person's."""
    and_words: frozenset[str]
    """The words that join two people's names ("and", "et", "y"), in lower case."""
    role_words: frozenset[str]
    """Words that make a name a job ("Analyste", "Specjalista"), folded."""
    place_words: frozenset[str]
    """Words of a place after a company's name in a location ("HQ", "Hauptsitz")."""
    aside_words: frozenset[str]
    """Tokens of notes about the meeting itself ("moved", "3 parts") and of the people met by
    their function ("the CTO", "the founder"): never a company."""


def compile_lexicon(sources: dict[str, str]) -> dict[str, object]:
    """The compiled form of the data files: their TOML texts by language, as one object."""
    import tomllib

    return {language: tomllib.loads(sources[language]) for language in LANGUAGES}


@cache
def _compiled() -> dict[str, object]:
    text = resources.files("followup.engine.read").joinpath("data/lexicon.json").read_text("utf-8")
    data = json.loads(text)
    return data if isinstance(data, dict) else {}


def _language_data(language: str) -> dict[str, object]:
    data = _compiled().get(language)
    return data if isinstance(data, dict) else {}


def _strings(table: object, key: str) -> list[str]:
    if not isinstance(table, dict):
        return []
    values = table.get(key, [])
    return [str(v) for v in values] if isinstance(values, list) else []


MIN_NEAR = 8
"""Interview words this long or longer are also found written with one letter more, less or
changed ("Solicitatiegesprek", "Vorstellungsgepräch"): long words are where people slip."""


def _deletions(word: str) -> set[str]:
    return {word[:at] + word[at + 1 :] for at in range(len(word))}


@cache
def _near_index() -> dict[str, str]:
    """Each long interview word and every form of it with one letter left out."""
    index: dict[str, str] = {}
    for text, _ in lexicon().interview_texts:
        words = phrase_tokens(text)
        if len(words) == 1 and len(words[0]) >= MIN_NEAR:
            for form in (words[0], *_deletions(words[0])):
                index.setdefault(form, words[0])
    return index


@lru_cache(maxsize=4096)
def near_interview_word(token: str) -> str | None:
    """The long interview word that ``token`` (folded) is one slip away from, or None:
    "solicitatiegesprek" -> "sollicitatiegesprek"; a word that is itself listed is None."""
    if len(token) < MIN_NEAR - 1 or not token.isalpha():
        return None
    index = _near_index()
    known = lexicon()
    if index.get(token) == token or token in known.title_words or token in known.aside_words:
        return None  # a word of the lists as it is written
    for form in (token, *_deletions(token)):
        found = index.get(form)
        if found is not None and found != token:
            return found
    return None


@cache
def lexicon() -> Lexicon:
    """The packaged vocabularies of all languages, read once."""
    interview: list[tuple[str, str]] = []
    stage: list[tuple[str, str]] = []
    talk: list[tuple[str, str]] = []
    lookalike: list[tuple[str, str]] = []
    own: list[tuple[str, str]] = []
    contact: dict[str, str] = {}
    decision: list[tuple[str, str]] = []
    itinerary: list[tuple[str, str]] = []
    aside: set[str] = set()
    team: list[tuple[str, str]] = []
    agency: list[tuple[str, str]] = []
    client: list[tuple[str, str]] = []
    offer: list[tuple[str, str]] = []
    job: list[tuple[str, str]] = []
    business: set[str] = set()
    role: set[str] = set()
    place: set[str] = set()
    joins: set[str] = set()
    brands: set[str] = set()
    for language in LANGUAGES:
        data = _language_data(language)
        title, notes, unlike = data.get("title"), data.get("notes"), data.get("not")
        interview += [(w, language) for w in _strings(title, "interview")]
        stage += [(w, language) for w in _strings(title, "stage")]
        talk += [(w, language) for w in _strings(title, "talk")]
        aside.update(t for w in _strings(title, "aside") for t in phrase_tokens(w))
        aside.update(t for w in _strings(title, "people") for t in phrase_tokens(w))
        aside.update(t for w in _strings(title, "ordinal") for t in phrase_tokens(w))
        role.update(t for w in _strings(title, "role") for t in phrase_tokens(w))
        place.update(t for w in _strings(title, "place") for t in phrase_tokens(w))
        joins.update(w.casefold() for w in _strings(title, "and"))
        team += [(w, language) for w in _strings(data.get("people"), "team")]
        agency += [(w, language) for w in _strings(data.get("people"), "agency")]
        brands.update(" ".join(phrase_tokens(w)) for w in _strings(data.get("people"), "brands"))
        client += [(w, language) for w in _strings(notes, "client")]
        offer += [(w, "offer") for w in _strings(notes, "offer")]
        job += [(w, language) for w in _strings(notes, "job")]
        business.update(t for w in _strings(title, "business") for t in phrase_tokens(w))
        for kind in LOOKALIKE_KINDS:
            lookalike += [(w, kind) for w in _strings(unlike, kind)]
        own += [(w, language) for w in _strings(unlike, "own")]
        for key in _strings(notes, "contact"):
            contact.setdefault(" ".join(tokens(key)), language)
        decision += [(w, language) for w in _strings(notes, "decision")]
        itinerary += [(w, language) for w in _strings(notes, "itinerary")]
    words = {
        token
        for text, _ in (*interview, *stage, *talk)
        for token in phrase_tokens(text)
        if token != "#"
    }
    return Lexicon(
        interview=Phrases(interview),
        interview_texts=tuple(interview),
        stage=Phrases(stage),
        talk=Phrases(talk),
        lookalike=Phrases(lookalike),
        own=Phrases(own),
        contact_keys=contact,
        decision=Phrases(decision),
        itinerary=Phrases(itinerary),
        team=Phrases(team),
        agency=Phrases(agency),
        agency_texts=tuple(text for text, _ in agency),
        agency_brands=frozenset(brands),
        client=Phrases(client),
        offer=Phrases(offer),
        job=Phrases(job),
        job_texts=tuple(job),
        title_words=frozenset(words - business),
        aside_words=frozenset(aside),
        place_words=frozenset(place),
        role_words=frozenset(role),
        and_words=frozenset(joins),
        business_words=frozenset(business),
    )
