"""Which events are interviews, and why: a verdict from independent pieces of evidence.

Each event is weighed on what it says and who sends it, never on one list of
words alone:

- the title: an interview word in one of eight languages ("sollicitatiegesprek",
  "entretien d'embauche", "rozmowa kwalifikacyjna"), a stage ("coding screen",
  "portfolio review", "round 2"), a conversation ("call", "gesprek") beside a
  company's name, and the rules' own words, phrases and exclusions;
- the notes: a contact line (Recruiter, Sourcer, People partner,
  Ansprechperson, Contactpersoon, ...), a sentence about the decision, the text a
  scheduling system writes ("your interviewers");
- the organizer and attendees: an applicant-tracking or scheduling system, a
  company's domain that is not the user's own, the user organizing with
  outside people;
- the conferencing, and (in the reader) the other rounds of the same company.

Look-alikes weigh against: preparing, practising, training, press, offers,
onboarding, reviews, medical, service and social events, and the user's own
hiring (a candidate, a debrief, a hiring committee). A word inside the
company's or the role's name ("Interview at Northwind Health") is no
look-alike. The outcome is ``counted``, ``asked`` or ``ignored`` with the
reasons, in words a person reads in ``explain``; an answer the user gave wins.
The weights and thresholds are in ``WEIGHTS``, ``COUNT_AT`` and ``ASK_AT``
(docs/recognition.md explains them). Pure: no I/O.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources

from followup.engine.model import Outcome, Verdict, answered
from followup.engine.people import domain_of, is_free_mail, is_robot, one_address, system_for
from followup.engine.read import timewords
from followup.engine.read.facts import (
    addresses_in,
    agency_domain,
    client_named,
    description_lines,
    html_to_text,
    is_role,
)
from followup.engine.read.lexicon import (
    LANGUAGE_NAMES,
    MIN_NEAR,
    Hit,
    Phrases,
    cased_tokens,
    fold,
    is_number,
    lexicon,
    near_interview_word,
    phrase_tokens,
    tokens,
    written_tokens,
)

WEIGHTS = {
    "interview": 3.0,  # an interview word in the title, or one of the rules' words
    "stage": 2.0,  # a stage other meetings use too ("panel", "presentation")
    "talk": 1.0,  # a conversation ("call", "gesprek"): only beside other evidence
    "company": 1.0,  # the title names a company, beside an interview or conversation word
    "contact": 2.0,  # a contact line naming someone on the employer's side
    "contact-plain": 1.0,  # a generic contact line without an address at a company
    "itinerary": 1.5,  # text a scheduling system writes into an invite
    "application": 2.0,  # the title speaks of the user's application ("Rückruf wg. Bewerbung")
    "mention": 1.5,  # the notes speak of an interview: of a job's, or of a radio's
    "decision": 1.0,  # a sentence about the decision or the next steps
    "system": 2.0,  # sent by an applicant-tracking or interview-scheduling system
    "agency": 2.0,  # sent by a recruiting agency's recruiter: they call about jobs
    "outside": 1.0,  # organizer or attendee at a company domain that is not the user's
    "conferencing": 0.5,  # held by video or phone
    "rounds": 2.0,  # the same company's other rounds are counted (added by the reader)
    "role": 1.0,  # a booking page's meeting names a job ("Intro - Backend Engineer")
}
COUNT_AT = 3.0
"""An event with evidence of an interview worth this much is counted."""
ASK_AT = 2.0
"""Below ``COUNT_AT`` but worth this much (conferencing aside): followup asks."""
STRONG_AGAINST = 2.0
"""Evidence beyond the title (notes, sender) that makes a look-alike title ask rather than
ignore: the title alone never outweighs its own look-alike word."""

MAX_TITLE_TOKENS = 40
"""Words of a title tried for an interview word written with a slip."""
MAX_NOTES = 20_000
"""Characters of an event's notes weighed: evidence is near the top."""
MAX_NOTE_LINES = 200

_JOB = frozenset(
    {
        "interview",
        "stage",
        "contact",
        "itinerary",
        "application",
        "mention",
        "decision",
        "system",
        "agency",
        "rounds",
        "role",
    }
)
"""Evidence that speaks of a job search; without one of these nothing is counted or asked."""

_WITH_EMPLOYER = frozenset({"offer", "onboarding", "review"})
_LOOKALIKE_WHY = {
    "prep": "preparing for an interview",
    "mock": "a practice interview",
    "training": "a training, course or workshop",
    "press": "a press, radio or podcast interview",
    "informational": "networking, not an application",
    "offer": "an offer or contract talk",
    "onboarding": "starting a job",
    "review": "a review with your own employer",
    "medical": "a medical appointment",
    "service": "an appointment for a service",
    "social": "a social or sports event",
}


@dataclass(frozen=True, slots=True)
class Event:
    """What recognition sees of one event (one occurrence of a series)."""

    summary: str
    description: str | None = None
    categories: tuple[str, ...] = ()
    organizer: tuple[str | None, str | None] | None = None
    """(name, address) of the ORGANIZER."""
    attendees: tuple[tuple[str | None, str | None], ...] = ()
    location: str | None = None
    company: str | None = None
    """The company the title or notes name (from engine.read.facts)."""
    role: str | None = None
    company_in_notes: bool = False
    """The company comes from a line of the notes, not from the title."""


@dataclass(frozen=True)
class Words:
    """What the rules say about titles: their words and phrases, the ones the user added
    (which win), their exclusions and categories."""

    words: tuple[str, ...] = ()
    """Words and phrases of the rules' ``interviews:``."""
    own: tuple[str, ...] = ()
    """Those of ``words`` the user added to the shipped ones: they count whatever else."""
    exclusions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def phrases(self) -> Phrases:
        return _phrases(self.words, "rules")

    @property
    def own_phrases(self) -> Phrases:
        return _phrases(self.own, "own")

    @property
    def excluded(self) -> Phrases:
        return _phrases(self.exclusions, "exclusion")


@cache
def _phrases(texts: tuple[str, ...], label: str) -> Phrases:
    return Phrases((text, label) for text in texts)


@dataclass(frozen=True, slots=True)
class Assessment:
    """A verdict and what it was weighed from: the reader adds the other rounds' evidence."""

    verdict: Verdict
    score: float = 0.0
    job: bool = False
    """Some evidence speaks of a job search."""
    against: bool = False
    """A look-alike or the user's own hiring weighs against it."""
    visible: bool = False
    """Ignored, but its notes or sender speak of a job search: listed with the reason."""


