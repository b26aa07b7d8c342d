"""The board: one row per application, its stage, its last contact and its next step.

Pure: a function of the plan (interviews with the user's marks applied, and
every follow-up planned for them), the rules (which steps are the check-in and
the move-on) and the plan's ``now``.

The stage says where an application stands, in the terms of the follow-ups:

- ``interview ahead``: a round is still to come;
- ``waiting``: a round is over and their timeline (or the default wait) runs;
- ``check-in due``: the check-in step has come and its window is open;
- ``checked in``: the check-in is behind, the move-on step is not yet here;
- ``heard back``, ``offer``, ``rejected``, ``withdrawn``: an answer, from a mark
  (``followup mark``) or the event's Status line;
- ``silent``: the move-on step has passed with no answer. ``followup mark
  COMPANY replied`` later turns it into ``heard back``: silent is a status, not
  a verdict;
- ``cancelled``: every round was cancelled.

Silent, rejected, withdrawn and cancelled applications are closed: the board
hides them unless asked for all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from followup.engine.model import FollowUp, Interview, Plan, StatusKind
from followup.engine.plan.applications import application_name, applications
from followup.engine.plan.timeline import status_kind
from followup.rules.model import RuleSet

Stage = Literal[
    "check-in due",
    "offer",
    "interview ahead",
    "waiting",
    "checked in",
    "heard back",
    "silent",
    "rejected",
    "withdrawn",
    "cancelled",
]
STAGES: tuple[Stage, ...] = get_args(Stage)
"""Every stage, in the order the board shows them: what needs you first."""

CLOSED: frozenset[Stage] = frozenset({"silent", "rejected", "withdrawn", "cancelled"})

STAGE_WORDS: dict[Stage, str] = {
    "check-in due": "check in with them now",
    "offer": "answered: an offer",
    "interview ahead": "a round is still to come",
    "waiting": "waiting for their timeline",
    "checked in": "checked in, waiting for an answer",
    "heard back": "answered: heard back",
    "silent": "silent: moved on after no answer",
    "rejected": "answered: rejected",
    "withdrawn": "answered: withdrawn",
    "cancelled": "every round cancelled",
}
"""What each stage means, as the page's legend and the docs say it."""

ENDING: frozenset[StatusKind] = frozenset({"offer", "rejected", "withdrawn"})


@dataclass(frozen=True, slots=True)
class Steps:
    """Which rules are the check-in and which the move-on, read from the rules file."""

    check_ins: frozenset[str]
    move_ons: frozenset[str]


