"""Steps that a mark stopped, for the .ics files people import. Pure.

An import adds and updates by UID but never removes: after ``followup mark
ACME replied`` a newer file that simply lacks "Check in with ACME" leaves the
old one in the user's calendar. So ``followup ics`` keeps every step a mark
stopped, as long as its time is still ahead, as a cancelled item: the same UID,
a higher SEQUENCE, STATUS:CANCELLED and a title that says why, which every
importing app removes or strikes through.

A stopped step is one the plan without the marks has and the plan with them
has not: marks are the only difference between the two, so nothing else can
have stopped it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from followup.engine.model import FollowUp, Interview, Plan

SEQUENCE_EPOCH = date(2000, 1, 1)
"""SEQUENCE of a cancelled step: the days from this date to the day of its mark, so a later
stop carries a higher number than an earlier one, and the same marks give the same bytes."""

WHY: dict[str, str] = {
    "replied": "they replied",
    "offer": "you have an offer",
    "rejected": "they said no",
    "withdrawn": "you withdrew",
    "pending": "marked pending",
}


@dataclass(frozen=True, slots=True)
class Stopped:
    """A step planned before a mark and stopped by it: its item, why, and its SEQUENCE."""

    followup: FollowUp
    why: str
    """Why, in a few words for the title: "they replied"."""
    marked: date | None
    sequence: int

    @property
    def title(self) -> str:
        return f"Cancelled ({self.why}): {self.followup.title}"

    @property
    def description(self) -> str:
        when = f" on {self.marked:%a %d %b %Y}" if self.marked else ""
        return (
            f"followup no longer plans this step: {self.why}, as recorded with "
            f"`followup mark`{when}. If your calendar still shows it, delete it."
        )


def stopped_steps(unmarked: Plan, marked: Plan) -> tuple[Stopped, ...]:
    """The steps of ``unmarked`` (planned without the marks) that ``marked`` (with them)
    no longer has and whose time has not passed yet, in the order of the plan."""
    kept = {f.uid for f in marked.followups}
    interviews = {iv.key: iv for iv in marked.interviews}
    stopped: list[Stopped] = []
    for followup in unmarked.followups:
        if followup.uid in kept or (followup.due or followup.end) < marked.now:
            continue
        interview = interviews.get(followup.interview.key, followup.interview)
        stopped.append(_stopped(followup, interview))
    return tuple(stopped)


def _stopped(followup: FollowUp, interview: Interview) -> Stopped:
    facts = interview.facts
    status = facts.status if facts.source_of("status") == "mark" else None
    why = WHY.get(status or "", f"marked {status}" if status else "stopped by a mark")
    marked = facts.status_since
    sequence = max((marked - SEQUENCE_EPOCH).days, 1) if marked else 1
    return Stopped(followup, why, marked, sequence)