@dataclass
class _Weighing:
    points: list[tuple[str, float, str]] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    own_hiring: bool = False
    lookalike: bool = False
    with_employer: bool = False
    """The look-alike is a talk with an employer (an offer, onboarding, a review): its
    recruiter lines and company domain are no sign of an interview."""
    doubt: str | None = None
    """Why an event the evidence would count is asked about instead."""

    def add(self, kind: str, reason: str, weight: float | None = None) -> None:
        if any(k == kind for k, _, _ in self.points) and kind not in ("outside",):
            return  # one piece of evidence of each kind
        self.points.append((kind, WEIGHTS[kind] if weight is None else weight, reason))

    @property
    def score(self) -> float:
        return sum(weight for _, weight, _ in self.points)

    @property
    def core(self) -> float:
        return sum(weight for kind, weight, _ in self.points if kind != "conferencing")

    @property
    def beyond_title(self) -> float:
        """Evidence from the notes and the people, not the title."""
        return sum(
            weight
            for kind, weight, _ in self.points
            if kind not in ("interview", "stage", "talk", "company", "application", "conferencing")
        )

    @property
    def beyond_job(self) -> bool:
        """The notes or the sender speak of a job search (not only the title)."""
        return any(
            kind in ("contact", "itinerary", "application", "decision", "system", "agency")
            for kind, _, _ in self.points
        )

    @property
    def listed(self) -> bool:
        """The notes or the sender say enough that an event set aside is still listed, with
        its reason: they speak of a job search, or of an interview."""
        return self.beyond_job or any(kind == "mention" for kind, _, _ in self.points)

    @property
    def job(self) -> bool:
        return any(kind in _JOB for kind, _, _ in self.points)

    def reasons(self) -> tuple[str, ...]:
        """Each reason once, in the order it was weighed (two kinds of evidence may read
        the same line)."""
        return tuple(dict.fromkeys((*(reason for _, _, reason in self.points), *self.against)))


def _quoted(hit: Hit) -> str:
    return repr(hit.text)


_BEFORE_NAME = frozenset(
    [
        "at",
        "bei",
        "chez",
        "bij",
        "presso",
        "em",
        "na",
        "no",
        "w",
        "en",
        "from",
        "von",
        "van",
        "da",
        "de",
        "del",
        "della",
    ]
)
"""Words after which a title names the company: "Interview at Northwind Health"."""


_LEGAL_FORMS = frozenset(
    [
        "inc",
        "corp",
        "corporation",
        "ltd",
        "llc",
        "gmbh",
        "ag",
        "se",
        "sa",
        "plc",
        "co",
        "kg",
        "limited",
        "bv",
        "nv",
        "oy",
        "ab",
        "srl",
        "spa",
        "sas",
        "sarl",
        "sl",
        "lda",
        "sp",
        "zoo",
    ]
)


@dataclass(frozen=True, slots=True)
class _Name:
    """Where a company's or role's name stands in the title, and how sure it is a name."""

    span: range
    certain: bool
    """From the notes, with a legal form ("BV", "GmbH"): a name beyond doubt."""
    sure: bool
    """Read from the title, after "at" or of two words or more, with no interview word."""
    introduced: bool = False
    """After "at", "bei", "chez" (a word that introduces a name)."""
    written: bool = False
    """The notes or the location write the company's whole name, which holds these words
    ("Kennismaking Duinwijck Training" and "... bij Duinwijck Training & Opleiding")."""
    capital: bool = False
    """The title writes it with a capital letter ("Kestrelmoor Health", not "colloquio
    genitori-insegnanti")."""


def _company_domains(event: Event, owners: frozenset[str]) -> str:
    """The organizer's, the guests' and the notes' mail domains that may be a company's,
    run together."""
    addresses = [
        (event.organizer or (None, None))[1],
        *(a for _, a in event.attendees[:20]),
        *addresses_in(event.description[:MAX_NOTES] if event.description else None),
    ]
    return " ".join(
        d
        for a in addresses
        if a
        and a.casefold() not in owners
        and (d := domain_of(a)) is not None
        and not is_free_mail(d)
        and system_for(a) is None
    )


def _names(words: list[str], event: Event) -> list[_Name]:
    """The title's tokens that are the company's or the role's name."""
    found: list[_Name] = []
    kinds = lexicon().title_words
    written = _written_elsewhere(event)
    as_written = cased_tokens(event.summary)
    if len(as_written) != len(words):
        as_written = []  # the two readings do not line up: no telling
    for name, from_notes in ((event.company, event.company_in_notes), (event.role, False)):
        full = tokens(name or "")
        wanted = full
        if name is not None and name == event.company and written and not _holds(words, full):
            # "Duinwijck Training" in the title of "Duinwijck Training & Opleiding"
            wanted = next(
                (full[:n] for n in range(len(full) - 1, 1, -1) if _holds(words, full[:n])), full
            )
        if not wanted:
            continue
        for start in range(0, len(words) - len(wanted) + 1):
            if words[start : start + len(wanted)] != wanted:
                continue
            certain = from_notes or wanted[-1] in _LEGAL_FORMS
            misread = any(w in kinds for w in wanted)  # "Préparation entretien Lumière"
            sure = not misread and (
                (start > 0 and words[start - 1] in _BEFORE_NAME) or len(wanted) >= 2
            )
            introduced = start > 0 and words[start - 1] in _BEFORE_NAME
            found.append(
                _Name(
                    range(start, start + len(wanted)),
                    certain,
                    sure,
                    introduced,
                    written=name == event.company and written and len(wanted) >= 2,
                    capital=bool(as_written) and as_written[start][:1].isupper(),
                )
            )
    return found


def _ends_a_name(hit: Hit, names: list[_Name], taken: set[int]) -> bool:
    """Whether a word closes a company's name of two words or more that the title gives
    after its interview word ("Final interview – Kestrelmoor Health"; not "RAV-Kurs:
    Bewerbungsgespräche", a course named before the word). ``taken`` holds the title's
    interview words: none, no such name."""
    if not taken:
        return False
    return any(
        name.sure
        and name.capital
        and name.span.start > max(taken)
        and name.span.start < hit.start
        and hit.end == name.span.stop
        for name in names
    )


def _holds(words: Sequence[str], wanted: Sequence[str]) -> bool:
    size = len(wanted)
    return size > 0 and any(
        list(words[at : at + size]) == list(wanted) for at in range(len(words) - size + 1)
    )


def _written_elsewhere(event: Event) -> bool:
    """Whether the notes or the location write the company's name as the facts read it."""
    wanted = tokens(event.company or "")
    if len(wanted) < 2:
        return False
    text = f"{event.location or ''}\n{(event.description or '')[:MAX_NOTES]}"
    return _holds(tokens(text), wanted)


def _in_a_name(hit: Hit, names: list[_Name], domains: str) -> bool:
    """Whether a look-alike word is part of the company's or role's name, not the kind of
    event: "Interview at Northwind Health". A name read from the title alone needs two
    words or "at" before it, and where the company's domain is known it must spell the
    word ("Globex onboarding" from globex.com is onboarding at Globex); a media name
    needs a legal form or its domain ("BBC Radio London interview" is press)."""
    for name in names:
        if not (name.span.start <= hit.start and hit.end <= name.span.stop):
            continue
        if name.certain or (
            name.written and hit.label != "press" and hit.end - hit.start < len(name.span)
        ):
            return True  # the notes write the name: "Duinwijck Training & Opleiding"
        spelt = all(t in domains for t in phrase_tokens(hit.text)) if domains else None
        if hit.label == "press" or not name.sure:
            if spelt:
                return True
            continue
        # A look-alike word that ends the name (or, for a talk with the employer, starts it)
        # and that the company's domain does not spell is the event's kind beside the
        # company ("Globex onboarding", "Offer Globex").
        inside = hit.end < name.span.stop
        if hit.label in _WITH_EMPLOYER:  # "Offer Globex": an employer's talk before its name
            inside = inside and name.span.start < hit.start
        if spelt is None:
            # No domain to spell it: a name that opens the title or follows a dash may be
            # the event's own kind ("Workshop Career Centre: ...", "Final - pub quiz
            # league"); one introduced by "at" or "bei" is the company's.
            if name.introduced:
                return True
            continue
        if spelt or inside:
            return True
    return False