def steps_of(rules: RuleSet) -> Steps:
    """The check-in steps are those a next round supersedes that count from the interview
    or the timeline (``status-check``, ``status-check-window``); the move-on steps are
    those a next round supersedes that count from another step (``move-on``)."""
    ids = {rule.id for rule in rules.rules}
    superseded = [rule for rule in rules.rules if rule.superseded_by_next_round]
    return Steps(
        check_ins=frozenset(r.id for r in superseded if r.when.from_ not in ids),
        move_ons=frozenset(r.id for r in superseded if r.when.from_ in ids),
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer an application got: what, on which day (if recorded), after which round."""

    status: StatusKind
    on: date | None
    round_day: date


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One application as the board shows it."""

    key: str
    """The first round's key (UID, or UID/RECURRENCE-ID): stable across runs."""
    company: str
    role: str | None
    rounds: tuple[date, ...]
    """The days of the rounds held so far."""
    ahead: tuple[date, ...]
    """The days of the rounds still to come."""
    latest: str | None
    """The title of the latest round held (of the next one when none is held yet)."""
    recruiter: str | None
    stage: Stage
    stage_since: date | None
    """The day the application reached its stage, when it is known."""
    last_contact: date | None
    """The latest round held, or their latest recorded answer, whichever is later."""
    days_since_contact: int | None
    next_step: str | None
    next_at: datetime | None
    next_all_day: bool
    answers: tuple[Answer, ...] = ()
    move_on_day: date | None = None
    """The day of the move-on step, when one is planned."""
    first_day: date | None = None
    """The day of the first round, held, ahead or cancelled (the month it counts in)."""

    @property
    def closed(self) -> bool:
        return self.stage in CLOSED


def board(plan: Plan, steps: Steps) -> tuple[BoardRow, ...]:
    """Every application in the plan, what needs the user first."""
    zone = ZoneInfo(plan.timezone)
    by_interview: dict[str, list[FollowUp]] = {}
    for followup in plan.followups:
        by_interview.setdefault(followup.interview.key, []).append(followup)
    rows = [
        _row(
            group, [f for iv in group for f in by_interview.get(iv.key, [])], plan.now, zone, steps
        )
        for group in applications(plan.interviews)
    ]
    return tuple(sorted(rows, key=_order))


def open_rows(rows: Iterable[BoardRow]) -> tuple[BoardRow, ...]:
    return tuple(row for row in rows if not row.closed)


_FAR = datetime.max.replace(tzinfo=ZoneInfo("UTC"))


def _order(row: BoardRow) -> tuple[int, datetime, str, str]:
    return (STAGES.index(row.stage), row.next_at or _FAR, row.company.casefold(), row.key)


def _day(moment: datetime, zone: ZoneInfo, all_day: bool = False) -> date:
    return moment.date() if all_day else moment.astimezone(zone).date()


def _row(
    rounds: Sequence[Interview],
    followups: list[FollowUp],
    now: datetime,
    zone: ZoneInfo,
    steps: Steps,
) -> BoardRow:
    live = [iv for iv in rounds if not iv.cancelled]
    held = [iv for iv in live if iv.start <= now]
    ahead = [iv for iv in live if iv.start > now]
    answers = _answers(held or live, zone)
    today = now.astimezone(zone).date()
    # An answer recorded after ``now`` (planning as of an earlier day) is no contact yet.
    last_answer = max((a.on for a in answers if a.on is not None and a.on <= today), default=None)
    last_round = _day(held[-1].end, zone, held[-1].all_day) if held else None
    contacts = [d for d in (last_round, last_answer) if d is not None]
    last_contact = max(contacts) if contacts else None
    check_in = _last(f for f in followups if f.rule_id in steps.check_ins)
    move_on = _last(f for f in followups if f.rule_id in steps.move_ons)
    stage, since = _stage(live, held, ahead, check_in, move_on, now, zone, last_round)
    upcoming = sorted(
        (f for f in followups if (f.due or f.end) >= now), key=lambda f: (f.start, f.uid)
    )
    next_step: str | None = None
    next_at: datetime | None = None
    next_all_day = False
    if stage not in CLOSED:
        if upcoming:
            next_step, next_at, next_all_day = (
                upcoming[0].title,
                upcoming[0].start,
                upcoming[0].all_day,
            )
        if ahead and (next_at is None or ahead[0].start < next_at):
            next_step, next_at, next_all_day = ahead[0].summary, ahead[0].start, ahead[0].all_day
    named = held or live or list(rounds)
    recruiter = next(
        (
            iv.facts.recruiter_name or iv.facts.recruiter_email
            for iv in reversed(named)
            if iv.facts.recruiter_name or iv.facts.recruiter_email
        ),
        None,
    )
    role = next((iv.facts.role for iv in reversed(named) if iv.facts.role), None)
    latest = held[-1] if held else (ahead[0] if ahead else rounds[-1])
    return BoardRow(
        key=rounds[0].key,
        company=application_name(rounds),
        role=role,
        rounds=tuple(_day(iv.start, zone, iv.all_day) for iv in held),
        ahead=tuple(_day(iv.start, zone, iv.all_day) for iv in ahead),
        latest=latest.summary,
        recruiter=recruiter,
        stage=stage,
        stage_since=since,
        last_contact=last_contact,
        days_since_contact=(today - last_contact).days if last_contact else None,
        next_step=next_step,
        next_at=next_at,
        next_all_day=next_all_day,
        answers=answers,
        move_on_day=_day(move_on.start, zone, move_on.all_day) if move_on else None,
        first_day=_day(rounds[0].start, zone, rounds[0].all_day),
    )


def _last(followups: Iterable[FollowUp]) -> FollowUp | None:
    return max(followups, key=lambda f: (f.start, f.uid), default=None)


def _answers(rounds: Sequence[Interview], zone: ZoneInfo) -> tuple[Answer, ...]:
    """The answers recorded on the rounds, once each: a mark of every round on one day is
    one answer, after the latest round held before that day."""
    found: dict[tuple[StatusKind, date | None], date] = {}
    for iv in rounds:
        kind = _kind(iv)
        if kind == "pending":
            continue
        on = iv.facts.status_since
        day = _day(iv.start, zone, iv.all_day)
        if on is not None and day > on:
            continue  # a round after the answer (an ending answer marks every round)
        key = (kind, on)
        found[key] = max(found.get(key, day), day)
    return tuple(Answer(kind, on, day) for (kind, on), day in found.items())


def _kind(interview: Interview) -> StatusKind:
    """What a round's status amounts to: a mark's word, or the event's Status line as the
    planner reads it ("Heard back – second round booked" is replied)."""
    return status_kind(interview.facts.status)[0]


def _stage(
    live: Sequence[Interview],
    held: Sequence[Interview],
    ahead: Sequence[Interview],
    check_in: FollowUp | None,
    move_on: FollowUp | None,
    now: datetime,
    zone: ZoneInfo,
    last_round: date | None,
) -> tuple[Stage, date | None]:
    if not live:
        return "cancelled", None
    ending = [iv for iv in live if _kind(iv) in ENDING]
    if ending:
        chosen = ending[-1]
        status: Stage = _kind(chosen)  # type: ignore[assignment]  # one of ENDING
        return status, chosen.facts.status_since
    if ahead:
        return "interview ahead", last_round
    latest = held[-1]
    if _kind(latest) == "replied":
        return "heard back", latest.facts.status_since
    if move_on is not None and move_on.start <= now:
        return "silent", _day(move_on.start, zone, move_on.all_day)
    if check_in is None or check_in.start > now:
        return "waiting", last_round
    if now < _window_end(check_in, zone):
        return "check-in due", _day(check_in.start, zone, check_in.all_day)
    return "checked in", _day(check_in.start, zone, check_in.all_day)


def _window_end(step: FollowUp, zone: ZoneInfo) -> datetime:
    """Until when a check-in is due: its window's end, else the end of its day."""
    if step.due is not None:
        return step.due
    day = _day(step.start, zone, step.all_day) + timedelta(days=1)
    return datetime.combine(day, time(0, 0), zone)


# ------------------------------------------------------------------ shapes ----


COLUMNS = (
    "company",
    "role",
    "stage",
    "rounds",
    "latest_round",
    "recruiter",
    "last_contact",
    "days_since_contact",
    "next_step",
    "next_date",
)
"""The board's columns in the CSV and the JSON, in order."""


def _when(row: BoardRow, zone: ZoneInfo) -> str:
    if row.next_at is None:
        return ""
    if row.next_all_day:
        return row.next_at.date().isoformat()
    return row.next_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def row_data(row: BoardRow, zone: ZoneInfo) -> dict[str, Any]:
    """One row as JSON takes it: dates in ISO 8601, absent facts as null."""
    return {
        "key": row.key,
        "company": row.company,
        "role": row.role,
        "stage": row.stage,
        "stage_since": row.stage_since.isoformat() if row.stage_since else None,
        "closed": row.closed,
        "rounds": [d.isoformat() for d in row.rounds],
        "rounds_ahead": [d.isoformat() for d in row.ahead],
        "latest_round": row.latest,
        "recruiter": row.recruiter,
        "last_contact": row.last_contact.isoformat() if row.last_contact else None,
        "days_since_contact": row.days_since_contact,
        "next_step": row.next_step,
        "next_date": _when(row, zone) or None,
    }


def board_csv(rows: Iterable[BoardRow], zone: ZoneInfo) -> str:
    """The board as CSV (RFC 4180, CRLF line ends), one application a line under a header.

    Dates are ISO 8601 (a spreadsheet reads them as dates); a cell that a spreadsheet
    would run as a formula (=, +, -, @ first) gets a leading apostrophe, so a company
    named ``=HYPERLINK(...)`` is shown, never run.
    """
    lines = [",".join(COLUMNS)]
    for row in rows:
        cells = [
            row.company,
            row.role or "",
            row.stage,
            " ".join(d.isoformat() for d in row.rounds),
            row.latest or "",
            row.recruiter or "",
            row.last_contact.isoformat() if row.last_contact else "",
            "" if row.days_since_contact is None else str(row.days_since_contact),
            row.next_step or "",
            _when(row, zone),
        ]
        lines.append(",".join(_cell(cell) for cell in cells))
    return "\r\n".join(lines) + "\r\n"


_CONTROLS = {code: "\ufffd" for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
"""Control characters other than tab and line ends: never written into a cell (a terminal
showing the CSV would run an escape sequence)."""


def _cell(text: str) -> str:
    text = text.translate(_CONTROLS)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    if any(c in text for c in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text
