"""Facts about an interview, read from the event's own text.

People write ``Key: value`` lines into an event's notes ("Company: ACME",
"Recruiter - Jane Doe <jane@acme.example>", "Timeline = 2 weeks", bullets,
bold, HTML), or just a sentence ("they'll get back within 2 weeks");
invitations carry an ORGANIZER; titles name the company ("Acme Corp - Final
Round (Zoom)", "Globex | Product Manager | Onsite"). This module turns those
into ``Facts`` and records where each fact came from. Timeline and status stay
as written: the planner reads them.

Text that conferencing apps write (Google Meet, Microsoft Teams, Zoom, Webex
blocks) is dropped before anything is read: a meeting ID, a dial-in number or
a video room's address is never a fact.

Every function here runs in time linear in its input: the text is split with
``str`` methods and matched token by token; the few regular expressions have
no two quantifiers over the same characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from followup.engine import people
from followup.engine.model import Facts, Person
from followup.engine.people import COMPANY_FORMS, company_key, name_key, one_address
from followup.engine.read import timewords
from followup.engine.read.language import language_of_text
from followup.engine.read.lexicon import Phrases, fold, lexicon, near_interview_word, tokens
from followup.rules.zones import timezone_names


def _wordset(text: str) -> frozenset[str]:
    """The words of a text, one per whitespace-separated run: word lists stay readable."""
    return frozenset(text.split())


# Note keys (compared after casefolding and collapsing - _ and spaces) and the
# fact each one sets. The first line for a fact wins.
KEYS: dict[str, str] = {
    "company": "company",
    "employer": "company",
    "firma": "company",
    "unternehmen": "company",
    "arbeitgeber": "company",
    "entreprise": "company",
    "société": "company",
    "empresa": "company",
    "role": "role",
    "position": "role",
    "title": "role",
    "job": "role",
    "job title": "role",
    "stelle": "role",
    "rolle": "role",
    "jobtitel": "role",
    "stellenbezeichnung": "role",
    "poste": "role",
    "puesto": "role",
    "recruiter": "recruiter",
    "recruiter name": "recruiter",
    "recruiterin": "recruiter",
    "recruiting": "recruiter",
    "reclutador": "recruiter",
    "reclutadora": "recruiter",
    "contact": "contact",
    "contact person": "contact",
    "kontakt": "contact",
    "contacto": "contact",
    "ansprechpartner": "contact",
    "ansprechpartnerin": "contact",
    "hiring manager": "contact",
    "coordinator": "recruiter",
    "recruiting coordinator": "recruiter",
    "your recruiter": "recruiter",
    "talent partner": "recruiter",
    "scheduled by": "recruiter",
    "recruteur": "recruiter",
    "recruteuse": "recruiter",
    "contactpersoon": "contact",
    "interviewer": "interviewers",
    "interviewers": "interviewers",
    "interviewer(s)": "interviewers",
    "panel": "interviewers",
    "panelists": "interviewers",
    "you will meet": "interviewers",
    "you'll meet": "interviewers",
    "you will meet with": "interviewers",
    "you'll meet with": "interviewers",
    "gesprächspartner": "interviewers",
    "gesprächspartnerin": "interviewers",
    "gesprächspartner*innen": "interviewers",
    "interlocuteurs": "interviewers",
    "vos interlocuteurs": "interviewers",
    "votre interlocuteur": "interviewers",
    "votre interlocutrice": "interviewers",
    "ihre gesprächspartner": "interviewers",
    "interlocuteur": "interviewers",
    "gesprekspartners": "interviewers",
    "gesprekspartner": "interviewers",
    "entrevistadores": "interviewers",
    "entrevistador": "interviewers",
    "entrevistadora": "interviewers",
    "schedule": "schedule",
    "interview schedule": "schedule",
    "your schedule": "schedule",
    "your interview schedule": "schedule",
    "itinerary": "schedule",
    "interview itinerary": "schedule",
    "your itinerary": "schedule",
    "ablauf": "schedule",
    "zeitplan": "schedule",
    "programme": "schedule",
    "programma": "schedule",
    "programa": "schedule",
    "invitee": "invitee",
    "invitee name": "invitee",
    "invitee email": "invitee_email",
    "candidate": "invitee",
    "candidate name": "invitee",
    "event name": "event_name",
    "job name": "role",
    "job requisition": "role",
    "requisition": "role",
    "vacature": "role",
    "functie": "role",
    "vacante": "role",
    "bedrijf": "company",
    "organisation": "company",
    "organization": "company",
    "recruiter email": "recruiter_email",
    "recruiter e mail": "recruiter_email",
    "recruiter mail": "recruiter_email",
    "email": "recruiter_email",
    "e mail": "recruiter_email",
    "mail": "recruiter_email",
    "timeline": "timeline",
    "decision": "timeline",
    "decision by": "timeline",
    "expected decision": "timeline",
    "rückmeldung": "timeline",
    "rückmeldung bis": "timeline",
    "entscheidung": "timeline",
    "entscheidung bis": "timeline",
    "zeitrahmen": "timeline",
    "status": "status",
    "highlights": "highlights",
    "highlight": "highlights",
    "fit": "fit",
    "why": "fit",
    "why this role": "fit",
    "why this company": "fit",
    "note": "note",
    "notes": "note",
}
"""Keys a note line may start with, by the fact they set. ``contact`` lines
(Contact, Hiring manager, Ansprechpartner) name the recruiter only when no
Recruiter line does. ``interviewers`` and ``schedule`` lines (Interviewers,
Schedule, Itinerary: what Greenhouse, GoodTime, Ashby and others write) name
the interviewers; ``invitee`` lines (Calendly's Invitee) name the user."""

_FOR_PERSON = _wordset("for für pour voor para with mit avec met con")
"""Words that tie a key to a person: "Highlights for Lee", "Highlights mit Frau Berger"."""

PERSON_FACTS = frozenset({"highlights"})
"""Facts that may be noted for one person: "Highlights (Lee): ..."."""


MAX_LINE = 2000
"""Longer lines are read up to here: no one writes a fact in a paragraph that long."""

# --- HTML -------------------------------------------------------------------------------------

_HTML_NAMES = _wordset(
    "br p div span b i a ul ol li strong em u font html body table tr td th h1 h2 h3 h4"
)
_HTML_BREAKS = _wordset("br p div li tr h1 h2 h3 h4 ul ol table")
_HREF_MAILTO = re.compile(r"""href\s?=\s?["']?mailto:([^"'\s>?]+)""", re.IGNORECASE)


def _tag_name(text: str, start: int) -> str:
    """The lower-case name of the tag whose '<' is at ``start`` ('' if it is none)."""
    index = start + 1
    if index < len(text) and text[index] == "/":
        index += 1
    end = index
    while end < len(text) and end - index < 10 and text[end].isalnum():
        end += 1
    return text[index:end].lower()


def _looks_like_html(text: str) -> bool:
    """Whether the text has a tag followup knows ("Jane <jane@acme.example>" is no HTML)."""
    last_close = text.rfind(">")  # a tag needs a ">" after its "<": look for it once
    position = text.find("<")
    while position != -1 and position < last_close:
        if _tag_name(text, position) in _HTML_NAMES:
            return True
        position = text.find("<", position + 1)
    return False


def html_to_text(text: str) -> str:
    """Text of an HTML description: tags dropped, breaks kept, entities decoded.

    A mailto link's address follows its text ("Sam Lee <sam@globex.com>").
    One pass over the text: each character is looked at a bounded number of times.
    """
    out: list[str] = []
    position = 0
    mailto: str | None = None
    link_text_start = 0
    while True:
        start = text.find("<", position)
        if start == -1:
            out.append(text[position:])
            break
        end = text.find(">", start)
        if end == -1:
            out.append(text[position:])
            break
        out.append(text[position:start])
        name = _tag_name(text, start)
        closing = text.startswith("</", start)
        if name in _HTML_BREAKS:
            out.append("\n")
        elif name == "a" and not closing:
            found = _HREF_MAILTO.search(text, start, end)
            mailto = found.group(1) if found else None
            link_text_start = len(out)
        elif name == "a" and closing and mailto:
            if mailto.casefold() not in "".join(out[link_text_start:]).casefold():
                out.append(f" <{mailto}>")
            mailto = None
        position = end + 1
    return html.unescape("".join(out))


# --- conferencing text ------------------------------------------------------------------------

_CONFERENCING_STARTS = (
    "is inviting you to a scheduled zoom meeting",
    "join zoom meeting",
    "-- do not delete or change any of the following text",
    "join with google meet",
    "invitation from google calendar",
    "microsoft teams meeting",
    "microsoft teams-besprechung",
    "réunion microsoft teams",
    "reunión de microsoft teams",
)
# Lines that belong to a conferencing block wherever they stand.
_CONFERENCING_LINES = (
    "meeting id",
    "passcode",
    "password",
    "meeting number",
    "access code",
    "conference id",
    "konferenz-id",
    "besprechungs-id",
    "kennung:",
    "pin:",
    "(pin",
    "one tap mobile",
    "dial by your location",
    "find your local number",
    "join by",
    "join from",
    "join on",
    "join meeting",
    "join with",
    "click here to join",
    "hier klicken",
    "tel.meet/",
    "zoom.us/",
    "webex.com",
    "teams.microsoft.com",
    "meet.google.com",
    "aka.ms/",
    "zoomcrc.com",
    "dialin.",
    "topic:",
    "time:",
)


def _is_rule(line: str) -> bool:
    """A separator line as Outlook (underscores) and Google (-::~:~::) write them."""
    stripped = line.strip()
    return len(stripped) >= 10 and (set(stripped) <= {"_"} or stripped.startswith("-::~:~::~"))


def drop_conferencing(lines: list[str]) -> list[str]:
    """The lines people wrote: without the blocks and lines conferencing apps add."""
    kept: list[str] = []
    inside_rules = False
    inside_block = False
    for at, line in enumerate(lines):
        lowered = line.strip().casefold()
        if _is_rule(line):
            if not inside_rules and _mail_header_follows(lines, at + 1):
                continue  # Outlook's forward: "____" then "Von: ...", the mail under it
            inside_rules = not inside_rules
            inside_block = False
            continue
        if inside_rules:
            continue
        if any(mark in lowered for mark in _CONFERENCING_STARTS):
            inside_block = True
            continue
        if inside_block:
            # A block runs on until a line that is neither blank nor conferencing-like.
            if not lowered or _conferencing_like(lowered):
                continue
            inside_block = False
        if lowered and _conferencing_like(lowered):
            continue
        kept.append(line)
    return kept


_MAIL_HEADERS = ("from:", "von:", "de:", "de :", "van:", "da:", "od:", "sent:", "gesendet:")


def _mail_header_follows(lines: list[str], at: int) -> bool:
    """Whether the next line that is not blank starts a forwarded mail's header."""
    for line in lines[at : at + 3]:
        if line.strip():
            return line.strip().casefold().startswith(_MAIL_HEADERS)
    return False


def _conferencing_like(lowered: str) -> bool:
    if any(mark in lowered for mark in _CONFERENCING_LINES):
        return True
    if lowered.startswith(("http://", "https://", "---", "+")):
        return True
    # Dial-in lines: mostly digits and punctuation ("+49 69 365 0123,,123456789#").
    digits = sum(ch.isdigit() for ch in lowered)
    return digits >= 8 and digits * 2 >= len(lowered.replace(" ", ""))


# --- lines of notes ---------------------------------------------------------------------------


def description_lines(description: str) -> list[str]:
    """The notes' lines as a person reads them: HTML reduced to text, conferencing text dropped.

    Every reader of the notes asks for them (the facts, the recogniser): they are made once
    for the last few notes read."""
    return list(_description_lines(description))


@lru_cache(maxsize=32)
def _description_lines(description: str) -> tuple[str, ...]:
    if "<" in description and _looks_like_html(description):
        description = html_to_text(description)
    elif "&" in description:
        description = html.unescape(description)
    lines = description.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(drop_conferencing([line[:MAX_LINE] for line in lines]))


_BULLETS = "-*•·>–—+ \t"
_SEPARATORS = (":", " - ", " – ", " — ", " = ", "=")


def _normal_key(key: str) -> str:
    return " ".join(key.replace("-", " ").replace("_", " ").split()).casefold()


def split_key_line(line: str) -> tuple[str, str] | None:
    """(fact, value) of a line such as ``- **Company:** ACME`` or ``Recruiter – Jane``; None if it is none.

    A known key alone on its line gives an empty value (the lines below it follow).
    """
    text = line.strip().lstrip(_BULLETS)
    # Where the first separator is: the key is short, so look only near the start.
    head = text[:60]
    best: tuple[int, str] | None = None
    for separator in _SEPARATORS:
        index = head.find(separator)
        if index > 0 and (best is None or index < best[0]):
            best = (index, separator)
    if best is None:
        fact = KEYS.get(_normal_key(text.strip("*_ ")))
        return (fact, "") if fact is not None else None
    index, separator = best
    key = _normal_key(text[:index].strip("*_ "))
    fact = KEYS.get(key)
    if fact is None:
        fact = _person_key(key)
        if fact is None:
            return None
    value = text[index + len(separator) :].strip().strip("*_").strip()
    return fact, value


def _person_key(key: str) -> str | None:
    """ "highlights@Lee" for a key "highlights (lee)" or "highlights for lee" (the name as
    written, case folded); None for any other key."""
    head, bracket, rest = key.partition("(")
    if bracket:
        name = rest.rstrip(")").strip()
        head = head.strip()
    else:
        words = key.split()
        at = next((i for i, word in enumerate(words) if word in _FOR_PERSON), -1)
        if at <= 0:
            return None
        head, name = " ".join(words[:at]), " ".join(words[at + 1 :])
    fact = KEYS.get(head)
    if fact not in PERSON_FACTS or not name or len(name) > 60:
        return None
    return f"{fact}@{name}"


_SENTENCE_END = re.compile(r"(?:(?<=[a-zß-ÿ]{3}[.!?])|(?<=\d{4}[.!?]))\s+(?=[A-ZÀ-ÖØ-Þ])")
"""A sentence's end: a mark after a word of three small letters or more or after a year,
then a capital (not "15. Jänner", "Dr. Berg", "Hr. Stiegler")."""


def _deciding_sentences(line: str) -> str:
    """Of a line of several sentences, those about the decision that name a time ("All
    candidates will be notified by 12/18/2026." and not "The list ... through 06/30/2027."):
    the latest time named is the deadline, so another sentence's must not be read."""
    parts = _SENTENCE_END.split(line[:MAX_LINE])
    if len(parts) < 2:
        return line
    kept = [
        part
        for part in parts[:50]
        if timewords.speaks_of_decision(part) and timewords.scan(part).expressions
    ]
    return " ".join(kept) if kept else line


def read_description(description: str | None) -> dict[str, str]:
    """Facts written as key lines in the notes, by fact name; plus a timeline sentence.

    A key with nothing after it takes the following lines, up to a blank line
    or the next known key (for bulleted highlights or notes). Without a
    Timeline line, a sentence that speaks of the recruiter's decision in one
    of the languages followup knows ("they'll get back within 2 weeks",
    "Rückmeldung bis KW 50", "ze laten binnen tien dagen iets weten") is the
    timeline: the first that names a time followup reads, else the first that
    holds words of time at all (plan then says it could not read it). A time
    in a clause about something else ("Start date 4 January") is no timeline.
    """
    found: dict[str, str] = {}
    if not description:
        return found
    pending: str | None = None
    collected: list[str] = []
    sentence: str | None = None
    unread: str | None = None

    def finish() -> None:
        if pending is not None and collected and pending not in found:
            found[pending] = "\n".join(collected)

    for raw in description_lines(description):
        split = split_key_line(raw)
        if split is not None:
            finish()
            pending, collected = None, []
            fact, value = split
            if value:
                found.setdefault(fact, value)
            else:
                pending = fact
            continue
        if pending is not None:
            if raw.strip():
                collected.append(raw.strip())
                continue
            finish()
            pending, collected = None, []
        if sentence is None and raw.strip() and timewords.speaks_of_decision(raw):
            said = timewords.scan(raw)
            if said.expressions:
                sentence = _deciding_sentences(raw.strip())
            elif unread is None and said.timeish and not said.excluded:
                unread = raw.strip()
    finish()
    if "timeline" not in found and (sentence or unread) is not None:
        found["timeline"] = sentence or unread or ""
    return found


# --- recruiters -------------------------------------------------------------------------------

# What ends an address written in running text: spaces, brackets of every script, quotes.
_ADDRESS_STOPS = frozenset(" \t\r\n<>‹›«»()[]{},;:\"'`|")


def recruiter_parts(value: str) -> tuple[str | None, str | None, str | None]:
    """(name, email, problem) from "Jane Doe <jane@acme.example>", an address or a name.

    The address is the whole run of characters around the "@", so
    "María ‹maría@acme.example>" is never cut down to "a@acme.example"; an
    address that is not valid, or a second address, gives no email and a
    problem to warn about. The name is the first line left, without
    bracketed words ("Lukas Brandt (Teamleiter)"), its form of address kept
    ("Herr Jonas Brandt": the emails greet formally from it).
    """
    at = value.find("@")
    if at < 0:
        return _clean_person(value), None, None
    start, stop = at, at + 1
    # An address is at most 254 characters: a longer run is not one (and is not scanned on).
    while start > 0 and value[start - 1] not in _ADDRESS_STOPS and at - start <= 254:
        start -= 1
    while stop < len(value) and value[stop] not in _ADDRESS_STOPS and stop - at <= 254:
        stop += 1
    token = value[start:stop]
    if token[:7].casefold() == "mailto:":
        token = token[7:]
    name = _clean_person(value[:start] + "\n" + value[stop:])
    if "@" in value[stop:]:
        return None, None, f"{_shown(value)} names more than one address; none is used"
    email = one_address(token)
    if email is None:
        return name, None, f"{_shown(token)} is not a valid email address; it is not used"
    return name, email, None


def parse_recruiter(value: str) -> tuple[str | None, str | None]:
    """Split "Jane Doe <jane@acme.example>", "jane@acme.example" or "Jane Doe" into (name, email)."""
    name, email, _ = recruiter_parts(value)
    return name, email


def _clean_person(text: str, *, first_line: bool = True) -> str | None:
    """A name as written: the first line of it (a key's value may run on below it; an
    ORGANIZER's CN is one value, its line breaks read as spaces), no bracketed words."""
    text = re.sub(r"mailto:", "", text, flags=re.IGNORECASE)
    text = _drop_brackets(text)
    for line in text.split("\n") if first_line else [text]:
        line = "".join(ch if ch.isprintable() else " " for ch in line)
        name = " ".join(line.split()).strip(" <>‹›«»()[]{},;:\"'-–—|").strip()
        if name:
            return name
    return None


def _shown(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _drop_brackets(text: str) -> str:
    """Text without its bracketed parts ("Lukas Brandt (Teamleiter)" -> "Lukas Brandt ")."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


# --- titles -----------------------------------------------------------------------------------

# Words that say what kind of meeting it is, who it is with in general, or how
# it is held: never a company.
KIND_WORDS = _wordset("""
    interview interviews interviewing screen screening screens phone video call calls chat
    round rounds final finals technical tech coding system design behavioral behavioural
    panel case hr recruiter recruiting hiring manager managers onsite on site on-site virtual
    remote loop intro introductory initial first second third fourth fifth next follow up
    follow-up culture fit meet the team teams with day days part of job invitation
    take-home takehome home take mock prep session slot debrief presentation assignment
    offer salary negotiation conversation discussion meeting talk sync
    zoom google microsoft webex skype hangouts whereby coderpad hackerrank codility codesignal
    karat hrs hr. hours hour min mins minute minutes a an my our your in person in-person
    vorstellungsgespräch bewerbungsgespräch telefoninterview videointerview jobinterview
    zweitgespräch erstgespräch gespräch runde finale finales zweite dritte erste
    fachabteilung telefonisch kennenlernen
    entretien d'embauche embauche téléphonique rh technique final finale visio
    entrevista trabajo técnica tecnica segunda primera tercera telefónica final
    """)
# Connectors in the languages followup knows (engine/read/data/*.toml): "at"/"bij"/"presso"
# name the company, "with"/"met"/"com" a person or a company, "for"/"voor" a role.
_CONNECTORS_STRONG = _wordset("at @ from bei von chez bij presso en na no em w")
_CONNECTORS_WEAK = _wordset("with w/ w mit avec con met com z ze")
_CONNECTORS_ROLE = _wordset("for as für pour para voor als per")
_ARTICLES = _wordset(
    "the der die das den le la les l' el los las de del d' het een il lo gli i o os as a um uma"
    " do da dos das du des della dei"
)
# "van" names the company after a person ("Gesprek met Anna van Rijnstad Logistiek") when two
# words or more follow; before one word it is part of a name ("Jan van Dijk").
_CONNECTORS_AFTER_PERSON = _wordset("van")
# Short connectors that are also plain words ("en directo", "no time"): a connector only
# before a capitalised word ("Entrevista en Telefónica", "Rozmowa w Allegro").
_CONNECTORS_CAPITAL = _wordset("en na no em w z ze com")
_NAME_PARTICLES = _wordset("der den de het")
# Kind words only at the start of a name: "Tech interview: Aperture" but "Solano Tech".
_LEADING_KIND = _wordset("tech technical design")
ROLE_WORDS = _wordset("""
    engineer engineers developer manager designer analyst scientist architect consultant
    specialist lead director head intern swe sre pm vp officer administrator associate
    coordinator accountant assistant programmer researcher writer editor product owner controller
    sachbearbeiter projektmanager entwickler entwicklerin ingenieur ingenieurin berater
    beraterin leiter leiterin referent referentin werkstudent praktikant
    ingénieur développeur développeuse chef chargé chargée
    desarrollador desarrolladora ingeniero ingeniera gerente analista
    """)
_ROLE_SUFFIXES = (
    "manager",
    "engineer",
    "entwickler",
    "leiter",
    "berater",
    "ingenieur",
    "developer",
)
COMPANY_SUFFIXES = _wordset("""inc inc. corp corp. corporation ltd ltd. llc gmbh ag se sa s.a. plc co co. kg
    company limited bv b.v. oy ab as srl s.r.l. sas sarl""")
_PREFIXES = (
    "updated invitation with note",
    "updated invitation",
    "invitation",
    "canceled event",
    "cancelled event",
    "canceled",
    "cancelled",
    "declined",
    "accepted",
    "tentative",
    "reminder",
    "fwd",
    "fw",
    "re",
    "aw",
    "wg",
)
_WEEKDAYS3 = ("mon ", "tue ", "wed ", "thu ", "fri ", "sat ", "sun ")
_SEGMENT_SPLIT = re.compile(r" [-–—|/x×·•] | ?\| ?| // |: |<>")
_GENDER = re.compile(r"^[a-z*]{1,3}(?:/[a-z*]{1,3}){1,3}$|^all genders$|^alle$", re.IGNORECASE)
MAX_TITLE = 500
"""Longer titles are read up to here."""


def _strip_title(title: str) -> str:
    text = " ".join(title[:MAX_TITLE].split())
    # "Invitation: ", "Updated invitation: ", "FW: ", "Accepted: ", in any number.
    changed = True
    while changed:
        changed = False
        lowered = text.casefold()
        for prefix in _PREFIXES:
            if lowered.startswith(prefix):
                rest = text[len(prefix) :].lstrip()
                if rest.startswith(":"):
                    text, changed = rest[1:].lstrip(), True
                    break
    # Google: "... @ Tue Dec 1, 2026 10am - 11am (CET) (me@example.com)"
    at = text.find(" @ ")
    while at != -1:
        if text[at + 3 : at + 7].casefold() in _WEEKDAYS3:
            text = text[:at]
            break
        at = text.find(" @ ", at + 1)
    return text.strip()


def _brackets(text: str) -> tuple[str, list[str]]:
    """The text outside brackets (with a separator where each stood) and the bracketed parts."""
    outside: list[str] = []
    inside: list[str] = []
    current: list[str] = []
    closer = ""
    for ch in text:
        if closer:
            if ch == closer:
                inside.append("".join(current).strip())
                current, closer = [], ""
                outside.append(" | ")
            else:
                current.append(ch)
        elif ch in "([":
            closer = ")" if ch == "(" else "]"
        else:
            outside.append(ch)
    if closer:  # an unclosed bracket: read it as text
        outside.append(" " + "".join(current))
    return "".join(outside), inside


def _token_is_kind(token: str) -> bool:
    word = token.casefold().strip(".,;:!?\"'“”‘’")
    if not any(ch.isalnum() for ch in word):
        return True  # "", "🤞", "☕", "->"
    if word in KIND_WORDS:
        return True
    known = lexicon()
    folded = fold(word)
    if folded in known.title_words or folded in known.aside_words:
        return True  # an interview, stage or meeting word in any language followup knows
    if near_interview_word(folded) is not None:
        return True  # "Solicitatiegesprek": an interview word with a slip
    if "'" in folded or "’" in folded:  # "d'entretien", "l'équipe"
        tail = folded.replace("’", "'").rsplit("'", 1)[1]
        return (
            not tail or tail in known.title_words or tail in known.aside_words or tail in KIND_WORDS
        )
    if "-" in folded.strip("-") and all(
        part in known.title_words or part in KIND_WORDS for part in folded.split("-") if part
    ):
        return True  # "Catch-up", "check-in": every part a meeting word
    if any(ch.isdigit() for ch in word) and len(word) <= 6:
        return True  # "2", "2nd", "1/3", "#2", "2."
    if word.startswith("#"):
        return True
    return word in {"-", "–", "—", "&", "+", "/", "x", "and", "und", "et", "y", "1:1"}


def _kind_at(words: list[str], index: int, *, leading: bool) -> bool:
    word = words[index].casefold()
    if word == "home":
        # "Take home review" is a kind of interview; "Nordvik Home" is a company.
        return index > 0 and words[index - 1].casefold() == "take"
    if word in ("manager", "managers"):
        # "Hiring manager" is a kind of interview; "Product Manager" is a job.
        return index > 0 and words[index - 1].casefold() == "hiring"
    if word in _LEADING_KIND:
        return leading
    return _token_is_kind(words[index])


def _kept_at(words: list[str], kept: list[str]) -> int:
    """Where ``kept``, a run of ``words`` that ``_strip_kind`` left, starts in them."""
    return next(i for i in range(len(words)) if words[i : i + len(kept)] == kept)


def _topic_of(words: list[str], kept: list[str]) -> bool:
    """Whether what is left of ``words`` after cutting the kind words off its ends reads
    as the interview's topic rather than a name: it followed the kind words ("SQL" of
    "Revue du test technique SQL") or is part of an interview phrase itself ("Live" of
    "Live coding"); "Globex" of "Globex Interview" is a name."""
    if not kept:
        return False
    start = _kept_at(words, kept)
    if start > 0 and words[start - 1].casefold() not in _ARTICLES:
        return True
    left = len(tokens(" ".join(kept)))  # the name's tokens come first: nothing was cut before
    known = lexicon()
    return any(
        hit.start < left and hit.end - hit.start > 1
        for phrases in (known.stage, known.interview)
        for hit in phrases.find(tokens(" ".join(words)))
    )


def _strip_kind(words: list[str]) -> list[str]:
    """Words without the kind words at either end ("Initech phone screen" -> ["Initech"])."""
    start, end = 0, len(words)
    while start < end:
        if covered := _stage_of_business_word(words, start, end):
            start += covered  # "Group interview – ... | Nordvik Home": no company "Group"
        elif _kind_at(words, start, leading=True) or words[start].casefold() in _ARTICLES:
            start += 1
        else:
            break
    # "Tech" ends a name ("Solano Tech") only as its last word: "ACME Technical Interview".
    while end > start and _kind_at(words, end - 1, leading=end < len(words)):
        end -= 1
    return words[start:end]


def _stage_of_business_word(words: list[str], start: int, end: int) -> int:
    """How many words from ``start`` (before ``end``) an interview or stage phrase covers
    that holds a word of companies' names ("Group interview", "Assessment Center"); 0 when
    none does."""
    known = lexicon()
    for size in (3, 2):
        if start + size > end or all(
            fold(word.casefold()) not in known.business_words
            for word in words[start : start + size]
        ):
            continue  # "Group interview", "Assessment Center": a word of names in a stage
        found = tokens(" ".join(words[start : start + size]))
        for phrases in (known.stage, known.interview):
            if any(hit.start == 0 and hit.end == len(found) for hit in phrases.find(found)):
                return size
    return 0


def is_role(text: str) -> bool:
    """Whether a name reads as a job ("Senior Backend Engineer", "Head of Product")."""
    listed = lexicon().role_words
    if not listed.isdisjoint(tokens(text)):
        return True  # a job word of one of the languages followup knows
    for word in text.casefold().replace("/", " ").split():
        word = word.strip(".,()")
        for mark in "·*:":  # "Chef·fe", "Entwickler*in", "Werkstudent:in"
            word = word.split(mark, 1)[0] if mark in word[1:] else word
        if word in ROLE_WORDS or word.endswith(_ROLE_SUFFIXES):
            return True
    return False


_HONORIFICS = _wordset(
    "hr. herr fr. frau mr mr. mrs mrs. ms ms. dhr dhr. mevr mevr. mevrouw meneer sra."
    " señor señora pan pani sig. sig.ra m. mme madame monsieur"
)


_CLIENT_WORDS = _wordset(
    "client clients cliente clienti klient klienta klientem kunde kunden klant opdrachtgever"
    " confidential confidencial confidentiel confidentielle vertraulich riservato riservata"
    " poufny poufne vertrouwelijk"
)
"""A recruiting agency's word for the employer it does not name ("Colloquio con il
cliente", "(confidencial)")."""


def _after_honorific(words: list[str], kept: list[str]) -> bool:
    """Whether the name follows "Hr.", "Frau", "Mrs", "Dhr.", "Pani": a person's name (not
    "MS", an acronym in capitals)."""

    def honorific(word: str) -> bool:
        return word.casefold() in _HONORIFICS and not (len(word) > 1 and word.isupper())

    if not kept:
        return False
    if honorific(kept[0]):
        return True
    if len(kept) == len(words):
        return False
    start = _kept_at(words, kept)
    return start > 0 and honorific(words[start - 1])


def _led_by_role(words: list[str], kept: list[str]) -> bool:
    """Whether the words cut off before a name end with a job and a particle ("Diretora
    de", "Directeur du"): the name is the job's field ("Marketing Digital"), not a company."""
    if not kept or len(kept) == len(words):
        return False
    start = _kept_at(words, kept)
    return (
        start >= 2
        and words[start - 1].casefold() in _ARTICLES
        and not lexicon().role_words.isdisjoint(tokens(words[start - 2]))
    )


def _two_people(segment: str) -> bool:
    """Whether a segment is two people's names joined by "and" in a language followup
    knows ("Jane Doe and Sam Lee", "Camille Martin et Inès Moreau")."""
    words = segment.split()
    joins = lexicon().and_words
    for at, word in enumerate(words[:12]):
        if 0 < at < len(words) - 1 and word.casefold() in joins:
            left = _clean_name(_strip_kind(words[:at])) or ""
            right = _clean_name(_strip_kind(words[at + 1 :])) or ""
            return _person_like(left) and _person_like(right)
    return False


def _person_like(text: str) -> bool:
    """Two or three capitalised words, no company suffix or business word: "Jane Doe",
    "Bill Lumbergh" (not "Fathom Bank", "Studio Noord")."""
    words = text.split()
    business = lexicon().business_words
    return (
        2 <= len(words) <= 3
        and all(word[:1].isupper() and word[1:].islower() for word in words)
        and words[-1].casefold() not in COMPANY_SUFFIXES
        and not any(fold(word) in business for word in words)
    )


def _clean_name(words: list[str]) -> str | None:
    words = [w for w in words if w in ("&", "+") or any(ch.isalnum() for ch in w)]  # "🤞"
    text = " ".join(words).strip().strip("\"'“”‘’").strip(" .,;:!-–—|/").strip()
    if not text or all(_token_is_kind(word) for word in text.split()):
        return None
    return text


def _parts(segment: str) -> list[tuple[str, list[str]]]:
    """A segment cut at connector words: [("", head words), ("with", words), ("at", words)...]."""
    parts: list[tuple[str, list[str]]] = [("", [])]
    words = segment.split()
    for index, word in enumerate(words):
        lowered = word.casefold()
        if lowered.startswith("w/") and len(lowered) > 2:  # "w/Jane"
            parts.append(("w/", [word[2:]]))
        elif (
            lowered in _CONNECTORS_AFTER_PERSON
            and len(words) - index > 2
            and words[index + 1].casefold() not in _NAME_PARTICLES
            and parts[-1][0] in _CONNECTORS_WEAK
            and len(parts[-1][1]) == 1
        ):
            parts.append(("from", []))
        elif (
            (
                lowered in _CONNECTORS_STRONG
                or lowered in _CONNECTORS_WEAK
                or lowered in _CONNECTORS_ROLE
            )
            # "Vientos del Sur", "Banco de Portugal": a particle inside a name of
            # capitalised words joins it
            and not (
                lowered in _PARTICLES
                and parts[-1][1]
                and parts[-1][1][-1][:1].isupper()
                and index + 1 < len(words)
                and words[index + 1][:1].isupper()
                and fold(parts[-1][1][-1]) not in lexicon().title_words
            )
            and (
                lowered not in _CONNECTORS_CAPITAL
                or (index + 1 < len(words) and words[index + 1][:1].isupper())
                or (  # "conversa com o Diretor": the connector, an article, a name
                    index + 2 < len(words)
                    and words[index + 1].casefold() in _ARTICLES
                    and words[index + 2][:1].isupper()
                )
            )
        ):
            parts.append((lowered, []))
        else:
            parts[-1][1].append(word)
    return parts


@cache
def _system_names() -> frozenset[str]:
    """Names of scheduling and applicant-tracking systems (engine/data/senders.toml)."""
    from followup.engine.people import senders

    return frozenset(name.casefold() for name, _ in senders().systems)


@dataclass(frozen=True, slots=True)
class TitleNames:
    """The company and role a title names, and whether the company is beyond doubt: named
    after "at", or a capitalised name standing on its own that reads as no person's."""

    company: str | None
    role: str | None
    sure: bool
    named_after: bool = False
    """The company stands after "at", "bei", "bij", "chez" (beyond doubt even when the mail
    domains spell another name: a recruiting agency's, a parent company's)."""


_ID_WORDS = _wordset(
    "req ref job id jobid requisition r jr no nr n° nº n.º rif kennziffer referenznummer"
    " stellen-id referência referencia référence riferimento sygn numer vacature vacaturenummer"
    " code código codice"
)


def _is_identifier(name: str) -> bool:
    """A requisition or job number ("Req 2026-4471", "R-0048213", "Ref.ª TS-COM/04/2026",
    "Kennziffer 2026/117"): never a company."""
    words = name.casefold().replace("#", " ").split()
    numbered = [word for word in words if any(ch.isdigit() for ch in word)]
    return bool(numbered) and all(
        word in numbered or word in _ID_WORDS or word.rstrip(".:ªº") in _ID_WORDS for word in words
    )


def _no_employer(name: str) -> bool:
    """A requisition number, or an agency's word for an employer it does not name
    ("Colloquio con il cliente", "(confidencial)"): no company."""
    return _is_identifier(name) or name.casefold().split()[-1] in _CLIENT_WORDS


def _is_someone(name: str, names: frozenset[str]) -> bool:
    """Whether a name is one of the event's people (the user, a guest, the organizer), by
    full name or by first name ("Chat with Jane" and the guest Jane Doe)."""
    if not names:
        return False
    key = name_key(name)
    return key in names or (" " not in key and any(_declined(key, n) for n in names))


_CASE_ENDINGS = ("em", "iem", "ą", "owi", "u", "ie", "ę", "y", "i", "a")
"""Endings a first name takes after a preposition in Polish ("z Michałem", "z Anną", "z
Markiem"): "Call z Michałem" and the organizer Michał Dudek are one person."""


def _declined(word: str, first: str) -> bool:
    """Whether ``word`` is the first name ``first`` with a case ending."""
    if " " in first or len(first) < 3 or word == first:
        return False
    stems = {first, first[:-1]} if first[-1] in "ae" else {first}
    if first.endswith("ek"):
        stems.add(first[:-2] + "k")  # "Marek", "z Markiem"
    return any(word == stem + ending for stem in stems for ending in _CASE_ENDINGS)


def people_names(
    organizer: tuple[str | None, str | None] | None,
    attendees: tuple[tuple[str | None, str | None], ...],
    owner_emails: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """The name keys (and first names) of an event's people: the user (an attendee with one
    of ``owner_emails``, or the name their address spells), the guests and the organizer
    who are people. A title's name that is one of them is no company."""
    found: set[str] = set()
    owners = {e.casefold() for e in owner_emails}
    everyone = [*([organizer] if organizer else []), *attendees[: MAX_PEOPLE * 10]]
    for name, email in everyone:
        if email and email.casefold() in owners:
            pass  # the user is a person whatever the address
        elif not people.is_person(name, email) or not people.reads_as_person(name):
            continue
        for value in (name, people.name_from_address(email) if email else None):
            key = name_key(value)
            if len(key.split()) >= 2:
                found.add(key)
                found.add(key.split()[0])
    for email in owners:
        key = name_key(people.name_from_address(email))
        if key:
            found.update((key, key.split()[0]))
    return frozenset(found)


def company_from_title(
    title: str, names: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(company, role) from a title: see ``read_title``."""
    read = read_title(title, names)
    return read.company, read.role


def read_title(title: str, names: frozenset[str] = frozenset()) -> TitleNames:
    """(company, role) from a title like "Acme Corp - Final Round (Zoom)" or "Interview with ACME".

    None where the title does not say; never a round word, a conferencing
    product or the word "interview" itself. The title is cut into segments
    at separators (" - ", " | ", ": ", brackets) and at connector words
    ("at", "with", "for"); a name after "at"/"from" is the company, then a
    name standing on its own, then one in brackets, then one after "with".
    A name that reads as a job is the role. A name that is one of ``people`` (the
    event's people: ``people_names``) or a requisition number is neither.
    """
    text = _strip_title(title)
    outside, bracketed = _brackets(text)
    segments = [segment.strip() for segment in _SEGMENT_SPLIT.split(outside) if segment.strip()]
    if len(segments) <= 1 and not bracketed and not any(_token_is_kind(w) for w in text.split()):
        return TitleNames(None, None, False)  # "Lunch", "Dentist": no structure, no company
    strong: list[str] = []
    plain: list[str] = []
    stripped: set[str] = set()  # plain names that had interview words cut off their ends
    weak: list[str] = []
    roles: list[str] = []
    systems = _system_names()
    for segment in segments:
        if segment.casefold() in systems:
            continue  # "Recruitee: Interview for ...": the system that sent it, no employer
        if _two_people(segment):
            continue  # "Jane Doe and Sam Lee - 30 Minute Interview": people
        for connector, words in _parts(segment):
            kept = _strip_kind(words)
            name = _clean_name(kept)
            if name is None or _no_employer(name) or _is_someone(name, names):
                continue
            if _after_honorific(words, kept):
                continue  # "Anruf Hr. Gruber wg. Stelle": a person
            if len(kept) != len(words) and _topic_of(words, kept):
                stripped.add(name)
            if _led_by_role(words, kept) and connector not in _CONNECTORS_STRONG:
                roles.append(" ".join(words))  # "Diretora de Marketing Digital": a job
                continue
            if is_role(name) and connector not in _CONNECTORS_STRONG:
                roles.append(name)
            elif connector in _CONNECTORS_ROLE:
                roles.append(name) if is_role(name) else plain.append(name)
            elif connector in _CONNECTORS_STRONG:
                strong.append(name)
            elif connector:
                weak.append(name)
            else:
                plain.append(name)
    in_brackets: list[str] = []
    asides: list[str] = []
    for part in bracketed:
        if not part or _GENDER.match(part):
            continue
        name = _clean_name(_strip_kind(part.split()))
        if name is None or "@" in name or _no_employer(name) or _is_someone(name, names):
            continue
        if name.casefold() in systems:
            continue  # "Videointerview Atlas (HireVue)": the system it is recorded in
        if is_role(name):
            roles.append(name)
        elif name[:1].isupper() or not name[:1].isalpha():
            in_brackets.append(name)
        else:
            asides.append(name)  # "Prueba práctica Giralda (simulación UCI)": a note
    if len(plain) > 1:
        # "Intro: Oliver Hughes / Fathom Bank": of several names, the one that is no person;
        # then a name standing alone ("Live coding – Vistula Games") before what is left of
        # a segment of interview words ("Live"), and a capitalised one before a lowercase one.
        plain.sort(key=lambda name: (not name[:1].isupper(), name in stripped, _person_like(name)))
    if "<>" in outside:
        # "Candidate <> Company | Topic" or "Company <> Candidate": a side of the "<>" that
        # is no person, before any other name.
        left, _, right = outside.partition("<>")
        near = [
            _clean_name(_strip_kind(side.split()))
            for side in (_SEGMENT_SPLIT.split(left)[-1], _SEGMENT_SPLIT.split(right)[0])
        ]
        sides = [s for s in plain if not _person_like(s)]
        beside = sorted((s for s in plain if s in near), key=_person_like)
        plain = beside + [s for s in sides if s not in beside] if beside or sides else plain
    lowercase = [name for name in plain if not name[:1].isupper()] if in_brackets else []
    plain = [name for name in plain if name not in lowercase]
    # "Short call – Developer (Wawel Fintech)": what is left of a segment of interview words
    # ("Short") comes after a name in brackets.
    topics = [name for name in plain if name in stripped and len(name.split()) == 1]
    plain = [name for name in plain if name not in topics] if in_brackets else plain
    topics = topics if in_brackets else []
    company = None
    sure = False
    named_after = False
    for group in (strong, plain, in_brackets, topics, lowercase, weak, asides):
        group = [name for name in group if not _a_team(name)]
        if group:
            company = _trimmed(group[0])
            sure = group is strong or (group in (plain, in_brackets) and company[:1].isupper())
            named_after = group is strong
            break
    role = next((r for r in roles if r != company), None)
    return TitleNames(company, role, sure, named_after)


_TEAM_WORDS = _wordset("team équipe equipe equipo squadra equipa zespół zespołu")


def _a_team(name: str) -> bool:
    """Whether a name is a team's rather than a company's: "Analytics-Team", "Data team"
    ("Team Rubicon" is a company's)."""
    words = tokens(name)
    return len(words) > 1 and words[-1] in _TEAM_WORDS


def _trimmed(name: str) -> str:
    """A name without the words in lower case that follow its capitalised ones:
    "Nordstern aufnehmen" (a verb of the title) is "Nordstern"; "Vientos del Sur" and a
    name all in lower case ("trivago") stay."""
    words = name.split()
    end = len(words)
    while end > 1 and words[end - 1].isalpha() and words[end - 1].islower():
        end -= 1
    while end > 1 and (words[end - 1].casefold() in _PARTICLES or words[end - 1] in _NAME_JOINS):
        end -= 1
    return " ".join(words[:end]) if end < len(words) and words[0][:1].isupper() else name


def _business_name(name: str) -> bool:
    """Whether a name says it is a business: a business word ("Studio", "Media", "Bank")
    or a legal form among its words."""
    return any(fold(word) in lexicon().business_words for word in tokens(name))


# --- rounds of one application ------------------------------------------------------------


def application_keys(
    company: str | None, addresses: Sequence[str | None], owners: frozenset[str] = frozenset()
) -> frozenset[str]:
    """What ties the rounds of one application together: the company's name run together
    ("lumenmobility" for "Lumen Mobility") and the names the company's mail domains spell
    (the recruiter's, the guests'; never a mail provider's, a system's or the user's)."""
    keys: set[str] = set()
    named = _squashed(company_key(company) or "")
    if len(named) >= 3:
        keys.add(named)
    own = {people.domain_of(e) for e in owners}
    for address in addresses[: MAX_PEOPLE * 10]:
        domain = people.domain_of(address) if address else None
        if domain is None or domain in own or people.is_shared_sender(address):
            continue
        if people.is_robot(None, address):
            continue
        spelled = _company_of_domain(domain)
        label = _squashed(spelled) if spelled else ""
        if len(label) >= 3:
            keys.add(label)
    return frozenset(keys)


def fuller_company(own: str | None, names: Sequence[str], *, replaceable: bool) -> str | None:
    """The name for one round among the names an application's rounds give: a round that
    names none, or only what a domain spells (``replaceable``), takes the name most rounds
    give; a round's name takes a fuller form of it another round gives ("MedTrain" ->
    "MedTrain Polska", at most two capitalised words more; "Vauban" -> "Les Ateliers
    Vauban", an article and business words before it); a legal form ("GmbH") never makes
    a name fuller."""
    if not names:
        return own
    if own is None or replaceable:
        own = max(names, key=names.count)
    words = (company_key(own) or "").split()
    if not words:
        return own
    fullest = own
    for name in names:
        longer = (company_key(name) or "").split()
        if len(longer) > len((company_key(fullest) or "").split()) and _extends(
            own.split(), name.split(), words, longer
        ):
            fullest = name
    return fullest


def _extends(own: list[str], name: list[str], words: list[str], longer: list[str]) -> bool:
    """Whether ``name`` is ``own`` with a few words more: capitalised words after it
    ("Harinera" -> "Harinera del Sur"), or business words and a leading article before it
    ("Lambotte" -> "Imprimerie Lambotte", "Vauban" -> "Les Ateliers Vauban")."""
    extra = name[len(own) :]
    added = [w for w in extra if w.casefold() not in _NAME_JOINS]
    if (
        longer[: len(words)] == words
        and 0 < len(added) <= 2
        and extra[-1][:1].isupper()
        and all(
            w[:1].isupper() or w.casefold() in _PARTICLES or w.casefold() in _NAME_JOINS
            for w in extra
        )
    ):
        return True  # "Harinera" -> "Harinera del Sur", "Kanaal" -> "Kanaal Training & ..."
    leading = name[: len(name) - len(own)]
    business = lexicon().business_words

    def organisation(word: str) -> bool:
        return (
            fold(word) in business
            or fold(word).removesuffix("s") in business
            or word.casefold() in _ORG_WORDS
        )

    # "Lambotte" -> "Imprimerie Lambotte", "Złoty Kłos" -> "Piekarnia Złoty Kłos",
    # "Ferraris Rinaldi" -> "Studio Legale Ferraris Rinaldi": led by a business word
    return (
        longer[-len(words) :] == words
        and 0 < len(leading) <= 2
        and (organisation(leading[0]) or (len(leading) > 1 and leading[0].casefold() in _ARTICLES))
        and all(
            word[:1].isupper()
            and (
                organisation(word)
                or (at == 0 and len(leading) > 1 and word.casefold() in _ARTICLES)
                or (at > 0 and organisation(leading[0]))
            )
            for at, word in enumerate(leading)
        )
    )


# --- putting it together ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Organizer:
    """The ORGANIZER of an event: its CN parameter and its mailto address."""

    name: str | None
    email: str | None


MAX_PEOPLE = 20
"""An interview loop has a handful of interviewers; more names are read as these many."""

_TIME_WORDS = _wordset("am pm a.m. p.m. uhr h cet cest pst pdt est edt utc gmt bst ist jst")
_NAME_SPLIT = re.compile(r" [-–—|/] |: | ?\| ?|, ")
_PARTICLES = _wordset(
    "van von de der den du la le da di del dos do das des della dei ter ten zu heer"
)


def _is_time(word: str) -> bool:
    lowered = word.casefold().strip(".,;:()")
    return (
        not lowered or any(ch.isdigit() for ch in lowered) or lowered in _TIME_WORDS
    ) or lowered in {"-", "–", "—", "to", "bis", "à", "tot", "a"}


def _person_name(text: str) -> str | None:
    """The one part of an itinerary line that reads as a person's name ("10:00 - 10:45:
    System design with Sam Lee (Staff Engineer)" -> "Sam Lee"), or None."""
    words = text.split()
    while words and _is_time(words[0]):
        words.pop(0)  # the times of a session
    text = _drop_brackets(" ".join(words))
    parts = [text]
    for connector in (" with ", " mit ", " avec ", " met ", " con ", " w/ "):
        parts = [piece for part in parts for piece in part.split(connector)]
    for part in parts:
        for segment in _NAME_SPLIT.split(part):
            name = " ".join(segment.split()).strip(" .,;:-–—|")
            shown = [w for w in name.split() if w.casefold() not in _PARTICLES]
            if (
                1 <= len(shown) <= 4
                and len(name.split()) >= 2
                and all(w[:1].isupper() and _letters(w[1:].rstrip(".")) for w in shown)
                and not is_role(name)
                and not any(w.casefold() in KIND_WORDS for w in shown)
                and people.reads_as_person(name)
            ):
                return name
    return None


def _letters(rest: str) -> bool:
    """The rest of a name's word is letters ("M." and "O'Neil" and "Jean-Luc" too)."""
    rest = rest.replace("-", "").replace("'", "")
    return not rest or rest.isalpha()


def people_in(text: str | None) -> list[tuple[str | None, str | None]]:
    """(name, address) of each person an Interviewers or Schedule value names, in order:
    one a line or one between commas ("Sam Lee (Engineer), Kim Park <kim@globex.com>")."""
    found: list[tuple[str | None, str | None]] = []
    if not text:
        return found
    for line in text.split("\n")[: MAX_PEOPLE * 4]:
        items = [line] if _has_time(line) else _split_outside_brackets(line)
        for item in items:
            if len(found) >= MAX_PEOPLE:
                return found
            if "@" in item:
                name, email, _ = recruiter_parts(item)
                name = _person_name(name or "") or name if name else None
                if email or name:
                    found.append((name if name and people.reads_as_person(name) else None, email))
                continue
            name = _person_name(item)
            if name is not None:
                found.append((name, None))
    return found


def _has_time(line: str) -> bool:
    return any(ch.isdigit() for ch in line[:12])


def _split_outside_brackets(line: str) -> list[str]:
    """A line cut at commas, semicolons and " and " outside brackets."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in line:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if depth == 0 and ch in ",;":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [
        piece
        for item in items
        for part in item.split(" and ")
        for piece in part.split(" und ")
        if piece.strip()
    ]


def _address_fits(name: str | None, email: str | None) -> bool:
    """Whether an address is plausibly that name's: "tbaker@" or "tom.baker@" for Tom Baker."""
    words = name_key(name).replace("-", " ").split()
    if len(words) < 2 or not email or "@" not in email:
        return False
    local = "".join(ch for ch in email.rsplit("@", 1)[0].casefold() if ch.isalpha())
    first, last = words[0], words[-1]
    return local in {first + last, first[:1] + last, last + first, first + last[:1]}


def _same_person(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    if a[1] and b[1]:
        return a[1].casefold() == b[1].casefold()
    if a[0] and b[0] and name_key(a[0]) == name_key(b[0]):
        return True
    # One known by address alone, the other by name alone: "tbaker@" and "Tom Baker".
    return (not a[0] and _address_fits(b[0], a[1])) or (not b[0] and _address_fits(a[0], b[1]))


# Top-level labels that name no company: generic ones, and those kept for examples (RFC 2606).
_NO_NAME_LABELS = frozenset({"info", "tech", "io", "example", "test", "invalid", "localhost"})


_GENERIC_TLDS = _wordset(
    "studio agency health media tech design digital energy legal finance solutions systems"
    " software group company consulting works world global online site space store shop team"
    " capital partners services cloud network email engineering education academy"
    " careers jobs news press radio travel"
)
"""Top-level domains that are words: the name is the label before them."""


def _company_of_domain(domain: str) -> str | None:
    """ "Globex" for globex.com or mail.globex.co.uk: the name a company's domain spells."""
    labels = [label for label in domain.split(".") if label]
    while len(labels) > 1 and (
        len(labels[-1]) <= 3 or labels[-1] in _NO_NAME_LABELS or labels[-1] in _GENERIC_TLDS
    ):
        labels.pop()  # "com", "co", "uk", "de", "studio" (velvetfern.studio)
    if not labels:
        return None
    label = labels[-1]
    if not label.replace("-", "").isalpha() or len(label) < 2:
        return None
    parts = label.split("-")
    while len(parts) > 1 and parts[-1] in _DOMAIN_LEGAL_FORMS:
        parts.pop()  # valmont-sa.fr: "Valmont"
    if len(parts) == 1:
        parts = _business_split(parts[0])
    return " ".join(part[:1].upper() + part[1:] for part in parts)


def agency_domain(domain: str) -> bool:
    """Whether a domain is a recruiting agency's (apextalentpartners.com,
    northstar-staffing.co.uk, quadrifoglioselezione.it): it writes for an employer it may
    not name."""
    label = _squashed(_company_of_domain(domain) or "")
    return any(word in label for word in _agency_stems()) or label in _brand_labels()


def agency_name(name: str) -> bool:
    """Whether a company's name is a recruiting agency's ("Hanseatic Talents", "Quadrifoglio
    Selezione", "Hays"); a brand only as the whole name ("Hudson", not "Hudson Ridge
    Health")."""
    squashed = _squashed(name)
    words = [w for w in tokens(name) if w not in _LEGAL_FORMS]
    return (
        lexicon().agency.any_in(tokens(name)) is not None
        or any(word in squashed for word in _AGENCY_WORDS)
        or " ".join(words) in lexicon().agency_brands
    )


@cache
def _brand_labels() -> frozenset[str]:
    """The agencies' brands as a domain's name writes them (roberthalf, manpowergroup)."""
    return frozenset(brand.replace(" ", "") for brand in lexicon().agency_brands)


_AGENCY_WORDS = ("talent", "recruit", "staffing", "personnel", "headhunt", "executivesearch")


@cache
def _agency_stems() -> tuple[str, ...]:
    """What a domain's name holds when an agency's: the words above and the lexicons'
    agency words of six letters or more, run together ("personalberatung")."""
    words = {_squashed(text) for text in lexicon().agency_texts}
    return (*_AGENCY_WORDS, *sorted(w for w in words if len(w) >= 6))


def _business_split(label: str) -> list[str]:
    """A domain's one word cut before the business word it ends with: quarrymedia.com is
    "Quarry Media", fioreacademy.it "Fiore Academy"; the word itself when none."""
    business = (lexicon().business_words | _DOMAIN_BUSINESS) - _NO_DOMAIN_TAIL
    for size in range(min(len(label) - 3, 12), 3, -1):
        tail = label[-size:]
        if tail in business and len(label) - size >= 4 and label[:-size].isalpha():
            return [label[:-size], tail]
    return [label]


_DOMAIN_BUSINESS = frozenset(["radio", "academy", "clinic", "studio", "press", "foods", "travel"])
"""Business words domains end with beyond the lexicon's (engine/read/data/*.toml, business)."""
_NO_DOMAIN_TAIL = frozenset(["works", "tech", "bio"])
"""Business words that end other words too (radiomobilnetworks, biotech): no cut before them."""


_DOMAIN_LEGAL_FORMS = frozenset(
    ["sa", "ag", "gmbh", "bv", "nv", "srl", "spa", "sas", "ltd", "inc", "llc", "plc", "kg"]
)
"""Legal forms a domain's name may end with: no part of the company's name in a letter."""


# "for the Product Manager role", "pour le poste de Chef de projet": a role in a sentence.
_ROLE_SENTENCES = (
    re.compile(r"\bfor the ([A-Z][\w/&+-]*(?: [\w/&+-]+){0,5}) (?:role|position)\b"),
    re.compile(r"\bals ([A-Z][\w/&+-]*(?: [\w/&+-]+){0,5}) (?:bei|in|zu)\b"),
    re.compile(r"\bposte (?:de |d'|d’)([\w/&+-]+(?: [\w/&+-]+){0,5}?)(?: chez| au sein|[.,])"),
    re.compile(r"\bfunctie (?:van |als )([\w/&+-]+(?: [\w/&+-]+){0,5}?)(?: bij|[.,])"),
    re.compile(r"\bpuesto de ([\w/&+-]+(?: [\w/&+-]+){0,5}?)(?: en|[.,])"),
)


def _role_in_sentence(description: str | None) -> str | None:
    """A role an invitation names in a sentence ("... for the Product Manager role at Globex")."""
    if not description:
        return None
    for line in description_lines(description)[:50]:
        for pattern in _ROLE_SENTENCES:
            found = pattern.search(line[:300])
            if found and is_role(found.group(1)):
                return found.group(1)
    return None


def _event_text(summary: str, description: str | None) -> str:
    """The invitation's own words: the title and the notes without the lines the user keeps
    (Highlights, Fit, Note, Status, Timeline)."""
    lines = [summary]
    for line in description_lines(description or ""):
        split = split_key_line(line)
        if split is None or split[0] in {"company", "role", "recruiter", "contact", "schedule"}:
            lines.append(line)
    return "\n".join(lines)


_CLIENT = "DESCRIPTION (the employer a recruiting agency names)"
_SENTENCE = "DESCRIPTION (the employer a sentence names after the job)"


def extract_facts(
    summary: str,
    description: str | None,
    organizer: Organizer | None = None,
    *,
    owner_emails: frozenset[str] = frozenset(),
    attendees: tuple[tuple[str | None, str | None], ...] = (),
    location: str | None = None,
) -> Facts:
    """Facts from an event: the notes first, then ORGANIZER, then the title, then ATTENDEEs.

    The Recruiter line names the recruiter; without one, a contact line
    (Contact, Hiring manager) does. The organizer stands in for the recruiter
    only when the notes name none (or name the same person or address); an
    organizer whose address is in ``owner_emails`` (the calendar's owner) is
    not a recruiter, and neither is a scheduling system, a shared calendar, a
    room or a robot (engine.people): the invite was booked by it, and a shared
    calendar's name may give the company. The interviewers are the attendees
    who are people (not the user, not the recruiter), with the names an
    Interviewers or Schedule line gives; the company is also read from their
    mail domain when nothing else names it.
    """
    lines = read_description(description)
    values: dict[str, str] = {}
    sources: list[tuple[str, str]] = []

    mine = {e.casefold() for e in owner_emails}

    def put(fact: str, value: str | None, where: str) -> None:
        if fact == "recruiter_email" and value and value.casefold() in mine:
            return  # "Email: (the user's address)" in a booking: never the one to write to
        if value and fact not in values:
            values[fact] = value
            sources.append((fact, where))

    for fact in ("company", "role"):
        put(fact, _clean_value(lines.get(fact)), "DESCRIPTION")
    # "... bei meinem Mandanten, der Elbufer Logistik AG": a recruiting agency's notes name
    # the employer; the agency's own name in the title or its domain is not the company.
    everyone_named = people_names(
        (organizer.name, organizer.email) if organizer else None, attendees, owner_emails
    )
    client = client_named(description, everyone_named)
    put("company", client, _CLIENT)
    problems: list[str] = []
    named = people_in(lines.get("interviewers"))
    organizer_writes = organizer is not None and bool(
        organizer.email
        and organizer.email.casefold() not in mine
        and _writable(organizer.email, set(mine))
        and people.is_person(organizer.name, organizer.email)
    )
    noted = [a for a in addresses_in(description) if _writable(a, set(mine))]
    if "contact" not in lines and len(named) == 1 and not organizer_writes and not noted:
        # "Interviewer: Tom Becker (tom@kessler.de)": the one person is the contact too,
        # unless someone at the company sends the invite or the notes give an address.
        one_name, one_email = named[0]
        lines["contact"] = " ".join(
            part for part in (one_name, f"<{one_email}>" if one_email else None) if part
        )
    for key, label in (("recruiter", "Recruiter"), ("contact", "Contact")):
        if key not in lines:
            continue
        if "recruiter_name" in values or "recruiter_email" in values:
            break
        name, email, problem = recruiter_parts(lines[key])
        robot = (
            people.booked_by(name, email)
            if email and (people.system_for(email) or people.is_robot(None, email))
            else None
        )  # a team's mailbox the user names stays: they chose to write to it
        if robot is not None:
            # "Scheduled by: Greenhouse <no-reply@greenhouse.io>": the system, not a recruiter.
            problems.append(
                f"{label} line: {_shown(email or '')} is {robot}'s, not a person's; "
                "it is not the recruiter"
            )
            continue
        put("recruiter_name", name, "DESCRIPTION")
        put("recruiter_email", email, "DESCRIPTION")
        if problem:
            problems.append(f"{label} line: {problem}")
    if "recruiter_email" in lines:
        _, email, problem = recruiter_parts(lines["recruiter_email"])
        put("recruiter_email", email, "DESCRIPTION")
        if problem:
            problems.append(f"Recruiter email line: {problem}")
    for fact in ("timeline", "status", "highlights", "fit", "note"):
        put(fact, lines.get(fact), "DESCRIPTION")

    booked: str | None = None
    if organizer is not None:
        checked = one_address(organizer.email)
        if organizer.email and checked is None:
            problems.append(
                f"ORGANIZER: {_shown(organizer.email)} is not one valid email address;"
                " it is not used"
            )
        organizer = Organizer(_clean_person(organizer.name or "", first_line=False), checked)
        booked = people.booked_by(organizer.name, organizer.email)
    written = addresses_in(description)
    user = {e.casefold() for e in owner_emails}
    organizer_pair = (organizer.name, organizer.email) if organizer is not None else None
    everyone = [*([organizer_pair] if organizer_pair else []), *attendees]
    domains = _company_domains(everyone, written, user)
    # A recruiting agency's domain: its name says so (apextalent.com), or the name the notes
    # write that it spells does ("Tom Fielding / Harper Vale Recruitment", harpervale.co.uk).
    agencies = {
        d
        for d in domains
        if agency_domain(d) or agency_name(_name_in_notes(description, [d]) or "")
    }
    employers = [d for d in domains if d not in agencies]
    deferred: list[tuple[str, str | None, str]] = []
    if organizer is not None and booked is not None:
        _booked_organizer(
            organizer,
            booked,
            lambda f, v, w: deferred.append((f, v, w)) if f == "company" else put(f, v, w),
            domains,
        )
    elif organizer is not None and (organizer.email or "").casefold() not in owner_emails:
        known_name = values.get("recruiter_name")
        known_email = values.get("recruiter_email")
        same_person = (
            (known_name is None and known_email is None)
            or (
                known_name is not None
                and organizer.name is not None
                and known_name.casefold() == organizer.name.casefold()
            )
            or (
                known_email is not None
                and organizer.email is not None
                and known_email.casefold() == organizer.email.casefold()
            )
        )
        if same_person:
            put("recruiter_name", organizer.name, "ORGANIZER")
            put("recruiter_email", organizer.email, "ORGANIZER")

    if "event_name" in lines:
        # Calendly's "Event Name: Interview with Acme - Backend Engineer": the booking page's
        # own title, before the SUMMARY it writes ("... between Dana Smith and Alex Doe").
        company, role = company_from_title(lines["event_name"])
        put("company", company, "DESCRIPTION: Event Name")
        put("role", role, "DESCRIPTION: Event Name")
    title = read_title(summary, people_names(organizer_pair, attendees, owner_emails))
    company = title.company
    if company is not None and company.casefold() == values.get("recruiter_name", "").casefold():
        company = None
    # A name standing alone in the title ("Fachgespräch Controlling", "Case – Data Steward")
    # may be a department, a role or a topic: where the people write from a company's
    # domain that spells another name, the notes and the domain say first.
    if company is not None and (_spelled_by(company, sorted(agencies)) or agency_name(company)):
        company = None  # "Belletje met Karim (Talentlink)": the agency, not the employer
    if company is not None and (
        _spelled_by(company, employers)
        or (title.sure and (title.named_after or not employers or _business_name(company)))
    ):
        put("company", company, "SUMMARY")
    put("role", title.role, "SUMMARY")
    for fact, value, where in deferred:  # a shared calendar's name, when the title names none
        put(fact, value, where)
    put("role", _role_in_sentence(description), "DESCRIPTION (a sentence)")

    user_names: set[str] = set()
    for key in ("invitee", "invitee_email"):  # Calendly's Invitee: the user, who booked
        for name, email in people_in(lines.get(key)):
            user.update([email.casefold()] if email else [])
            user_names.update([name_key(name)] if name else [])
        if key in lines and "@" not in lines[key]:
            user_names.add(name_key(lines[key]))
    interviewers = _interviewers(lines, attendees, user, user_names, values)
    if "recruiter_email" not in values and "recruiter_name" in values:
        # "Coordinator: Dana Smith" and Dana among the attendees: her address is known.
        for name, email in attendees:
            if name and email and name_key(name) == name_key(values["recruiter_name"]):
                put("recruiter_email", one_address(email), "ATTENDEE")
                break
    recruiter_email = values.get("recruiter_email", "").casefold()
    recruiter_name = name_key(values.get("recruiter_name"))
    interviewers = [
        p
        for p in interviewers
        if not (p.email and p.email.casefold() == recruiter_email)
        and not (
            p.name and name_key(p.name) == recruiter_name and not (p.email and recruiter_email)
        )
    ]
    if "company" not in values:
        written_name = _name_in_notes(description, employers)
        if written_name is not None:  # "... at Lazio Radio Diagnostica" and lazioradio.it
            put("company", written_name, f"DESCRIPTION (the name {written_name!r} a domain spells)")
    if "company" not in values and location:
        written_name = _name_in_notes(location[:MAX_LINE], employers)
        if written_name is not None:  # "Lazio Radio Diagnostica S.r.l., Viale Marconi 210"
            put("company", written_name, f"LOCATION (the name {written_name!r} a domain spells)")
    if "company" not in values and not (client is None and _speaks_of_a_client(description)):
        # an agency's "uma vaga num cliente nosso (ainda confidencial). Posição em Lisboa":
        # the employer is not said, and a place after the job is no employer
        put("company", employer_in_sentence(description, everyone_named), _SENTENCE)
    if "company" not in values:
        guests = [people.domain_of(p.email) for p in interviewers if p.email]
        for domain in guests:
            if domain and not people.is_shared_sender("x@" + domain) and domain not in agencies:
                put("company", _company_of_domain(domain), f"ATTENDEE ({domain})")
                break
    if "company" not in values:
        for domain in _company_domains(everyone, [], user):  # the organizer's, a guest's
            if domain not in agencies and not agency_domain(domain):
                put("company", _company_of_domain(domain), f"a company's address ({domain})")
    put("company", company, "SUMMARY")  # a name after "with", a person-like one: the last say
    if "company" not in values and location:
        put("company", name_before_address(location), "LOCATION (the name before its address)")
    company_from = next((w for f, w in sources if f == "company"), None)
    if "company" in values and company_from not in ("DESCRIPTION", _CLIENT):
        # "Vauban" in the title, "Les Ateliers Vauban / 8 quai ..." as the location
        notes = "\n".join(description_lines(description)) if description else ""
        fuller = expanded(values["company"], [location or "", notes]) or fuller_written(
            values["company"], location, [summary, notes]
        )
        if fuller is not None:
            values["company"] = fuller
            sources = [(f, f"{w}, written in full" if f == "company" else w) for f, w in sources]
    if "recruiter_email" not in values:
        # "Questions? Write to Emily Carter (emily.carter@northbeam.com)": an address at a
        # company, written in the notes, is the one to write to when nothing else names one.
        known = values.get("recruiter_name")
        guests_mail = {(email or "").casefold() for _, email in attendees}
        for email in sorted(written, key=lambda e: e.casefold() in guests_mail):
            if _writable(email, user) and (known is None or _address_fits(known, email)):
                put("recruiter_email", email, "DESCRIPTION (an address in the notes)")
                if known is None:
                    put("recruiter_name", _name_before(description, email), "DESCRIPTION")
                break
    if "recruiter_email" not in values and description:
        # "Your call with Chloe Evans, Talent Partner at ..." and Chloe among the guests
        email = _recruiter_named_in_notes(description, attendees, user)
        put("recruiter_email", email, "ATTENDEE (named in the notes beside a recruiting role)")

    language = language_of_text(_event_text(summary, description))
    if language:
        sources.append(("language", "the words of the event's text"))
    if interviewers:
        sources.append(("interviewers", ", ".join(sorted({p.source for p in interviewers}))))
    if booked:
        sources.append(("booked_by", "ORGANIZER"))
    highlights_for = tuple(
        (key.split("@", 1)[1], value)
        for key, value in lines.items()
        if key.startswith("highlights@")
    )[: MAX_PEOPLE * 2]  # a loop has a handful of interviewers
    return Facts(
        company=values.get("company"),
        role=values.get("role"),
        recruiter_name=values.get("recruiter_name"),
        recruiter_email=values.get("recruiter_email"),
        timeline=values.get("timeline"),
        status=values.get("status"),
        highlights=values.get("highlights"),
        fit=values.get("fit"),
        note=values.get("note"),
        sources=tuple(sources),
        warnings=tuple(problems),
        interviewers=tuple(interviewers),
        highlights_for=highlights_for,
        language=language,
        booked_by=booked,
    )


MAX_WRITTEN = 20
"""Addresses read from an event's notes: an invitation names a few."""


def addresses_in(description: str | None) -> list[str]:
    """The valid addresses written in the notes (conferencing text left out), in order."""
    found: list[str] = []
    for line in description_lines(description)[:200] if description else []:
        at = line.find("@")
        while at != -1 and len(found) < MAX_WRITTEN:
            start, stop = at, at + 1
            while start > 0 and line[start - 1] not in _ADDRESS_STOPS and at - start <= 254:
                start -= 1
            while stop < len(line) and line[stop] not in _ADDRESS_STOPS and stop - at <= 254:
                stop += 1
            token = line[start:stop].rstrip(".")
            if token[:7].casefold() == "mailto:":
                token = token[7:]
            email = one_address(token)
            if email is not None and email.casefold() not in {f.casefold() for f in found}:
                found.append(email)
            at = line.find("@", stop)
    return found


_CLAUSE_BREAK = re.compile(r"\s*[,:;|–—]\s*|\s+-\s+")
_ASIDE = " ,;|–—-"


def _is_contact_role(text: str) -> bool:
    """ "People Partner", "Recruiter", "Contact": a contact line's key or a recruiting role."""
    key = " ".join(tokens(text))
    return 0 < len(key.split()) <= 4 and (
        key in lexicon().contact_keys or lexicon().team.any_in(tokens(text)) is not None
    )


def _name_before(description: str | None, email: str) -> str | None:
    """The person's name written just before an address in the notes ("Priya Rao
    <priya@initech.example>", "Emily Carter (emily.carter@northbeam.com)"), if one is."""
    for line in description_lines(description)[:200] if description else []:
        at = line.casefold().find(email.casefold())
        if at == -1:
            continue
        before = line[:at].replace("<", " ").replace("(", " ")
        clauses = [c for c in _CLAUSE_BREAK.split(before) if c.strip(_ASIDE)]
        # "Ellie Dawson, People Partner: ellie@...": the name is before its role
        if len(clauses) > 1 and _is_contact_role(clauses[-1]):
            clauses.pop()
        words = clauses[-1].split()[-3:] if clauses else []
        # "Contact Ellie Dawson": a contact line's key is no part of the name
        while words and (not words[0][:1].isupper() or _is_contact_role(words[0])):
            words = words[1:]
        name = " ".join(words).strip(" ,;-–")
        return name if len(words) >= 2 and people.reads_as_person(name) else None
    return None


ROLE_REACH = 40
"""How far after a guest's name the notes are read for their recruiting role."""


def _recruiter_named_in_notes(
    description: str, attendees: Sequence[tuple[str | None, str | None]], user: set[str]
) -> str | None:
    """The guest whom the notes name beside a recruiting role ("Chloe Evans, Talent Partner",
    "Jan Bos (recruiter)"), or None."""
    text = description[: MAX_LINE * 4]
    team = lexicon().team
    for name, email in attendees[:MAX_PEOPLE]:
        if not name or not email or len(name.split()) < 2 or not _writable(email, user):
            continue
        at = text.find(name)
        if at < 0:
            continue
        after = text[at + len(name) : at + len(name) + ROLE_REACH]
        if team.any_in(tokens(after)) is not None:
            return one_address(email)
    return None


def _writable(email: str, user: set[str]) -> bool:
    """A person's address at a company: not the user's, a mail provider's, a system's or a
    robot's."""
    return (
        email.casefold() not in user
        and people.is_person(None, email)
        and not people.is_shared_sender(email)
    )


def _company_domains(
    everyone: list[tuple[str | None, str | None]], written: list[str], user: set[str]
) -> list[str]:
    """The mail domains of the organizer, the guests and the addresses in the notes that
    may be a company's (no user's, no mail provider's, no system's), in that order."""
    found: list[str] = []
    own = {people.domain_of(e) for e in user}
    for email in [*(e for _, e in everyone[: MAX_PEOPLE * 10] if e), *written]:
        address = one_address(email)
        domain = people.domain_of(address)
        if (
            address is None
            or domain is None
            or domain in own
            or people.is_shared_sender(address)
            or people.is_robot(None, address)
        ):
            continue
        if domain not in found:
            found.append(domain)
    return found


MAX_NAME_WORDS = 4
"""A company's name written in the notes is read up to this many words."""


def _capitalised(word: str) -> bool:
    """ "Azur", and "d'Azur", "l'Étoile": a word of a name."""
    if word[1:2] in "'’" and len(word) > 2:
        word = word[2:]
    return word[:1].isupper()


def _name_in_notes(description: str | None, domains: list[str]) -> str | None:
    """The company's name as the notes write it, where a company domain spells it: a run
    of capitalised words ("Lazio Radio Diagnostica") whose letters start with the
    domain's name (lazioradio.it), without a legal form; None when the notes name none."""
    labels = [
        label
        for domain in domains
        if (spelled := _company_of_domain(domain)) and len(label := _squashed(spelled)) >= 4
    ]
    if not description or not labels:
        return None
    lines = description_lines(description)[:200]
    for line in lines:
        written = line.split()[:200]
        words = [word.strip(".,;:!?()[]\"'«»“”") for word in written]
        # a name ends with its sentence or clause: "Thanks for applying to Tallgrass Health!
        # This is ..." names Tallgrass Health
        ends = [word.rstrip(")]\"'»”").endswith((".", "!", "?", ",", ";", ":")) for word in written]
        for start, first in enumerate(words):
            if not first[:1].isupper():
                continue
            run: list[str] = []
            for at in range(start, min(start + MAX_NAME_WORDS + 2, len(words))):
                word = words[at]
                if (
                    word.casefold() in _PARTICLES
                    and run
                    and not ends[at - 1]
                    and at + 1 < len(words)
                    and _capitalised(words[at + 1])
                ):
                    run.append(word)  # "Cave des Coteaux d'Azur"
                    continue
                if (
                    word in ("&", "+")
                    and run
                    and not ends[at - 1]
                    and at + 1 < len(words)
                    and _capitalised(words[at + 1])
                ):
                    run.append(word)  # "Hofbauer & Partner" and hofbauer-partner.at
                    continue
                if not _capitalised(word) or _legal(word):
                    break
                run.append(word)
                squashed = _squashed(" ".join(run))
                # "Brasserie Carolingienne" and carolingienne.fr: a business word before
                # the name the domain spells is part of the name
                led = len(run) > 1 and fold(run[0]) in lexicon().business_words
                named = _squashed(" ".join(run[1:])) if led else squashed
                bare = [w for w in run if w.casefold() not in _PARTICLES]  # as domains write
                spelt = {squashed, named, _squashed_de(" ".join(run)), _squashed(" ".join(bare))}
                if led:
                    spelt.add(_squashed_de(" ".join(run[1:])))
                # "Zinnia Home Goods" and zinniagoods.com: a domain may leave out a word
                # inside the name; the whole domain then, not only its start
                dropped = {
                    _squashed(" ".join(run[:i] + run[i + 1 :])) for i in range(1, len(run) - 1)
                }
                if any(form.startswith(label) for form in spelt for label in labels) or (
                    dropped & set(labels)
                ):
                    # the longest run that still reads as the name: "Atlas Training Systems"
                    last = at
                    while not ends[last] and last + 1 < min(start + MAX_NAME_WORDS, len(words)):
                        more = words[last + 1]
                        if not more[:1].isupper() or _legal(more):
                            break
                        if _squashed(more) in labels or not more.isalpha():
                            break
                        run.append(more)
                        last += 1
                    return " ".join(run)
                if ends[at]:
                    break
    # "Conseil scolaire catholique des Grands-Lacs" and csc-grandslacs.ca, "Câmara Municipal
    # de Oeiras" and cm-oeiras.pt: a domain that abbreviates the name
    text = "\n".join(lines)
    return next((found for label in labels if (found := abbreviated_in(label, [text]))), None)


_LEGAL_FORMS = COMPANY_FORMS | _wordset(
    "nv bvba lda ltda sl spa sp sa sarl eurl ug ohg ev pty kgaa oyj zoo sagl sro scarl snc"
    " sac saa eirl sapi dac clg"
)
"""Legal forms that end a company's name as a sentence writes it ("Elbufer Logistik AG")."""
_NAME_STOPS = ".,;:!?"
_NAME_JOINS = _wordset("& + and und et y")
"""Words that join two capitalised words of one name ("Stroom & Steen", "Marks and
Spencer"); not "en", "e" or "i", which are also "in" and "and" between clauses."""


def _core(word: str) -> str:
    """A word without the marks around it ("(Gent)." -> "Gent"); "&" and "+" stay."""
    if word in ("&", "+"):
        return word
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]


def _legal(word: str) -> bool:
    return word.casefold().replace(".", "") in _LEGAL_FORMS


def _without_form(words: list[str]) -> list[str]:
    """The words of a name without the legal forms that end it ("Montalto S.p.A.")."""
    end = len(words)
    while end and _legal(_core(words[end - 1])):
        end -= 1
    return words[:end]


def _capitalised_run(
    words: Sequence[str], start: int, most: int = MAX_NAME_WORDS, *, titled: bool = False
) -> list[str]:
    """The capitalised words of a name from ``start`` ("Stroom & Steen", "Vientos del Sur"):
    a particle or "&" joins two of them; the run ends at a legal form, a bracket, the end of
    a clause, a word in lower case or a word of interview titles."""
    run: list[str] = []
    at = start
    title_words = lexicon().title_words
    while at < len(words) and sum(1 for w in run if w.casefold() not in _NAME_JOINS) < most:
        word = words[at]
        core = _core(word)
        if word.startswith(("(", "[")) and run:
            break
        joins = core.casefold() in _NAME_JOINS or core.casefold() in _PARTICLES
        if (
            not run
            and core.casefold() in _PARTICLES
            and core[:1].isupper()
            and at + 1 < len(words)
            and _core(words[at + 1])[:1].isupper()
            and word[-1:] not in _NAME_STOPS
        ):
            run.append(core)  # "Van Stolk Havenlogistiek", "De Vries Bouw": its first word
            at += 1
            continue
        if run and joins and at + 1 < len(words) and _core(words[at + 1])[:1].isupper():
            if word[-1:] in _NAME_STOPS:
                break
            run.append(core)
            at += 1
            continue
        named = titled or core.casefold() in _ARTICLES or fold(core) not in title_words
        if not core[:1].isupper() or _legal(core) or not named:
            break
        run.append(core)
        if word.rstrip(")]\"'»”")[-1:] in _NAME_STOPS or word.endswith((")", "]")):
            break
        at += 1
    while run and run[-1].casefold() in (_NAME_JOINS | _PARTICLES | _ARTICLES):
        run.pop()  # a name ends with a name's word, not "&", "de" or "Les"
    return run


_WORD = re.compile(r"[^\W_]+")


def _after(description: str | None, phrases: Phrases) -> Iterator[str]:
    """The rest of each line of the notes after one of ``phrases``, line by line."""
    return (rest for rest, _ in _after_phrase(description, phrases))


def _after_phrase(description: str | None, phrases: Phrases) -> Iterator[tuple[str, str]]:
    """The rest of each line after one of ``phrases``, with the language of the phrase."""
    if not description:
        return
    for line in description_lines(description)[:200]:
        spans = list(_WORD.finditer(line[:MAX_LINE]))
        for hit in phrases.find([fold(m.group()) for m in spans], limit=8):
            yield line[spans[hit.end - 1].end() :], hit.label


def client_named(description: str | None, names: frozenset[str] = frozenset()) -> str | None:
    """The employer a recruiting agency names in its notes, after "my client", "bei unserem
    Mandanten", "pour le compte de" and their like in the languages followup knows:
    "... an meinem Mandanten, der Elbufer Logistik AG, ..." gives "Elbufer Logistik"; None
    when no such phrase is followed by a name, or only by the name of one of ``names`` (the
    event's people: "sent on behalf of Marisol Vance")."""
    for rest, language in _after_phrase(description, lexicon().client):
        if rest.lstrip()[:1] in tuple(".!?;"):
            continue  # "... for our client. Series C": the sentence ended
        words = rest.split()[:20]
        # English "a" is indefinite; elsewhere "a" is "the" or "at" ("cliente nosso, a Farmácia")
        indefinite = _INDEFINITE | ({"a"} if language == "en" else set())
        at = 0
        while at < min(len(words), 4) and (
            not any(ch.isalnum() for ch in words[at])
            or (_core(words[at]) in _ARTICLES and words[at] not in indefinite)
        ):
            at += 1  # ", der", ", a", " – ": a capitalised article is the name's ("La Forge")
        if at < len(words) and (words[at][:1] in "(\"'«“" or words[at] in indefinite):
            continue  # "onze klant, een Antwerpse producent": described, not named
        run = _capitalised_run(words, at)
        if run and name_key(" ".join(run)) not in names:
            return " ".join(run)
    return None


def _speaks_of_a_client(description: str | None) -> bool:
    """Whether the notes speak of a recruiting agency's client ("my client", "cliente
    nosso"), named or not."""
    if not description:
        return False
    lines = description_lines(description[:20_000])[:200]
    return lexicon().client.any_in(tokens("\n".join(lines))) is not None


@cache
def _job_or_recruiter() -> Phrases:
    """The words for the job and for the people who recruit ("the Analyst position at
    ...", "responsável de recrutamento da ..."): the employer's name may follow them."""
    known = lexicon()
    return Phrases([*known.job_texts, *((key, lang) for key, lang in known.contact_keys.items())])


JOB_REACH = 8
"""Words between a job word and the word like "at" before the employer's name."""
_AT = _CONNECTORS_STRONG | _wordset("u da na no")


def employer_in_sentence(
    description: str | None, names: frozenset[str] = frozenset()
) -> str | None:
    """The employer a sentence of the notes names after the job: "... the Business
    Operations Analyst position at Tidepool Analytics." gives "Tidepool Analytics", "el
    puesto de Controller Financiero en Vientos del Sur" "Vientos del Sur"; None when no
    sentence does (or names one of the event's people)."""
    for rest in _after(description, _job_or_recruiter()):
        words = rest.split()[: JOB_REACH + MAX_NAME_WORDS]
        for at, word in enumerate(words[:JOB_REACH]):
            if word[-1:] in _NAME_STOPS:
                break  # the sentence or clause ended before a name
            if word.casefold() not in _AT or at + 1 >= len(words):
                continue
            start = at + 1 + (words[at + 1] in _ARTICLES)
            run = _capitalised_run(words, start)
            if run and name_key(" ".join(run)) not in names and not is_role(" ".join(run)):
                return " ".join(run)
            break
    return None


_INDEFINITE = _wordset("an een ein eine einem einen einer un une uno una um uma")

_ORG_WORDS = _wordset(
    "groupe group grupo gruppo grupa gruppe groep stichting stiftung fondation fundación"
    " fundacion fundação fundacao fondazione fundacja vereniging verein association"
    " asociación associazione associação stowarzyszenie"
)
"""Words that lead a company's name in a sentence ("chez Groupe Altamira", "van Stichting
Leeswerk"): part of the name."""


def fuller_written(name: str, location: str | None, texts: Sequence[str]) -> str | None:
    """The fullest form of a company's name that the event writes: a part of the location
    that is nothing but the name with words before or after it ("Les Ateliers Vauban / 8
    quai ..." for "Vauban", "Lone Star Medical Group, 1100 W 38th St" for "Lone Star
    Medical"), a line of the notes that is the same ("Studio Legale Ferraris Rinaldi",
    "Landeshauptstadt München" under a signature), or a title or sentence that writes it
    on ("Talent Partner at Sunfield Travel, is ...", "chez Groupe Altamira", "– Het Blauwe
    Huis"); None when none is fuller."""
    wanted = tokens(company_key(name) or name)
    if not wanted or len(wanted) > MAX_NAME_WORDS:
        return None
    best: list[str] = []
    parts = [
        (part, True, True)
        for line in (location or "")[:MAX_LINE].splitlines()[:5]  # Apple: "Name\nStreet 4"
        for part in _SEGMENTS.split(line)[:20]
    ]
    for text in texts:
        for line in text.splitlines()[:200]:
            pieces = _SEGMENTS.split(line[:MAX_LINE])[:50]
            alone = len(pieces) == 1 and not line.rstrip().endswith(tuple(_NAME_STOPS))
            parts.extend((part, alone, False) for part in pieces)
    for part, standalone, located in parts:
        words = _without_form(part.split()[:60])  # "Ceramiche Montalto S.p.A."
        found = _fuller_in(words, wanted, standalone=standalone, located=located)
        if len(found) > len(best):
            best = found
    return " ".join(best) if len(best) > len(name.split()) else None


_SEGMENTS = re.compile(r" [-–—|/·•] |[,;()\[\]]| ?\| ?|: ")


def _fuller_in(
    words: list[str], wanted: list[str], *, standalone: bool, located: bool = False
) -> list[str]:
    """The name ``wanted`` (its tokens) with the words around it in one part of a text:
    in a location, the whole part when it is nothing but a name ("Les Ateliers Vauban");
    anywhere, the capitalised words that follow it, a capitalised article that leads it
    ("Het Blauwe Huis") and a leading "Groupe" or "Stichting"."""
    cores = [_core(w) for w in words]
    known = lexicon()
    each = [tokens(core) for core in cores]
    for start, size in (
        (start, size)
        for start in range(len(words))
        if each[start][:1] == wanted[:1]
        # "St Brigid's": two words, three tokens; "Cedar & Pine": three words, two tokens
        for size in range(1, 2 * len(wanted) + 1)
        if start + size <= len(words) and each[start + size - 1]  # ends on a word, not "<>"
    ):
        if [token for found in each[start : start + size] for token in found] != wanted:
            continue
        end = start + size
        if words[end - 1][-1:] not in _NAME_STOPS and end < len(words):
            joined = words[end] in _NAME_JOINS and end + 1 < len(words)  # "... & Opleiding"
            at = end + 1 if joined else end
            more = (
                _capitalised_run(words, at, 2, titled=True)
                if _core(words[at])[:1].isupper()
                else []
            )
            while more and known.team.any_in(tokens(more[-1])) is not None:
                more = more[:-1]  # "Brightline Freight Recruiting": the company's team
            plain = known.title_words.isdisjoint(tokens(" ".join(more)))
            # "Wrenfield Home Insurance": a word of interviews ("take-home") inside a name
            # that ends with a business word
            business = bool(more) and fold(more[-1]) in known.business_words
            if (
                more
                and known.place_words.isdisjoint(tokens(" ".join(more)))
                and (plain or business)
            ):
                end = at + len(more)
        begin = start
        if (
            standalone
            and _name_only(cores, size, located=located)
            and known.team.any_in(tokens(" ".join(cores[:start]))) is None
        ):  # not "Dział Rekrutacji Mazowsze Logistics": the company's team
            begin, end = 0, len(words)
            while end - begin > size and known.team.any_in(tokens(cores[end - 1])) is not None:
                end -= 1  # "Lexora Recruiting" as the sender's name: the company's team
            if end - begin > size:  # "St. Brigid's University Hospital": as written
                return _as_written(words[begin:end])
        while begin > max(start - 2, 0) and cores[begin - 1][:1].isupper():
            before = cores[begin - 1]
            if (
                before.casefold() not in _ORG_WORDS
                and fold(before) not in known.business_words
                and (begin - 1 != 0 or before.casefold() not in _ARTICLES or before == "The")
            ):
                break  # "Het Blauwe Huis"; not "The Quarry Labs team will ..."
            begin -= 1  # "chez Groupe Altamira", "– Het Blauwe Huis"
        if end - begin > size:
            return [c for c in cores[begin:end] if c]
    return []


def _as_written(words: list[str]) -> list[str]:
    """Words of a name with the marks around each taken off but an abbreviation's dot
    before the last word ("St." of "St. Brigid's University Hospital")."""
    found: list[str] = []
    for at, word in enumerate(words):
        core = _core(word)
        if core and at < len(words) - 1 and word.endswith(".") and word.rstrip(".").endswith(core):
            core += "."
        if core:
            found.append(core)
    return found


def expanded(name: str, texts: Sequence[str]) -> str | None:
    """The name an acronym stands for, where the event writes it: "HVDSB" and "Humber
    Valley District School Board", "RRL Duisburg" and "Rhein-Ruhr Logistik"; None when the
    name does not start with an acronym or nothing writes it out."""
    first = name.split()[0] if name.split() else ""
    if not (2 <= len(first) <= 6 and first.isalpha() and first.isupper()):
        return None
    return abbreviated_in(first.casefold(), texts)


def abbreviated_in(label: str, texts: Sequence[str]) -> str | None:
    """A run of words in ``texts`` that ``label`` abbreviates, each word by its initial or
    in full ("Conseil scolaire catholique des Grands-Lacs" for cscgrandslacs): the longest
    from the first place it starts; None when none does."""
    if len(label) < 3:
        return None
    for text in texts:
        for line in text.splitlines()[:200]:
            words = [_core(word) for word in line[:MAX_LINE].split()[:60]]
            spelt: list[tuple[str, str, bool]] | None = None
            for start, first in enumerate(words):
                if not first[:1].isupper() or fold(first[:1].casefold()) != label[0]:
                    continue
                spelt = spelt or [_spellings(word) for word in words]
                end = _abbreviated_to(label, words, spelt, start)
                if end:
                    return " ".join(words[start:end])
    return None


_MOST_ABBREVIATED = 8
"""Words an abbreviation stands for, at most ("Humber Valley District School Board")."""


def _spellings(word: str) -> tuple[str, str, bool]:
    """A word's letters in full, its initials (of each hyphenated part) and whether it may
    be left out (a particle)."""
    parts = [squashed for part in word.split("-") if (squashed := _squashed(part))]
    skippable = word.casefold() in _PARTICLES or word.casefold() in _NAME_JOINS
    return "".join(parts), "".join(part[0] for part in parts), skippable


def _abbreviated_to(
    label: str, words: list[str], spelt: list[tuple[str, str, bool]], start: int
) -> int:
    """Where the longest run of words from ``start`` ends that ``label`` spells, each word
    by its initial (each part of a hyphenated one: "Rhein-Ruhr" rr) or in full, particles
    ("des", "of") left out or not, at least one word by its initial, more than one word
    spelled and the last one capitalised; 0 when none does. One pass over the words."""
    reach = {(0, False, 0)}  # (letters of the label spelled, an initial used, words in it)
    found = 0
    for at_word in range(start, min(start + _MOST_ABBREVIATED, len(words))):
        word = words[at_word]
        full, initials, skippable = spelt[at_word]
        if not full:
            break
        after: set[tuple[int, bool, int]] = set()
        # "Ing" of "Ingeniería" (ingmoncayo): a word's first letters stand for it too
        cuts = [(full[:size], True) for size in (3, 4) if len(full) > size + 2]
        for at, initial, used in reach:
            if skippable:
                after.add((at, initial, used))
            for form, short in ((full, False), (initials, True), (initials[:1], True), *cuts):
                if label.startswith(form, at):
                    after.add((at + len(form), initial or short, used + 1))
        reach = after
        if not reach:
            break
        if word[:1].isupper() and any(
            at == len(label) and initial and used > 1 for at, initial, used in reach
        ):
            found = at_word + 1
    return found


def name_before_address(location: str) -> str | None:
    """The name a location gives before its address, when it is nothing but a name: "Alvor
    Saúde – Rua do Campo Alegre 830, 4150-171 Porto", "RMB Digital, 5th floor, ...", Apple's
    "Name\nStreet 4"; None when the first part is no name or no address follows it."""
    lines = [line.strip() for line in location[:MAX_LINE].splitlines()[:5] if line.strip()]
    if not lines:
        return None
    parts = [p for p in _SEGMENTS.split(lines[0])[:20] if p.strip()]
    if not parts:
        return None  # "(": marks, no name
    head, rest = (lines[0], lines[1:]) if len(lines) > 1 else (parts[0], parts[1:])
    words = _without_form(head.split())  # "Alvor Saúde, Lda."
    cores = [_core(w) for w in words]
    if (
        not 2 <= len(cores) <= MAX_NAME_WORDS  # one word: a city as often as a company
        or not any(ch.isdigit() for part in rest[:3] for ch in part)
        or not _name_only(cores, len(cores), located=True)
        or lexicon().team.any_in(tokens(" ".join(cores))) is not None
        or fold(" ".join(cores).casefold()) in _zone_cities()  # "New York, 5th Ave"
    ):
        return None
    return " ".join(_as_written(words))


@cache
def _zone_cities() -> frozenset[str]:
    """The cities the time zone database names ("new york", "sao paulo"), folded."""
    return frozenset(
        fold(zone.rsplit("/", 1)[-1].replace("_", " ").casefold()) for zone in timezone_names()
    )


def _name_only(cores: list[str], size: int, *, located: bool = False) -> bool:
    """Whether a part of a text is a name and nothing else: capitalised words (and
    particles), no number, no legal form, no word of places, and no word of interview
    titles but in a location, where "Studio Tecnico Bertola" is a firm's name."""
    known = lexicon()
    last = cores[-1].casefold() if cores else ""
    if last in _NAME_JOINS or last in _PARTICLES or last in _ARTICLES:
        return False
    return len(cores) <= size + 3 and all(
        (core[:1].isupper() or core.casefold() in _PARTICLES)
        and not any(ch.isdigit() for ch in core)
        and not _legal(core)
        and (located or core.casefold() in _ARTICLES or known.title_words.isdisjoint(tokens(core)))
        and near_interview_word(fold(core.casefold())) is None  # "Solicitatiegesprek"
        and known.place_words.isdisjoint(tokens(core))
        for core in cores
    )


def _squashed(text: str) -> str:
    """Letters and digits only, as a mail domain spells them ("Wisłomedia": wislomedia)."""
    return "".join(ch for ch in fold(text.casefold()).translate(_ASCII_LETTERS) if ch.isalnum())


def _squashed_de(text: str) -> str:
    """``_squashed`` with German umlauts as domains often write them: "Südstern" suedstern."""
    return _squashed(text.translate(_UMLAUTS))


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})

_ASCII_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
"""Letters without a decomposition that domains write in ASCII."""


def _spelled_by(name: str, domains: list[str]) -> bool:
    """Whether a company's name is what one of ``domains`` spells ("Isar Medical Systems"
    and isar-medical.com, "Lumen Mobility" and lumenmobility.nl)."""
    squashed = _squashed(company_key(name) or name)
    german = _squashed_de(company_key(name) or name)
    key = company_key(name) or name
    anded = (
        [_squashed(key.replace("&", f" {word} ")) for word in lexicon().and_words]
        if "&" in key
        else []
    )
    for domain in domains:
        spelled = _company_of_domain(domain)
        label = _squashed(spelled) if spelled else ""
        if (
            len(label) >= 3
            and len(squashed) >= 3
            and any(
                form.startswith(label) or label.startswith(form)
                for form in (squashed, german, *anded)
            )
        ):
            return True
        # "Cabinet Arven" and arven-conseil.fr: a distinctive word of the name is a part
        # of the domain's name
        parts = {_squashed(part) for part in (spelled or "").split()}
        if any(
            len(word) >= 4 and word not in lexicon().title_words and _squashed(word) in parts
            for word in tokens(name)
        ):
            return True
    return False


def _booked_organizer(
    organizer: Organizer,
    booked: str,
    put: Callable[[str, str | None, str], None],
    domains: list[str] = [],  # noqa: B006 - never changed
) -> None:
    """What an organizer that is no person still tells: the company a shared calendar is
    named after, the recruiter "Dana Smith via Greenhouse" names, the company "Acme" in
    "Acme <acme@myworkday.com>" or in "Acme Health via Workable" beside a guest at
    acmehealth.com."""
    name = organizer.name or ""
    system = people.system_for(organizer.email)
    systems = {system_name.casefold() for system_name, _ in people.senders().systems}
    head, via, _ = name.partition(" via ")
    squashed = _squashed(head)
    spelt = [_squashed(_company_of_domain(d) or "") for d in domains]
    if via and len(squashed) >= 4 and any(len(label) >= 4 and squashed == label for label in spelt):
        # "Coral Press via Workable" with a guest at coralpress.co.uk: the company's name (a
        # person's name only spells a domain in part: "Dana Smith" and smith-partners.com)
        put("company", head.strip(), f"ORGANIZER (via {booked})")
        return
    if via and people.reads_as_person(head) and _person_like(head):
        put("recruiter_name", head.strip(), f"ORGANIZER (via {booked})")
        return
    if system is None:
        company = people.company_of_calendar(name)
        if company and company.casefold() not in systems:
            put("company", company, f"ORGANIZER (the shared calendar {name!r})")
        return
    words = name.split()
    if (
        words
        and system.casefold() not in name.casefold()
        and not people.is_robot(name, None)
        and (
            len(words) == 1
            or words[-1].casefold().strip(".,") in COMPANY_SUFFIXES
            or _spelled_by(name, domains)
        )
        and name.casefold() not in systems
    ):
        put("company", people.company_of_calendar(name) or name, f"ORGANIZER ({system})")


def _fuller(known: str | None, other: str | None) -> str | None:
    """Of two names of one person, the one that says more: "Frau Anna Berger" over "Anna
    Berger", a name written over one read from an address."""
    if not known or not other:
        return known or other
    return other if name_key(known) == name_key(other) and len(other) > len(known) else known


def _interviewers(
    lines: dict[str, str],
    attendees: tuple[tuple[str | None, str | None], ...],
    user: set[str],
    user_names: set[str],
    values: dict[str, str],
) -> list[Person]:
    """The people who interviewed the user: attendees who are people, and the names the
    Interviewers and Schedule lines give (an attendee of the same name is one person)."""
    found: list[Person] = []

    def add(name: str | None, email: str | None, source: str) -> None:
        email = one_address(email) if email else None
        name = " ".join(name.split()) if name else None
        if not people.is_person(name, email):
            return
        name = name or people.name_from_address(email)  # "sam.lee@" is Sam Lee; "sl2@" no one
        if email is None and name is None:
            return
        if email and (email.casefold() in user or people.is_free_mail(email)):
            return
        if name and name_key(name) in user_names:
            return
        for index, known in enumerate(found):
            if _same_person((known.name, known.email), (name, email)):
                found[index] = Person(_fuller(known.name, name), known.email or email, known.source)
                return
        if len(found) < MAX_PEOPLE:
            found.append(Person(name, email, source))

    for name, email in attendees[: MAX_PEOPLE * 10]:
        add(name, email, "ATTENDEE")
    for key, label in (("interviewers", "Interviewers"), ("schedule", "Schedule")):
        for name, email in people_in(lines.get(key)):
            add(name, email, f"DESCRIPTION: {label}")
    return found


def _clean_value(value: str | None) -> str | None:
    """A company or role as written, without a gender marker ("Projektmanager (m/w/d)")."""
    if value is None:
        return None
    outside, bracketed = _brackets(value)
    if any(_GENDER.match(part) for part in bracketed):
        value = outside.replace(" | ", " ")
    value = " ".join(value.split()).strip(" .,;")
    first = value.split(" ", 1)[0].casefold().strip(".,;:")
    if first in _UNKNOWN:
        return None
    return value or None


_UNKNOWN = _wordset("tbd tba tbc unknown n/a na ? - none offen unbekannt")