def _spelt_by_domain(hit: Hit, words: list[str], domains: str) -> bool:
    """Whether the hit and a title word beside it, run together, are a mail domain's name:
    "Schnuppertag bei Limmat Health" from limmathealth.ch names the company, not a
    health appointment, even where the company was not read from the title."""
    if not domains:
        return False
    names = {d.split(".", 1)[0] for d in domains.split()}
    joined = "".join(words[hit.start : hit.end])
    before = words[hit.start - 1] + joined if hit.start > 0 else ""
    after = joined + words[hit.end] if hit.end < len(words) else ""
    return any(
        len(text) > len(joined) and any(text in name for name in names)
        for text in (before, after)
        if text
    )


def _free_of(hits: list[Hit], inside: set[int]) -> list[Hit]:
    return [hit for hit in hits if not any(i in inside for i in range(hit.start, hit.end))]


def _language(label: str) -> str:
    return LANGUAGE_NAMES.get(label, label)


def recognise(
    event: Event,
    *,
    words: Words,
    owners: frozenset[str] = frozenset(),
    answer: bool | None = None,
    attendees_unknown: bool = False,
    rounds: str | None = None,
) -> Assessment:
    """The verdict on one event: counted, asked or ignored, with the reasons.

    ``rounds`` is the reader's word that the event belongs to an application whose
    other rounds are counted ("its organizer writes from globex.com, like your Globex
    interviews"): evidence of a job search, weighed like the rest.

    ``attendees_unknown`` weighs the event as if someone from a company were invited
    (the cheap scan does not read attendees: it must keep every event they could tip)."""
    if answer is not None:
        found = recognise(
            event,
            words=words,
            owners=owners,
            attendees_unknown=attendees_unknown,
            rounds=rounds,
        )
        if found.verdict.outcome == ("counted" if answer else "ignored"):
            return found  # the answer agrees with the evidence
        return replace(found, verdict=answered(found.verdict, answer), job=answer, visible=True)
    title = event.summary[:500]
    booked = booking_title(event.description)
    if booked is not None:  # "Event Name: Intro call" under a title of two names
        title = f"{title} | {booked}"
    title_words = tokens(title)
    names = _names(title_words, event)
    domains = _company_domains(event, owners)

    own_word = words.own_phrases.first(title_words)
    if own_word is not None:
        reason = f"its title has {own_word.text!r}, a word you added to your rules"
        return Assessment(Verdict("counted", reasons=(reason,)), COUNT_AT, job=True)
    category = _category(event.categories, words.categories)
    if category is not None:
        reason = f"its category is {category}, one of your rules' interview categories"
        return Assessment(Verdict("counted", reasons=(reason,)), COUNT_AT, job=True)

    weighing = _Weighing()
    known = lexicon()
    taken: set[int] = set()
    rule_hit = words.phrases.first(title_words)
    interview_hits = known.interview.find(title_words, limit=4)
    if rule_hit is not None:
        weighing.add("interview", f"its title has {_quoted(rule_hit)}, an interview word")
        taken.update(range(rule_hit.start, rule_hit.end))
    for hit in interview_hits:
        weighing.add(
            "interview", f"its title has {_quoted(hit)} (an interview, in {_language(hit.label)})"
        )
        taken.update(range(hit.start, hit.end))
    if not interview_hits and rule_hit is None:
        for at, token in enumerate(title_words[:MAX_TITLE_TOKENS]):
            near = near_interview_word(token)
            if near is not None:  # "Solicitatiegesprek Dijkstra Logistiek"
                weighing.add("interview", f"its title has {token!r}, written like {near!r}")
                taken.add(at)
                break
    staged: set[int] = set()
    for hit in _free_of(known.stage.find(title_words, limit=4), taken):
        weighing.add("stage", f"its title names an interview stage: {_quoted(hit)}")
        staged.update(range(hit.start, hit.end))
    talks = _free_of(known.talk.find(title_words, limit=4), taken)
    talk = talks[0] if talks else None
    titled = any(kind in ("interview", "stage") for kind, _, _ in weighing.points)
    if talk is not None:
        weighing.add("talk", f"its title names a conversation: {_quoted(talk)}")
    elif "<>" in title and names:
        # "Ana Ruiz <> Globex": the way scheduling names a meeting of two sides
        weighing.add("talk", "its title pairs you with a company ('<>')")
    if booked is not None and is_role(booked):
        # A booking page's meeting type names a job: a talk about that job
        weighing.add("role", f"its booking names a job: {booked[:60]!r}")
    elif talk is not None and (job := job_in_title(title)) is not None:
        # "rozmowa – Senior Product Designer": a talk about a job
        weighing.add("role", f"its title names a job: {job[:60]!r}")
    elif talk is not None and (recruiter := recruiter_in_title(title_words)) is not None:
        # "spotkanie z rekruterką", "Telefonat mit Recruiterin": a talk with a recruiter
        weighing.add("role", f"its title names a talk with a recruiter: {recruiter!r}")
    if event.company and (titled or talk is not None):
        weighing.add("company", f"its title or notes name a company: {event.company}")

    _weigh_notes(event.description, weighing)
    cue = _said(known.itinerary, title_words)
    if cue is not None and not set(range(cue.start, cue.end)) & (taken | staged):
        # "Café con Marisol – sobre mi postulación"; not "interview with", a title's own.
        # The user's own word for the event: worth more than an invitation's boilerplate.
        weighing.add("application", f"its title speaks of the application: {cue.text!r}")
    user_organizes = _weigh_people(event, owners, weighing)
    if attendees_unknown:
        # The most the attendees could add: someone from a company, and no sign of the
        # user's own hiring (which only ever lowers the outcome).
        weighing.add("outside", "someone from a company may be invited")
        user_organizes = None
    if _conferencing(event):
        weighing.add("conferencing", "it is held by video or phone")
    talked = any(kind == "talk" for kind, _, _ in weighing.points)
    if rounds and (titled or (talked and bool(names)) or two_people(event.summary)):
        # A round: an interview or stage word, a talk whose title names the company
        # ("Isarfilm – Gespräch"), or a meeting of two people as booking pages name it
        # ("Lea / Dr. Konstantin Reuter"); a bare "Catch-up" from the recruiter stays listed.
        weighing.add("rounds", rounds)

    excluded = [
        hit
        for hit in words.excluded.find(title_words, limit=4)
        if not _in_a_name(hit, names, domains)
        and not _spelt_by_domain(hit, title_words, domains)
        # "Final interview – Kestrelmoor Health": beside an interview word, the last word
        # of a company's name of two or more words is the name's, not the event's kind
        and not _ends_a_name(hit, names, taken)
    ]
    if excluded:
        return _excluded(excluded[0], weighing)

    certain = [name for name in names if name.certain]
    own = [hit for hit in known.own.find(title_words, limit=4) if not _in_a_name(hit, certain, "")]
    if own:
        weighing.own_hiring = True
        weighing.against.append(
            f"its title has {_quoted(own[0])}: that is your own hiring, not your interview"
        )
    elif user_organizes is not None:
        weighing.against.append(user_organizes)
    else:
        hiring = _hiring_at_work(event, owners)
        if hiring is not None:
            weighing.own_hiring = True
            weighing.against.append(hiring)
    found_lookalikes = known.lookalike.find(title_words, limit=4)
    lookalikes = [
        hit
        for hit in found_lookalikes
        if not _in_a_name(hit, names, domains)
        and not _spelt_by_domain(hit, title_words, domains)  # "Farol Media", farolmedia.pt
        # "Coffee with the team": meeting the team, not networking over coffee
        and not (hit.label == "informational" and _free_of([hit], staged) == [])
        # "Coffee & chat – Pinecrest Labs" after "thanks for applying": networking is a
        # talk with no application, and the notes speak of one
        and not (hit.label == "informational" and weighing.beyond_job)
        and not (titled and _other_accents(hit, title))
        # "Final interview – Kestrelmoor Health"; never a press word ("Interview – BBC Radio")
        and not (hit.label != "press" and _ends_a_name(hit, names, taken))
        # "Revisão de portfólio": a look-alike word inside a stage or an interview phrase
        and not set(range(hit.start, hit.end)) <= (staged | taken)
        # "Rozmowa kwalifikacyjna – Księgowa": the job beside an interview word, not a visit
        # to one
        and not (taken and set(phrase_tokens(hit.text)) <= known.role_words)
    ]
    if not lookalikes and not own and not weighing.beyond_job:
        named = [hit for hit in found_lookalikes if hit.label == "press"]
        shared = _press_shared()
        if any(kind in ("stage", "rounds", "role") for kind, _, _ in weighing.points) or any(
            " ".join(phrase_tokens(hit.text)) not in shared
            for hit in [*interview_hits, *([rule_hit] if rule_hit else [])]
        ):
            named = []  # "Kestrel Media – Virtual Onsite": a job's words beside a press word
        if named:  # "Interview – Dutch Data Podcast": a company's name, or a press outlet's
            weighing.doubt = (
                f"its title names {_quoted(named[0])}, which may be a press outlet: nothing "
                "else speaks of an application"
            )
        press = _press_in_notes(event, domains)
        rounds_known = any(kind == "rounds" for kind, _, _ in weighing.points)
        sender = _press_sender(event) if press is None and not rounds_known else None
        if press is not None:  # "Interview – Open source in cities": the notes name the paper
            weighing.lookalike = True
            weighing.against.append(
                f"its notes speak of {_quoted(press)}: {_LOOKALIKE_WHY['press']}"
            )
        elif sender is not None:
            weighing.lookalike = True
            weighing.against.append(
                f"its organizer writes from {sender}: {_LOOKALIKE_WHY['press']}"
            )
    strong = any(
        kind in ("contact", "system", "decision", "rounds") for kind, _, _ in weighing.points
    )
    if not lookalikes and not own and not weighing.lookalike and not strong:
        person = _press_person(event.description)
        if person is not None:  # "Reporter Nate Gold — phone interview for a piece on ..."
            weighing.lookalike = True
            weighing.against.append(f"its notes name a {person}: {_LOOKALIKE_WHY['press']}")
        taught = _in_notes(event, domains, ("mock", "training"), as_listed=True)
        if taught is not None and weighing.doubt is None and not weighing.beyond_job:
            # "Portfolio review with Hannah" and "Mentorship session booked on ...": a
            # stage's words, and notes of practice or teaching with nothing of a job
            weighing.doubt = (
                f"its notes speak of {_quoted(taught)}: "
                f"{_LOOKALIKE_WHY.get(taught.label, 'not an interview')}"
            )
    if not lookalikes and not own and weighing.doubt is None:
        offered = (
            _in_notes(event, domains, ("offer",), phrases=known.offer)
            if not (interview_hits or rule_hit or staged)
            else None
        )
        if offered is not None:
            # "... walk you through the details of our offer": after the interviews
            weighing.doubt = f"its notes speak of {_quoted(offered)}: {_LOOKALIKE_WHY['offer']}"
    if lookalikes:
        weighing.lookalike = True
        hit = lookalikes[0]
        weighing.with_employer = hit.label in _WITH_EMPLOYER and not any(
            kind == "interview" for kind, _, _ in weighing.points
        )
        weighing.against.append(
            f"its title has {_quoted(hit)}: {_LOOKALIKE_WHY.get(hit.label, 'not an interview')}"
        )
    return _decide(weighing, organizes=user_organizes is not None)


