"""The facts followup works with: interviews in, follow-ups out.

These are plain frozen values. Everything that makes them (the reader, the
planner) and everything that consumes them (renderers, sync, the feed) is a
function of them, so the same inputs always give the same outputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from urllib.parse import quote

from followup.rules.statuses import StatusKind as StatusKind

ItemKind = Literal["event", "todo"]

Outcome = Literal["counted", "asked", "ignored"]
"""What recognition made of an event: an interview, a question for the user, or neither."""

UID_DOMAIN = "followup"
"""Every follow-up's UID ends in ``@followup``: one of the marks that prove
an item is ours before we change it."""


@dataclass(frozen=True, slots=True)
class Window:
    """Which interviews count: those starting in [since, until)."""

    since: datetime
    until: datetime


@dataclass(frozen=True, slots=True)
class Person:
    """Someone at the company the user met or heard from: an interviewer, as the event names them."""

    name: str | None
    email: str | None
    source: str
    """Where followup found them: "ATTENDEE", or the notes' line ("DESCRIPTION: Interviewers")."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about an interview, from the event and the user's marks.

    ``timeline`` and ``status`` keep the words as written; the planner reads
    them. ``sources`` says where each fact came from (for ``explain``).
    """

    company: str | None = None
    role: str | None = None
    recruiter_name: str | None = None
    recruiter_email: str | None = None
    timeline: str | None = None
    status: str | None = None
    highlights: str | None = None
    fit: str | None = None
    note: str | None = None
    sources: tuple[tuple[str, str], ...] = ()
    status_since: date | None = None
    """The day the status was recorded with ``followup mark`` (the ``status`` anchor)."""
    status_noted: datetime | None = None
    """When the event whose notes say the status was last changed (its LAST-MODIFIED):
    the ``status`` anchor when no mark gives a day."""
    warnings: tuple[str, ...] = ()
    """What could not be used, and why (an address that is not valid); the plan warns."""
    interviewers: tuple[Person, ...] = ()
    """The people who interviewed the user (never the user, a system, a room or a robot)."""
    highlights_for: tuple[tuple[str, str], ...] = ()
    """Moments noted for one person ("Highlights (Lee): ..."), as (the name written, notes)."""
    language: str | None = None
    """The language the event's own text is written in, when it can be told."""
    booked_by: str | None = None
    """The scheduling system or shared calendar that sent the invite ("Greenhouse")."""

    def source_of(self, fact: str) -> str | None:
        for name, where in self.sources:
            if name == fact:
                return where
        return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why an event is an interview, may be one, or is not: the evidence, for ``explain``."""

    outcome: Outcome = "counted"
    reasons: tuple[str, ...] = ()
    """The evidence, each a phrase a person reads ("its notes have a Recruiter line")."""
    answered: bool = False
    """The user's answer (kept by UID in the data folder) decided it, over the evidence."""
    fix: str | None = None
    """What would let the rules decide without asking: the line to add, or the category."""
    against: tuple[str, ...] = ()
    """The reasons (among ``reasons``) that weigh against an interview: a look-alike word,
    the user's own hiring."""


ANSWERED_YES = "you answered that it is an interview (`followup answer`)"
ANSWERED_NO = "you answered that it is not an interview (`followup answer`)"


def answered(verdict: Verdict, answer: bool) -> Verdict:
    """``verdict`` overruled by the user's answer: the evidence stays among the reasons,
    and so does the line that would let the rules decide alone."""
    reasons = (*verdict.reasons, ANSWERED_YES if answer else ANSWERED_NO)
    outcome: Outcome = "counted" if answer else "ignored"
    return Verdict(outcome, reasons, answered=True, fix=verdict.fix, against=verdict.against)