_PAIR = re.compile(r"\s+(?:/|<>|&|\+|x)\s+|\s*/\s*")
_HONORIFICS = frozenset(["dr", "dr.", "prof", "prof.", "mr", "mr.", "ms", "ms.", "mrs", "mrs."])


def two_people(title: str) -> bool:
    """Whether a title is two people's names and nothing else, as booking pages and
    people write a meeting ("Lea / Dr. Konstantin Reuter", "Inês & Álvaro Méndez",
    "Sam Lee and Noor Haddad"): no word of an interview, a company or a business."""
    text = title.strip()[:120]
    parts = _PAIR.split(text)
    if len(parts) != 2:
        words = text.split()
        joins = lexicon().and_words
        at = next(
            (i for i, w in enumerate(words) if 0 < i < len(words) - 1 and w.casefold() in joins),
            None,
        )
        if at is None:
            return False
        parts = [" ".join(words[:at]), " ".join(words[at + 1 :])]
    return all(_a_persons_name(part) for part in parts)


def _a_persons_name(text: str) -> bool:
    words = [w for w in text.split() if w.casefold() not in _HONORIFICS]
    if not 1 <= len(words) <= 4:
        return False
    known = lexicon()
    for word in words:
        letters = word.replace("-", "").replace("'", "").replace("’", "")
        if not (letters.isalpha() and word[:1].isupper() and not word.isupper()):
            return False
    folded = tokens(" ".join(words))
    return known.title_words.isdisjoint(folded) and known.business_words.isdisjoint(folded)


_TITLE_PARTS = re.compile(r" [-–—|/·] |: | ?\| ?")
MAX_JOB_WORDS = 6


_RECRUITER_STEMS = ("recruit", "rekrut", "recrut", "reclut", "selezion")


def recruiter_in_title(title_words: Sequence[str]) -> str | None:
    """A word of a title that names a recruiter, in a language followup knows ("rekruterka",
    "Recruiterin", "reclutadora"), or None."""
    roles = lexicon().role_words
    return next(
        (
            w
            for w in title_words[:MAX_TITLE_TOKENS]
            if w in roles and w.startswith(_RECRUITER_STEMS)
        ),
        None,
    )


def job_in_title(title: str) -> str | None:
    """A part of a title that is a job and nothing else ("rozmowa – Senior Product
    Designer", "Call | Data Analyst (m/w/d)"), or None."""
    for part in _TITLE_PARTS.split(title[:300])[:8]:
        part = part.split("(", 1)[0].strip(" .,;")
        if 0 < len(part.split()) <= MAX_JOB_WORDS and is_role(part):
            known = lexicon()
            words = tokens(part)
            if known.talk.first(words) is None and known.interview.first(words) is None:
                return part
    return None


def _other_accents(hit: Hit, title: str) -> bool:
    """Whether a look-alike word matched only once accents were left out, and so is
    another language's word: the Spanish "revisión" (a review) is not the French
    "révision" (revising for an exam)."""
    written = written_tokens(title)
    if len(written) != len(tokens(title)):
        return False  # the two readings do not line up: no telling
    seen, listed = written[hit.start : hit.end], written_tokens(hit.text)
    # Both written with accents, differently: "préparation" is the English "preparation".
    return seen != listed and not " ".join(seen).isascii() and not " ".join(listed).isascii()


def _press_in_notes(event: Event, domains: str) -> Hit | None:
    """A press word in the notes of an invitation that speaks of no application (a
    newspaper, a reporter), outside the company's name and domain, or None."""
    return _in_notes(event, domains, ("press",))


def _in_notes(
    event: Event,
    domains: str,
    labels: tuple[str, ...],
    *,
    as_listed: bool = False,
    phrases: Phrases | None = None,
) -> Hit | None:
    """A look-alike word of one of ``labels`` in the notes (of ``phrases``: the look-alike
    words unless told; the offer words of the notes), outside the company's name and
    domain, or None; ``as_listed``: written as the lexicon writes it, accents and all (a
    Zoom "web conference" is no French "conférence")."""
    if not event.description:
        return None
    text, found = _notes_words(event.description)
    named = set(tokens(event.company or ""))
    written = written_tokens(text) if as_listed else []
    for hit in (phrases or lexicon().lookalike).find(found, limit=8):
        words = phrase_tokens(hit.text)
        outside = not named.intersection(words) and not all(word in domains for word in words)
        spelt = not as_listed or (
            len(written) == len(found) and written[hit.start : hit.end] == written_tokens(hit.text)
        )
        if hit.label in labels and outside and spelt:
            return hit
    return None


@lru_cache(maxsize=8)
def _notes_words(description: str) -> tuple[str, tuple[str, ...]]:
    """The notes as read (``description_lines``) and their words: made once for the
    several readers of one event's notes."""
    lines = description_lines(description[:MAX_NOTES])[:MAX_NOTE_LINES]
    text = "\n".join(lines)
    return text, tuple(tokens(text))


_PRESS_ENDINGS = (".fm", ".press", ".news", ".radio", ".tv")
_PRESS_LABELS = ("podcast", "magazine", "gazette")


def _press_sender(event: Event) -> str | None:
    """The press outlet's domain the organizer writes from (thepipelinepodcast.fm,
    uxcollective.press), or None."""
    address = (event.organizer or (None, None))[1] or ""
    domain = (domain_of(address) or "").casefold()
    if not domain:
        return None
    label = domain.rsplit(".", 1)[0]
    if domain.endswith(_PRESS_ENDINGS) or label.endswith(_PRESS_LABELS):
        return domain
    return None


def _decide(weighing: _Weighing, *, organizes: bool) -> Assessment:
    score, core, job = weighing.score, weighing.core, weighing.job
    visible = weighing.listed
    if weighing.own_hiring or weighing.lookalike or organizes:
        if weighing.own_hiring and organizes:
            asked = False  # your own hiring, organized at your employer: never a question
        elif weighing.with_employer:
            asked = False  # an offer, a first day, a review: the employer's own evidence
        elif weighing.lookalike or weighing.own_hiring:
            asked = job and weighing.beyond_title >= STRONG_AGAINST
        else:
            asked = job and core >= ASK_AT
        outcome: Outcome = "asked" if asked else "ignored"
        fix = _answer_fix() if asked else None
        return Assessment(
            Verdict(outcome, reasons=weighing.reasons(), fix=fix, against=tuple(weighing.against)),
            score,
            job,
            against=True,
            visible=visible or asked,
        )
    if job and score >= COUNT_AT and core >= ASK_AT and weighing.doubt is None:
        return Assessment(Verdict("counted", reasons=weighing.reasons()), score, job)
    if job and core >= ASK_AT and weighing.doubt is not None:
        return Assessment(
            Verdict(
                "asked",
                reasons=weighing.reasons(),
                fix=_answer_fix(),
                against=(weighing.doubt,),
            ),
            score,
            job,
            against=True,
            visible=True,
        )
    if job and (core >= ASK_AT or weighing.listed):
        # "ent. con Jorge Sastre, llevar CV impreso" under a bare name: the notes speak of
        # an interview or of a job search, and no look-alike word says otherwise: ask
        return Assessment(
            Verdict("asked", reasons=weighing.reasons(), fix=_answer_fix()), score, job
        )
    return Assessment(Verdict("ignored", reasons=weighing.reasons()), score, job, visible=visible)


def _answer_fix() -> str:
    return (
        "to count it, add a word or phrase of its title to interviews: words or phrases in "
        "your rules, or give the event the category Interview"
    )


def _excluded(hit: Hit, weighing: _Weighing) -> Assessment:
    """A title with one of the rules' exclusions: ignored, or asked when its notes or
    sender speak strongly of an interview."""
    why = f"its title has {hit.text!r}, one of interviews: exclusions in your rules"
    weighing.against.append(why)
    strong = sum(
        weight
        for kind, weight, _ in weighing.points
        if kind in ("contact", "itinerary", "system", "decision")
    )
    fix = (
        f"its title has {hit.text!r}, one of interviews: exclusions in your rules; to count "
        "it, take that out or give the event the category Interview"
    )
    outcome: Outcome = "asked" if strong >= ASK_AT else "ignored"
    visible = weighing.listed
    return Assessment(
        Verdict(outcome, reasons=weighing.reasons(), fix=fix, against=tuple(weighing.against)),
        weighing.score,
        weighing.job,
        against=True,
        visible=visible or outcome == "asked",
    )


def _category(values: Sequence[str], wanted: Sequence[str]) -> str | None:
    folded = {value.strip().casefold(): value for value in wanted}
    for value in values:
        if value.strip().casefold() in folded:
            return value.strip()
    return None


# --- notes ------------------------------------------------------------------------------------


def _key_candidates(lines: list[str]) -> list[str]:
    """The lines, and the sentences and clauses within them a key line may start ("Call me
    on my mobile. Recruiter: femke@studionoord.nl", "Questions? Email Carter, Recruiting
    Lead: carter@brightfold.com")."""
    found: list[str] = []
    for line in lines:
        found.append(line)
        if ":" not in line and "@" not in line:
            continue
        parts = _CLAUSE.split(line[:2_000])[1:12]
        found.extend(part for part in parts if ":" in part or "@" in part)
    return found


_CLAUSE = re.compile(r"(?<=[.?!,;])\s+")
"""Where a clause ends inside a line: a key line may start after it."""