@dataclass(frozen=True, slots=True)
class Interview:
    """One interview occurrence (a single event, or one instance of a series).

    ``start`` and ``end`` are timezone-aware. Floating and all-day events are
    placed in the rules' timezone by the reader; the flags keep what they were.
    """

    uid: str
    recurrence_id: str | None
    summary: str
    start: datetime
    end: datetime
    all_day: bool = False
    floating: bool = False
    tzid: str | None = None
    cancelled: bool = False
    location: str | None = None
    facts: Facts = field(default_factory=Facts)
    categories: tuple[str, ...] = ()
    """The event's CATEGORIES, as written."""
    attendees: tuple[tuple[str | None, str | None], ...] = ()
    """The event's ATTENDEEs as (name, address), in the event's order."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What the reader said about this event alone (its series cut at the cap, its organizer's
    name cleaned), for ``explain``; the calendar's warnings are the ``Reading``'s. Not part
    of the interview's identity."""
    not_counted: str | None = None
    """Set on an event that looks like part of an application but is no interview
    by the rules: why it looks like one, and what would count it."""
    verdict: Verdict = field(default_factory=Verdict)
    """What recognition made of the event and why; ``asked`` events are not planned
    until the user answers."""

    @property
    def key(self) -> str:
        """A stable identity: the UID, plus the RECURRENCE-ID for an instance."""
        return self.uid if self.recurrence_id is None else f"{self.uid}/{self.recurrence_id}"


def _order(interview: Interview) -> tuple[datetime, str, str]:
    return (interview.start, interview.uid, interview.recurrence_id or "")


@dataclass(frozen=True, slots=True)
class Reading:
    """What the reader made of a calendar: the interviews it counts, the events it asks
    about and those it sets aside, and what it skipped or read with a guess."""

    interviews: tuple[Interview, ...] = ()
    """The counted interviews: what the planner plans."""
    asked: tuple[Interview, ...] = ()
    """Events that may be interviews (``not_counted`` says why): the user is asked."""
    ignored: tuple[Interview, ...] = ()
    """Events whose verdict is ``ignored`` but that are listed (one answered "not an
    interview"), for ``explain``."""
    warnings: tuple[str, ...] = ()
    """What was skipped or read with a guess, once each, in the order of the interviews of the
    calendars (files, CalDAV objects) it is about: the plan's first warnings."""
    quiet: tuple[str, ...] = ()
    """The same about the calendars in which no interview counts: the plan does not show it
    (most calendars of an archive and most objects of a CalDAV calendar hold no interview)."""

    @classmethod
    def of(
        cls, events: Iterable[Interview], warnings: Iterable[str] = (), quiet: Iterable[str] = ()
    ) -> Reading:
        """The events sorted by their verdicts into counted, asked and ignored, each in the
        order given."""
        counted: list[Interview] = []
        asked: list[Interview] = []
        ignored: list[Interview] = []
        for event in events:
            if event.verdict.outcome == "ignored":
                ignored.append(event)
            elif event.verdict.outcome == "asked" or event.not_counted is not None:
                asked.append(event)
            else:
                counted.append(event)
        shown = tuple(dict.fromkeys(warnings))
        unshown = tuple(w for w in dict.fromkeys(quiet) if w not in shown)
        return cls(tuple(counted), tuple(asked), tuple(ignored), shown, unshown)

    @property
    def events(self) -> tuple[Interview, ...]:
        """Every event read: the interviews, then the events asked about or set aside, in
        start order."""
        return (*self.interviews, *sorted((*self.asked, *self.ignored), key=_order))


MAILTO_LIMIT = 2000
"""The longest mailto: link followup makes: what Outlook, Gmail's handler and browsers accept."""

MAILTO_NOTES = {
    "en": "[…] (shortened to fit a mail link: `followup draft` shows the whole draft)",
    "de": "[…] (gekürzt, damit der Mail-Link passt: `followup draft` zeigt den ganzen Entwurf)",
    "fr": "[…] (raccourci pour tenir dans un lien mail : `followup draft` montre le brouillon entier)",
    "nl": "[…] (ingekort voor een maillink: `followup draft` toont het hele concept)",
    "es": "[…] (acortado para caber en un enlace de correo: `followup draft` muestra el borrador entero)",
}
MAILTO_NOTE = MAILTO_NOTES["en"]