def _key_of(line: str) -> tuple[str, str] | None:
    """(key words, value) of a ``Key: value`` line, the key at most 40 characters; a dash
    stands for the colon before an address ("Zofia Dąbrowska, HR – zofia@studiokreska.pl")."""
    text = line.strip().lstrip("-*•·>–—+ \t").strip("*_ ")
    colon = text.find(":", 0, 42)
    if colon <= 0:
        colon = _dash_before_address(text)
        if colon <= 0:
            return None
    key = " ".join(tokens(text[:colon]))
    return (key, text[colon + 1 :].strip()) if key else None


def _dash_before_address(text: str) -> int:
    """Where a dash stands for the colon of a key line: before an address, within the key's
    40 characters; -1 when there is none."""
    for dash in (" – ", " — ", " - "):
        at = text.find(dash, 0, 42)
        if at > 0:
            value = text[at + len(dash) :].split(None, 1)
            if value and "@" in value[0]:
                return at + 1
    return -1


def _contact_key(key: str, value: str) -> str | None:
    """The contact key a line's key is, or ends with when its value holds an address
    ("Email Carter Bloom, Recruiting Lead: carter@brightfold.com" is a Recruiting Lead line);
    None when it is none."""
    known = lexicon().contact_keys
    if key in known:
        return key
    if "@" not in value:
        return None
    words = key.split()
    for size in (3, 2, 1):
        if len(words) > size and " ".join(words[-size:]) in known:
            return " ".join(words[-size:])
    return None


def _weigh_notes(description: str | None, weighing: _Weighing) -> None:
    if not description:
        return
    known = lexicon()
    lines = description_lines(description[:MAX_NOTES])[:MAX_NOTE_LINES]
    _weigh_contact_lines(lines, weighing)
    _weigh_contact_in_prose(lines, weighing)
    # The words of a contact line's key ("Recruiter:") are that line's evidence, already
    # weighed: the invitation and decision cues read the rest of the notes.
    prose = []
    for line in lines:
        split = _key_of(line)
        contact = split is not None and _contact_key(*split) is not None
        prose.append(split[1] if split is not None and contact else line)
    words = tokens("\n".join(prose))
    cue = _said(known.itinerary, words)
    if cue is not None:
        weighing.add("itinerary", f"its notes read like an interview invitation: {cue.text!r}")
    elif (client := client_named(description)) is not None:
        # "ik bel je over de vacature bij mijn klant Stroom & Steen": an agency's call about
        # a job at the employer it recruits for
        weighing.add("itinerary", f"its notes are a recruiting agency's about {client}")
    elif (job := _job_named(words)) is not None:
        # "chatting about the Finance Controller opening", "le poste de consultant"
        weighing.add("itinerary", f"its notes name a job: {job!r}")
    cue = known.decision.any_in(words)
    if cue is not None:
        weighing.add("decision", f"its notes speak of a decision: {cue.text!r}")
    else:
        timeline = _timeline_sentence(prose)
        if timeline is not None:
            weighing.add("decision", f"its notes say when they will decide: {timeline[:60]!r}")
    # "after your first interview we invite you to meet the team": the notes speak of an
    # interview, in any language followup knows (not of a radio interview)
    if not any(kind == "itinerary" for kind, _, _ in weighing.points):
        cue = known.interview.any_in(words)
        if cue is not None and not any(
            hit.label == "press" for hit in known.lookalike.find(words, limit=16)
        ):
            weighing.add("mention", f"its notes speak of an interview: {cue.text!r}")


JOB_NAME_REACH = 4
"""Words before or after a word for the job ("position", "poste") read for a job's name."""


def _job_named(words: Sequence[str]) -> str | None:
    """A job the notes name beside a word for the job: "the Finance Controller opening", "le
    poste de consultant", "die Stelle als Controllerin"; None otherwise."""
    for hit in lexicon().job.find(words, limit=MAX_CUES):
        before = words[max(hit.start - JOB_NAME_REACH, 0) : hit.start]
        after = words[hit.end : hit.end + JOB_NAME_REACH]
        if any(is_role(w) and w not in _VAGUE_ROLES for w in (*before, *after)):
            return " ".join(words[max(hit.start - JOB_NAME_REACH, 0) : hit.end + JOB_NAME_REACH])
    return None


_VAGUE_ROLES = frozenset({"head", "lead", "product", "owner", "chef", "associate", "assistant"})
"""Job words that are everyday words too ("head office", "lead the way")."""


MAX_CUES = 16
NEGATION_REACH = 3
"""Words before a cue in which a "not" takes it back ("not applying yet", "Keine Bewerbung")."""


def _said(phrases: Phrases, words: Sequence[str]) -> Hit | None:
    """The first of ``phrases`` in the notes that no "not", "keine" or "geen" just before it
    takes back ("Informational only – not applying yet")."""
    if phrases.any_in(words) is None:
        return None
    negations = _negations()
    for hit in phrases.find(words, limit=MAX_CUES):
        before = words[max(hit.start - NEGATION_REACH, 0) : hit.start]
        if negations.isdisjoint(before):
            return hit
    return None


def _timeline_sentence(lines: Sequence[str]) -> str | None:
    """The first line that says when the employer will decide, with a time the timeline
    reader reads ("We hope to let candidates know w/c 4 January", "Damy znać w przyszłym
    tygodniu"): the sentence a recruiter's timeline is read from (engine.read.facts)."""
    for line in lines[:MAX_NOTE_LINES]:
        if line.strip() and timewords.speaks_of_decision(line):
            said = timewords.scan(line)
            if said.expressions and said.decision:
                return line.strip()
    return None


def _weigh_contact_in_prose(lines: list[str], weighing: _Weighing) -> None:
    """ "Tiago Marques, recrutador da Imprensa do Porto ... tiago@imprensadoporto.pt": a
    recruiting role written in a sentence, with an address at a company in the notes."""
    if any(kind in ("contact", "contact-plain") for kind, _, _ in weighing.points):
        return
    text = "\n".join(lines)
    address = next(
        (
            a
            for a in addresses_in(text)
            if not is_free_mail(a) and system_for(a) is None and not is_robot(None, a)
        ),
        None,
    )
    if address is None:
        return
    known = lexicon().contact_keys
    words = tokens(text)
    for size in (3, 2, 1):
        for at in range(len(words) - size + 1):
            phrase = " ".join(words[at : at + size])
            if phrase in known and phrase not in _PLAIN_KEYS:
                weighing.add(
                    "contact",
                    f"its notes name a {phrase} with an address at {domain_of(address)}",
                )
                return


def _weigh_contact_lines(lines: list[str], weighing: _Weighing) -> None:
    for line in _key_candidates(lines):
        split = _key_of(line)
        if split is None:
            continue
        found = _contact_key(*split)
        if found is None:
            continue
        key, value = found, split[1]
        written = line.split(":", 1)[0].strip(" *_-•")
        label = written if " ".join(tokens(written)) == key else key
        address = one_address(_first_address(value))
        if address and not is_free_mail(address) and system_for(address) is None:
            weighing.add(
                "contact",
                f"its notes have a {label} line with an address at {domain_of(address)}",
            )
            break
        if key in _PLAIN_KEYS:
            weighing.add(
                "contact-plain",
                f"its notes have a {label} line",
            )
        else:
            weighing.add("contact", f"its notes have a {label} line")
            break