@dataclass(frozen=True, slots=True)
class EmailDraft:
    """A drafted email for an email step."""

    to: str | None
    subject: str
    body: str
    language: str = "en"
    """The draft's language (the rules' ``language``), for the note of a shortened link."""
    to_name: str | None = None
    """The recipient's name for the To: line (an interviewer's, the recruiter's)."""
    gaps: tuple[str, ...] = ()
    """Marked gaps the user fills in before sending ("[what stood out for you]")."""

    def mailto(self, limit: int = MAILTO_LIMIT) -> str:
        """An RFC 6068 ``mailto:`` link that opens the draft in a mail client.

        Mail clients and browsers refuse or cut links longer than about 2,000
        characters; a longer draft loses whole paragraphs from its end, and a
        note says so, until the link fits.
        """
        to = quote(self.to or "", safe="@")
        head = f"mailto:{to}?subject={quote(self.subject, safe='')}&body="
        body = quote(self.body, safe="")
        if len(head) + len(body) <= limit:
            return head + body
        paragraphs = self.body.split("\n\n")
        while paragraphs:
            paragraphs.pop()
            note = MAILTO_NOTES.get(self.language, MAILTO_NOTE)
            shortened = "\n\n".join([*paragraphs, note])
            body = quote(shortened, safe="")
            if len(head) + len(body) <= limit:
                return head + body
        return head[: -len("&body=")] if len(head) - len("&body=") <= limit else f"mailto:{to}"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One planned follow-up step for one interview.

    ``start`` is when to do it; ``end`` ends an event; ``due`` closes a window
    (the latest time the step should be done). All are aware datetimes in the
    rules' timezone. ``trace`` tells how the time was computed.
    """

    uid: str
    rule_id: str
    interview: Interview
    kind: ItemKind
    start: datetime
    end: datetime
    due: datetime | None
    all_day: bool
    title: str
    description: str
    categories: tuple[str, ...] = ()
    alarm_before: timedelta | None = None
    email: EmailDraft | None = None
    trace: tuple[str, ...] = ()
    more_emails: tuple[EmailDraft, ...] = ()
    """The step's other emails: one thank-you per interviewer of a panel or a loop."""

    @property
    def emails(self) -> tuple[EmailDraft, ...]:
        """Every email of the step, the first one first."""
        return () if self.email is None else (self.email, *self.more_emails)


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a rule did or did not produce a follow-up for an interview."""

    interview_key: str
    rule_id: str
    produced: bool
    reason: str
    trace: tuple[str, ...] = ()
    followup_uid: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The result of planning: the follow-ups, and every decision behind them."""

    now: datetime
    timezone: str
    interviews: tuple[Interview, ...]
    followups: tuple[FollowUp, ...]
    decisions: tuple[Decision, ...] = ()
    warnings: tuple[str, ...] = ()
    near_misses: tuple[Interview, ...] = ()
    """Events that look like part of an application but were not counted (see
    ``Interview.not_counted``); each is also one of ``warnings``."""
    ignored: tuple[Interview, ...] = ()
    """Events whose verdict is ``ignored`` (one answered "not an interview"), for ``explain``."""


def followup_uid(interview_uid: str, recurrence_id: str | None, rule_id: str) -> str:
    """The UID of a follow-up: stable across runs, unique per interview instance and rule.

    A hash keeps it short and free of characters servers dislike in URLs,
    whatever the interview's UID looks like; the rule id stays readable.
    """
    seed = f"{interview_uid}\x00{recurrence_id or ''}\x00{rule_id}".encode()
    digest = hashlib.sha256(seed).hexdigest()[:20]
    return f"{digest}-{rule_id}@{UID_DOMAIN}"


def is_followup_uid(uid: str) -> bool:
    return uid.endswith("@" + UID_DOMAIN)