_PLAIN_KEYS = frozenset(
    " ".join(tokens(key))
    for key in [
        "contact",
        "company",
        "employer",
        "position",
        "role",
        "job",
        "job",
        "title",
        "req",
        "requisition",
        "manager",
        "kontakt",
        "firma",
        "unternehmen",
        "arbeitgeber",
        "stelle",
        "position",
        "contact",
        "entreprise",
        "société",
        "poste",
        "bedrijf",
        "organisatie",
        "functie",
        "vacature",
        "werkgever",
        "contacto",
        "empresa",
        "puesto",
        "vacante",
        "responsable",
        "contatto",
        "azienda",
        "società",
        "posizione",
        "ruolo",
        "contato",
        "cargo",
        "vaga",
        "função",
        "responsável",
        "firma",
        "stanowisko",
        "pracodawca",
        "kierownik",
        "kontakt",
    ]
)
"""Contact keys that other appointments have too: weighed less without a company address."""


def _first_address(value: str) -> str | None:
    for word in value.replace("<", " ").replace(">", " ").replace("(", " ").split():
        word = word.strip(".,;:()[]\"'")
        if "@" in word:
            return word.removeprefix("mailto:")
    return None


# --- people -----------------------------------------------------------------------------------


@cache
def _signal_data() -> dict[str, object]:
    text = resources.files("followup.engine.read").joinpath("data/signals.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _press_people() -> frozenset[str]:
    """The press's own people (signals.toml): a reporter's invitation is no employer's."""
    return frozenset(fold(str(w)) for w in _listed(_signal_data(), "press_people"))


def _press_person(description: str | None) -> str | None:
    """A reporter or a journalist the notes name, as the first words of a line or of its
    sentence ("Reporter Nate Gold (...) — phone interview for a piece"), or None."""
    if not description:
        return None
    people = _press_people()
    for line in description_lines(description[:MAX_NOTES])[:MAX_NOTE_LINES]:
        for sentence in re.split(r"[.!?;] ", line)[:20]:
            words = tokens(sentence)[:3]
            found = next((w for w in words if w in people), None)
            if found is not None:
                return found
    return None


@cache
def _negations() -> frozenset[str]:
    """The words that take back what follows them (signals.toml)."""
    return frozenset(fold(str(w)) for w in _listed(_signal_data(), "negations"))


@cache
def _press_shared() -> frozenset[str]:
    """The words for an interview that the press uses too (signals.toml)."""
    return frozenset(
        " ".join(phrase_tokens(str(w))) for w in _listed(_signal_data(), "press_shared")
    )


@cache
def _signals() -> tuple[frozenset[str], tuple[str, ...]]:
    data = _signal_data()
    general = frozenset(str(name).casefold() for name in _listed(data, "general_schedulers"))
    conferencing = tuple(str(mark).casefold() for mark in _listed(data, "conferencing"))
    return general, conferencing


def _listed(data: dict[str, object], key: str) -> list[object]:
    value = data.get(key, [])
    return value if isinstance(value, list) else []


@cache
def _booking_keys() -> frozenset[str]:
    return frozenset(
        " ".join(tokens(str(k))) for k in _listed(_signal_data(), "booking_title_keys")
    )


MAX_BOOKED = 200
"""A booking page's title is read up to here."""


def booking_title(description: str | None) -> str | None:
    """The meeting's own title a booking page or a video call writes into the notes
    ("Event Name: Intro call - Backend Developer"), or None."""
    if not description or ":" not in description:
        return None
    keys = _booking_keys()
    for line in description_lines(description[:MAX_NOTES])[:MAX_NOTE_LINES]:
        split = _key_of(line)
        if split is not None and split[0] in keys and split[1]:
            return split[1][:MAX_BOOKED]
    return None


def interview_system(address: str | None) -> str | None:
    """The applicant-tracking or interview-scheduling system that sent an invite, or None
    (a scheduler that books any meeting, such as Calendly, is none)."""
    system = system_for(address)
    if system is None or system.casefold() in _signals()[0]:
        return None
    return system


def _hiring_at_work(event: Event, owners: frozenset[str]) -> str | None:
    """Why an invite is the user's own hiring: it goes to their work address and its notes
    speak of a candidate or a scorecard ("You are scheduled to interview Samir ... submit
    your scorecard"), as an employer's own applicant-tracking system writes to its
    interviewers; None otherwise."""
    work = own_domains(owners)
    if not work or not event.description:
        return None
    invited = next(
        (a for _, a in event.attendees if a and a.casefold() in owners and domain_of(a) in work),
        None,
    )
    if invited is None:
        return None
    lines = description_lines(event.description[:MAX_NOTES])[:MAX_NOTE_LINES]
    candidate = _candidate_line(lines, owners)
    if candidate is not None:
        return (
            f"it invites you at {invited} and its notes name the candidate {candidate!r}: "
            "that is your own hiring, not your interview"
        )
    hits = [
        hit
        for hit in lexicon().own.find(tokens("\n".join(lines)), limit=8)
        # a candidate's invite speaks of candidates and of the committee too
        if hit.text not in _APPLICANT_WORDS and not _COMMITTEE.search(hit.text)
    ]
    if not hits:
        return None
    return (
        f"it invites you at {invited} and its notes speak of {_quoted(hits[0])}: that is your "
        "own hiring, not your interview"
    )


def _candidate_line(lines: list[str], owners: frozenset[str]) -> str | None:
    """The name a "Candidate: Tobias Renz" line gives when it is not the user's, or None
    (an invitation to the user as the candidate names the user there)."""
    mine = {
        word
        for address in owners
        for word in tokens(address.split("@", 1)[0].replace(".", " ").replace("_", " "))
        if len(word) > 2
    }
    for line in lines:
        split = _key_of(line)
        if split is None or split[0] not in _APPLICANT_WORDS or not split[1]:
            continue
        value = _GENDERED_END.sub("", split[1])  # "Kandidat:in: Aylin Demir"
        named = set(tokens(value))
        if named and not named & mine:
            return value[:60]
    return None


_GENDERED_END = re.compile(r"^(?:in|innen)\s*:\s*")
"""The end of a German word written for all genders ("Kandidat:in"), after the key's colon."""

_APPLICANT_WORDS = frozenset(
    [
        "candidate",
        "candidates",
        "candidat",
        "candidats",
        "candidato",
        "candidata",
        "candidatos",
        "candidati",
        "kandidat",
        "kandidatin",
        "bewerber",
        "bewerberin",
        "kandidaat",
        "kandidaten",
        "sollicitant",
        "sollicitanten",
        "kandydat",
        "kandydatka",
        "kandydaci",
    ]
)
"""Own-hiring words that an invitation to the candidate uses as well."""
_COMMITTEE = re.compile(r"commission|comit|komisj|commissie|kommission|committee|panel|jury")


def own_domains(owners: frozenset[str]) -> frozenset[str]:
    """The mail domains of the user's work addresses (a mail provider is nobody's company)."""
    return frozenset(d for a in owners if (d := domain_of(a)) is not None and not is_free_mail(d))


def _weigh_people(event: Event, owners: frozenset[str], weighing: _Weighing) -> str | None:
    """Weigh the organizer and attendees; the reason against when the user organizes it as
    their own hiring (from a work address, with people from outside), else None."""
    mine = own_domains(owners)
    organizer_name, organizer_address = event.organizer or (None, None)
    address = (organizer_address or "").casefold()
    system = interview_system(address) or next(
        (s for _, a in event.attendees if (s := interview_system(a)) is not None), None
    )
    if system is not None:
        weighing.add("system", f"it was sent by {system}, an interview-scheduling system")
    team = _recruiting_team(event, owners)
    if team is not None:
        weighing.add("system", f"{team} is a recruiting team")
    else:
        agency = _agency_sender(event, owners)
        if agency is not None:
            weighing.add("agency", f"{agency} writes from a recruiting agency")
    people = [(organizer_name, address)] if address else []
    people += [(n, (a or "").casefold()) for n, a in event.attendees if a]
    outside = [
        (n, a)
        for n, a in people
        if a
        and a not in owners
        and not is_free_mail(a)
        and system_for(a) is None
        and not is_robot(n, a)
        and domain_of(a) not in mine
    ]
    if outside:
        weighing.add(
            "outside", f"{outside[0][1]} writes from {domain_of(outside[0][1])}, not your own"
        )
    if not address or domain_of(address) not in mine:
        return None  # no organizer, one elsewhere, or the user's private address: their own note
    guests = [a for _, a in people[1:] if a and a not in owners and not is_robot(None, a)]
    if address not in owners and any(domain_of(a) not in mine for a in guests):
        return (
            f"a colleague at {domain_of(address)}, your own employer, organizes it with "
            "someone from outside: your own hiring?"
        )
    if address not in owners:
        return (
            f"it is organized from {domain_of(address)}, your own employer, with nobody "
            "from another company"
        )
    if any(domain_of(a) not in mine for a in guests):
        return "you organize it from your work address, with people from outside: your own hiring?"
    return None  # the user's own note in a work calendar, or a meeting only with colleagues


def _recruiting_team(event: Event, owners: frozenset[str]) -> str | None:
    """The organizer or a guest whose name or address says it is a recruiting team
    ("Fathom Talent", "bewerbung@stadtwerke-havelland.de"), or None."""
    team = lexicon().team
    for name, address in [event.organizer or (None, None), *event.attendees[:50]]:
        if address and address.casefold() in owners:
            continue
        local = (address or "").rsplit("@", 1)[0] if address and "@" in address else ""
        for text in (name or "", local.replace(".", " ").replace("_", " ").replace("-", " ")):
            if text and team.first(tokens(text)) is not None:
                return name or address
    return None


def _agency_sender(event: Event, owners: frozenset[str]) -> str | None:
    """The address of the organizer or a guest at a recruiting agency's domain
    (marta.reis@atlanticotalent.pt), or None."""
    for _, address in [event.organizer or (None, None), *event.attendees[:50]]:
        domain = domain_of(address)
        if domain is None or (address or "").casefold() in owners:
            continue
        if not is_free_mail(domain) and agency_domain(domain):
            return address
    return None


def _conferencing(event: Event) -> bool:
    marks = _signals()[1]
    text = f"{event.location or ''}\n{(event.description or '')[:MAX_NOTES]}".casefold()
    return any(mark in text for mark in marks)


# --- the cheap test on raw text ---------------------------------------------------------------


@dataclass(frozen=True)
class Prefilter:
    """Whether an event's raw text may hold evidence that reaches "asked": a superset of
    what ``recognise`` counts or asks, tested before anything is parsed."""

    words: Words

    @property
    def _firsts(self) -> frozenset[str]:
        return _firsts(self.words)

    def title(self, text: str) -> bool:
        title_words = tokens(text)
        if (
            self._firsts.isdisjoint(title_words)
            and not any(map(is_number, title_words))
            and not any(len(t) >= MIN_NEAR - 1 for t in title_words)
        ):
            return False  # no phrase starts anywhere in it, and no word is long
        known = lexicon()
        return (
            known.interview.first(title_words) is not None
            or known.stage.first(title_words) is not None
            or self.words.phrases.first(title_words) is not None
            or self.words.own_phrases.first(title_words) is not None
            or (
                known.talk.first(title_words) is not None
                and (job_in_title(text) is not None or recruiter_in_title(title_words) is not None)
            )
            or any(near_interview_word(t) for t in title_words[:MAX_TITLE_TOKENS])
            or known.itinerary.any_in(title_words) is not None  # "... n.a.v. sollicitatie"
        )

    def notes(self, text: str) -> bool:
        """Whether notes hold evidence of a job search (a contact, an invitation, a
        decision): the same reading ``recognise`` does."""
        if not text:
            return False
        known = lexicon()
        text = text[:MAX_NOTES]
        if "<" in text:
            text = f"{text}\n{html_to_text(text)}"  # both readings: a superset of either
        lines = text.replace("\r", "\n").split("\n")[: 2 * MAX_NOTE_LINES]
        for line in _key_candidates(lines):
            split = _key_of(line)
            if split is not None and _contact_key(*split) is not None:
                return True
            if (
                split is not None
                and split[0] in _booking_keys()
                and (self.title(split[1]) or is_role(split[1]))
            ):
                return True
        if "@" in text:
            found = _Weighing()
            _weigh_contact_in_prose(lines, found)
            if found.points:
                return True
        words = tokens(text)
        return (
            known.itinerary.any_in(words) is not None
            or known.client.any_in(words) is not None
            or known.decision.any_in(words) is not None
            or known.interview.any_in(words) is not None
            or _timeline_sentence(lines) is not None
        )

    def organizer(self, address: str | None) -> bool:
        return interview_system(address) is not None

    def people(self, people: Sequence[tuple[str | None, str | None]]) -> bool:
        """Whether an organizer or guest is a scheduling system or a recruiting team."""
        event = Event("", organizer=people[0] if people else None, attendees=tuple(people[1:]))
        return (
            any(interview_system(a) is not None for _, a in people)
            or _recruiting_team(event, frozenset()) is not None
            or _agency_sender(event, frozenset()) is not None
        )

    def keeps(self, event: Event, owners: frozenset[str]) -> bool:
        """Whether the event, read from raw text without its attendees, may be counted,
        asked about or listed."""
        found = recognise(event, words=self.words, owners=owners, attendees_unknown=True)
        return found.verdict.outcome != "ignored" or found.visible


@cache
def _firsts(words: Words) -> frozenset[str]:
    """The first words of every phrase that makes a title evidence (a talk does beside
    a job: "Telefonat – Controller")."""
    known = lexicon()
    return (
        known.interview.firsts
        | known.stage.firsts
        | known.talk.firsts
        | words.phrases.firsts
        | words.own_phrases.firsts
    )


def folded_tokens(text: str) -> list[str]:
    """The tokens recognition reads a text as (for tests and the reader's cheap scan)."""
    return tokens(fold(text))


__all__ = [
    "ASK_AT",
    "COUNT_AT",
    "WEIGHTS",
    "Assessment",
    "Event",
    "Prefilter",
    "Words",
    "interview_system",
    "own_domains",
    "phrase_tokens",
    "recognise",
]
